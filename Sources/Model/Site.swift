import Foundation

/// Everything loaded and validated: the input of planning and rendering.
public struct Site: Sendable {
    public var config: SiteConfig
    /// Pages in source-path order.
    public var pages: [Page]
    public var dataSets: [String: DataSet] { didSet { rowPaths = Self.rowPaths(dataSets) } }
    /// By data set name, the site path of each row's page ("" for a row that has none), for the sets whose rows
    /// get pages (`DataSet.pages`).
    public private(set) var rowPaths: [String: [String]]
    /// Files beside the content, relative to the content folder.
    public var contentAssets: Set<String>
    /// Files under Templates/assets, relative to that folder.
    public var templateAssets: Set<String>

    public let pageBySource: [String: Int]
    public let pageBySitePath: [String: Int]
    /// Regular pages of each top folder, newest first.
    public let sections: [String: [Int]]
    /// Tags in name order with their pages, newest first.
    public let tags: [Tag]
    /// Regular pages of every folder (not the root pages), newest first: what the home page lists.
    public let recentPages: [Int]
    /// The section index pages, in page order.
    public let sectionPages: [Int]
    /// Each tag's site path, made once: every listing view of a page names its tags' pages.
    let tagPaths: [String: String]

    public init(config: SiteConfig, pages: [Page], dataSets: [String: DataSet], contentAssets: Set<String>, templateAssets: Set<String>) {
        // Sort keys gathered once: comparing Page values directly copies whole pages on every comparison.
        let keys = pages.map { SortKey(weight: $0.frontMatter.weight ?? Int.max, date: $0.frontMatter.date, title: $0.title, path: $0.sourcePath) }
        // One sort of every regular page (the order is total: paths differ), then each listing takes its pages
        // in that order.
        let newestFirst = pages.indices.filter { pages[$0].kind == .page }.sorted { SortKey.newerFirst(keys[$0], keys[$1]) }
        var sections: [String: [Int]] = [:]
        var tagPages: [String: [Int]] = [:]
        var recent: [Int] = []
        for index in newestFirst {
            let page = pages[index]
            sections[page.section, default: []].append(index)
            let tags = page.frontMatter.tags
            for (position, tag) in tags.enumerated() where !tags[..<position].contains(tag) { tagPages[tag, default: []].append(index) }
            if !page.section.isEmpty { recent.append(index) }
        }
        self.init(
            config: config, pages: pages, dataSets: dataSets, contentAssets: contentAssets, templateAssets: templateAssets,
            sections: sections, tags: tagPages.keys.sorted().map { Tag(name: $0, pages: tagPages[$0]!) }, recentPages: recent
        )
    }

    /// A site whose listings were computed before (by a build whose cache is being reused): no sorting again.
    public init(
        config: SiteConfig, pages: [Page], dataSets: [String: DataSet], contentAssets: Set<String>, templateAssets: Set<String>,
        sections: [String: [Int]], tags: [Tag], recentPages: [Int]
    ) {
        self.config = config
        self.pages = pages
        self.dataSets = dataSets
        rowPaths = Self.rowPaths(dataSets)
        self.contentAssets = contentAssets
        self.templateAssets = templateAssets
        var bySource: [String: Int] = [:]
        var bySitePath: [String: Int] = [:]
        var sectionPages: [Int] = []
        bySource.reserveCapacity(pages.count)
        bySitePath.reserveCapacity(pages.count)
        for (index, page) in pages.enumerated() {
            bySource[page.sourcePath] = index
            bySitePath[page.sitePath] = bySitePath[page.sitePath] ?? index
            if page.kind == .section { sectionPages.append(index) }
        }
        self.sectionPages = sectionPages
        pageBySource = bySource
        pageBySitePath = bySitePath
        self.sections = sections
        self.tags = tags
        self.recentPages = recentPages
        tagPaths = Dictionary(tags.map { ($0.name, SitePaths.tagPath($0.name)) }, uniquingKeysWith: { a, _ in a })
    }

    static func rowPaths(_ dataSets: [String: DataSet]) -> [String: [String]] {
        var paths: [String: [String]] = [:]
        for (name, set) in dataSets where set.pages != nil { paths[name] = RowPages.sitePaths(of: set).paths }
        return paths
    }

    /// The site path of a data row's page, or nil when its set gives rows no pages.
    public func rowPath(_ dataSet: String, _ row: Int) -> String? {
        guard let paths = rowPaths[dataSet], row >= 0, row < paths.count, !paths[row].isEmpty else { return nil }
        return paths[row]
    }

    /// The site path of a tag's page (`SitePaths.tagPath`).
    public func tagPath(_ tag: String) -> String { tagPaths[tag] ?? SitePaths.tagPath(tag) }

    /// This site with some pages replaced (each at its index), keeping the listings; nil when a replacement
    /// changes what the listings or the plan read of a page (paths, kind, section, tags, weight, date, title,
    /// draft, layout), for then the site must be made again.
    public func replacing(_ replacements: [(index: Int, page: Page)]) -> Site? {
        var site = self
        for (index, page) in replacements {
            guard pages.indices.contains(index), Self.sameListing(pages[index], page) else { return nil }
            site.pages[index] = page
        }
        return site
    }

    static func sameListing(_ a: Page, _ b: Page) -> Bool {
        a.sourcePath == b.sourcePath && a.sitePath == b.sitePath && a.outputPath == b.outputPath && a.kind == b.kind
            && a.section == b.section && a.title == b.title && a.frontMatter.tags == b.frontMatter.tags
            && a.frontMatter.weight == b.frontMatter.weight && a.frontMatter.date == b.frontMatter.date
            && a.frontMatter.draft == b.frontMatter.draft && a.frontMatter.layout == b.frontMatter.layout
    }

    /// Listing order: explicit weight, then newest date, then title, then path.
    struct SortKey {
        var weight: Int
        var date: Date?
        var title: String
        var path: String

        static func newerFirst(_ a: SortKey, _ b: SortKey) -> Bool {
            if a.weight != b.weight { return a.weight < b.weight }
            if a.date != b.date {
                guard let da = a.date else { return false }
                guard let db = b.date else { return true }
                return da > db
            }
            if a.title != b.title { return a.title < b.title }
            return a.path < b.path
        }
    }

    /// The site path with the base path added: what goes into an href.
    public func url(_ sitePath: String) -> String {
        SitePaths.url(sitePath, basePath: config.basePath)
    }

    /// The permanent URL of a site path: absolute when the base URL names a host (`https://host/path/`), as
    /// feeds, sitemaps and canonical links want; the URL from the site's root otherwise.
    public func link(_ sitePath: String) -> String {
        let local = url(sitePath)
        return config.absoluteURL(for: local) ?? local
    }

    /// Does this site path (without base path) name something the build writes?
    public func hasSitePath(_ sitePath: String) -> Bool {
        if pageBySitePath[sitePath] != nil { return true }
        let trimmed = String(sitePath.drop(while: { $0 == "/" }))
        if contentAssets.contains(trimmed) { return true }
        if trimmed.hasPrefix("assets/"), templateAssets.contains(String(trimmed.dropFirst("assets/".count))) { return true }
        if sitePath == "/tags/" || tags.contains(where: { SitePaths.tagPath($0.name) == sitePath }) { return true }
        if sitePath.hasSuffix("/"), sitePath.count > 1, sections[String(sitePath.dropFirst().dropLast())] != nil { return true }
        return false
    }
}

/// A tag and the pages carrying it.
public struct Tag: Sendable, Equatable {
    public var name: String
    public var pages: [Int]
    public init(name: String, pages: [Int]) {
        self.name = name
        self.pages = pages
    }
    public var sitePath: String { SitePaths.tagPath(name) }
}
