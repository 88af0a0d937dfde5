import Foundation
import TianshanLoad
import TianshanMarkdown
import TianshanModel
import TianshanRender
import TianshanWrite

/// Load → model → render → write. Nothing becomes visible in the output folder until every page rendered
/// without error.
public enum BuildPipeline {
    /// The partial rendered once per page for listings (`{{{summaryHTML}}}`), when the theme has one.
    static let summaryView = "partials.summary"

    /// A one-off build (the command line). The session's memory is lost afterwards; the output folder's record
    /// still lets unchanged files stay untouched.
    /// - Parameter processEndsAfter: the caller exits right after (the command line), so the build's memory is
    ///   left for the exit to reclaim rather than freed object by object.
    public static func build(_ options: BuildOptions, processEndsAfter: Bool = false) async throws(DiagnosticsError) -> BuildReport {
        if !options.dryRun { try options.checkOutputFolder() }
        let readAt = Int64(Date().timeIntervalSince1970 * 1e9)
        var clock = PhaseClock()
        // Taken before anything is read: a file changed while the build runs then differs from the saved
        // fingerprint, so the next run cannot skip it.
        let listing = SourceReader(contentRoot: options.content, templatesRoot: options.templates).list()
        let before = InputFingerprint.compute(options, listing: listing)
        if !options.dryRun, let upToDate = upToDate(options, current: before) { return upToDate }
        InputFingerprint.forget(options)
        clock.mark("list")
        let session = BuildSession(options: options, retainsSources: false, persistsCache: !options.dryRun)
        // The saved cache describes the output as it is now. It is removed while the build runs (a build that
        // dies after changing the output must not leave a cache describing the old one) and put back if this
        // build fails, since a failed build leaves the output as it was.
        let saved = options.dryRun ? nil : CacheFile.load(options)
        if let saved {
            CacheFile.forget(options)
            await session.adopt(saved)
        }
        if !options.dryRun { clock.mark("cache") }
        var report: BuildReport
        do { report = try await session.build(listing: listing) } catch {
            if let saved { CacheFile.save(saved, options: options) }
            throw error
        }
        if !options.dryRun {
            var after = PhaseClock()
            CacheFile.save(await session.cache, options: options)
            InputFingerprint.save(before, readAt: readAt, options: options)
            after.mark("save")
            report.phases = clock.phases + report.phases + after.phases
        }
        // Freeing every page, job and cache entry one by one would take longer than a quick rebuild.
        if processEndsAfter { _ = Unmanaged.passRetained(session) }
        return report
    }

    /// Removes the build cache and input fingerprint beside the output: a process about to change the output
    /// without keeping them up to date (`build --watch`) must not leave them describing an older output.
    public static func forgetSavedState(_ options: BuildOptions) {
        CacheFile.forget(options)
        InputFingerprint.forget(options)
    }

    /// A report for a build with nothing to do, or nil when something may have changed.
    static func upToDate(_ options: BuildOptions, current: InputFingerprint) -> BuildReport? {
        var clock = PhaseClock()
        guard let saved = InputFingerprint.load(options) else { return nil }
        // Files modified within two seconds of the last read could have changed without their timestamp showing it.
        guard current.value == saved.fingerprint, current.newest < saved.readAt - 2_000_000_000,
              InputFingerprint.outputIntact(options) else { return nil }
        clock.mark("check")
        return report(pages: 0, dataSets: 0, copies: 0, counts: BuildReport.Counts(), problems: [], clock: clock, upToDate: true)
    }
}

/// Builds a site again and again (the preview server, watch mode), keeping what it computed so each build redoes
/// only the work its changes touch: unchanged files are not read again, unchanged front matter is not parsed,
/// unchanged pages are not rendered, and unchanged output files are not written.
public actor BuildSession {
    public let options: BuildOptions
    /// Keep source texts for the next build; a one-off build drops them to keep its memory down.
    let retainsSources: Bool
    var cache = BuildCache()

    /// The cache came from disk: it has file stamps and hashes but no texts, so unchanged files are known by
    /// their stamps alone until a build needs their text.
    var textsDropped = false
    /// The command line saves the cache after each build; a full build encodes it while the output is committed.
    let persistsCache: Bool

    /// Whether a build told which files changed may also trust that nobody else touched the output folder
    /// (a preview's private folder), or must still check each kept file is there (`build --watch` on Output/).
    let trustsOutput: Bool

    public init(options: BuildOptions, retainsSources: Bool = true, trustsOutput: Bool = true, persistsCache: Bool = false) {
        self.options = options
        self.retainsSources = retainsSources
        self.trustsOutput = trustsOutput
        self.persistsCache = persistsCache
    }

    /// Saves this session's cache and output manifest beside the output, so the next command-line build
    /// starts from them.
    public func saveCache() {
        guard !options.dryRun else { return }
        if let manifest = cache.manifest { try? OutputWriter(outputRoot: options.output).save(manifest) }
        CacheFile.save(cache, options: options)
    }

    /// Starts from a cache an earlier process saved (see `CacheFile`).
    func adopt(_ saved: BuildCache) {
        cache = saved
        textsDropped = true
    }

    /// Builds the site.
    /// - Parameter changed: absolute paths of every file that changed since the last build, when a watcher
    ///   knows them; only those are looked at again. Nil (or a path that is a folder or outside both folders)
    ///   means anything may have changed, and every file's size and modification time is checked.
    public func build(changed: [String]? = nil, listing: SourceReader.Listing? = nil) async throws(DiagnosticsError) -> BuildReport {
        var clock = PhaseClock()
        let options = self.options
        if !options.dryRun { try options.checkOutputFolder() }
        let contentDisplay = options.display(options.content)
        let templatesDisplay = options.display(options.templates)
        var counts = BuildReport.Counts()

        // Load: Markdown files with the same size and modification time are taken from the last build. A file
        // modified within two seconds of the last read is read again anyway: timestamps are too coarse to tell
        // two quick saves of the same size apart ("racy git").
        let trustBefore = cache.readAt - 2_000_000_000
        let readAt = Int64(Date().timeIntervalSince1970 * 1e9)
        let reader = SourceReader(
            contentRoot: options.content, templatesRoot: options.templates,
            contentDisplay: contentDisplay, templatesDisplay: templatesDisplay
        )
        var updated: SourceTree?
        if let changed, var previous = cache.tree, let split = split(changed) {
            cache.tree = nil  // so the update edits the arrays in place instead of copying them
            if await reader.update(&previous, content: split.content, templates: split.templates) { updated = previous }
        }
        var tree: SourceTree
        if let updated {
            tree = updated
        } else {
            let textsDropped = self.textsDropped
            tree = await reader.read(reuse: cache.files.compactMapValues { file in
                guard let stamp = file.stamp, stamp.modified < trustBefore, !file.text.isEmpty || textsDropped else { return nil }
                return (stamp: stamp, text: file.text)
            }, listing: listing)
        }
        cache.tree = retainsSources ? tree : nil
        cache.readAt = readAt
        clock.mark("read")
        cache.encoded = nil
        if let report = await quickBuild(tree: tree, hinted: updated != nil, clock: clock) { return report }
        cache.last = nil
        if textsDropped {
            // The tree holds empty texts for files known only by their stamps: the full path needs them all.
            textsDropped = false
            cache = BuildCache()
            cache.readAt = readAt  // else the saved cache would trust no stamp, and the next run would read every file
            tree = await reader.read(listing: listing)
        }
        var problems = tree.diagnostics
        var files: [String: CachedFile] = [:]
        for file in tree.markdown {
            if !tree.read.contains(file.path), let old = cache.files[file.path] {
                files[file.path] = old
            } else {
                files[file.path] = CachedFile(stamp: tree.stamps[file.path], text: retainsSources ? file.text : "", hash: ContentHash.hash(file.text))
            }
        }
        counts.filesRead = tree.read.count

        // Model
        let (config, dataSets, settingsProblems) = Self.settings(tree, options: options, contentDisplay: contentDisplay)
        problems += settingsProblems

        let previousPages = cache.pages
        let fileHashes = files.mapValues(\.hash)
        var loaded = await parallelMap(tree.markdown) { (file: TextFile) -> (String, UInt64, Result<Page, DiagnosticsError>) in
            let hash = fileHashes[file.path] ?? 0
            if let cached = previousPages[file.path], cached.hash == hash { return (file.path, hash, cached.result) }
            return (file.path, hash, PageLoader.load(file, displayRoot: contentDisplay))
        }
        var pages: [Page] = []
        var pageCache: [String: CachedPage] = [:]
        for (path, hash, result) in loaded {
            if retainsSources { pageCache[path] = CachedPage(hash: hash, result: result) }
            switch result {
            case .success(let page): if options.drafts || !page.frontMatter.draft { pages.append(page) }
            case .failure(let error): problems += error.diagnostics
            }
        }
        loaded = []
        // A one-off build has the pages' bodies now; the files' texts would only double the memory it holds.
        if !retainsSources { tree.markdown = tree.markdown.map { TextFile(path: $0.path, text: "") } }
        let templates: TemplateLibrary?
        switch TemplateLibrary.compile(tree.templates, displayRoot: templatesDisplay) {
        case .success(let library): templates = library
        case .failure(let error): problems += error.diagnostics; templates = nil
        }
        var site = Site(
            config: config, pages: pages, dataSets: dataSets,
            contentAssets: Set(tree.contentAssets), templateAssets: Set(tree.templateAssets)
        )
        pages = []
        clock.mark("model")

        // Plan
        var jobs: [PageJob] = []
        if let templates {
            switch SitePlanner.plan(site, templates: templates, displayRoot: contentDisplay) {
            case .success(let planned): jobs = planned
            case .failure(let error): problems += error.diagnostics
            }
        }
        cache.files = files
        cache.pages = pageCache
        guard !problems.hasErrors, let templates else { throw DiagnosticsError(problems.sortedForReport()) }
        var keys = BuildKeys(site: site, tree: tree, options: options, files: files)

        // Markdown, for pages whose text or link environment changed.
        let markdown = await renderMarkdown(site: site, keys: keys, contentDisplay: contentDisplay)
        counts.markdownRendered = markdown.filter(\.1).count
        if retainsSources {
            var markdownCache: [String: RenderedPage] = [:]
            for (index, page) in site.pages.enumerated() { markdownCache[page.sourcePath] = markdown[index].0 }
            cache.markdown = markdownCache
        } else {
            // Nothing after this point reads a body; at 100,000 pages they are 400 MB.
            site.pages = site.pages.map { $0.withoutBody() }
            keys.replacePages(site.pages)
        }
        let otherWarnings = problems
        problems += markdown.flatMap(\.0.diagnostics)
        clock.mark("markdown")
        guard !problems.hasErrors else { throw DiagnosticsError(problems.sortedForReport()) }

        // Templates: summary views and then every page whose inputs changed, streamed into the write transaction.
        let writer = OutputWriter(outputRoot: options.output)
        let transaction: OutputTransaction
        // A session whose watcher names the changes keeps the output's manifest in memory.
        let hinted = updated != nil
        do { transaction = try writer.begin(known: hinted ? cache.manifest : nil, trustOutput: hinted && trustsOutput) } catch {
            throw DiagnosticsError([.error(at: SourceLocation(file: options.display(options.output)), "\(error)")])
        }
        do {
            let report = try await render(
                tree: tree, otherWarnings: otherWarnings,
                site: site, jobs: jobs, templates: templates, keys: keys, markdown: markdown.map(\.0),
                transaction: transaction, templatesDisplay: templatesDisplay, counts: &counts, problems: &problems, clock: &clock
            )
            return report
        } catch {
            await transaction.abort()
            throw error
        }
    }

    /// The site configuration (with the command line's base URL) and the data sets.
    static func settings(_ tree: SourceTree, options: BuildOptions, contentDisplay: String) -> (SiteConfig, [String: DataSet], [Diagnostic]) {
        var problems: [Diagnostic] = []
        var config = SiteConfig()
        switch ConfigLoader.load(tree.config, displayRoot: contentDisplay) {
        case .success(let loaded): config = loaded
        case .failure(let error): problems += error.diagnostics
        }
        if let baseURL = options.baseURL { config.baseURL = baseURL }

        var dataSets: [String: DataSet] = [:]
        for file in tree.data {
            let display = contentDisplay + file.path
            switch DataFileDecoder.decode(file.text, path: display) {
            case .success(var set):
                if let existing = dataSets[set.name] {
                    problems.append(.error(
                        at: SourceLocation(file: display), field: "data",
                        "data set '\(set.name)' is also defined by \(existing.sourcePath)", hint: "data file names must be unique without their extension"
                    ))
                }
                set.sourcePath = display
                dataSets[set.name] = set
            case .failure(let error):
                problems += error.diagnostics
            }
        }
        return (config, dataSets, problems)
    }

    /// Every page's Markdown, taken from the last build where its key is unchanged; true where rendered now.
    func renderMarkdown(site: Site, keys: BuildKeys, contentDisplay: String) async -> [(RenderedPage, Bool)] {
        let linker = LinkResolver(site: site)
        let blocks = BlockRenderer(site: site)
        let previousMarkdown = cache.markdown
        return await parallelMap(Array(site.pages.indices)) { (index: Int) -> (RenderedPage, Bool) in
            let page = site.pages[index]
            let key = keys.markdownKey(page)
            if let cached = previousMarkdown[page.sourcePath], cached.key == key { return (cached, false) }
            return (Self.renderMarkdown(page, site: site, linker: linker, blocks: blocks, file: contentDisplay + page.sourcePath, key: key), true)
        }
    }

    /// Changed absolute paths as paths relative to the content and templates folders; nil if one lies outside both.
    func split(_ changed: [String]) -> (content: [String], templates: [String])? {
        let roots = [options.content, options.templates].map { $0.standardizedFileURL.resolvingSymlinksInPath().path }
        var content: [String] = []
        var templates: [String] = []
        for path in changed {
            if path.hasPrefix(roots[0] + "/") {
                content.append(String(path.dropFirst(roots[0].count + 1)))
            } else if path.hasPrefix(roots[1] + "/") {
                templates.append(String(path.dropFirst(roots[1].count + 1)))
            } else {
                return nil
            }
        }
        return (content, templates)
    }

    func render(
        tree: SourceTree, otherWarnings: [Diagnostic],
        site: Site, jobs: [PageJob], templates: TemplateLibrary, keys: BuildKeys, markdown: [RenderedPage],
        transaction: OutputTransaction, templatesDisplay: String, counts: inout BuildReport.Counts,
        problems: inout [Diagnostic], clock: inout PhaseClock
    ) async throws(DiagnosticsError) -> BuildReport {
        let options = self.options
        // Listing views (and their rendered summary views) are kept per page between builds.
        let contents = markdown.map(\.content)
        let summaryView = templates.closureHash(of: BuildPipeline.summaryView)
        let siteValue = ContextBuilder.siteValue(site)
        let previousSummaries = cache.summaries
        let summaries = await parallelMap(Array(site.pages.indices)) { (index: Int) -> CachedSummary in
            let key = keys.summaryKey(site.pages[index], summaryView: summaryView)
            if let cached = previousSummaries[site.pages[index].sourcePath], cached.key == key { return cached }
            return CachedSummary(key: key, value: Self.listingView(index, site: site, contents: contents, templates: templates, siteValue: siteValue))
        }
        if retainsSources {
            var summaryCache: [String: CachedSummary] = [:]
            for (index, page) in site.pages.enumerated() { summaryCache[page.sourcePath] = summaries[index] }
            cache.summaries = summaryCache
        }
        let contexts = ContextBuilder(site: site, contents: contents, summaries: summaries.map(\.value))
        let finalContexts = contexts
        let previousJobs = cache.jobs
        let layouts = LayoutFacts(templates, layouts: Set(jobs.map(\.layout)))
        let shown = summaries.map(\.shown)
        let gathered = BuildKeys.gathered(shown)
        let jobKeys = jobs.map { keys.jobKey($0, layouts: layouts, shown: shown, gathered: gathered) }
        // Jobs whose key matches the last build and whose file is still in place are not rendered again.
        var toRender: [Int] = []
        var jobCache: [String: CachedJob] = [:]
        var candidates: [Int] = []
        for (index, job) in jobs.enumerated() {
            if let cached = previousJobs[job.outputPath], cached.key == jobKeys[index] {
                candidates.append(index)
            } else {
                toRender.append(index)
            }
        }
        let kept = await transaction.keep(candidates.map { jobs[$0].outputPath })
        for index in candidates {
            if kept.contains(jobs[index].outputPath) {
                jobCache[jobs[index].outputPath] = previousJobs[jobs[index].outputPath]
            } else {
                toRender.append(index)
            }
        }
        // Pages go to the transaction chunk by chunk as they render, so the site is never all in memory at once.
        let chunks = stride(from: 0, to: toRender.count, by: 64).map { Array(toRender[$0..<min(toRender.count, $0 + 64)]) }
        let results = await withTaskGroup(of: [(Int, Result<Set<String>, Diagnostic>)].self) { group in
            var running = 0
            var collected: [(Int, Result<Set<String>, Diagnostic>)] = []
            for chunk in chunks {
                if running >= ProcessInfo.processInfo.activeProcessorCount * 2, let done = await group.next() {
                    collected += done
                    running -= 1
                }
                running += 1
                group.addTask {
                    var files: [OutputFile] = []
                    var out: [(Int, Result<Set<String>, Diagnostic>)] = []
                    for index in chunk {
                        let job = jobs[index]
                        guard let html = templates.render(job.layout, finalContexts.context(for: job)) else {
                            out.append((index, .failure(.error(
                                at: SourceLocation(file: templatesDisplay + job.layout.replacingOccurrences(of: ".", with: "/") + ".mustache"),
                                field: "layout", "layout not found"))))
                            continue
                        }
                        files.append(OutputFile(path: job.outputPath, bytes: Data(html.utf8)))
                        out.append((index, .success(AnchorChecker.ids(in: html))))
                    }
                    if !options.dryRun {
                        do { try await transaction.put(files) } catch {
                            return out.map { ($0.0, .failure(.error(at: SourceLocation(file: options.display(options.output)), "\(error)"))) }
                        }
                    }
                    return out
                }
            }
            for await done in group { collected += done }
            return collected
        }
        var renderedCount = 0
        for (index, result) in results {
            switch result {
            case .success(let ids):
                renderedCount += 1
                jobCache[jobs[index].outputPath] = CachedJob(key: jobKeys[index], ids: ids)
            case .failure(let problem):
                problems.append(problem)
            }
        }
        counts.pagesRendered = renderedCount
        let anchors = AnchorChecker(site: site, jobs: jobs, ids: jobCache.mapValues(\.ids))
        var anchorProblems: [[Diagnostic]] = []
        for (index, page) in site.pages.enumerated() {
            anchorProblems.append(anchors.check(markdown[index].links, on: page))
        }
        problems += anchorProblems.joined()
        clock.mark("templates")
        guard !problems.hasErrors else { throw DiagnosticsError(problems.sortedForReport()) }
        if options.dryRun {
            await transaction.abort()
            cache.jobs = [:]
            var report = BuildPipeline.report(pages: jobs.count, dataSets: site.dataSets.count, copies: 0, counts: counts, problems: problems, clock: clock)
            report.externalLinks = Self.externalLinks(markdown)
            return report
        }

        // Write
        let copies = copies(of: site)
        // The record of this build (and, for the command line, its encoding for the cache file) is made on the
        // other core while this one commits the output.
        let jobIDs = jobs.map { jobCache[$0.outputPath]?.ids ?? [] }
        let (files, readAt, persist) = (cache.files, cache.readAt, persistsCache)
        let record = Task.detached { () -> (LastBuild, [UInt8]?) in
            let last = LastBuild(
                tree: tree, site: site, jobs: jobs, library: templates, keys: keys, layouts: layouts, rendered: markdown,
                summaries: summaries, anchorProblems: anchorProblems, jobKeys: jobKeys, jobIDs: jobIDs, otherWarnings: otherWarnings
            )
            return (last, persist ? CacheFile.encode(files: files, readAt: readAt, last: last, options: options) : nil)
        }
        do {
            try await transaction.put(markdown.flatMap(\.files))
            try await transaction.copy(copies)
            let written = try await transaction.commit()
            counts.filesWritten = written.written
            counts.filesRemoved = written.removed
            cache.manifest = retainsSources ? await transaction.committed : nil
        } catch {
            cache.jobs = [:]
            cache.manifest = nil
            record.cancel()
            throw DiagnosticsError([.error(at: SourceLocation(file: options.display(options.output)), "\(error)")])
        }
        cache.jobs = retainsSources ? jobCache : [:]
        (cache.last, cache.encoded) = await record.value
        clock.mark("write")
        return BuildPipeline.report(pages: jobs.count, dataSets: site.dataSets.count, copies: copies.count, counts: counts, problems: problems, clock: clock)
    }

    /// A page's listing view: its summary fields and, when the theme has a summary view, `summaryHTML`.
    static func listingView(_ index: Int, site: Site, contents: [PageContent], templates: TemplateLibrary, siteValue: TemplateValue) -> TemplateValue {
        let base = ContextBuilder.summaryValue(index, site: site, contents: contents)
        guard templates.contains(BuildPipeline.summaryView) else { return base }
        let html = templates.render(BuildPipeline.summaryView, ContextBuilder.summaryViewContext(base, site: site, siteValue: siteValue)) ?? ""
        return ContextBuilder.withSummaryHTML(base, html)
    }

    /// The files copied as they are: template assets under `assets/`, and the files beside the content.
    func copies(of site: Site) -> [OutputCopy] {
        site.templateAssets.sorted().map {
            OutputCopy(source: options.templates.appendingPathComponent("assets").appendingPathComponent($0), path: "assets/" + $0)
        } + site.contentAssets.sorted().map { OutputCopy(source: options.content.appendingPathComponent($0), path: $0) }
    }

    /// Every http(s) link target once, at its first place in page order.
    static func externalLinks(_ pages: [RenderedPage]) -> [(url: String, location: SourceLocation)] {
        var seen = Set<String>()
        var links: [(url: String, location: SourceLocation)] = []
        for page in pages {
            for link in page.links {
                let lower = link.url.lowercased()
                guard lower.hasPrefix("http://") || lower.hasPrefix("https://"), seen.insert(link.url).inserted else { continue }
                links.append((link.url, link.location))
            }
        }
        return links
    }

    static func renderMarkdown(_ page: Page, site: Site, linker: LinkResolver, blocks: BlockRenderer, file: String, key: UInt64) -> RenderedPage {
        let context = MarkdownContext(
            file: file, lineOffset: page.bodyLine - 1,
            resolveLink: { url, isImage in linker.resolve(url, from: page, isImage: isImage) },
            renderBlock: { info, literal, location, ordinal in blocks.render(info: info, literal: literal, at: location, ordinal: ordinal) }
        )
        let rendered = MarkdownRenderer.render(page.body, options: site.config.markdown, context: context)
        var content = PageContent(rendered: rendered, frontMatterSummary: page.frontMatter.summary)
        var diagnostics = rendered.diagnostics
        var attachments = rendered.attachments
        switch blocks.frontMatterTables(page, file: file) {
        case .success(let tables):
            content.tables = tables.html
            attachments += tables.attachments
        case .failure(let error):
            diagnostics += error.diagnostics
        }
        let folder = page.outputPath.hasSuffix("/index.html") ? String(page.outputPath.dropLast("index.html".count)) : ""
        var seen = Set<String>()
        for attachment in attachments where !seen.insert(attachment.name).inserted {
            diagnostics.append(.error(at: SourceLocation(file: file), field: "id",
                                      "two tables on this page are both named '\(attachment.name)'", hint: "give each table its own 'id:'"))
        }
        let files = attachments.map { OutputFile(path: folder + $0.name, bytes: $0.bytes) }
        return RenderedPage(key: key, content: content, files: files, links: rendered.links, diagnostics: diagnostics)
    }
}

extension BuildPipeline {
    static func report(
        pages: Int, dataSets: Int, copies: Int, counts: BuildReport.Counts, problems: [Diagnostic], clock: PhaseClock, upToDate: Bool = false
    ) -> BuildReport {
        BuildReport(
            pagesWritten: pages, dataFiles: dataSets, filesCopied: copies, counts: counts, upToDate: upToDate,
            warnings: problems.filter { $0.severity == .warning }.sortedForReport(),
            phases: clock.phases, totalMilliseconds: clock.total
        )
    }
}

/// One page after the Markdown phase: its content for templates and the files it brings along.
struct RenderedPage: Sendable {
    var key: UInt64
    var content: PageContent
    var files: [OutputFile]
    var links: [LinkReference]
    var diagnostics: [Diagnostic]
}

/// Maps `transform` over `items` on all cores, in chunks, keeping the input order.
func parallelMap<T: Sendable, R: Sendable>(_ items: [T], _ transform: @escaping @Sendable (T) -> R) async -> [R] {
    if items.count < 2 { return items.map(transform) }
    let workers = min(items.count, max(1, ProcessInfo.processInfo.activeProcessorCount) * 4)
    let size = (items.count + workers - 1) / workers
    return await withTaskGroup(of: (Int, [R]).self) { group in
        for start in stride(from: 0, to: items.count, by: size) {
            let slice = items[start..<min(items.count, start + size)]
            group.addTask { (start, slice.map(transform)) }
        }
        var parts: [(Int, [R])] = []
        for await part in group { parts.append(part) }
        return parts.sorted { $0.0 < $1.0 }.flatMap(\.1)
    }
}

/// Wall-clock time per build phase.
struct PhaseClock {
    let start = DispatchTime.now()
    var last = DispatchTime.now()
    var phases: [(name: String, milliseconds: Double)] = []

    mutating func mark(_ name: String) {
        let now = DispatchTime.now()
        phases.append((name, Double(now.uptimeNanoseconds - last.uptimeNanoseconds) / 1e6))
        last = now
    }

    var total: Double { Double(DispatchTime.now().uptimeNanoseconds - start.uptimeNanoseconds) / 1e6 }
}
