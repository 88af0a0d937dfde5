import Foundation
import TianshanModel

/// One output page the build will render: what it is, where it goes, and which layout renders it.
public struct PageJob: Sendable, Equatable {
    public enum Kind: Sendable, Equatable {
        /// A Markdown page (index into `Site.pages`).
        case content(Int)
        /// A section listing generated for a folder without its own `_index.md`.
        case section(String)
        case tag(Int)
        case tagIndex
        /// The Atom feed of a section, or of the whole site for "".
        case feed(String)
        /// `sitemap.xml`: every public page.
        case sitemap
        /// `robots.txt`, which names the sitemap.
        case robots
        /// A page's old site path (`aliases:`), which sends the reader to the page (index into `Site.pages`).
        case alias(Int)
        /// The page of one row of a data set whose rows get pages (`DataSet.pages`): the set's name and the row's index.
        case row(String, Int)
    }

    public var kind: Kind
    public var outputPath: String
    public var sitePath: String
    public var layout: String
    /// For paginated listings: this page's number (from 1), the number of pages, and page 1's site path.
    public var page: Int
    public var pageCount: Int
    public var firstPagePath: String

    public init(kind: Kind, outputPath: String, sitePath: String, layout: String, page: Int = 1, pageCount: Int = 1, firstPagePath: String? = nil) {
        self.kind = kind
        self.outputPath = outputPath
        self.sitePath = sitePath
        self.layout = layout
        self.page = page
        self.pageCount = pageCount
        self.firstPagePath = firstPagePath ?? sitePath
    }

    /// Site path of page `number` of this listing: "/cases/" for 1, "/cases/page/2/" after that (as Hugo does).
    public func pagePath(_ number: Int) -> String {
        number <= 1 ? firstPagePath : firstPagePath + "page/\(number)/"
    }
}

/// Decides every output of a site and checks that each has a layout and a unique path.
public enum SitePlanner {
    public static func plan(_ site: Site, templates: TemplateLibrary, displayRoot: String = "") -> Result<[PageJob], DiagnosticsError> {
        var jobs: [PageJob] = []
        var problems: [Diagnostic] = []

        let size = site.config.paginate
        func pageCount(_ members: Int) -> Int { size > 0 ? max(1, (members + size - 1) / size) : 1 }
        /// Pages 2… of a listing, each at "<first page>/page/N/".
        func morePages(of first: PageJob) {
            guard first.pageCount > 1 else { return }
            for number in 2...first.pageCount {
                var job = first
                job.page = number
                job.sitePath = first.pagePath(number)
                job.outputPath = String(job.sitePath.dropFirst()) + "index.html"
                if case .content(let index) = first.kind { job.kind = .section(site.pages[index].section) }
                jobs.append(job)
            }
        }
        for (index, page) in site.pages.enumerated() {
            let location = SourceLocation(file: displayRoot + page.sourcePath, line: 1, column: 1)
            switch layout(for: page, templates: templates) {
            case .success(let name):
                var job = PageJob(kind: .content(index), outputPath: page.outputPath, sitePath: page.sitePath, layout: name)
                if page.kind == .section {
                    job.pageCount = pageCount(site.sections[page.section]?.count ?? 0)
                    morePages(of: job)
                }
                jobs.append(job)
            case .failure(let problem):
                problems.append(.error(at: location, field: "layout", problem.message, hint: "layouts: \(layoutNames(templates))"))
            }
        }
        let ownSections = Set(site.pages.filter { $0.kind == .section }.map(\.section))
        for section in site.sections.keys.sorted() where !section.isEmpty && !ownSections.contains(section) {
            if let name = firstLayout(["layouts.\(section)-list", "layouts.section", "layouts.list"], in: templates) {
                let job = PageJob(kind: .section(section), outputPath: "\(section)/index.html", sitePath: "/\(section)/", layout: name,
                                  pageCount: pageCount(site.sections[section]?.count ?? 0))
                jobs.append(job)
                morePages(of: job)
            }
        }
        if !site.tags.isEmpty {
            if let name = firstLayout(["layouts.tag", "layouts.list"], in: templates) {
                for (index, tag) in site.tags.enumerated() {
                    let path = tag.sitePath
                    let job = PageJob(kind: .tag(index), outputPath: String(path.dropFirst()) + "index.html", sitePath: path, layout: name,
                                      pageCount: pageCount(tag.pages.count))
                    jobs.append(job)
                    morePages(of: job)
                }
            }
            if let name = firstLayout(["layouts.tags", "layouts.list"], in: templates) {
                jobs.append(PageJob(kind: .tagIndex, outputPath: "tags/index.html", sitePath: "/tags/", layout: name))
            }
        }
        // A page's old paths, each a small page that sends the reader on.
        for (index, page) in site.pages.enumerated() where !page.frontMatter.aliases.isEmpty {
            let location = SourceLocation(file: displayRoot + page.sourcePath, line: 1, column: 1)
            guard templates.contains(aliasLayout) else {
                problems.append(.error(at: location, field: "aliases", "the theme has no layout for aliases", hint: "add Templates/layouts/alias.mustache"))
                continue
            }
            for alias in page.frontMatter.aliases {
                guard let sitePath = aliasPath(alias) else {
                    problems.append(.error(at: location, field: "aliases", "alias '\(alias)' is not a site path",
                                           hint: "write it as the old path from the site's root, such as /report/ or /old/page.html"))
                    continue
                }
                let outputPath = sitePath.hasSuffix("/") ? String(sitePath.dropFirst()) + "index.html" : String(sitePath.dropFirst())
                jobs.append(PageJob(kind: .alias(index), outputPath: outputPath, sitePath: sitePath, layout: aliasLayout))
            }
        }
        // A page for each row of the data sets that ask for them.
        for name in site.dataSets.keys.sorted() {
            guard let set = site.dataSets[name], let pages = set.pages, let paths = site.rowPaths[name] else { continue }
            let candidates = pages.layout.map { [$0.hasPrefix("layouts.") ? $0 : "layouts." + $0] } ?? ["layouts.\(name)-row", "layouts.row"]
            guard let layout = firstLayout(candidates, in: templates) else {
                problems.append(.error(at: SourceLocation(file: set.sourcePath, line: 1, column: 1), field: pages.layout == nil ? "pages" : "pages.layout",
                                       "no layout for the pages of '\(name)' (looked for \(candidates.joined(separator: ", ")))",
                                       hint: "layouts: \(layoutNames(templates))"))
                continue
            }
            for (row, path) in paths.enumerated() where !path.isEmpty {
                jobs.append(PageJob(kind: .row(name, row), outputPath: String(path.dropFirst()) + "index.html", sitePath: path, layout: layout))
            }
        }
        // Feeds, the sitemap and robots.txt, for a theme that has their layouts (Hugo's output formats).
        if templates.contains(feedLayout) {
            jobs.append(PageJob(kind: .feed(""), outputPath: "atom.xml", sitePath: "/atom.xml", layout: feedLayout))
            for section in site.sections.keys.sorted() where !section.isEmpty {
                jobs.append(PageJob(kind: .feed(section), outputPath: "\(section)/atom.xml", sitePath: "/\(section)/atom.xml", layout: feedLayout))
            }
        }
        if templates.contains(sitemapLayout) {
            jobs.append(PageJob(kind: .sitemap, outputPath: "sitemap.xml", sitePath: "/sitemap.xml", layout: sitemapLayout))
        }
        if templates.contains(robotsLayout) {
            jobs.append(PageJob(kind: .robots, outputPath: "robots.txt", sitePath: "/robots.txt", layout: robotsLayout))
        }

        var owners: [String: PageJob] = [:]
        for job in jobs {
            if let first = owners[job.outputPath] {
                problems.append(.error(
                    at: SourceLocation(file: displayRoot + describe(job, site: site), line: 1, column: 1), field: "slug",
                    "output path '\(job.outputPath)' is also written by \(describe(first, site: site))",
                    hint: "rename the file or set a different 'slug:'"
                ))
            } else {
                owners[job.outputPath] = job
            }
        }
        guard problems.isEmpty else { return .failure(DiagnosticsError(problems)) }
        return .success(jobs)
    }

    public static let feedLayout = "layouts.atom"
    public static let sitemapLayout = "layouts.sitemap"
    public static let robotsLayout = "layouts.robots"
    public static let aliasLayout = "layouts.alias"

    /// An alias as a site path ("/report/", "/old.html"), or nil when it is not one: it starts at the root, and
    /// has no empty, "." or ".." segment and no query or fragment.
    static func aliasPath(_ alias: String) -> String? {
        var path = alias.trimmingCharacters(in: .whitespaces)
        guard path.hasPrefix("/"), path.count > 1, !path.contains("?"), !path.contains("#"), !path.contains("\\") else { return nil }
        let segments = path.dropFirst().split(separator: "/", omittingEmptySubsequences: false)
        let inner = path.hasSuffix("/") ? segments.dropLast() : segments[...]
        guard !inner.contains(where: { $0.isEmpty || $0 == "." || $0 == ".." }) else { return nil }
        if !path.hasSuffix("/"), !path.hasSuffix(".html") { path += "/" }
        return path
    }
    /// The entries of a feed: its newest pages.
    public static let feedLength = 20

    /// The HTML pages a sitemap lists: every job but the not-found page and the pages after the first of a listing.
    public static func isInSitemap(_ job: PageJob, site: Site) -> Bool {
        guard job.outputPath.hasSuffix(".html"), job.page == 1, job.outputPath != "404.html" else { return false }
        if case .alias = job.kind { return false }
        if case .content(let index) = job.kind { return !site.pages[index].isDraft }
        return true
    }

    /// The pages a job lists (one page of them, when the listing is paginated), or nil for pages that list nothing.
    public static func members(of job: PageJob, in site: Site) -> [Int]? {
        let all: [Int]
        switch job.kind {
        case .content(let index):
            let page = site.pages[index]
            switch page.kind {
            case .home: return site.recentPages
            case .section: all = site.sections[page.section] ?? []
            case .page: return nil
            }
        case .section(let name): all = site.sections[name] ?? []
        case .tag(let index): all = site.tags[index].pages
        case .tagIndex, .sitemap, .robots, .alias, .row: return nil
        case .feed(let name): return Array((name.isEmpty ? site.recentPages : site.sections[name] ?? []).prefix(feedLength))
        }
        let size = site.config.paginate
        guard size > 0, job.pageCount > 1 else { return all }
        let start = min(all.count, (job.page - 1) * size)
        return Array(all[start..<min(all.count, start + size)])
    }

    static func layout(for page: Page, templates: TemplateLibrary) -> Result<String, LayoutError> {
        if let explicit = page.frontMatter.layout {
            let name = explicit.hasPrefix("layouts.") ? explicit : "layouts." + explicit.replacingOccurrences(of: "/", with: ".")
            return templates.contains(name) ? .success(name) : .failure(LayoutError("unknown layout '\(explicit)'"))
        }
        let candidates: [String]
        switch page.kind {
        case .home: candidates = ["layouts.home", "layouts.list", "layouts.page"]
        case .section: candidates = ["layouts.\(page.section)-list", "layouts.section", "layouts.list", "layouts.page"]
        case .page:
            let stem = page.outputPath == "404.html" ? ["layouts.404"] : []
            candidates = stem + (page.section.isEmpty ? [] : ["layouts.\(page.section)"]) + ["layouts.page"]
        }
        if let name = firstLayout(candidates, in: templates) { return .success(name) }
        return .failure(LayoutError("no layout found (looked for \(candidates.joined(separator: ", ")))"))
    }

    static func firstLayout(_ names: [String], in templates: TemplateLibrary) -> String? {
        names.first(where: templates.contains)
    }

    static func layoutNames(_ templates: TemplateLibrary) -> String {
        templates.names.filter { $0.hasPrefix("layouts.") }.map { String($0.dropFirst(8)) }.sorted().joined(separator: ", ")
    }

    static func describe(_ job: PageJob, site: Site) -> String {
        switch job.kind {
        case .content(let index): return site.pages[index].sourcePath
        case .section(let name): return "the generated listing of '\(name)'"
        case .tag(let index): return "the page of tag '\(site.tags[index].name)'"
        case .tagIndex: return "the tag index"
        case .feed(let name): return name.isEmpty ? "the site's feed" : "the feed of '\(name)'"
        case .sitemap: return "the sitemap"
        case .robots: return "robots.txt"
        case .alias(let index): return "the alias \(job.sitePath) of \(site.pages[index].sourcePath)"
        case .row(let name, let row):
            let set = site.dataSets[name]
            return "the page of row \(row + 1) of \(set?.sourcePath ?? name)" + (set.map { " (line \($0.rows[row].location.line))" } ?? "")
        }
    }

    struct LayoutError: Error {
        var message: String
        init(_ message: String) { self.message = message }
    }
}

