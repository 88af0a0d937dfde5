/// A Markdown source file after loading: typed front matter plus the body, not yet rendered.
///
/// Pages are immutable once loaded, and a build copies them around a lot (the site, listings, keys, contexts).
/// The fields live in one shared storage object, so a copy costs one reference count instead of one per field.
public struct Page: Sendable, Equatable, Codable {
    /// Path relative to the content folder, with "/" separators ("cases/hrx.md").
    public var sourcePath: String { storage.sourcePath }
    public var frontMatter: FrontMatter { storage.frontMatter }
    /// `frontMatter.draft`, without copying the front matter out of the storage.
    public var isDraft: Bool { storage.frontMatter.draft }
    public var body: String { storage.body }
    /// Line in the source file where the body starts (1-based), so Markdown positions map back to the file.
    public var bodyLine: Int { storage.bodyLine }
    /// Title: front matter, else the first heading, else the file name.
    public var title: String { storage.title }
    /// Where the page is written, relative to the output folder ("cases/hrx/index.html").
    public var outputPath: String { storage.outputPath }
    /// The site path of the page ("/cases/hrx/"), before the base path is added.
    public var sitePath: String { storage.sitePath }
    /// The top content folder ("cases"), or "" for pages at the root.
    public var section: String { storage.section }
    /// Whether this is a section's own page (`_index.md`) or the home page.
    public var kind: Kind { storage.kind }
    /// The front matter's YAML text when it holds specs decoded later (`tables:`), so their errors can name
    /// their own lines; "" otherwise.
    public var frontMatterYAML: String { storage.frontMatterYAML }
    /// 1-based line of the first front-matter line in the file.
    public var frontMatterLine: Int { storage.frontMatterLine }

    public enum Kind: String, Sendable, Equatable, Codable {
        case home, section, page
    }

    private let storage: Storage

    public init(
        sourcePath: String, frontMatter: FrontMatter, body: String, bodyLine: Int, title: String,
        outputPath: String, sitePath: String, section: String, kind: Kind, frontMatterYAML: String = "", frontMatterLine: Int = 1
    ) {
        storage = Storage(
            sourcePath: sourcePath, frontMatter: frontMatter, body: body, bodyLine: bodyLine, title: title,
            outputPath: outputPath, sitePath: sitePath, section: section, kind: kind,
            frontMatterYAML: frontMatterYAML, frontMatterLine: frontMatterLine
        )
    }

    /// The same page with an empty body, for keeping the page after its Markdown is rendered.
    public func withoutBody() -> Page { withBody("") }

    /// The same page with this body.
    public func withBody(_ body: String) -> Page {
        Page(sourcePath: sourcePath, frontMatter: frontMatter, body: body, bodyLine: bodyLine, title: title,
             outputPath: outputPath, sitePath: sitePath, section: section, kind: kind,
             frontMatterYAML: frontMatterYAML, frontMatterLine: frontMatterLine)
    }

    public static func == (a: Page, b: Page) -> Bool {
        a.storage === b.storage || a.storage.fields == b.storage.fields
    }

    private enum CodingKeys: String, CodingKey {
        case sourcePath, frontMatter, body, bodyLine, title, outputPath, sitePath, section, kind, frontMatterYAML, frontMatterLine
    }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            sourcePath: try c.decode(String.self, forKey: .sourcePath), frontMatter: try c.decode(FrontMatter.self, forKey: .frontMatter),
            body: try c.decode(String.self, forKey: .body), bodyLine: try c.decode(Int.self, forKey: .bodyLine),
            title: try c.decode(String.self, forKey: .title), outputPath: try c.decode(String.self, forKey: .outputPath),
            sitePath: try c.decode(String.self, forKey: .sitePath), section: try c.decode(String.self, forKey: .section),
            kind: try c.decode(Kind.self, forKey: .kind),
            frontMatterYAML: try c.decode(String.self, forKey: .frontMatterYAML), frontMatterLine: try c.decode(Int.self, forKey: .frontMatterLine)
        )
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(sourcePath, forKey: .sourcePath)
        try c.encode(frontMatter, forKey: .frontMatter)
        try c.encode(body, forKey: .body)
        try c.encode(bodyLine, forKey: .bodyLine)
        try c.encode(title, forKey: .title)
        try c.encode(outputPath, forKey: .outputPath)
        try c.encode(sitePath, forKey: .sitePath)
        try c.encode(section, forKey: .section)
        try c.encode(kind, forKey: .kind)
        try c.encode(frontMatterYAML, forKey: .frontMatterYAML)
        try c.encode(frontMatterLine, forKey: .frontMatterLine)
    }

    private final class Storage: Sendable {
        let sourcePath: String
        let frontMatter: FrontMatter
        let body: String
        let bodyLine: Int
        let title: String
        let outputPath: String
        let sitePath: String
        let section: String
        let kind: Kind
        let frontMatterYAML: String
        let frontMatterLine: Int

        init(sourcePath: String, frontMatter: FrontMatter, body: String, bodyLine: Int, title: String,
             outputPath: String, sitePath: String, section: String, kind: Kind, frontMatterYAML: String, frontMatterLine: Int) {
            self.frontMatterYAML = frontMatterYAML
            self.frontMatterLine = frontMatterLine
            self.sourcePath = sourcePath
            self.frontMatter = frontMatter
            self.body = body
            self.bodyLine = bodyLine
            self.title = title
            self.outputPath = outputPath
            self.sitePath = sitePath
            self.section = section
            self.kind = kind
        }

        struct Fields: Equatable {
            var sourcePath: String, frontMatter: FrontMatter, body: String, bodyLine: Int, title: String
            var outputPath: String, sitePath: String, section: String, kind: Kind, frontMatterYAML: String, frontMatterLine: Int
        }

        var fields: Fields {
            Fields(sourcePath: sourcePath, frontMatter: frontMatter, body: body, bodyLine: bodyLine, title: title,
                   outputPath: outputPath, sitePath: sitePath, section: section, kind: kind,
                   frontMatterYAML: frontMatterYAML, frontMatterLine: frontMatterLine)
        }
    }
}
