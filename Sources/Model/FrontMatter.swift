import Foundation

/// The typed front matter of a Markdown page; unknown keys land in `params`.
public struct FrontMatter: Codable, Sendable, Equatable {
    public var title: String?
    public var date: Date?
    public var summary: String?
    public var tags: [String]
    public var layout: String?
    public var draft: Bool
    public var slug: String?
    public var weight: Int?
    /// The fields the theme declares (`Templates/fields.yaml`), checked against their types when the page loaded.
    public var fields: [String: YAMLValue]
    public var params: [String: YAMLValue]

    /// Old site paths of the page (`aliases: [/report/]`): each gets a page that sends the reader on, so links to
    /// where the page was keep working.
    public var aliases: [String] {
        switch params["aliases"] {
        case .string(let path)?: return [path]
        case .array(let paths)?: return paths.map(\.text)
        default: return []
        }
    }

    /// The year a page reports on (`year: 2021`), which its edition tables show the data of.
    public var year: Int? {
        if case .int(let year)? = params["year"] { return year }
        return nil
    }

    public init(
        title: String? = nil, date: Date? = nil, summary: String? = nil, tags: [String] = [], layout: String? = nil,
        draft: Bool = false, slug: String? = nil, weight: Int? = nil, fields: [String: YAMLValue] = [:],
        params: [String: YAMLValue] = [:]
    ) {
        self.title = title
        self.date = date
        self.summary = summary
        self.tags = tags
        self.layout = layout
        self.draft = draft
        self.slug = slug
        self.weight = weight
        self.fields = fields
        self.params = params
    }

    public static let knownKeys: Set<String> = [
        "title", "date", "summary", "tags", "layout", "draft", "slug", "weight",
    ]

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: AnyKey.self)
        func key(_ name: String) -> AnyKey { AnyKey(name) }
        title = try c.decodeIfPresent(String.self, forKey: key("title"))
        date = try c.decodeIfPresent(Date.self, forKey: key("date"))
        summary = try c.decodeIfPresent(String.self, forKey: key("summary"))
        tags = try c.decodeIfPresent([String].self, forKey: key("tags")) ?? []
        layout = try c.decodeIfPresent(String.self, forKey: key("layout"))
        draft = try c.decodeIfPresent(Bool.self, forKey: key("draft")) ?? false
        slug = try c.decodeIfPresent(String.self, forKey: key("slug"))
        weight = try c.decodeIfPresent(Int.self, forKey: key("weight"))
        // The theme's fields are known to the loader, which moves them out of `params` once it has checked them.
        fields = [:]
        var rest: [String: YAMLValue] = [:]
        for k in c.allKeys where !Self.knownKeys.contains(k.stringValue) {
            rest[k.stringValue] = try c.decode(YAMLValue.self, forKey: k)
        }
        params = rest
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: AnyKey.self)
        try c.encodeIfPresent(title, forKey: AnyKey("title"))
        try c.encodeIfPresent(date, forKey: AnyKey("date"))
        try c.encodeIfPresent(summary, forKey: AnyKey("summary"))
        try c.encode(tags, forKey: AnyKey("tags"))
        try c.encodeIfPresent(layout, forKey: AnyKey("layout"))
        try c.encode(draft, forKey: AnyKey("draft"))
        try c.encodeIfPresent(slug, forKey: AnyKey("slug"))
        try c.encodeIfPresent(weight, forKey: AnyKey("weight"))
        for (k, v) in fields { try c.encode(v, forKey: AnyKey(k)) }
        for (k, v) in params { try c.encode(v, forKey: AnyKey(k)) }
    }
}
