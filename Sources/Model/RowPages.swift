/// A data set's declaration that each of its rows gets a page (`pages:` in the data file, or under the data
/// set's name in `row_pages:` of site.yaml): where the pages go, which field names each page and titles it,
/// and which layout renders them.
public struct RowPages: Codable, Sendable, Equatable {
    /// The site folder of the pages ("projects" puts a row at /projects/<slug>/); the data set's name by default.
    public var path: String?
    /// The field whose value, made a slug (`Slug.make`, Chinese kept), names each row's page; several fields'
    /// values are joined with "-" (`slug: [name, level]`), for names that repeat.
    public var slug: [String]
    /// The field that titles each page; the slug's first field by default.
    public var title: String?
    /// The layout; else `layouts.<data set>-row`, else `layouts.row`.
    public var layout: String?

    public init(path: String? = nil, slug: [String], title: String? = nil, layout: String? = nil) {
        self.path = path
        self.slug = slug
        self.title = title
        self.layout = layout
    }

    enum CodingKeys: String, StrictCodingKeys { case path, slug, title, layout }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        path = try c.decodeIfPresent(String.self, forKey: .path)
        if let one = try? c.decode(String.self, forKey: .slug) { slug = [one] } else { slug = try c.decode([String].self, forKey: .slug) }
        if slug.isEmpty { throw DecodingError.dataCorruptedError(forKey: .slug, in: c, debugDescription: "name at least one field") }
        title = try c.decodeIfPresent(String.self, forKey: .title)
        layout = try c.decodeIfPresent(String.self, forKey: .layout)
        if let path, Self.folder(path) == nil {
            throw DecodingError.dataCorruptedError(forKey: .path, in: c, debugDescription: "'\(path)' is not a site folder such as 'projects' or 'data/projects'")
        }
    }

    /// The field that titles each page.
    public var titleField: String { title ?? slug[0] }

    /// `path` without surrounding slashes, or nil when it is no folder ("", ".", "..", a query).
    static func folder(_ path: String) -> String? {
        let trimmed = path.split(separator: "/", omittingEmptySubsequences: true)
        guard !trimmed.isEmpty, !trimmed.contains(where: { $0 == "." || $0 == ".." }),
              !path.contains("?"), !path.contains("#"), !path.contains("\\") else { return nil }
        return trimmed.joined(separator: "/")
    }

    /// The site path of every row's page, by row index ("/projects/乐天工业孵化基地/"), and the problems that keep
    /// some rows from having one: an unknown field, a row whose slug field is empty, two rows with one slug.
    public static func sitePaths(of set: DataSet) -> (paths: [String], problems: [Diagnostic]) {
        guard let pages = set.pages else { return ([], []) }
        let file = SourceLocation(file: set.sourcePath, line: 1, column: 1)
        let fields = set.fields.map(\.name)
        var problems: [Diagnostic] = []
        for (key, name) in pages.slug.map({ ("pages.slug", $0) }) + [("pages.title", pages.titleField)] where !fields.contains(name) {
            problems.append(.error(at: file, field: key, "data set '\(set.name)' has no field '\(name)'",
                                   hint: Suggestion.closest(to: name, among: fields).map { "did you mean '\($0)'?" } ?? "fields: \(fields.joined(separator: ", "))"))
        }
        guard problems.isEmpty else { return ([], problems) }
        let folder = "/" + (pages.path.flatMap(folder) ?? set.name) + "/"
        var paths: [String] = []
        var owners: [String: Int] = [:]
        for (index, row) in set.rows.enumerated() {
            let slug = pages.slug.map { Slug.make(row[$0].text) }.filter { !$0.isEmpty }.joined(separator: "-")
            let named = pages.slug.joined(separator: ", ")
            guard !slug.isEmpty else {
                problems.append(.error(at: row.location, field: pages.slug[0], "this row's '\(named)' has no letters or digits to name its page",
                                       hint: "give it a value, or name another field in 'pages.slug'"))
                paths.append("")
                continue
            }
            let path = folder + slug + "/"
            if let first = owners[path] {
                problems.append(.error(at: row.location, field: pages.slug[0],
                                       "this row's page would be \(path), which the row at line \(set.rows[first].location.line) already has",
                                       hint: "give the rows different '\(named)' values, or add a field that tells them apart: 'slug: [\(named), <field>]'"))
                paths.append("")
                continue
            }
            owners[path] = index
            paths.append(path)
        }
        return (paths, problems)
    }
}
