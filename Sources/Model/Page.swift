/// A Markdown source file after loading: typed front matter plus the body, not yet rendered.
public struct Page: Sendable, Equatable {
    /// Path relative to the content folder, with "/" separators ("cases/hrx.md").
    public var sourcePath: String
    public var frontMatter: FrontMatter
    public var body: String
    /// Line in the source file where the body starts (1-based), so Markdown positions map back to the file.
    public var bodyLine: Int
    /// Title: front matter, else the first heading, else the file name.
    public var title: String
    /// Where the page is written, relative to the output folder ("cases/hrx/index.html").
    public var outputPath: String
    /// The site path of the page ("/cases/hrx/"), before the base path is added.
    public var sitePath: String
    /// The top content folder ("cases"), or "" for pages at the root.
    public var section: String
    /// Whether this is a section's own page (`_index.md`) or the home page.
    public var kind: Kind

    public enum Kind: String, Sendable, Equatable {
        case home, section, page
    }

    public init(
        sourcePath: String, frontMatter: FrontMatter, body: String, bodyLine: Int, title: String,
        outputPath: String, sitePath: String, section: String, kind: Kind
    ) {
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
}
