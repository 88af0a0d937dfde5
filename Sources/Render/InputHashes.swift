import TianshanModel

/// The current hash of every input a template can read, under the keys its tracked values carry
/// (`TrackedValue.key`). An output recorded as having read key K with hash H is stale exactly when K's hash is
/// no longer H.
public struct InputHashes: Sendable, Equatable {
    /// The configuration: site fields, params, base path (every URL), options given on the command line.
    public var config: UInt64 = 0
    /// Tag names, counts and URLs (`site.tags`).
    public var tags: UInt64 = 0
    /// The navigation entries with their resolved URLs.
    public var navigation: UInt64 = 0
    /// Section titles (from `_index.md` pages and navigation entries).
    public var titles: UInt64 = 0
    /// The names of the sections (`sections.*`) and of the data sets (`data.*`).
    public var sectionNames: UInt64 = 0
    public var dataNames: UInt64 = 0
    /// By section name: its members in listing order; by data set name: its file.
    public var sections: [String: UInt64] = [:]
    public var data: [String: UInt64] = [:]
    /// By page index: the page's listing view (with `summaryHTML`), and the page as its own job shows it.
    public var views: [UInt64] = []
    public var pages: [UInt64] = []
    /// Which layouts are printed to PDF and whether (and by which WeasyPrint) they can be: what `page.pdf` shows.
    public var pdf: UInt64 = 0
    /// The pages the sitemap lists, by site path.
    public var sitemap: UInt64 = 0
    /// By data set name, for the sets whose rows have pages: what their pages list of the rest of the site.
    public var rowUses: [String: UInt64] = [:]

    public init() {}

    /// Every key a build-wide value is tracked under, with its hash; keys of one output's own values
    /// (`InputKey.job`, `.members`, `.recent`, `.template`) are computed per output.
    public func table(_ site: Site) -> [String: UInt64] {
        var table: [String: UInt64] = [
            InputKey.config: config, InputKey.tags: tags, InputKey.navigation: navigation, InputKey.titles: titles,
            InputKey.sections: sectionNames, InputKey.data: dataNames, InputKey.pdf: pdf, InputKey.sitemap: sitemap,
        ]
        table.reserveCapacity(8 + sections.count + data.count + 2 * site.pages.count)
        for (name, hash) in sections { table[InputKey.section(name)] = hash }
        for (name, hash) in data { table[InputKey.data(name)] = hash }
        for (name, hash) in rowUses { table[InputKey.rowUses(name)] = hash }
        // Views and pages are there once they are computed (a listing view's own summary reads only the rest).
        for (index, page) in site.pages.enumerated() where index < views.count && index < pages.count {
            table[InputKey.view(page.sourcePath)] = views[index]
            table[InputKey.page(page.sourcePath)] = pages[index]
        }
        return table
    }
}

/// The names of the inputs a render can read (see `InputHashes`).
public enum InputKey {
    public static let config = "config"
    public static let tags = "site.tags"
    public static let navigation = "navigation"
    public static let titles = "titles"
    public static let sections = "sections"
    public static let data = "data"
    /// This output's own job: its kind, paths, layout, page number and page count.
    public static let job = "job"
    /// The pages this output lists (`pages`), and the first few of them (`recent`), in order.
    public static let members = "members"
    public static let recent = "recent"
    /// The layout this output renders with and every template it includes.
    public static let template = "template"
    public static let pdf = "pdf"
    public static let sitemap = "sitemap"
    /// The titles of the data rows that have pages, which every page's text is searched for.
    public static let mentions = "mentions"
    /// The site paths of a data set's row pages, which tables linking to them read.
    public static func rowPaths(_ name: String) -> String { "rowpaths:" + name }
    /// What a data set's row pages list besides the set itself: which pages mention each row, which tables hold it.
    public static func rowUses(_ name: String) -> String { "rowuses:" + name }
    public static func section(_ name: String) -> String { "section:" + name }
    public static func data(_ name: String) -> String { "data:" + name }
    public static func view(_ sourcePath: String) -> String { "view:" + sourcePath }
    /// What a link in Markdown resolved against: a content file's site path, a file beside the content, a site path.
    public static func source(_ path: String) -> String { "source:" + path }
    public static func asset(_ path: String) -> String { "asset:" + path }
    public static func sitePath(_ path: String) -> String { "sitepath:" + path }
    public static func page(_ sourcePath: String) -> String { "page:" + sourcePath }
    /// The source path a `view(_:)` or `page(_:)` key names, or nil for another key.
    public static func viewSource(_ key: String) -> Substring? { key.hasPrefix("view:") ? key.dropFirst(5) : nil }
    public static func pageSource(_ key: String) -> Substring? { key.hasPrefix("page:") ? key.dropFirst(5) : nil }
}
