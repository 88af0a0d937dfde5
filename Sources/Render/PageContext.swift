import TianshanMarkdown
import TianshanModel

/// What the Markdown stage produced for one page, kept for listings and the page itself.
public struct PageContent: Sendable, Equatable, Codable {
    public var html: String
    public var headings: [Heading]
    public var summary: String
    public var characters: Int
    public var readingMinutes: Int
    /// Tables from front matter `tables:`, by name, as HTML.
    public var tables: [String: String] = [:]
    /// The tables and figures of the body in document order, with their numbers: lists of tables and figures.
    public var captioned: [CaptionedBlock] = []
    /// The titles of data rows with pages that the body's text names, for those pages' lists of mentions.
    public var mentions: [String] = []

    public init(html: String, headings: [Heading], summary: String, characters: Int, readingMinutes: Int) {
        self.html = html
        self.headings = headings
        self.summary = summary
        self.characters = characters
        self.readingMinutes = readingMinutes
    }

    /// Summary and reading time from a rendered body: CJK text is measured in characters, not words.
    public init(rendered: RenderedMarkdown, frontMatterSummary: String?, summaryLength: Int = 120) {
        let units = CJKText.readingUnits(rendered.plainText)
        // About 400 Chinese characters or 200 Latin words a minute.
        let minutes = Double(units.cjk) / 400 + Double(units.words) / 200
        let summary: String
        if let frontMatterSummary {
            summary = frontMatterSummary
        } else {
            let text = rendered.plainText
            let firstParagraph = String(text[..<(text.firstIndex(of: "\n") ?? text.endIndex)])
            summary = firstParagraph.count > summaryLength ? String(firstParagraph.prefix(summaryLength)) + "…" : firstParagraph
        }
        self.init(
            html: rendered.html, headings: rendered.headings, summary: summary,
            characters: units.cjk + units.words, readingMinutes: max(1, Int(minutes.rounded(.up)))
        )
        captioned = rendered.captioned
    }
}

/// Builds the template values for pages, listings and the site (pure functions of the site model). Every value
/// that comes from an input is tracked under that input's key (`InputHashes`), so rendering records what it read.
public struct ContextBuilder: Sendable {
    public let site: Site
    /// By page index; only pages whose own job renders need their `html`.
    public let contents: @Sendable (Int) -> PageContent
    public let hashes: InputHashes
    public let siteValue: TemplateValue
    /// Extra values every page sees under `data` (the site's data sets).
    public let dataValue: TemplateValue
    /// Every page's listing view, tracked under its view key, by page index.
    let summaries: @Sendable (Int) -> TemplateValue
    /// `sections.<name>`: the pages of each folder, for pages that gather a site (the annual report).
    let sectionsValue: TemplateValue
    let sectionTitles: [String: String]
    /// By page index: the URL of the page's PDF, for the pages printed to PDF.
    let pdfLinks: [Int: String]
    /// The jobs the sitemap lists (`SitePlanner.isInSitemap`), tracked under `InputKey.sitemap`.
    let sitemapJobs: [PageJob]
    /// What the site's pages say about the data rows that have pages.
    let rowUses: RowUses
    /// `strings`, made once: every page reads the theme's words.
    let strings: TemplateValue

    /// - Parameters:
    ///   - contents: by page index; only pages whose own job renders need their `html`.
    ///   - summaries: every page's listing view (`summaryValue` plus `summaryHTML`), by page index.
    /// Asked only for the pages the rendered outputs show, so a rebuild of a few outputs costs a few lookups.
    public init(
        site: Site, contents: @escaping @Sendable (Int) -> PageContent, summaries: @escaping @Sendable (Int) -> TemplateValue,
        hashes: InputHashes, pdfLinks: [Int: String] = [:], sitemapJobs: [PageJob] = [], rowUses: RowUses = RowUses(), generator: String = "Tianshan"
    ) {
        self.site = site
        self.rowUses = rowUses
        self.strings = Self.stringsValue(site, hashes: hashes)
        self.pdfLinks = pdfLinks
        self.sitemapJobs = sitemapJobs
        self.contents = contents
        self.hashes = hashes
        self.siteValue = Self.siteValue(site, hashes: hashes, generator: generator)
        self.dataValue = .tracked(InputKey.data, hashes.dataNames, .object(Dictionary(uniqueKeysWithValues: site.dataSets.map { name, set in
            (name, TemplateValue.tracked(InputKey.data(name), hashes.data[name] ?? 0, .lazy(.once { Self.dataSetValue(set) })))
        })))
        let tracked: @Sendable (Int) -> TemplateValue = { index in
            TemplateValue.tracked(InputKey.view(site.pages[index].sourcePath), hashes.views[index], summaries(index))
        }
        self.summaries = tracked
        self.sectionsValue = .tracked(InputKey.sections, hashes.sectionNames, .object(Dictionary(uniqueKeysWithValues: site.sections.map { name, indexes in
            (name, TemplateValue.tracked(InputKey.section(name), hashes.sections[name] ?? 0, .lazy(.once { .list(indexes.map(tracked)) })))
        })))
        self.sectionTitles = Self.sectionTitles(site) { url in Self.navigationSitePath(url, site: site) }
    }

    /// The context a page's summary view (`partials/summary.mustache`) is rendered with: the summary's own
    /// fields at the top, as inside `{{#pages}}`, plus `site` and `root`.
    /// - Parameter strings: `stringsValue(site, hashes:)`, made once by the caller for every view.
    public static func summaryViewContext(_ summary: TemplateValue, site: Site, siteValue: TemplateValue, strings: TemplateValue, hashes: InputHashes) -> TemplateValue {
        guard case .object(var fields) = summary else { return summary }
        fields["site"] = siteValue
        fields["root"] = .tracked(InputKey.config, hashes.config, .text(site.config.basePath))
        fields["strings"] = strings
        return .object(fields)
    }

    /// A listing view with its rendered summary view added as `summaryHTML`.
    public static func withSummaryHTML(_ summary: TemplateValue, _ html: String) -> TemplateValue {
        guard case .object(var fields) = summary else { return summary }
        fields["summaryHTML"] = .text(html)
        return .object(fields)
    }

    /// `strings`: the theme's words for the site's language, read like the configuration.
    public static func stringsValue(_ site: Site, hashes: InputHashes) -> TemplateValue {
        .tracked(InputKey.config, hashes.config, TemplateValue(site.config.strings.tree))
    }

    public static func siteValue(_ site: Site, hashes: InputHashes, generator: String = "Tianshan") -> TemplateValue {
        let config = site.config
        func fromConfig(_ value: TemplateValue) -> TemplateValue { .tracked(InputKey.config, hashes.config, value) }
        return .object([
            "title": fromConfig(.text(config.title)),
            "language": fromConfig(.text(config.language)),
            "description": fromConfig(.optional(config.description)),
            "author": fromConfig(.optional(config.author)),
            "baseURL": fromConfig(.text(config.baseURL)),
            "basePath": fromConfig(.text(config.basePath)),
            "footer": fromConfig(.optional(config.footer)),
            "generator": .text(generator),
            "params": fromConfig(.object(config.params.mapValues(TemplateValue.init))),
            "tags": .tracked(InputKey.tags, hashes.tags, tagsValue(site)),
        ])
    }

    /// `site.tags`: every tag with its URL and count.
    public static func tagsValue(_ site: Site) -> TemplateValue {
        .list(site.tags.map { tag in
            .object(["name": .text(tag.name), "url": .text(site.url(tag.sitePath)), "count": .number(Double(tag.pages.count))])
        })
    }

    static func dataSetValue(_ set: DataSet) -> TemplateValue {
        .object([
            "name": .text(set.name),
            "title": .text(set.title),
            "source": .optional(set.source),
            "description": .optional(set.description),
            "count": .number(Double(set.rows.count)),
            "fields": .list(set.fields.map { .object(["name": .text($0.name), "label": .text($0.label), "unit": .optional($0.unit)]) }),
            "rows": .list(set.rows.map { row in .object(row.values.mapValues(TemplateValue.init)) }),
        ])
    }

    /// The navigation entries with their resolved URLs, as `InputHashes.navigation` hashes them.
    public static func navigationEntries(_ site: Site) -> [(title: String, target: String)] {
        site.config.navigation.map { ($0.title, navigationSitePath($0.url, site: site)) }
    }

    /// The navigation with the entry for the current page marked, so templates can set aria-current.
    func navigation(current sitePath: String) -> TemplateValue {
        .list(Self.navigationEntries(site).map { item in
            let target = item.target
            let active = target == "/" ? sitePath == "/" : sitePath.hasPrefix(target)
            return .object(["title": .text(item.title), "url": .text(site.url(target)), "active": .bool(active)])
        })
    }

    public static func navigationSitePath(_ url: String, site: Site) -> String {
        if SitePaths.isMarkdown(url), let index = site.pageBySource[url.hasPrefix("/") ? String(url.dropFirst()) : url] {
            return site.pages[index].sitePath
        }
        return url.hasPrefix("/") ? url : "/" + url
    }

    /// A page's listing view, tracked under the page's view key.
    public func summaryValue(_ index: Int) -> TemplateValue { summaries(index) }

    /// A short view of a page for listings: what every listing showing it may read.
    public static func summaryValue(_ page: Page, content: PageContent, site: Site, pdf: String? = nil) -> TemplateValue {
        var values: [String: TemplateValue] = [
            "title": .text(page.title),
            "url": .text(site.url(page.sitePath)),
            "summary": .text(content.summary),
            "section": .text(page.section),
            "tags": tagsValue(page.frontMatter.tags, site: site),
            "readingMinutes": .number(Double(content.readingMinutes)),
            "pdf": pdf.map { .object(["url": .text($0)]) } ?? .null,
            // Feeds and sitemaps need absolute URLs, which a base URL with a host gives.
            "permalink": .text(site.link(page.sitePath)),
        ]
        // Every declared field is present, empty when the page has none, so a template never reads an outer one.
        for (name, type) in site.config.fields.types {
            values[name] = page.frontMatter.fields[name].map { fieldValue($0, type: type, site: site) } ?? emptyValue(type)
        }
        if let date = page.frontMatter.date {
            values["date"] = .text(site.config.strings.date(date))
            values["dateISO"] = .text(DateText.iso(date))
            values["dateTime"] = .text(DateText.iso(date) + "T00:00:00Z")
        }
        return .object(values)
    }

    static func tagsValue(_ tags: [String], site: Site) -> TemplateValue {
        .list(tags.map { .object(["name": .text($0), "url": .text(site.url(site.tagPath($0)))]) })
    }

    /// A declared field's value as templates see it: numbers grouped, dates as the language writes them.
    static func fieldValue(_ value: YAMLValue, type: FieldType, site: Site) -> TemplateValue {
        switch (type, value) {
        case (.list(let item), .array(let items)):
            return .list(items.map { fieldValue($0, type: item, site: site) })
        case (.object(let members), .object(let values, _)):
            var object: [String: TemplateValue] = [:]
            for member in members {
                object[member.name] = values[member.name].map { fieldValue($0, type: member.type, site: site) } ?? emptyValue(member.type)
            }
            return .object(object)
        case (.scalar(let kinds), _):
            switch value {
            case .null: return .null
            case .bool(let flag) where kinds.contains(.bool): return .bool(flag)
            case .int(let i) where kinds.contains(.number) || kinds.contains(.integer): return .text(NumberText.grouped(Double(i), decimals: nil))
            case .double(let d) where kinds.contains(.number): return .text(NumberText.grouped(d, decimals: nil))
            case .date(let date) where kinds.contains(.date): return .text(site.config.strings.date(date))
            default: return .text(value.text)
            }
        default:
            return TemplateValue(value)
        }
    }

    static func emptyValue(_ type: FieldType) -> TemplateValue {
        if case .list = type { return .list([]) }
        return .null
    }

    /// The root values of `context(for:identity:)` that are one and the same value for every job.
    public static let siteWideNames: Set<String> = ["site", "sections", "data", "root", "strings"]

    /// The full context of one job. `identity` is `job.identityHash(in:)`, computed once by the caller.
    public func context(for job: PageJob, identity: UInt64) -> TemplateValue {
        var page: [String: TemplateValue]
        let words = site.config.strings
        var breadcrumbs: [TemplateValue] = [.object(["title": .text(words("crumbs.home")), "url": .text(site.url("/"))])]
        // What this job's own small values derive from besides the job itself.
        var ownKey: (key: String, hash: UInt64) = (InputKey.titles, hashes.titles)
        switch job.kind {
        case .content(let index):
            let source = site.pages[index]
            let content = contents(index)
            ownKey = (InputKey.page(source.sourcePath), hashes.pages[index])
            guard case .object(let summary) = summaries(index).resolved else { preconditionFailure("summaryValue builds an object") }
            page = summary
            page["content"] = .text(content.html)
            page["tables"] = .object(content.tables.mapValues { .object(["html": .text($0)]) })
            page["toc"] = .list(content.headings.filter { $0.level == 2 || $0.level == 3 }.map {
                .object(["level": .number(Double($0.level)), "text": .text($0.text), "id": .text($0.id), "sub": .bool($0.level == 3)])
            })
            page["hasToc"] = .bool(content.headings.filter { $0.level == 2 }.count >= 2)
            // 表目录 and 图目录: the numbered tables and figures, for a report's front matter.
            for (key, kind) in [("listOfTables", CaptionedBlock.Kind.table), ("listOfFigures", .figure)] {
                page[key] = .list(content.captioned.filter { $0.kind == kind }.map {
                    .object(["id": .text($0.id), "label": .text($0.label), "caption": .text($0.caption)])
                })
            }
            page["characters"] = .number(Double(content.characters))
            page["params"] = .object(source.frontMatter.params.mapValues(TemplateValue.init))
            page["sourcePath"] = .text(source.sourcePath)
            page["isHome"] = .bool(source.kind == .home)
            // Tracked under `pdf`: whether the page is printed depends on the PDF settings and on WeasyPrint.
            page["pdf"] = .tracked(InputKey.pdf, hashes.pdf, pdfLinks[index].map { .object(["url": .text($0)]) } ?? .null)
            if source.kind == .page, !source.section.isEmpty {
                breadcrumbs.append(sectionCrumb(source.section))
            }
            if source.kind != .home {
                breadcrumbs.append(.object(["title": .text(source.title), "url": .text(site.url(source.sitePath)), "current": .bool(true)]))
            }
        case .section(let name):
            let title = sectionTitle(name)
            page = ["title": .text(title), "url": .text(site.url(job.sitePath))]
            breadcrumbs.append(.object(["title": .text(title), "url": .text(site.url(job.sitePath)), "current": .bool(true)]))
        case .tag(let index):
            let tag = site.tags[index]
            page = ["title": .text(words("tags.tag", ["name": tag.name])), "tag": .text(tag.name), "url": .text(site.url(job.sitePath))]
            breadcrumbs.append(.object(["title": .text(words("tags.title")), "url": .text(site.url("/tags/"))]))
            breadcrumbs.append(.object(["title": .text(tag.name), "url": .text(site.url(job.sitePath)), "current": .bool(true)]))
        case .tagIndex:
            page = ["title": .text(words("tags.all")), "url": .text(site.url(job.sitePath)), "isTagIndex": .bool(true)]
            breadcrumbs.append(.object(["title": .text(words("tags.title")), "url": .text(site.url(job.sitePath)), "current": .bool(true)]))
        case .feed(let name):
            let home = name.isEmpty ? "/" : "/\(name)/"
            page = ["title": .text(name.isEmpty ? site.config.title : sectionTitle(name)), "section": name.isEmpty ? .null : .text(sectionTitle(name)),
                    "url": .text(site.url(job.sitePath)), "self": .text(site.link(job.sitePath)), "home": .text(site.link(home))]
        case .sitemap, .robots:
            page = ["url": .text(site.url(job.sitePath)), "sitemap": .text(site.link("/sitemap.xml"))]
        case .row(let name, let row):
            let set = site.dataSets[name]!
            ownKey = (InputKey.data(name), hashes.data[name] ?? 0)
            page = rowPage(set, row: row, sitePath: job.sitePath)
            // The listing the row's folder has, if a page is there (/projects/ for /projects/<slug>/).
            let folder = job.sitePath.split(separator: "/").dropLast().joined(separator: "/")
            if let parent = site.pageBySitePath["/" + folder + (folder.isEmpty ? "" : "/")], site.pages[parent].kind != .home {
                let view = site.pages[parent]
                breadcrumbs.append(.tracked(InputKey.view(view.sourcePath), hashes.views[parent],
                                            .object(["title": .text(view.title), "url": .text(site.url(view.sitePath))])))
            }
            if case .text(let title)? = page["title"] {
                breadcrumbs.append(.object(["title": .text(title), "url": .text(site.url(job.sitePath)), "current": .bool(true)]))
            }
        case .alias(let index):
            // What the alias shows comes from the page it sends the reader to.
            let target = site.pages[index]
            ownKey = (InputKey.page(target.sourcePath), hashes.pages[index])
            page = ["title": .text(target.title), "url": .text(site.url(job.sitePath)), "target": .text(site.url(target.sitePath)),
                    "targetLink": .text(site.link(target.sitePath))]
        }
        page["permalink"] = .optional(site.config.absoluteURL(for: site.url(job.sitePath)))
        page["link"] = .text(site.link(job.sitePath))
        // The section whose feed a page of it or its listing announces.
        switch job.kind {
        case .content(let index) where site.sections[site.pages[index].section]?.isEmpty == false && site.pages[index].kind != .home:
            page["feedSection"] = .text(site.pages[index].section)
            page["feedTitle"] = .text(sectionTitle(site.pages[index].section))
        case .section(let name) where site.sections[name]?.isEmpty == false:
            page["feedSection"] = .text(name)
            page["feedTitle"] = .text(sectionTitle(name))
        default: break
        }
        let pages = SitePlanner.members(of: job, in: site) ?? []
        if job.pageCount > 1 {
            page["pageNumber"] = .number(Double(job.page))
            if job.page > 1, case .text(let title) = page["title"] ?? .null { page["title"] = .text(words("listing.page", ["title": title, "n": String(job.page)])) }
        }
        // A job's own values: read through its identity, the configuration (URLs) and what it shows of itself.
        func own(_ value: TemplateValue) -> TemplateValue {
            .tracked(InputKey.job, identity, .tracked(InputKey.config, hashes.config, .tracked(ownKey.key, ownKey.hash, value)))
        }
        let crumbs = own(.tracked(InputKey.titles, hashes.titles, .list(breadcrumbs)))
        let members = PageJob.membersHash(pages, site: site)
        return .object([
            "pagination": .tracked(InputKey.job, identity, .tracked(InputKey.config, hashes.config, paginationValue(job))),
            "site": siteValue,
            "page": own(.object(page)),
            "pages": .tracked(InputKey.members, members, .list(pages.map(summaries))),
            "recent": .tracked(InputKey.recent, PageJob.membersHash(pages.prefix(6), site: site), .list(pages.prefix(6).map(summaries))),
            "sections": sectionsValue,
            "hasPages": .tracked(InputKey.members, members, .bool(!pages.isEmpty)),
            "breadcrumbs": crumbs,
            "showBreadcrumbs": .tracked(InputKey.job, identity, .bool(breadcrumbs.count > 1)),
            "navigation": .tracked(InputKey.job, identity, .tracked(InputKey.navigation, hashes.navigation, navigation(current: job.sitePath))),
            "data": dataValue,
            "root": .tracked(InputKey.config, hashes.config, .text(site.config.basePath)),
            "strings": strings,
            "entries": .tracked(InputKey.members, members, entries(job, members: pages)),
        ])
    }

    /// A row page's own values: the row's fields with their labels and units, its data set, its neighbours, and
    /// (tracked under the set's `rowUses` key) the tables and figures that hold it and the pages that mention it.
    func rowPage(_ set: DataSet, row index: Int, sitePath: String) -> [String: TemplateValue] {
        let row = set.rows[index]
        let titleField = set.pages?.titleField ?? ""
        var fields: [TemplateValue] = []
        for field in set.fields where !row[field.name].isNull {
            fields.append(.object([
                "name": .text(field.name), "label": .text(field.label), "value": .text(Self.fieldText(row[field.name], field: field, words: site.config.strings)),
                "isTitle": .bool(field.name == titleField),
            ]))
        }
        let notes = set.fields.compactMap { field in row.notes[field.name].map { TemplateValue.object(["label": .text(field.label), "text": .text($0)]) } }
        func neighbour(_ other: Int) -> TemplateValue {
            guard other >= 0, other < set.rows.count, let path = site.rowPath(set.name, other) else { return .null }
            return .object(["title": .text(set.rows[other][titleField].text), "url": .text(site.url(path))])
        }
        let uses = InputKey.rowUses(set.name), usesHash = hashes.rowUses[set.name] ?? 0
        let held: [TemplateValue] = (rowUses.blocks[set.name]?[index] ?? []).map { use in
            let holder = site.pages[use.page]
            return .tracked(InputKey.view(holder.sourcePath), hashes.views[use.page], .object([
                "label": .text(use.block.label), "caption": .text(use.block.caption), "isFigure": .bool(use.block.kind == .figure),
                "url": .text(site.url(holder.sitePath) + "#" + use.block.id), "pageTitle": .text(holder.title),
            ]))
        }
        let mentions = (rowUses.mentions[set.name]?[index] ?? []).map(summaries)
        return [
            "title": .text(row[titleField].text),
            "url": .text(site.url(sitePath)),
            "data": .object([
                "name": .text(set.name), "title": .text(set.title), "source": .optional(set.source), "description": .optional(set.description),
            ]),
            "fields": .list(fields),
            "notes": .list(notes),
            "previous": neighbour(index - 1),
            "next": neighbour(index + 1),
            "heldIn": .tracked(uses, usesHash, .list(held)),
            "mentions": .tracked(uses, usesHash, .list(mentions)),
            "isRow": .bool(true),
        ]
    }

    /// A row's value as a page shows it: numbers grouped (years and other integers not) with their qualifier and unit.
    static func fieldText(_ value: DataValue, field: DataField, words: ThemeStrings) -> String {
        if case .bool(let flag) = value { return words(flag ? "value.yes" : "value.no") }
        guard let number = value.number, field.type == .number || field.type == .integer else { return value.text }
        var text = field.type == .number ? NumberText.grouped(number, decimals: nil) : NumberText.plain(number)
        if let qualifier = value.qualifier { text = qualifier.apply(to: text) }
        return field.unit.map { text + " " + $0 } ?? text
    }

    /// What a feed or a sitemap lists. A feed's entries: each page's listing view and its full content (read
    /// under the page's key), and the newest date among them (read under each of their views). A sitemap's: every
    /// public page's permanent URL and, for a dated page, its date (read under its view).
    func entries(_ job: PageJob, members: [Int]) -> TemplateValue {
        switch job.kind {
        case .feed:
            let list = members.map { index -> TemplateValue in
                let path = site.pages[index].sourcePath
                return .object(["view": summaries(index), "content": .tracked(InputKey.page(path), hashes.pages[index], .lazy(.once { .text(contents(index).html) }))])
            }
            let newest = members.compactMap { site.pages[$0].frontMatter.date }.max()
            var updated: TemplateValue = .text(newest.map { DateText.iso($0) + "T00:00:00Z" } ?? "1970-01-01T00:00:00Z")
            for index in members { updated = .tracked(InputKey.view(site.pages[index].sourcePath), hashes.views[index], updated) }
            return .object(["list": .list(list), "updated": updated])
        case .sitemap:
            return .tracked(InputKey.sitemap, hashes.sitemap, .lazy(.once {
                .list(sitemapJobs.map { job in
                    var entry: [String: TemplateValue] = ["url": .text(SitePaths.uri(site.link(job.sitePath)))]
                    guard case .content(let index) = job.kind else { return .object(entry) }
                    // The whole entry under the page's view: a page that gets a date is noticed too.
                    if let date = site.pages[index].frontMatter.date { entry["lastmod"] = .text(DateText.iso(date)) }
                    return .tracked(InputKey.view(site.pages[index].sourcePath), hashes.views[index], .object(entry))
                })
            }))
        default:
            return .null
        }
    }

    /// Pager for listings split over several pages: numbers with links, previous and next.
    func paginationValue(_ job: PageJob) -> TemplateValue {
        guard job.pageCount > 1 else { return .null }
        return .object([
            "current": .number(Double(job.page)),
            "total": .number(Double(job.pageCount)),
            "previous": job.page > 1 ? .text(site.url(job.pagePath(job.page - 1))) : .null,
            "next": job.page < job.pageCount ? .text(site.url(job.pagePath(job.page + 1))) : .null,
            "pages": .list(Self.pageNumbers(current: job.page, total: job.pageCount).map { entry in
                .object([
                    "number": .number(Double(entry.number)), "url": .text(site.url(job.pagePath(entry.number))),
                    "current": .bool(entry.number == job.page), "gapBefore": .bool(entry.gapBefore),
                ])
            }),
        ])
    }

    /// The page numbers a pager shows: the first, the last and two either side of the current one; `gapBefore`
    /// marks where numbers are left out. Listing every number would make each of N listing pages O(N) long, and
    /// the whole listing O(N²).
    static func pageNumbers(current: Int, total: Int) -> [(number: Int, gapBefore: Bool)] {
        let shown = Set([1, total] + Array(max(1, current - 2)...min(total, current + 2))).sorted()
        var numbers: [(number: Int, gapBefore: Bool)] = []
        var previous = 0
        for number in shown {
            // A gap of a single number shows that number instead of an ellipsis.
            if number - previous == 2 { numbers.append((number - 1, false)) }
            numbers.append((number, number - previous > 2))
            previous = number
        }
        return numbers
    }

    func sectionTitle(_ name: String) -> String {
        sectionTitles[name] ?? name
    }

    func sectionCrumb(_ name: String) -> TemplateValue {
        .object(["title": .text(sectionTitle(name)), "url": .text(site.url("/\(name)/"))])
    }

    /// A folder's title: its own `_index.md`, else its navigation entry, else its name.
    public static func sectionTitles(_ site: Site, navigationPath: (String) -> String) -> [String: String] {
        var titles: [String: String] = [:]
        for item in site.config.navigation {
            let path = navigationPath(item.url)
            if path.count > 2, path.hasPrefix("/"), path.hasSuffix("/") { titles[String(path.dropFirst().dropLast()), default: item.title] = item.title }
        }
        for index in site.sectionPages { titles[site.pages[index].section] = site.pages[index].title }
        return titles
    }
}
