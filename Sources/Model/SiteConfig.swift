/// The site configuration from `Content/site.yaml`.
public struct SiteConfig: Codable, Sendable, Equatable {
    public var title: String
    public var language: String
    /// Where the site is published: "/" for root-relative links, or a full URL such as "https://example.gov.cn/report/".
    public var baseURL: String { didSet { basePath = Self.basePath(of: baseURL) } }
    /// The path part of the base URL, always starting and ending with "/": every internal link starts with it.
    /// Stored, because every link and URL of every page asks for it.
    public private(set) var basePath: String
    public var description: String?
    public var author: String?
    public var navigation: [NavigationItem]
    public var footer: String?
    public var markdown: MarkdownOptions
    /// Pages per listing page for sections and tags (0: one page with everything).
    public var paginate: Int
    /// Free-form values for templates (`site.params.*`).
    public var params: [String: YAMLValue]
    /// How a link or anchor that leads nowhere is reported (`broken_links: error | warn`): `.warning` lists
    /// every one with its position and lets the build succeed, for building a site while its links are fixed.
    public var brokenLinks: Diagnostic.Severity = .error
    /// The sheet to read of a workbook under `data/`, by file name (`sheets: {projects.xlsx: 项目}`); the first otherwise.
    public var sheets: [String: String] = [:]
    /// Data sets whose rows each get a page, by data set name, for data files that do not say so themselves
    /// (a workbook or CSV file has nowhere to); this wins over a file's own `pages:`.
    public var rowPages: [String: RowPages] = [:]
    /// Whether the site is indexed for the theme's search page, when the theme has one (`layouts/search`).
    public var search = true
    /// Which pages are also printed to PDF (`pdf: {layouts: [report]}`): none unless the site asks.
    public var pdf = PDFSettings()
    /// Which pages number their tables, figures and headings, and how (`numbering: {layouts: [report], …}`).
    public var numbering = NumberingSettings()
    /// The words the site shows: the theme's strings for `language`, with the site's own `strings:` over them
    /// (the loader merges the two; decoding gives the overrides alone).
    public var strings = ThemeStrings()
    /// The front-matter fields the theme declares (`Templates/fields.yaml`); not a `site.yaml` key.
    public var fields = ThemeFields()

    public init(
        title: String = "Tianshan", language: String = "zh-CN", baseURL: String = "/",
        description: String? = nil, author: String? = nil, navigation: [NavigationItem] = [],
        footer: String? = nil, markdown: MarkdownOptions = MarkdownOptions(), paginate: Int = 20, params: [String: YAMLValue] = [:]
    ) {
        self.paginate = paginate
        self.title = title
        self.language = language
        self.baseURL = baseURL
        basePath = Self.basePath(of: baseURL)
        self.description = description
        self.author = author
        self.navigation = navigation
        self.footer = footer
        self.markdown = markdown
        self.params = params
    }

    enum CodingKeys: String, StrictCodingKeys {
        case title, language, baseURL = "base_url", description, author, navigation, footer, markdown, paginate, params
        case brokenLinks = "broken_links", sheets, pdf, numbering, rowPages = "row_pages", search, strings
    }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        title = try c.decode(String.self, forKey: .title)
        language = try c.decodeIfPresent(String.self, forKey: .language) ?? "zh-CN"
        baseURL = try c.decodeIfPresent(String.self, forKey: .baseURL) ?? "/"
        basePath = Self.basePath(of: baseURL)
        description = try c.decodeIfPresent(String.self, forKey: .description)
        author = try c.decodeIfPresent(String.self, forKey: .author)
        navigation = try c.decodeIfPresent([NavigationItem].self, forKey: .navigation) ?? []
        footer = try c.decodeIfPresent(String.self, forKey: .footer)
        markdown = try c.decodeIfPresent(MarkdownOptions.self, forKey: .markdown) ?? MarkdownOptions()
        paginate = max(0, try c.decodeIfPresent(Int.self, forKey: .paginate) ?? 20)
        params = try c.decodeIfPresent([String: YAMLValue].self, forKey: .params) ?? [:]
        sheets = try c.decodeIfPresent([String: String].self, forKey: .sheets) ?? [:]
        rowPages = try c.decodeIfPresent([String: RowPages].self, forKey: .rowPages) ?? [:]
        search = try c.decodeIfPresent(Bool.self, forKey: .search) ?? true
        pdf = try c.decodeIfPresent(PDFSettings.self, forKey: .pdf) ?? PDFSettings()
        numbering = try c.decodeIfPresent(NumberingSettings.self, forKey: .numbering) ?? NumberingSettings()
        if let overrides = try c.decodeIfPresent(YAMLValue.self, forKey: .strings) {
            var problems: [(key: String, problem: String)] = []
            strings = ThemeStrings(ThemeStrings.flatten(overrides, problems: &problems), file: "site.yaml")
            if let first = problems.first {
                throw DecodingError.dataCorruptedError(forKey: .strings, in: c, debugDescription: "strings.\(first.key) \(first.problem)")
            }
        }
        switch try c.decodeIfPresent(String.self, forKey: .brokenLinks) {
        case nil, "error": brokenLinks = .error
        case "warn", "warning": brokenLinks = .warning
        case let other?:
            throw DecodingError.dataCorruptedError(forKey: .brokenLinks, in: c, debugDescription: "'\(other)' is neither 'error' nor 'warn'")
        }
    }

    static func basePath(of baseURL: String) -> String {
        var rest = Substring(baseURL)
        if let scheme = rest.range(of: "://") {
            rest = rest[scheme.upperBound...]
            rest = rest.firstIndex(of: "/").map { rest[$0...] } ?? "/"
        }
        var path = String(rest)
        if !path.hasPrefix("/") { path = "/" + path }
        if !path.hasSuffix("/") { path += "/" }
        return path
    }

    /// Absolute URL for a site path when the base URL has a host; otherwise nil.
    public func absoluteURL(for sitePath: String) -> String? {
        guard baseURL.containsBytes("://") else { return nil }
        let root = baseURL.hasSuffix("/") ? String(baseURL.dropLast()) : baseURL
        let path = String(basePath.dropLast())
        let host = root.hasSuffix(path) ? String(root.utf8.dropLast(path.utf8.count))! : root
        return host + sitePath
    }
}

/// One entry of the main navigation.
public struct NavigationItem: Codable, Sendable, Equatable {
    public var title: String
    /// A site path ("/cases/") or a content file ("cases/_index.md", "report.md").
    public var url: String
    public init(title: String, url: String) {
        self.title = title
        self.url = url
    }

    enum CodingKeys: String, StrictCodingKeys { case title, url }
}

/// Markdown switches a site can set.
public struct MarkdownOptions: Codable, Sendable, Equatable {
    /// Pass raw HTML in Markdown through. Off by default: authors' HTML is dropped.
    public var unsafe: Bool
    /// Turn straight quotes and dashes into typographic ones.
    public var smart: Bool

    public init(unsafe: Bool = false, smart: Bool = false) {
        self.unsafe = unsafe
        self.smart = smart
    }

    enum CodingKeys: String, StrictCodingKeys { case unsafe, smart }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        unsafe = try c.decodeIfPresent(Bool.self, forKey: .unsafe) ?? false
        smart = try c.decodeIfPresent(Bool.self, forKey: .smart) ?? false
    }
}

/// The site's PDF settings: the layouts whose pages are printed, and the PDF variant asked of WeasyPrint.
public struct PDFSettings: Codable, Sendable, Equatable {
    /// Layout names (`report`, as in a page's `layout:`); a page with one of them gets a PDF beside its HTML.
    public var layouts: [String]
    /// WeasyPrint's `--pdf-variant`: `pdf/ua-1` (tagged for screen readers) unless the site says otherwise.
    public var variant: String

    public init(layouts: [String] = [], variant: String = "pdf/ua-1") {
        self.layouts = layouts
        self.variant = variant
    }

    enum CodingKeys: String, StrictCodingKeys { case layouts, variant }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        layouts = try c.decodeIfPresent([String].self, forKey: .layouts) ?? []
        variant = try c.decodeIfPresent(String.self, forKey: .variant) ?? "pdf/ua-1"
    }
}
