import TianshanLoad
import TianshanMarkdown
import TianshanModel
import TianshanRender
import TianshanWrite

/// What one build leaves for the next, each entry tagged with the key of the inputs it was computed from.
struct BuildCache: Sendable {
    /// The sources as last read, for a session whose watcher names the files that changed since.
    var tree: SourceTree?
    /// What the output folder holds after the last build.
    var manifest: Manifest?
    var files: [String: CachedFile] = [:]
    var pages: [String: CachedPage] = [:]
    var markdown: [String: RenderedPage] = [:]
    var summaries: [String: CachedSummary] = [:]
    /// By output path: the key of the inputs its current bytes were rendered from, and the ids it holds.
    var jobs: [String: CachedJob] = [:]
    /// When the last build read the sources (nanoseconds since 1970).
    var readAt: Int64 = 0
    /// The whole last successful build, by page and job index, for rebuilds that keep the site's shape.
    var last: LastBuild?
    /// `CacheFile.encode` of this cache, when the build that made it already encoded it.
    var encoded: [UInt8]?
}

/// A successful build as the quick path needs it (see `BuildSession.quickBuild`): everything that decides the
/// site's shape, to recognise an edit that keeps it, and every page's and job's results, to redo only a few.
struct LastBuild: Sendable {
    // The shape: any difference here sends the next build down the full path.
    var configText: String?
    var data: [TextFile]
    var templates: [TextFile]
    var contentAssets: [String]
    var templateAssets: [String]
    var markdownPaths: [String]

    var site: Site
    var jobs: [PageJob]
    var library: TemplateLibrary
    var keys: BuildKeys
    var layouts: LayoutFacts
    /// By page index.
    var rendered: [RenderedPage]
    var anchorProblems: [[Diagnostic]]
    /// Listing views (`CachedSummary.value` and `.shown`) and contents, in the shapes `ContextBuilder` and
    /// `BuildKeys.jobKey` take.
    var contents: [PageContent]
    var summaryValues: [TemplateValue]
    var summaryKeys: [UInt64]
    /// Each output's ids by output path, and output path by site path, for `AnchorChecker`.
    var anchorIDs: [String: Set<String>]
    var outputBySitePath: [String: String]
    /// By job index.
    var jobKeys: [UInt64]
    /// Warnings that belong to no single page (configuration, data, templates).
    var otherWarnings: [Diagnostic]
    /// Dependencies: the job rendering each page, the jobs listing it, and the jobs that gather every page.
    var contentJob: [Int?]
    var listedBy: [[Int]]
    var gatheringJobs: [Int]
    /// Pages whose rendered HTML this build does not hold (a cache read from disk keeps only what listings
    /// need): rendered again from their file if a job that shows them must be rendered.
    var missingContent = Set<Int>()
    /// Jobs whose ids this build does not hold (only those some link's #fragment points at are saved).
    var unknownIDs = Set<Int>()

    init(tree: SourceTree, site: Site, jobs: [PageJob], library: TemplateLibrary, keys: BuildKeys, layouts: LayoutFacts,
         rendered: [RenderedPage], summaries: [CachedSummary], anchorProblems: [[Diagnostic]], jobKeys: [UInt64],
         jobIDs: [Set<String>], otherWarnings: [Diagnostic]) {
        configText = tree.config?.text
        data = tree.data
        templates = tree.templates
        contentAssets = tree.contentAssets
        templateAssets = tree.templateAssets
        markdownPaths = tree.markdown.map(\.path)
        self.site = site
        self.jobs = jobs
        self.library = library
        self.keys = keys
        self.layouts = layouts
        self.rendered = rendered
        self.anchorProblems = anchorProblems
        contents = rendered.map(\.content)
        summaryValues = summaries.map(\.value)
        summaryKeys = summaries.map(\.shown)
        anchorIDs = Dictionary(zip(jobs.map(\.outputPath), jobIDs), uniquingKeysWith: { a, _ in a })
        outputBySitePath = AnchorChecker.outputBySitePath(jobs)
        self.jobKeys = jobKeys
        self.otherWarnings = otherWarnings
        var contentJob = [Int?](repeating: nil, count: site.pages.count)
        var listedBy = [[Int]](repeating: [], count: site.pages.count)
        var gathering: [Int] = []
        for (index, job) in jobs.enumerated() {
            if case .content(let page) = job.kind, job.page == 1 { contentJob[page] = index }
            for member in SitePlanner.members(of: job, in: site) ?? [] { listedBy[member].append(index) }
            if layouts.usage[job.layout]?.contains("sections") == true { gathering.append(index) }
        }
        self.contentJob = contentJob
        self.listedBy = listedBy
        gatheringJobs = gathering
    }
}

struct CachedFile: Sendable {
    var stamp: FileStamp?
    var text: String
    var hash: UInt64
}

struct CachedPage: Sendable {
    var hash: UInt64
    var result: Result<Page, DiagnosticsError>
}

struct CachedSummary: Sendable {
    /// The inputs the view was computed from.
    var key: UInt64
    /// The page's listing view, with `summaryHTML` when the theme has a summary view.
    var value: TemplateValue
    /// The view itself, hashed: what listings depend on. A body edit that leaves the view alone (the summary
    /// comes from front matter, the reading time stays) changes no listing.
    var shown: UInt64

    init(key: UInt64, value: TemplateValue, shown: UInt64? = nil) {
        self.key = key
        self.value = value
        self.shown = shown ?? {
            var hash = Hash()
            hash.add(value)
            return hash.value
        }()
    }
}

struct CachedJob: Sendable {
    var key: UInt64
    var ids: Set<String>
}

/// Hashes of everything a render depends on. Two builds with equal keys produce equal bytes, so equal keys
/// mean the work can be skipped; any input a key leaves out would be a stale page, so keys err on the wide side.
struct BuildKeys: Sendable {
    private(set) var site: Site
    private(set) var textHashes: [String: UInt64]
    /// The same by page index.
    private(set) var pageHashes: [UInt64] = []
    /// Markdown depends on the page's text, the Markdown options, where every page and file lives (links) and
    /// the data sets (tables).
    let markdownEnvironment: UInt64
    /// Every template render depends on the configuration, the data sets, the site's paths and section titles;
    /// beyond that only on the templates its layout includes (`TemplateLibrary.closureHash`).
    let templates: UInt64
    /// Tag names and counts, for templates that list all tags.
    let tags: UInt64


    init(site: Site, tree: SourceTree, options: BuildOptions, files: [String: CachedFile]) {
        self.site = site
        textHashes = files.mapValues(\.hash)
        var data = Hash()
        for file in tree.data.sorted(by: { $0.path < $1.path }) { data.add(file.path); data.add(file.text) }
        var paths = Hash()
        for page in site.pages { paths.add(page.sourcePath); paths.add(page.sitePath) }
        for asset in site.contentAssets.sorted() { paths.add(asset) }
        for asset in site.templateAssets.sorted() { paths.add(asset) }
        var markdown = Hash()
        markdown.add(site.config.markdown.unsafe ? "unsafe" : "safe")
        markdown.add(site.config.markdown.smart ? "smart" : "plain")
        markdown.add(site.config.basePath)
        markdown.add(paths.value)
        markdown.add(data.value)
        markdownEnvironment = markdown.value

        var templates = Hash()
        templates.add(tree.config?.text ?? "")
        templates.add(options.baseURL ?? "")
        templates.add(data.value)
        templates.add(paths.value)
        for page in site.pages where page.kind == .section { templates.add(page.section); templates.add(page.title) }
        self.templates = templates.value

        var tags = Hash()
        for tag in site.tags { tags.add(tag.name); tags.add(UInt64(tag.pages.count)) }
        self.tags = tags.value
        let hashes = files.mapValues(\.hash)
        pageHashes = site.pages.map { hashes[$0.sourcePath] ?? 0 }
    }

    /// What templates that gather the whole site (`sections`) see: every page's listing view.
    static func gathered(_ shown: [UInt64]) -> UInt64 {
        var all = Hash()
        for hash in shown { all.add(hash) }
        return all.value
    }

    /// The same pages without their bodies (keys read only their paths).
    mutating func replacePages(_ pages: [Page]) {
        site.pages = pages
    }

    /// The keys after some pages' text changed and nothing else did.
    mutating func update(_ pages: [(index: Int, page: Page, hash: UInt64)]) {
        for change in pages {
            site.pages[change.index] = change.page
            textHashes[change.page.sourcePath] = change.hash
            pageHashes[change.index] = change.hash
        }
    }

    func markdownKey(_ page: Page) -> UInt64 {
        var hash = Hash()
        hash.add(textHashes[page.sourcePath] ?? 0)
        hash.add(markdownEnvironment)
        return hash.value
    }

    func summaryKey(_ page: Page, summaryView: UInt64) -> UInt64 {
        var hash = Hash()
        hash.add(markdownKey(page))
        hash.add(templates)
        hash.add(summaryView)
        return hash.value
    }

    /// - Parameters:
    ///   - shown: every page's listing view hashed (`CachedSummary.shown`), by page index.
    ///   - gathered: `gathered(shown)`, computed once per build.
    func jobKey(_ job: PageJob, layouts: LayoutFacts, shown: [UInt64], gathered: UInt64) -> UInt64 {
        var hash = Hash()
        hash.add(templates)
        hash.add(layouts.hashes[job.layout] ?? 0)
        hash.add(job.outputPath)
        let usage = layouts.usage[job.layout] ?? []
        if usage.contains("sections") { hash.add(gathered) }
        if usage.contains("site.tags") { hash.add(tags) }
        hash.add(UInt64(job.page))
        hash.add(UInt64(job.pageCount))
        switch job.kind {
        case .content(let index): hash.add(markdownKey(site.pages[index]))
        case .tag(let index): hash.add(site.tags[index].name)
        case .tagIndex: hash.add(tags)
        case .section: break
        }
        if let members = SitePlanner.members(of: job, in: site) {
            hash.add(UInt64(members.count))
            // A layout that never reads `pages` shows at most the first six members (`recent`).
            let members = usage.contains("pages") ? members[...] : members.prefix(6)
            for index in members { hash.add(shown[index]) }
        }
        return hash.value
    }
}

/// Per-layout template hashes and usage, computed once per build rather than once per page.
struct LayoutFacts: Sendable {
    let hashes: [String: UInt64]
    let usage: [String: Set<String>]
    let summaryView: UInt64

    init(_ library: TemplateLibrary, layouts: Set<String>) {
        var hashes: [String: UInt64] = [:]
        var usage: [String: Set<String>] = [:]
        for layout in layouts {
            hashes[layout] = library.closureHash(of: layout)
            usage[layout] = library.usage(of: layout)
        }
        self.hashes = hashes
        self.usage = usage
        summaryView = library.closureHash(of: BuildPipeline.summaryView)
    }
}

/// An incremental hash over strings, numbers and template values (`ContentHash` steps; strings carry their
/// length and a separator, so ("ab", "c") and ("a", "bc") differ).
struct Hash {
    private(set) var value: UInt64 = ContentHash.start

    mutating func add(_ text: String) {
        value = ContentHash.hash(text, seed: value)
        add(UInt64(0x1F))
    }

    mutating func add(_ value: TemplateValue) {
        switch value {
        case .null: add(UInt64(1))
        case .bool(let b): add(UInt64(b ? 2 : 3))
        case .text(let t): add(UInt64(4)); add(t)
        case .number(let n): add(UInt64(5)); add(n.bitPattern)
        case .list(let items): add(UInt64(6)); add(UInt64(items.count)); for item in items { add(item) }
        case .object(let fields):
            add(UInt64(7)); add(UInt64(fields.count))
            // Order-independent (a sum of each field's own hash), so the keys need no sorting.
            var sum: UInt64 = 0
            for (key, field) in fields {
                var one = Hash()
                one.add(key)
                one.add(field)
                sum = sum &+ one.value
            }
            add(sum)
        case .lazy(let deferred): add(deferred.value)
        }
    }

    mutating func add(_ number: UInt64) {
        var h = (value ^ number) &* 0x9E37_79B9_7F4A_7C15
        h ^= h >> 32
        h = h &* 0xd6e8_feb8_6659_fd93
        h ^= h >> 32
        value = h
    }
}
