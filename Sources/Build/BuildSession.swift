import Foundation
import TianshanLoad
import TianshanMarkdown
import TianshanModel
import TianshanPDF
import TianshanRender
import TianshanSearch
import TianshanWrite

/// Builds a site, and builds it again after changes through the same stages: load, model, plan, Markdown,
/// listing views, templates, write. Each stage takes what the last build left (`BuildState`) and redoes only
/// the items whose inputs changed: files whose stamp changed are read, pages whose text changed are parsed,
/// pages whose Markdown inputs changed are rendered, and outputs are rendered again when an input they
/// recorded reading while they rendered has a new hash. A first build is the same run from an empty state.
public actor BuildSession {
    public let options: BuildOptions
    public let policy: BuildPolicy
    var state = BuildState()
    /// The sources as last read (Markdown texts dropped), for a build told which files changed since.
    var tree: SourceTree?
    /// What the output folder holds after the last commit, so the next commit need not read it from disk.
    var manifest: Manifest?
    /// WeasyPrint as found by this session's first build that prints (found once: asking costs a process).
    var printer: PDFPrinter??
    /// A look at the output folder taken since the last commit (`checkOutput`), which the next build uses
    /// instead of walking the folder.
    var outputCheck: OutputCheck?
    /// The state's blocks as last read or saved, so a save re-encodes only the blocks that changed.
    var encoded: EncodedState?
    /// Each data file as last decoded, by path, with the hash of the text it was decoded from.
    var decodedData: [String: (hash: UInt64, result: Result<DataSet, DiagnosticsError>)] = [:]
    /// The compiled templates and the hash of the texts they came from.
    var library: (hash: UInt64, library: TemplateLibrary)?
    /// The last build's site and plan, which the next build takes over while only what pages show changes.
    var model: Model?
    /// The last build's page records in site order, as its stages left them, for a build told which files changed.
    var pageFiles: PageFiles?

    struct PageFiles {
        /// How many Markdown files the tree held, pages or not.
        var fileCount: Int
        var records: [PageRecord]
        /// What the files that make no page (drafts, files that failed to load) reported.
        var excludedProblems: [Diagnostic]
    }

    /// What the last build committed, if it did: the hash of every build-wide input then, and which outputs
    /// (by index in its plan) read each, once indexed (`prepareNextBuild`).
    var committed: Committed?
    /// The search index the last build committed, with the texts it was made from: the next build's index before
    /// its changes, when that build carries the last one's outputs over.
    var searchIndex: SearchIndex?

    struct Committed {
        var table: [String: UInt64]
        var jobs: Int
        var readers: OutputReaders?
        /// What the Markdown stage and the listing views were computed against.
        var markdownEnvironment: UInt64
        var markdownOptions: UInt64
        var globals: [String: UInt64]
        var summaryTemplate: UInt64
        /// By page index: the hash of its view and of the page as its own job shows it.
        var views: [UInt64]
        var pages: [UInt64]
        var outputBySitePath: [String: String]
        /// Pages with links to a fragment (`page#id`), which the anchor check looks at.
        var fragmentPages: Set<Int>
        /// The output paths of the copied files.
        var copies: [String]
    }

    /// A site with its plan, and the inputs besides the pages that they were made from.
    struct Model {
        var key: UInt64
        var site: Site
        /// Nil when planning failed.
        var jobs: [PageJob]?
        var identities: [UInt64]
        /// The layouts the jobs use.
        var layouts: [String]
        /// The hashes of the listings, and `placesHash`, once computed.
        var listings: InputHashes?
        var places: UInt64?
        /// The outputs the search finds and the sitemap lists, once computed.
        var lists: OutputLists?
    }

    public init(options: BuildOptions, policy: BuildPolicy = .serve) {
        self.options = options
        self.policy = policy
    }

    /// Starts from the state an earlier process saved beside the output.
    func adopt(_ saved: BuildState, encoded: EncodedState? = nil) {
        state = saved
        self.encoded = encoded
        for file in saved.carried?.shape.data ?? [] { decodedData[file.path] = (file.hash, .success(file.set)) }
    }

    /// Starts from the record an earlier process committed with the output.
    func adopt(manifest: Manifest) {
        self.manifest = manifest
    }

    /// The state as saved beside the output: rendered HTML is left out (pages are rendered again from their
    /// files when an output that shows them must be).
    /// - Parameter carried: what the build being committed carries to the next.
    func savedState(carrying carried: CarriedSession?) -> StateBytes? {
        var saved = state
        saved.identity = BuildPipeline.identity(options)
        saved.carried = carried
        saved.dropHTML()
        let (bytes, encoded) = StateCoding.encodeParts(saved, reusing: encoded)
        self.encoded = policy.keepsTree ? encoded : nil
        return bytes
    }

    /// Work for the next build, done by a long-running build while it waits for a change: a look at the output
    /// folder for files someone else changed or put there (unless nobody else writes it), and an index of
    /// which outputs read each input, so the next build finds what is stale without asking every output.
    public func prepareNextBuild() async {
        if policy.writes, !policy.trustsOutput, let manifest, outputCheck == nil {
            outputCheck = OutputWriter(outputRoot: options.output).check(manifest)
        }
        if policy.writes, manifest?.hasSpare == false { await makeSpare() }
        if var last = committed, last.readers == nil, let model, let jobs = model.jobs, jobs.count == last.jobs {
            last.readers = OutputReaders(jobs: jobs, outputs: state.outputs, site: model.site)
            committed = last
        }
    }

    /// Makes the spare tree beside an output that has none (after a first build), by a commit that keeps every
    /// file: a link per file, made while the session waits rather than by the first rebuild after a change. Not
    /// when a file is no longer as written (the next build renders it again), nor after a failed build.
    func makeSpare() async {
        guard committed != nil, let known = manifest else { return }
        let writer = OutputWriter(outputRoot: options.output)
        manifest = nil
        guard let transaction = try? writer.begin(known: known, trustOutput: policy.trustsOutput, check: outputCheck) else {
            manifest = known
            return
        }
        guard let lost = await transaction.keepAll(expected: nil), lost.isEmpty else {
            manifest = await transaction.abort()
            return
        }
        do {
            _ = try await transaction.commit()
            manifest = await transaction.committed
        } catch {
            await transaction.abort()
        }
        // The look at the folder described the one before.
        outputCheck = nil
        if let manifest, !policy.trustsOutput { outputCheck = writer.check(manifest) }
    }

    /// Saves this session's state beside the output, so the next command-line build starts from it.
    public func saveState() {
        // What the last build carried, if it committed (a failed build leaves records its commit does not describe).
        var carried: CarriedSession?
        if let model, let pageFiles, let committed {
            carried = CarriedSession(
                model: model, fileCount: pageFiles.fileCount, excludedProblems: pageFiles.excludedProblems, committed: committed, outputs: state.outputs,
                data: decodedData
            )
        }
        guard policy.writes, let bytes = savedState(carrying: carried) else { return }
        let writer = OutputWriter(outputRoot: options.output)
        guard let manifest = manifest ?? writer.loadManifest() else { return }
        try? writer.save(manifest, state: bytes)
    }

    /// Builds the site.
    /// - Parameter changed: absolute paths of every file that changed since the last build, when a watcher
    ///   knows them; only those are looked at again. Nil (or a path that is a folder or outside both folders)
    ///   means anything may have changed, and every file's size and modification time is checked.
    public func build(changed: [String]? = nil, listing: SourceReader.Listing? = nil) async throws(DiagnosticsError) -> BuildReport {
        if let report = try await attempt(changed: changed, listing: listing) { return report }
        // Made again from a look at every file; the pages whose search text was lost are rendered now.
        if let report = try await attempt(changed: nil, listing: nil) { return report }
        throw DiagnosticsError([.error(at: SourceLocation(file: String(options.display(options.output).dropLast())), field: "search",
                                       "the search index in the output could not be read back, nor made again")])
    }

    /// One build; nil when the search index needed texts that neither this build rendered nor the output held
    /// (the records it could not read back are then without their search entry, so the next attempt renders them).
    func attempt(changed: [String]?, listing: SourceReader.Listing?) async throws(DiagnosticsError) -> BuildReport? {
        var clock = PhaseClock()
        var counts = BuildReport.Counts()
        // Valid only for the build right after the one that committed it.
        var lastCommitted = committed
        committed = nil
        let lastSearchIndex = searchIndex
        searchIndex = nil
        let options = self.options
        let policy = self.policy
        let contentDisplay = options.display(options.content)
        let templatesDisplay = options.display(options.templates)
        let outputDisplay = options.display(options.output)
        if policy.writes { try options.checkOutputFolder() }

        // Load: files whose size and modification time match the last read are not read again. A file modified
        // within two seconds of the last read is read anyway: timestamps are too coarse to tell two quick saves
        // of the same size apart ("racy git").
        let trustBefore = state.readAt - 2_000_000_000
        let readAt = Int64(Date().timeIntervalSince1970 * 1e9)
        var tree = await load(changed: changed, listing: listing, trustBefore: trustBefore)
        state.readAt = readAt
        counts.filesRead = tree.read.count
        clock.mark("read")

        // Pages loaded against other field declarations are loaded again, every one, so read again too.
        let fieldsHash = ThemeFields.hash(of: tree.fields)
        let sameFields = state.fields == fieldsHash
        if !sameFields { await tree.readMarkdownAgain(contentRoot: options.content, contentDisplay: contentDisplay) }

        // Model
        var problems = tree.diagnostics
        let (config, dataSets, settingsProblems) = Self.settings(tree, options: options, contentDisplay: contentDisplay, templatesDisplay: templatesDisplay, decoded: &decodedData)
        problems += settingsProblems
        let previous = state.pages
        let read = tree.read
        let stamps = tree.stamps
        if !sameFields { pageFiles = nil }
        state.fields = fieldsHash
        if model == nil, sameFields, let saved = state.carried, let restored = saved.restored(config: config, dataSets: dataSets, records: state.pages) {
            // The first build of a process started from a saved state carries over what the build that saved it did.
            (model, pageFiles, lastCommitted) = (restored.model, restored.pageFiles, restored.committed)
        }
        state.carried = nil
        var lastPages = pageFiles
        pageFiles = nil
        var pages: [Page] = []
        var pageRecords: [PageRecord] = []
        var freshPages: [(index: Int, page: Page)] = []
        var bodies: [String: String] = [:]
        // Load problems of the files that make no page (drafts, files that failed to load).
        var excluded: [Diagnostic] = []
        if let last = lastPages.take(), let fast = LoadedRecord.updated(
            tree, last: last, site: model?.site, drafts: options.drafts, contentDisplay: contentDisplay, previous: previous
        ) {
            // Only the files read again (named by a watcher, or with a new stamp) are loaded: the other pages are the
            // last build's.
            pageRecords = fast.records
            freshPages = fast.fresh
            bodies = fast.bodies
            excluded = fast.excludedProblems
            problems += Self.gathered(pageRecords) { $0.loadProblems } + excluded
            for index in fast.changed { state.pages[pageRecords[index].page?.sourcePath ?? ""] = pageRecords[index] }
        } else {
            // A page's body goes to the Markdown stage on its own (`bodies`), not in the page, which the site and the
            // state keep to the end of the build.
            var records = await parallelMap(tree.markdown) { (file: TextFile) -> LoadedRecord in
                LoadedRecord.load(file, stamp: stamps[file.path], read: read, previous: previous,
                                  fields: config.fields, reuse: sameFields, contentDisplay: contentDisplay)
            }
            var excludedProblems: [Diagnostic] = []
            for loaded in records {
                if let page = loaded.record.page, options.drafts || !page.isDraft {
                    problems += loaded.record.loadProblems
                    if loaded.fresh {
                        freshPages.append((pages.count, page))
                        bodies[loaded.path] = loaded.body
                    }
                    pages.append(page)
                    pageRecords.append(loaded.record)
                } else {
                    excludedProblems += loaded.record.loadProblems
                }
            }
            problems += excludedProblems
            // The state's records, updated where they changed; made again when files came or went.
            var byPath = state.pages
            state.pages = [:]
            for loaded in records where loaded.changed { byPath[loaded.path] = loaded.record }
            if byPath.count != records.count { byPath = Dictionary(records.map { ($0.path, $0.record) }, uniquingKeysWith: { a, _ in a }) }
            state.pages = byPath
            records = []
            excluded = excludedProblems
        }
        let markdownFileCount = tree.markdown.count
        // Markdown texts are not kept: a page whose Markdown must be rendered again is read again.
        for index in tree.markdown.indices where !tree.markdown[index].text.isEmpty { tree.markdown[index].text = "" }
        self.tree = policy.keepsTree ? tree : nil
        clock.mark("model")
        let templates = compileTemplates(tree.templates, display: templatesDisplay, problems: &problems)
        let contentAssets = Set(tree.contentAssets)
        let templateAssets = Set(tree.templateAssets)
        // The site's listings and the plan are the last build's while no page changed what they read of it.
        let modelKey = Self.modelKey(tree, options: options, templates: templates == nil ? nil : library?.hash, rowPages: Self.rowPagesHash(dataSets))
        let reused = model.flatMap { last -> Model? in
            guard last.key == modelKey, last.site.pages.count == pageRecords.count, last.site.contentAssets == contentAssets,
                  last.site.templateAssets == templateAssets,
                  freshPages.allSatisfy({ last.site.pageBySource[$0.page.sourcePath] == $0.index }),
                  var site = last.site.replacing(freshPages) else { return nil }
            site.dataSets = dataSets
            let lists = last.jobs.flatMap { jobs in last.lists?.updating(freshPages.map(\.index), jobs: jobs, site: site) }
            return Model(key: modelKey, site: site, jobs: last.jobs, identities: last.identities, layouts: last.layouts, listings: last.listings,
                         places: last.places, lists: lists)
        }
        // The update of the last build's records leaves the pages in them: taken out only when the site is made again.
        if reused == nil && pages.isEmpty { pages = pageRecords.compactMap(\.page) }
        let site = reused?.site ?? Site(config: config, pages: pages, dataSets: dataSets, contentAssets: contentAssets, templateAssets: templateAssets)
        pages = []

        // Plan
        var planned: [PageJob] = []
        var plannedIdentities: [UInt64] = []
        if let reused, let jobs = reused.jobs {
            planned = jobs
            plannedIdentities = reused.identities
        } else if let templates {
            switch SitePlanner.plan(site, templates: templates, displayRoot: contentDisplay) {
            case .success(let made):
                planned = made
                plannedIdentities = made.map { $0.identityHash(in: site) }
            case .failure(let error): problems += error.diagnostics
            }
        }
        let jobs = planned
        let identities = plannedIdentities
        let layouts = reused?.jobs != nil ? reused?.layouts ?? [] : Array(Set(jobs.map(\.layout))).sorted()
        model = policy.keepsTree ? Model(key: modelKey, site: site, jobs: problems.hasErrors ? nil : jobs, identities: identities, layouts: layouts) : nil
        clock.mark("plan")
        guard !problems.hasErrors, let templates else { throw DiagnosticsError(problems.sortedForReport()) }
        // Taken over with the site's listings (`Model`), else computed from the site.
        var hashes = Self.inputHashes(site, tree: tree, options: options, listings: reused?.listings)
        let pdfs = PDFStage(site: site, jobs: jobs, printer: site.config.pdf.layouts.isEmpty ? nil : findPrinter(), templates: options.templates)
        hashes.pdf = pdfs.hash
        let searches = templates.contains(Self.searchLayout) && site.config.search
        let lists = reused?.lists.flatMap { $0.searches == searches ? $0 : nil } ?? OutputLists(jobs: jobs, site: site, searches: searches)
        model?.lists = lists
        let sitemapJobs = lists.sitemapJobs
        hashes.sitemap = lists.sitemapHash
        if !site.config.pdf.layouts.isEmpty, pdfs.printer == nil {
            problems.append(.warning(at: SourceLocation(file: contentDisplay + "site.yaml"), field: "pdf",
                                     "no PDF made: WeasyPrint is not installed", hint: PDFPrinter.installHint))
        }
        let places = reused?.places ?? Self.placesHash(site)
        var listingHashes = hashes
        model?.listings = hashes
        model?.places = places
        var markdownOptions = StableHash()
        markdownOptions.add(site.config.markdown.unsafe)
        markdownOptions.add(site.config.markdown.smart)
        markdownOptions.add(site.config.basePath)
        markdownOptions.add(site.config.brokenLinks.rawValue)
        let numbering = site.config.numbering
        markdownOptions.add(numbering.layouts.joined(separator: "\u{1F}"))
        markdownOptions.add(numbering.tables)
        markdownOptions.add(numbering.figures)
        markdownOptions.add(numbering.byChapter)
        markdownOptions.add(numbering.headings.rawValue)
        markdownOptions.add(site.config.strings.hash)
        // The last build's results carry over when it committed the same site shape and plan: then only pages
        // loaded again, and what reads them, can differ from what it left.
        let carried = reused?.jobs != nil ? lastCommitted : nil
        let freshIndices = freshPages.map(\.index)
        // The records this build may change, which alone go back to the state when the rest carried over.
        var touched = Set(freshIndices)

        // Markdown, for pages whose text or options changed or whose links and tables read something that did.
        var renderer = MarkdownStage(site: site, options: options, contentDisplay: contentDisplay, dataHashes: hashes.data,
                                     environment: Self.markdownEnvironment(places: places, hashes: hashes), optionsHash: markdownOptions.value)
        var attachments: [OutputFile] = []
        // Every page was current after the last build; with the same environment and options only pages loaded
        // again can have changed.
        let sameMarkdownInputs = carried.map { $0.markdownEnvironment == renderer.environment && $0.markdownOptions == markdownOptions.value } ?? false
        let markdownCandidates = sameMarkdownInputs ? freshIndices : Array(pageRecords.indices)
        let currentMarkdown = await parallelMap(markdownCandidates) { [pageRecords, renderer] index in
            renderer.isCurrent(pageRecords[index])
        }
        let stale = zip(markdownCandidates, currentMarkdown).filter { !$0.1 }.map(\.0)
        for (index, isCurrent) in zip(markdownCandidates, currentMarkdown) where isCurrent && pageRecords[index].markdownEnvironment != renderer.environment {
            pageRecords[index].markdownEnvironment = renderer.environment
            touched.insert(index)
        }
        let renderedNow = Set(stale)
        let attachmentsBefore = stale.map { pageRecords[$0].attachments }
        renderer.bodies = bodies
        bodies = [:]
        counts.markdownRendered += await renderer.render(stale, records: &pageRecords, attachments: &attachments)
        renderer.bodies = [:]
        clock.mark("markdown")

        // Listing views, for pages whose view inputs changed or whose summary view read something that changed.
        let summaryTemplate = templates.contains(BuildPipeline.summaryView) ? templates.closureHash(of: BuildPipeline.summaryView) : 0
        let globals = hashes.table(site)
        let siteValue = ContextBuilder.siteValue(site, hashes: hashes)
        let viewHashes = hashes
        let configHash = hashes.config
        // With the same build-wide inputs, only pages whose text or Markdown changed can have a new view.
        let sameViewInputs = carried.map { $0.globals == globals && $0.summaryTemplate == summaryTemplate } ?? false
        let viewCandidates = sameViewInputs ? Array(Set(freshIndices).union(stale)).sorted() : Array(pageRecords.indices)
        touched.formUnion(stale)
        touched.formUnion(viewCandidates)
        let listingViews = ListingViews(site: site, templates: templates, siteValue: siteValue,
                                        strings: ContextBuilder.stringsValue(site, hashes: viewHashes), hashes: viewHashes,
                                        summaryTemplate: summaryTemplate, pdfLinks: pdfs.links)
        let views = await parallelMap(viewCandidates) { [pageRecords] (index: Int) -> PageRecord in
            var record = pageRecords[index]
            let key = listingViews.key(index, record: record, configHash: configHash)
            if record.viewKey == key, record.viewReads.allSatisfy({ globals[$0.key] == $0.value }) { return record }
            let (view, reads) = listingViews.make(index, content: record.content)
            record.viewKey = key
            record.viewReads = reads
            record.view = view
            record.viewHash = view.stableHash
            return record
        }
        for (index, record) in zip(viewCandidates, views) { pageRecords[index] = record }
        // What the pages now say of the data rows that have pages (their mentions, the tables holding them).
        let rowUses = site.rowPaths.isEmpty ? RowUses() : RowUses(site: site) { [pageRecords] in pageRecords[$0].content }
        hashes.rowUses = rowUses.hashes
        listingHashes.rowUses = rowUses.hashes
        model?.listings?.rowUses = rowUses.hashes
        var newTable: [String: UInt64]
        // The inputs whose hash changed since the last build, when known without comparing every one.
        var changedKeys: [String]?
        if sameViewInputs, let carried {
            hashes.views = carried.views
            hashes.pages = carried.pages
            newTable = carried.table
            var changed: [String] = []
            for index in viewCandidates {
                let record = pageRecords[index]
                let path = site.pages[index].sourcePath
                hashes.views[index] = record.viewHash
                hashes.pages[index] = StableHash.of(record.hash, record.contentHash, record.viewHash, configHash)
                for (key, hash) in [(InputKey.view(path), hashes.views[index]), (InputKey.page(path), hashes.pages[index])] where newTable[key] != hash {
                    newTable[key] = hash
                    changed.append(key)
                }
            }
            for (name, hash) in rowUses.hashes where newTable[InputKey.rowUses(name)] != hash {
                newTable[InputKey.rowUses(name)] = hash
                changed.append(InputKey.rowUses(name))
            }
            changedKeys = changed
        } else {
            hashes.views = pageRecords.map(\.viewHash)
            hashes.pages = pageRecords.map { StableHash.of($0.hash, $0.contentHash, $0.viewHash, configHash) }
            newTable = hashes.table(site)
        }
        let table = newTable
        clock.mark("views")
        let otherWarnings = problems
        problems += Self.gathered(pageRecords) { $0.problems }
        guard !problems.hasErrors else {
            remember(pageRecords, only: carried == nil ? nil : touched)
            throw DiagnosticsError(problems.sortedForReport())
        }

        // Which outputs must be rendered: those without a record, those that read an input whose hash changed,
        // and those whose file is no longer in the output folder.
        let layoutHashes = Dictionary(layouts.map { ($0, templates.closureHash(of: $0)) }, uniquingKeysWith: { a, _ in a })
        // Not needed (and not held, so the state's can be updated in place) when the readers tell what is stale.
        let outputs = carried?.readers != nil ? [:] : state.outputs
        let current: [Bool]
        if let last = carried, let readers = last.readers {
            // The same outputs as the last build, which committed every one current: stale are exactly those
            // that read an input whose hash changed since.
            var flags = [Bool](repeating: true, count: jobs.count)
            if let changedKeys {
                for key in changedKeys { for index in readers.of(key, site: site) { flags[Int(index)] = false } }
            } else {
                for (key, hash) in table where last.table[key] != hash { for index in readers.of(key, site: site) { flags[Int(index)] = false } }
                for key in last.table.keys where table[key] == nil { for index in readers.of(key, site: site) { flags[Int(index)] = false } }
            }
            current = flags
        } else {
            counts.outputsChecked = jobs.count
            current = await parallelMap(Array(jobs.indices)) { (index: Int) -> Bool in
                guard let record = outputs[jobs[index].outputPath] else { return false }
                return record.isCurrent(table) { key in
                    Self.ownHash(key, job: jobs[index], identity: identities[index], layoutHash: layoutHashes[jobs[index].layout] ?? 0, site: site)
                }
            }
        }
        var transaction: OutputTransaction?
        var knewManifest = false
        if policy.writes {
            // Handed over, not shared, so that the commit can change its table in place; an aborted build
            // takes it back.
            // A manifest read from the record (the command line's) is checked against the folder now, the look
            // `build --watch` takes while it waits.
            if let manifest, outputCheck == nil, !policy.trustsOutput { outputCheck = OutputWriter(outputRoot: options.output).check(manifest) }
            var known = manifest
            knewManifest = known != nil
            manifest = nil
            do {
                transaction = try OutputWriter(outputRoot: options.output).begin(known: known, trustOutput: policy.trustsOutput, check: outputCheck)
                known = nil
            } catch {
                manifest = known
                throw DiagnosticsError([.error(at: SourceLocation(file: String(outputDisplay.dropLast())), field: "output", "\(error)")])
            }
        }
        var toRender = jobs.indices.filter { !current[$0] }
        outputCheck = nil
        // Search: the outputs the theme's search page finds, with their URLs and titles, and the index's files.
        let searched = lists.searched
        let searchPaths = searched.isEmpty ? [] : SearchIndex.paths(documents: searched.count)
        // Whether the index's files in the output are the last commit's: else they are all written again.
        var searchInPlace = Set(state.searchFiles.keys) == Set(searchPaths)
        let copies = copies(of: site)
        let pdfEnvironment = pdfs.environment(copies: copies)
        let pdfPaths = Set(pdfs.targets.values)
        if let transaction, knewManifest {
            // The last commit's files are known (kept in memory): keep them all, but for what this build does
            // not produce and what is no longer in place; files put below replace the kept ones.
            // The same files as the last commit, when the plan, the copies and the downloads of the pages
            // rendered now are the same: nothing to compare.
            let copyPaths = copies.map(\.path)
            let sameFiles = carried.map { $0.copies == copyPaths } == true
                && zip(stale, attachmentsBefore).allSatisfy { pageRecords[$0.0].attachments == $0.1 }
                && Set(state.pdfs.keys) == pdfPaths && searchInPlace
            var expected: Set<String>?
            if !sameFiles {
                var paths = Set<String>(minimumCapacity: jobs.count + copies.count)
                for job in jobs { paths.insert(job.outputPath) }
                for record in pageRecords { for path in record.attachments { paths.insert(path) } }
                for copy in copies { paths.insert(copy.path) }
                paths.formUnion(pdfPaths)
                paths.formUnion(searchPaths)
                expected = paths
            }
            let lost = await transaction.keepAll(expected: expected)
            // A PDF no longer in place is printed again.
            if let lost { for path in lost { state.pdfs[path] = nil } } else { state.pdfs = [:] }
            if lost.map({ lost in searchPaths.contains(where: lost.contains) }) != false { searchInPlace = false }
            var missing: [Int] = []
            if lost?.isEmpty != true {
                for index in jobs.indices where current[index] && lost?.contains(jobs[index].outputPath) != false { toRender.append(index) }
                missing = pageRecords.indices.filter { index in
                    !renderedNow.contains(index) && pageRecords[index].attachments.contains { lost?.contains($0) != false }
                }
            }
            counts.markdownRendered += await renderer.render(missing, records: &pageRecords, attachments: &attachments)
            touched.formUnion(missing)
        } else if let transaction {
            let keptAttachments = pageRecords.indices.filter { !renderedNow.contains($0) }.flatMap { pageRecords[$0].attachments }
            let keptPaths = jobs.indices.filter { current[$0] }.map { jobs[$0].outputPath }
            let keptPDFs = pdfs.targets.filter { current[$0.key] && state.pdfs[$0.value] != nil }.map(\.value)
            let kept = await transaction.keep(keptPaths + keptAttachments + keptPDFs)
            for path in keptPDFs where !kept.contains(path) { state.pdfs[path] = nil }
            for index in jobs.indices where current[index] && !kept.contains(jobs[index].outputPath) { toRender.append(index) }
            // A table download deleted behind the build's back: render its page's Markdown again.
            let missing = pageRecords.indices.filter { index in
                !renderedNow.contains(index) && pageRecords[index].attachments.contains { !kept.contains($0) }
            }
            counts.markdownRendered += await renderer.render(missing, records: &pageRecords, attachments: &attachments)
            touched.formUnion(missing)
        } else {
            toRender = Array(jobs.indices)
        }
        // A page the search indexes without its entry in the state (the state predates the search) is rendered
        // again. Not after a build that committed the index of the same outputs: every page it indexed has one.
        if !searched.isEmpty, carried == nil || lastSearchIndex == nil {
            let have = Set(toRender)
            toRender += searched.keys.filter { !have.contains($0) && state.outputs[jobs[$0].outputPath]?.search == nil }
        }
        // Pages whose PDF must be printed (none yet, or printed from other assets or another WeasyPrint) need their HTML.
        let needHTMLForPDF = pdfs.jobsToRender(records: state.pdfs, environment: pdfEnvironment)
        if !needHTMLForPDF.isEmpty { toRender = Array(Set(toRender).union(needHTMLForPDF)) }
        clock.mark("stale")
        toRender.sort()
        // Pages whose own output is rendered need their HTML, which a state read from disk does not hold; so do
        // the entries of a feed that is rendered (it carries their full content).
        let needHTML = toRender.flatMap { index -> [Int] in
            switch jobs[index].kind {
            case .content(let page): return pageRecords[page].hasHTML ? [] : [page]
            case .feed: return (SitePlanner.members(of: jobs[index], in: site) ?? []).filter { !pageRecords[$0].hasHTML }
            default: return []
            }
        }
        counts.markdownRendered += await renderer.render(Array(Set(needHTML)).sorted(), records: &pageRecords, attachments: &attachments)
        touched.formUnion(needHTML)
        if pageRecords.contains(where: { $0.problems.hasErrors }) {
            manifest = await transaction?.abort()
            remember(pageRecords, only: carried == nil ? nil : touched)
            throw DiagnosticsError((otherWarnings + Self.gathered(pageRecords) { $0.problems }).sortedForReport())
        }

        // Templates: every output that must be rendered, recording what it reads, streamed into the write.
        var rendered: [Int: OutputRecord] = [:]
        var renderProblems: [Diagnostic] = []
        let results: [(Int, Result<OutputRecord, Diagnostic>)]
        let pdfHTML: [Int: String]
        do {
            // Scoped, so the contexts let go of the records (and their HTML) once the outputs are rendered.
            let finished = pageRecords
            let madeViews = ListingViewCache()
            let contexts = ContextBuilder(
                site: site, contents: { finished[$0].content ?? PageContent(html: "", headings: [], summary: "", characters: 0, readingMinutes: 1) },
                summaries: { index in
                    // A view the state read from disk did not hold: current (its key and reads said so), made again.
                    guard case .null = finished[index].view else { return finished[index].view }
                    return madeViews.view(index) { listingViews.make(index, content: finished[index].content).view }
                },
                hashes: hashes, pdfLinks: pdfs.links, sitemapJobs: sitemapJobs, rowUses: rowUses
            )
            (results, pdfHTML) = await Self.renderJobs(
                toRender, jobs: jobs, identities: identities, layoutHashes: layoutHashes, templates: templates, contexts: contexts,
                transaction: transaction, capture: Set(pdfs.targets.keys), searched: searched
            ) { job in
                SourceLocation(file: templatesDisplay + job.layout.replacingOccurrences(of: ".", with: "/") + ".mustache")
            } writeFailure: { error in
                Diagnostic.error(at: SourceLocation(file: String(outputDisplay.dropLast())), field: "output", "\(error)")
            }
        }
        for (index, result) in results {
            switch result {
            case .success(let record): rendered[index] = record
            case .failure(let problem): renderProblems.append(problem)
            }
        }
        counts.pagesRendered = rendered.count
        clock.mark("templates")
        var renderedByPath: [String: OutputRecord] = [:]
        for (index, record) in rendered { renderedByPath[jobs[index].outputPath] = record }
        let outputBySitePath = carried?.outputBySitePath ?? AnchorChecker.outputBySitePath(jobs)
        // Only pages with links to a fragment need checking; a page rendered now may have gained or lost some.
        var fragmentPages: Set<Int>
        if let carried {
            fragmentPages = carried.fragmentPages
            for index in stale { if AnchorChecker.hasFragmentLinks(pageRecords[index].links) { fragmentPages.insert(index) } else { fragmentPages.remove(index) } }
        } else {
            fragmentPages = Set(pageRecords.indices.filter { AnchorChecker.hasFragmentLinks(pageRecords[$0].links) })
        }
        do {
            // Every job's output is either rendered now or current with its record in the state.
            let anchors = AnchorChecker(site: site, ids: { [renderedByPath, outputs = state.outputs] in renderedByPath[$0]?.ids ?? outputs[$0]?.ids },
                                        outputBySitePath: outputBySitePath)
            for index in fragmentPages.sorted() { renderProblems += anchors.check(pageRecords[index].links, on: site.pages[index]) }
        }
        problems = otherWarnings + Self.gathered(pageRecords) { $0.problems } + Array(Set(renderProblems))
        clock.mark("anchors")
        guard !problems.hasErrors else {
            manifest = await transaction?.abort()
            remember(pageRecords, only: carried == nil ? nil : touched)
            throw DiagnosticsError(problems.sortedForReport())
        }
        // PDFs: printed again where what they show changed, the others kept.
        var pdfFiles: [OutputFile] = []
        var pdfRecords: [String: PDFRecord] = [:]
        if let transaction, !pdfs.targets.isEmpty {
            let (printNow, keptPDFs) = pdfs.plan(html: pdfHTML, records: state.pdfs, environment: pdfEnvironment)
            let printed = pdfs.print(printNow, html: pdfHTML, jobs: jobs, site: site, copies: copies, environment: pdfEnvironment) { index in
                guard case .content(let page) = jobs[index].kind else { return outputDisplay }
                return contentDisplay + site.pages[page].sourcePath
            }
            counts.pdfsPrinted = printed.records.count
            problems += printed.problems
            if printed.problems.hasErrors {
                manifest = await transaction.abort()
                remember(pageRecords, only: carried == nil ? nil : touched)
                throw DiagnosticsError(problems.sortedForReport())
            }
            if !knewManifest {
                // Kept through `keep`, which the build asked only for the pages it did not render.
                let keptAfterRendering = pdfs.targets.filter { pdfHTML[$0.key] != nil && keptPDFs[$0.value] != nil }.map(\.value)
                let kept = await transaction.keep(keptAfterRendering)
                for path in keptAfterRendering where !kept.contains(path) { state.pdfs[path] = nil }
            }
            pdfFiles = printed.files
            pdfRecords = keptPDFs.merging(printed.records) { _, new in new }
        }
        clock.mark("pdf")
        guard let transaction else {
            var report = BuildPipeline.report(pages: jobs.count, dataSets: site.dataSets.count, copies: 0, counts: counts, problems: problems, clock: clock)
            report.externalLinks = Self.externalLinks(pageRecords)
            return report
        }

        // Write: the table downloads of pages rendered now and the copied files, then one commit that makes the
        // new output and the state describing it visible together.
        remember(pageRecords, only: carried == nil ? nil : touched)
        // What to put back if the commit fails: the whole table, or (when outputs carried over) the records replaced.
        var previousOutputs: [String: OutputRecord] = [:]
        var replacedOutputs: [(path: String, record: OutputRecord?)] = []
        // The index as the output holds it, from the records before this build's replace them.
        // With the last build's outputs carried over, the last commit's index (texts and ids included), and the
        // pages whose entry may have changed: those rendered now.
        let searchCarried = carried != nil ? lastSearchIndex : nil
        let searchBefore = searched.isEmpty ? nil : searchCarried ?? SearchIndex(entries: Self.searchEntries(state.outputs, paths: nil))
        var searchNow: SearchIndex?
        var searchCandidates: [String]?
        if let before = searchCarried, !searched.isEmpty {
            var entries = before.entries
            var candidates: [String] = []
            for (index, record) in rendered {
                // The URL the search knows the output by (`OutputLists.entry`), whether it is searched now or not.
                let url = record.search?.url ?? site.url(jobs[index].sitePath)
                entries[url] = record.search
                candidates.append(url)
            }
            // Else the pages searched are not those rendered and the last build's: made from every record.
            if entries.count == searched.count {
                searchNow = SearchIndex(entries: entries, reusingIDsOf: before)
                searchCandidates = candidates
            }
        }
        if carried != nil {
            // The same outputs as the last build, which left a record for each: only those rendered now change.
            var updated = state.outputs
            state.outputs = [:]
            for (path, record) in renderedByPath { replacedOutputs.append((path, updated.updateValue(record, forKey: path))) }
            state.outputs = updated
        } else {
            var newOutputs: [String: OutputRecord] = [:]
            newOutputs.reserveCapacity(jobs.count)
            for (index, job) in jobs.enumerated() {
                if let record = rendered[index] ?? outputs[job.outputPath] { newOutputs[job.outputPath] = record }
            }
            previousOutputs = state.outputs
            state.outputs = newOutputs
        }
        renderedByPath = [:]
        if !policy.keepsHTML {
            // Every page is rendered: dropped now, the HTML is not copied with the rest into the saved state.
            pageRecords = []
            state.dropHTML()
        }
        // What this build carries to the next once it commits: in this session's memory, or saved with the state.
        // Readers of the last build's outputs carry over while the outputs are the same; the new records' reads
        // are added (a reader that no longer reads a key is only checked once too often).
        var readers = carried?.readers
        if readers != nil {
            for (index, record) in rendered { readers?.add(Int32(index), reading: record.reads, site: site) }
        }
        let next = Committed(
            table: table, jobs: jobs.count, readers: readers, markdownEnvironment: renderer.environment,
            markdownOptions: markdownOptions.value, globals: globals, summaryTemplate: summaryTemplate,
            views: hashes.views, pages: hashes.pages, outputBySitePath: outputBySitePath, fragmentPages: fragmentPages,
            copies: copies.map(\.path)
        )
        let carriedOn = policy.savesState ? CarriedSession(
            model: Model(key: modelKey, site: site, jobs: jobs, identities: identities, layouts: layouts, listings: listingHashes, places: places,
                         lists: lists),
            fileCount: markdownFileCount, excludedProblems: excluded, committed: next, outputs: state.outputs, data: decodedData
        ) : nil
        let previousPDFs = state.pdfs
        state.pdfs = pdfRecords
        // The index's files that changed, or all of them; the rest are kept.
        var searchFiles: [OutputFile] = []
        var searchFailure: Error?
        var searchMade: SearchIndex?
        let previousSearchFiles = state.searchFiles
        if let searchBefore {
            let stage = SearchStage(paths: searchPaths, inPlace: searchInPlace, written: previousSearchFiles, output: options.output)
            var plan: SearchStage.Plan?
            do {
                plan = try await stage.plan(
                    index: searchNow ?? SearchIndex(entries: Self.searchEntries(state.outputs, paths: Set(searched.keys.map { jobs[$0].outputPath })),
                                                    reusingIDsOf: searchBefore),
                    before: searchBefore, candidates: searchCandidates, keep: knewManifest ? nil : { await transaction.keep($0) }
                )
            } catch {
                searchFailure = error
            }
            let made = plan?.patched ?? []
            let current = Set(searchPaths)
            var recorded = searchInPlace ? previousSearchFiles.filter { current.contains($0.key) } : [:]
            searchFiles = made.map { OutputFile(path: $0.path, bytes: $0.bytes) }
            for file in searchFiles { recorded[file.path] = ContentHash.hash(file.bytes) }
            var written = searchFiles.count
            // Put in the transaction a batch at a time as they are made: a large site's index is not held whole.
            if let plan {
                do {
                    try await plan.index.files(plan.rest) { batch in
                        let files = batch.map { OutputFile(path: $0.path, bytes: $0.bytes) }
                        for file in files { recorded[file.path] = ContentHash.hash(file.bytes) }
                        written += files.count
                        try await transaction.put(files)
                    }
                } catch {
                    searchFailure = error
                }
            }
            counts.searchFilesWritten = written
            state.searchFiles = recorded
            searchMade = searchFailure == nil ? plan?.index : nil
            clock.mark("search")
        } else {
            state.searchFiles = [:]
        }
        do {
            if let searchFailure { throw searchFailure }
            try await transaction.put(attachments + pdfFiles + searchFiles)
            try await transaction.copy(copies)
            let written = try await transaction.commit(state: policy.savesState ? savedState(carrying: carriedOn) : nil)
            counts.filesWritten = written.written
            counts.filesRemoved = written.removed
            manifest = policy.keepsTree ? await transaction.committed : nil
        } catch {
            if carried != nil {
                for (path, record) in replacedOutputs.reversed() { state.outputs[path] = record }
            } else {
                state.outputs = previousOutputs
            }
            state.pdfs = previousPDFs
            state.searchFiles = previousSearchFiles
            if error is SearchStage.TextsLost {
                // Nothing was committed: the output is the last commit's.
                manifest = await transaction.abort()
                // The pages whose text the index could not read back are rendered by the build made again, which
                // makes the whole index from the texts: the index in the output is not what the state describes.
                for (path, record) in state.outputs where record.search?.hasText == false {
                    state.outputs[path] = OutputRecord(reads: record.reads, ids: record.ids)
                }
                state.searchFiles = [:]
                return nil
            }
            manifest = nil
            await transaction.abort()
            throw DiagnosticsError([.error(at: SourceLocation(file: String(outputDisplay.dropLast())), field: "output", "\(error)")])
        }
        if policy.keepsTree {
            committed = next
            searchIndex = searchMade
            pageFiles = PageFiles(fileCount: markdownFileCount, records: pageRecords, excludedProblems: excluded)
        }
        // A one-off build needs no HTML after it wrote the pages: the next build reads what it must again.
        if !policy.keepsHTML { state.dropHTML() }
        clock.mark("write")
        return BuildPipeline.report(pages: jobs.count, dataSets: site.dataSets.count, copies: copies.count, counts: counts, problems: problems, clock: clock)
    }

    /// WeasyPrint, looked for once per session.
    func findPrinter() -> PDFPrinter? {
        if let printer { return printer }
        let found = PDFPrinter.find(binary: ToolBinary.path)
        printer = .some(found)
        return found
    }

    /// Keeps what the Markdown and view stages computed: it is valid whatever becomes of this build.
    /// - Parameter only: the indices of the records that may differ from the state's (nil: any).
    func remember(_ records: [PageRecord], only: Set<Int>? = nil) {
        for record in only.map({ $0.sorted().map { records[$0] } }) ?? records {
            guard let page = record.page else { continue }
            var kept = record
            if !page.body.isEmpty { kept.page = page.withoutBody() }
            state.pages[page.sourcePath] = kept
        }
    }


    /// Reads the sources: only the named files when a watcher named them, else every file whose stamp changed.
    /// Either way `read` names the files read again.
    func load(changed: [String]?, listing: SourceReader.Listing?, trustBefore: Int64) async -> SourceTree {
        let reader = SourceReader(
            contentRoot: options.content, templatesRoot: options.templates,
            contentDisplay: options.display(options.content), templatesDisplay: options.display(options.templates)
        )
        if let changed, var previous = tree, let split = split(changed) {
            tree = nil  // so the update edits the arrays in place instead of copying them
            if await reader.update(&previous, content: split.content, templates: split.templates) { return previous }
        }
        var reuse: [String: (stamp: FileStamp, text: String)] = [:]
        for (path, record) in state.pages {
            guard let stamp = record.stamp, stamp.modified < trustBefore else { continue }
            reuse[path] = (stamp, "")
        }
        return await reader.read(reuse: reuse, listing: listing)
    }

    /// Compiles the templates, or takes them from the last build when their texts are the same.
    func compileTemplates(_ files: [TextFile], display: String, problems: inout [Diagnostic]) -> TemplateLibrary? {
        var hash = StableHash()
        for file in files { hash.add(file.path); hash.add(file.text) }
        if let library, library.hash == hash.value { return library.library }
        switch TemplateLibrary.compile(files, displayRoot: display) {
        case .success(let compiled):
            library = (hash.value, compiled)
            return compiled
        case .failure(let error):
            problems += error.diagnostics
            return nil
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

    /// The files copied as they are: template assets under `assets/`, and the files beside the content.
    func copies(of site: Site) -> [OutputCopy] {
        site.templateAssets.sorted().map {
            OutputCopy(source: options.templates.appendingPathComponent("assets").appendingPathComponent($0), path: "assets/" + $0)
        } + site.contentAssets.sorted().map { OutputCopy(source: options.content.appendingPathComponent($0), path: $0) }
    }
}

extension BuildSession {
    /// The site configuration (with the command line's base URL) and the data sets.
    /// `decoded` holds each data file as last decoded: a file whose text is the same is not decoded again.
    static func settings(
        _ tree: SourceTree, options: BuildOptions, contentDisplay: String, templatesDisplay: String = "Templates/",
        decoded: inout [String: (hash: UInt64, result: Result<DataSet, DiagnosticsError>)]
    ) -> (SiteConfig, [String: DataSet], [Diagnostic]) {
        var problems: [Diagnostic] = []
        var config = SiteConfig()
        switch ConfigLoader.load(tree.config, displayRoot: contentDisplay) {
        case .success(let loaded): config = loaded
        case .failure(let error): problems += error.diagnostics
        }
        if let baseURL = options.baseURL { config.baseURL = baseURL }
        let (strings, stringsProblems) = StringsLoader.load(
            tree.strings, config: config, templates: tree.templates, templatesDisplay: templatesDisplay, contentDisplay: contentDisplay)
        config.strings = strings
        problems += stringsProblems
        let (fields, fieldsProblems) = FieldsLoader.load(tree.fields, templatesDisplay: templatesDisplay)
        config.fields = fields
        problems += fieldsProblems
        if config.numbering.tables.isEmpty { config.numbering.tables = strings("numbering.table") }
        if config.numbering.figures.isEmpty { config.numbering.figures = strings("numbering.figure") }

        var dataSets: [String: DataSet] = [:]
        var kept: [String: (hash: UInt64, result: Result<DataSet, DiagnosticsError>)] = [:]
        for file in tree.data {
            let display = contentDisplay + file.path
            let sheet = config.sheets[Self.fileName(file.path)]
            let hash = Self.dataFileHash(file, sheet: sheet)
            let result = decoded[file.path].flatMap { $0.hash == hash ? $0.result : nil } ?? DataFileDecoder.decode(file, path: display, sheet: sheet)
            kept[file.path] = (hash, result)
            switch result {
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
        decoded = kept
        // Row pages declared in site.yaml, for data sets whose files do not (or cannot) declare them.
        for name in config.rowPages.keys.sorted() {
            guard dataSets[name] != nil else {
                problems.append(.error(
                    at: SourceLocation(file: contentDisplay + SourceReader.configName), field: "row_pages.\(name)",
                    "no data set '\(name)' under \(SourceReader.dataFolder)/",
                    hint: Suggestion.closest(to: name, among: Array(dataSets.keys)).map { "did you mean '\($0)'?" } ?? "name a data file without its extension"
                ))
                continue
            }
            dataSets[name]?.pages = config.rowPages[name]
        }
        for name in dataSets.keys.sorted() { problems += RowPages.sitePaths(of: dataSets[name]!).problems }
        // A sheet named for a workbook that is not there is a misspelt file name.
        let workbooks = tree.data.map { Self.fileName($0.path) }.filter(TextFile.isBinary)
        for name in config.sheets.keys.sorted() where !workbooks.contains(name) {
            problems.append(.error(
                at: SourceLocation(file: contentDisplay + SourceReader.configName), field: "sheets",
                "no workbook '\(name)' under \(SourceReader.dataFolder)/",
                hint: Suggestion.closest(to: name, among: workbooks).map { "did you mean '\($0)'?" } ?? "name an .xlsx file under data/"
            ))
        }
        return (config, dataSets, problems)
    }

    static func fileName(_ path: String) -> String {
        path.split(separator: "/").last.map(String.init) ?? path
    }

    /// What a data file's data set is made from: its text or bytes, and the sheet the site names for it.
    static func dataFileHash(_ file: TextFile, sheet: String?) -> UInt64 {
        var hash = StableHash()
        hash.add(file.text)
        if let bytes = file.bytes { hash.add(bytes.withUnsafeBytes { ContentHash.hash($0) }) }
        hash.add(sheet ?? "")
        return hash.value
    }

    /// What the site's listings and the plan read besides the pages: the configuration, the options and the
    /// templates (nil: they did not compile).
    static func modelKey(_ tree: SourceTree, options: BuildOptions, templates: UInt64?, rowPages: UInt64 = 0) -> UInt64 {
        var hash = StableHash()
        hash.add(rowPages)
        hash.add(tree.config?.text ?? "")
        for file in tree.strings { hash.add(file.path); hash.add(file.text) }
        hash.add(tree.fields?.text ?? "")
        hash.add(options.baseURL ?? "-")
        hash.add(options.drafts)
        hash.add(templates ?? 0)
        hash.add(templates != nil)
        return hash.value
    }

    /// Which data rows have pages, and where: the plan's jobs for them.
    static func rowPagesHash(_ dataSets: [String: DataSet]) -> UInt64 {
        var hash = StableHash()
        for name in dataSets.keys.sorted() {
            guard let set = dataSets[name], let pages = set.pages else { continue }
            hash.add(name)
            hash.add(pages.layout ?? "")
            for path in RowPages.sitePaths(of: set).paths { hash.add(path) }
        }
        return hash.value
    }

    /// The hashes of the build-wide inputs templates read (views and pages are added once they are computed).
    /// - Parameter listings: the hashes of a build whose site had the same listings, which are then taken over.
    static func inputHashes(_ site: Site, tree: SourceTree, options: BuildOptions, listings: InputHashes? = nil) -> InputHashes {
        var hashes = InputHashes()
        var config = StableHash()
        config.add(tree.config?.text ?? "")
        // The theme's strings are read like the configuration: through `site.strings` and the engine's words.
        for file in tree.strings { config.add(file.path); config.add(file.text) }
        config.add(tree.fields?.text ?? "")
        config.add(options.baseURL ?? "-")
        config.add(options.drafts)
        hashes.config = config.value
        if let listings {
            hashes.tags = listings.tags
            hashes.navigation = listings.navigation
            hashes.titles = listings.titles
            hashes.sectionNames = listings.sectionNames
            hashes.sections = listings.sections
        } else {
            Self.listingHashes(site, into: &hashes)
        }
        var dataNames = StableHash()
        for file in tree.data.sorted(by: { $0.path < $1.path }) {
            let name = (file.path.split(separator: "/").last.map(String.init) ?? file.path).split(separator: ".").dropLast().joined(separator: ".")
            dataNames.add(name)
            var data = StableHash()
            data.add(file.path)
            data.add(dataFileHash(file, sheet: site.config.sheets[fileName(file.path)]))
            hashes.data[name] = data.value
        }
        hashes.dataNames = dataNames.value
        return hashes
    }

    /// The hashes of what the site's listings show: tags, navigation, section titles and members.
    static func listingHashes(_ site: Site, into hashes: inout InputHashes) {
        hashes.tags = ContextBuilder.tagsValue(site).stableHash
        var navigation = StableHash()
        for entry in ContextBuilder.navigationEntries(site) { navigation.add(entry.title); navigation.add(entry.target) }
        hashes.navigation = navigation.value
        var titles = StableHash()
        for (name, title) in ContextBuilder.sectionTitles(site, navigationPath: { ContextBuilder.navigationSitePath($0, site: site) }).sorted(by: { $0.key < $1.key }) {
            titles.add(name)
            titles.add(title)
        }
        hashes.titles = titles.value
        var names = StableHash()
        for name in site.sections.keys.sorted() {
            names.add(name)
            hashes.sections[name] = PageJob.membersHash(site.sections[name] ?? [], site: site)
        }
        hashes.sectionNames = names.value
    }

    /// Where every page and file lives: what a page's links could read.
    static func placesHash(_ site: Site) -> UInt64 {
        var hash = StableHash()
        for page in site.pages { hash.add(page.sourcePath); hash.add(page.sitePath) }
        for asset in site.contentAssets.sorted() { hash.add(asset) }
        for asset in site.templateAssets.sorted() { hash.add(asset) }
        return hash.value
    }

    /// Everything a page's links and tables could read: where every page and file lives, and the data sets.
    static func markdownEnvironment(places: UInt64, hashes: InputHashes) -> UInt64 {
        var hash = StableHash()
        hash.add(places)
        for name in hashes.data.keys.sorted() { hash.add(name); hash.add(hashes.data[name] ?? 0) }
        return hash.value
    }

    /// The layout of the theme's search page; a theme without one has no search.
    static let searchLayout = "layouts.search"

    /// The search entries of the records, by URL: of all of them, or of those at `paths`.
    static func searchEntries(_ outputs: [String: OutputRecord], paths: Set<String>?) -> [String: SearchEntry] {
        var entries: [String: SearchEntry] = [:]
        if let paths {
            for path in paths { if let entry = outputs[path]?.search { entries[entry.url] = entry } }
        } else {
            for record in outputs.values { if let entry = record.search { entries[entry.url] = entry } }
        }
        return entries
    }

    /// The current hash of the keys that belong to one output's own job.
    static func ownHash(_ key: String, job: PageJob, identity: UInt64, layoutHash: UInt64, site: Site) -> UInt64? {
        switch key {
        case InputKey.job: return identity
        case InputKey.template: return layoutHash
        case InputKey.members: return PageJob.membersHash(SitePlanner.members(of: job, in: site) ?? [], site: site)
        case InputKey.recent: return PageJob.membersHash((SitePlanner.members(of: job, in: site) ?? []).prefix(6), site: site)
        default: return nil
        }
    }

    /// Renders the given jobs on all cores, each with its own recorder, putting the pages into the transaction
    /// chunk by chunk so the site is never all in memory at once; returns each one's record, and the HTML of
    /// those in `capture` (the pages printed to PDF).
    static func renderJobs(
        _ indices: [Int], jobs: [PageJob], identities: [UInt64], layoutHashes: [String: UInt64], templates: TemplateLibrary,
        contexts: ContextBuilder, transaction: OutputTransaction?, capture: Set<Int> = [], searched: [Int: (url: String, title: String)] = [:],
        layoutLocation: @escaping @Sendable (PageJob) -> SourceLocation, writeFailure: @escaping @Sendable (Error) -> Diagnostic
    ) async -> (results: [(Int, Result<OutputRecord, Diagnostic>)], html: [Int: String]) {
        let chunks = stride(from: 0, to: indices.count, by: 64).map { Array(indices[$0..<min(indices.count, $0 + 64)]) }
        let fragments = FragmentCache(siteWide: ContextBuilder.siteWideNames)
        let parts = await parallelMap(chunks, width: 2) { (chunk: [Int]) -> ([(Int, Result<OutputRecord, Diagnostic>)], [OutputFile], [Int: String]) in
            var files: [OutputFile] = []
            var out: [(Int, Result<OutputRecord, Diagnostic>)] = []
            var captured: [Int: String] = [:]
            for index in chunk {
                let job = jobs[index]
                let recorder = ReadRecorder()
                recorder.record(InputKey.job, identities[index])
                recorder.record(InputKey.template, layoutHashes[job.layout] ?? 0)
                guard let html = recorder.recording({ templates.render(job.layout, contexts.context(for: job, identity: identities[index]), fragments: fragments) }) else {
                    out.append((index, .failure(.error(at: layoutLocation(job), field: "layout", "layout not found"))))
                    continue
                }
                files.append(OutputFile(path: job.outputPath, bytes: Data(html.utf8)))
                let search = searched[index].map { SearchEntry(url: $0.url, title: $0.title, text: SearchText.of(html: html)) }
                out.append((index, .success(OutputRecord(reads: recorder.recorded, ids: AnchorChecker.ids(in: html), search: search))))
                if capture.contains(index) { captured[index] = html }
            }
            return (out, files, captured)
        } then: { (part: ([(Int, Result<OutputRecord, Diagnostic>)], [OutputFile], [Int: String])) async -> ([(Int, Result<OutputRecord, Diagnostic>)], [Int: String]) in
            guard let transaction, !part.1.isEmpty else { return (part.0, part.2) }
            do { try await transaction.put(part.1) } catch {
                let problem = writeFailure(error)
                return (part.0.map { ($0.0, .failure(problem)) }, [:])
            }
            return (part.0, part.2)
        }
        var html: [Int: String] = [:]
        for part in parts { html.merge(part.1) { a, _ in a } }
        return (parts.flatMap(\.0), html)
    }

    /// The records' problems of one kind, in page order; most records have none.
    @inline(__always)
    static func gathered(_ records: [PageRecord], _ kind: (PageRecord) -> [Diagnostic]) -> [Diagnostic] {
        var all: [Diagnostic] = []
        for record in records {
            let problems = kind(record)
            if !problems.isEmpty { all += problems }
        }
        return all
    }

    /// Every http(s) link target once, at its first place in page order.
    static func externalLinks(_ pages: [PageRecord]) -> [(url: String, location: SourceLocation)] {
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
}
