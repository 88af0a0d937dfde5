import Foundation
import TianshanLoad
import TianshanModel
import TianshanRender
import TianshanWrite

extension BuildSession {
    /// The quick path: when only the text of some pages changed and nothing that decides the site's shape did
    /// (configuration, data, templates, assets, the set of pages, and each changed page's place in listings: its
    /// path, title, date, weight, tags, layout and draft flag), the last build's site, jobs and keys stay valid.
    /// Then only the changed pages' Markdown, their summaries and the jobs that show them are redone, and every
    /// other output is kept without being looked at. Returns nil to send the build down the full path, which
    /// also reports any problem; the quick path never reports one itself.
    func quickBuild(tree: SourceTree, hinted: Bool, clock: PhaseClock) async -> BuildReport? {
        var clock = clock
        guard !options.dryRun, tree.diagnostics.isEmpty, var last = cache.last else { return nil }
        guard tree.markdown.count == last.markdownPaths.count, tree.config?.text == last.configText,
              tree.data == last.data, tree.templates == last.templates,
              tree.contentAssets == last.contentAssets, tree.templateAssets == last.templateAssets else { return nil }
        let contentDisplay = options.display(options.content)
        var counts = BuildReport.Counts()

        // Which Markdown files changed, and do they keep their place in the site?
        var touched: [(TextFile, UInt64)] = []
        for (index, file) in tree.markdown.enumerated() {
            guard file.path == last.markdownPaths[index] else { return nil }
            if tree.read.contains(file.path) { touched.append((file, ContentHash.hash(file.text))) }
        }
        counts.filesRead = touched.count
        var changes: [(index: Int, page: Page, hash: UInt64)] = []
        for (file, hash) in touched where cache.files[file.path]?.hash != hash {
            guard case .success(let page) = PageLoader.load(file, displayRoot: contentDisplay),
                  let index = last.site.pageBySource[file.path],
                  Self.sameShape(last.site.pages[index], page) else { return nil }
            changes.append((index, page, hash))
        }
        func remember() {
            for (file, hash) in touched {
                cache.files[file.path] = CachedFile(stamp: tree.stamps[file.path], text: file.text, hash: hash)
            }
            for change in changes { cache.pages[change.page.sourcePath] = CachedPage(hash: change.hash, result: .success(change.page)) }
        }
        clock.mark("model")
        // Even with no page changed, go on: an asset's bytes may have changed under the same name.
        // From here on `last` is this build's state; the session keeps it only if the build succeeds.
        cache.last = nil

        // Markdown and summaries of the changed pages.
        var edited = last.site
        for change in changes { edited.pages[change.index] = change.page }
        let site = edited
        last.keys.update(changes)
        let keys = last.keys
        let linker = LinkResolver(site: site)
        let blocks = BlockRenderer(site: site)
        let rendered = await parallelMap(changes) { change in
            BuildSession.renderMarkdown(change.page, site: site, linker: linker, blocks: blocks,
                                        file: contentDisplay + change.page.sourcePath, key: keys.markdownKey(change.page))
        }
        guard !rendered.contains(where: { $0.diagnostics.hasErrors }) else { return nil }
        var oldAttachments = Set<String>()
        for (change, page) in zip(changes, rendered) {
            oldAttachments.formUnion(last.rendered[change.index].files.map(\.path))
            last.rendered[change.index] = page
            last.missingContent.remove(change.index)
        }
        counts.markdownRendered = changes.count
        clock.mark("markdown")

        let templates = last.library
        for change in changes { last.contents[change.index] = last.rendered[change.index].content }
        var contents = last.contents
        let siteValue = ContextBuilder.siteValue(site)
        var viewsChanged: [Int] = []
        var summaries: [CachedSummary] = []
        for change in changes {
            let key = keys.summaryKey(change.page, summaryView: last.layouts.summaryView)
            let summary = CachedSummary(key: key, value: Self.listingView(change.index, site: site, contents: contents, templates: templates, siteValue: siteValue))
            if summary.shown != last.summaryKeys[change.index] { viewsChanged.append(change.index) }
            last.summaryValues[change.index] = summary.value
            last.summaryKeys[change.index] = summary.shown
            summaries.append(summary)
        }

        // The jobs that show a changed page: its own, and if its listing view changed, the listings it is in
        // and those gathering every page.
        var dirty = Set<Int>()
        for change in changes {
            if let own = last.contentJob[change.index] { dirty.insert(own) }
        }
        if !viewsChanged.isEmpty {
            dirty.formUnion(last.gatheringJobs)
            for index in viewsChanged { dirty.formUnion(last.listedBy[index]) }
        }
        let gathered = BuildKeys.gathered(last.summaryKeys)
        var toRender: [Int] = []
        for index in dirty.sorted() {
            let key = keys.jobKey(last.jobs[index], layouts: last.layouts, shown: last.summaryKeys, gathered: gathered)
            if key != last.jobKeys[index] {
                last.jobKeys[index] = key
                toRender.append(index)
            }
        }
        // Pages shown by a job that must be rendered but whose HTML a cache read from disk does not hold (a
        // section page listing an edited case): read and render them again; their bytes cannot have changed.
        for index in toRender {
            guard case .content(let page) = last.jobs[index].kind, last.missingContent.contains(page) else { continue }
            let path = site.pages[page].sourcePath
            guard case .success(let text) = SourceReader.readText(options.content.appendingPathComponent(path), display: contentDisplay + path),
                  ContentHash.hash(text) == cache.files[path]?.hash,
                  case .success(let fresh) = PageLoader.load(TextFile(path: path, text: text), displayRoot: contentDisplay),
                  Self.sameShape(site.pages[page], fresh) else { return nil }
            let again = BuildSession.renderMarkdown(fresh, site: site, linker: linker, blocks: blocks,
                                                    file: contentDisplay + fresh.sourcePath, key: last.rendered[page].key)
            guard !again.diagnostics.hasErrors else { return nil }
            last.rendered[page] = again
            last.contents[page] = again.content
            contents[page] = again.content
            last.missingContent.remove(page)
        }
        let contexts = ContextBuilder(site: site, contents: contents, summaries: last.summaryValues)
        let jobs = last.jobs
        let htmls = await parallelMap(toRender) { index in templates.render(jobs[index].layout, contexts.context(for: jobs[index])) }
        guard !htmls.contains(where: { $0 == nil }) else { return nil }
        var anchorsMoved = false
        var files: [OutputFile] = []
        for (index, html) in zip(toRender, htmls) {
            let html = html ?? ""
            let ids = AnchorChecker.ids(in: html)
            if ids != last.anchorIDs[jobs[index].outputPath] { anchorsMoved = true }
            last.unknownIDs.remove(index)
            last.anchorIDs[jobs[index].outputPath] = ids
            files.append(OutputFile(path: jobs[index].outputPath, bytes: Data(html.utf8)))
        }
        counts.pagesRendered = toRender.count

        // Links with a #fragment: all pages again if some page's ids changed, else only the changed pages.
        let anchors = AnchorChecker(site: site, ids: last.anchorIDs, outputBySitePath: last.outputBySitePath)
        let recheck = anchorsMoved ? Array(site.pages.indices) : changes.map(\.index)
        for index in recheck { last.anchorProblems[index] = anchors.check(last.rendered[index].links, on: site.pages[index]) }
        guard !last.anchorProblems.contains(where: { $0.hasErrors }) else { return nil }
        clock.mark("templates")

        // Write: keep every other file as it is, and put the re-rendered pages and the changed pages' attachments.
        let writer = OutputWriter(outputRoot: options.output)
        guard let transaction = try? writer.begin(known: hinted ? cache.manifest : nil, trustOutput: hinted && trustsOutput) else { return nil }
        let copies = copies(of: site)
        let replaced = Set(files.map(\.path)).union(oldAttachments).union(copies.map(\.path))
        guard await transaction.keepAll(except: replaced) else {
            await transaction.abort()
            return nil
        }
        do {
            try await transaction.put(files)
            try await transaction.put(changes.indices.flatMap { rendered[$0].files })
            try await transaction.copy(copies)
            let written = try await transaction.commit()
            counts.filesWritten = written.written
            counts.filesRemoved = written.removed
        } catch {
            await transaction.abort()
            cache.manifest = nil
            return nil
        }
        cache.manifest = await transaction.committed

        remember()
        for ((change, page), summary) in zip(zip(changes, rendered), summaries) {
            cache.markdown[change.page.sourcePath] = page
            cache.summaries[change.page.sourcePath] = summary
        }
        for index in toRender {
            cache.jobs[jobs[index].outputPath] = CachedJob(key: last.jobKeys[index], ids: last.anchorIDs[jobs[index].outputPath] ?? [])
        }
        last.site = site
        let problems = last.otherWarnings + last.rendered.flatMap(\.diagnostics) + last.anchorProblems.joined()
        cache.last = last
        clock.mark("write")
        var report = BuildPipeline.report(pages: jobs.count, dataSets: site.dataSets.count, copies: copies.count, counts: counts, problems: problems, clock: clock)
        report.quickPath = true
        return report
    }

    /// Whether a page edit leaves everything other pages see of it, except its summary, as it was.
    static func sameShape(_ a: Page, _ b: Page) -> Bool {
        a.sourcePath == b.sourcePath && a.sitePath == b.sitePath && a.outputPath == b.outputPath && a.kind == b.kind
            && a.section == b.section && a.title == b.title && a.frontMatter.date == b.frontMatter.date
            && a.frontMatter.weight == b.frontMatter.weight && a.frontMatter.tags == b.frontMatter.tags
            && a.frontMatter.draft == b.frontMatter.draft && a.frontMatter.layout == b.frontMatter.layout
            && a.frontMatter.slug == b.frontMatter.slug
    }
}
