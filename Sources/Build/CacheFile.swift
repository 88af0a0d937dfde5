import Foundation
import TianshanLoad
import TianshanMarkdown
import TianshanModel
import TianshanRender
import TianshanWrite

/// The build cache a command-line build leaves beside its output (`.Output.tianshan/cache`), so the next run
/// can take the quick path too: file stamps and hashes, the site's pages and listings, every job and its key,
/// and what listings show of each page. Rendered HTML is not kept; a page that has to be shown again is read
/// and rendered from its file. Anything unexpected in the file (another tianshan binary, other folders or
/// options, a truncated or corrupt file) makes it unusable, and the build runs without it.
enum CacheFile {
    static let magic = "tianshan-cache-1"

    static func url(_ options: BuildOptions) -> URL {
        OutputWriter(outputRoot: options.output).stateFolder.appendingPathComponent("cache")
    }

    /// Everything the cache's meaning depends on besides the sources: the binary and the options.
    static func identity(_ options: BuildOptions) -> String {
        let stamp = ToolBinary.stamp.map { "\($0.size)-\($0.modified)" } ?? "?"
        return [ToolBinary.path, stamp, options.content.standardizedFileURL.path, options.templates.standardizedFileURL.path,
                options.baseURL ?? "-", options.drafts ? "drafts" : "-", FileManager.default.currentDirectoryPath].joined(separator: "\u{1F}")
    }

    static func forget(_ options: BuildOptions) {
        try? FileManager.default.removeItem(at: url(options))
    }

    // MARK: Saving

    static func save(_ cache: BuildCache, options: BuildOptions) {
        guard let last = cache.last else { forget(options); return }
        let bytes = cache.encoded ?? encode(files: cache.files, readAt: cache.readAt, last: last, options: options)
        let target = url(options)
        try? FileManager.default.createDirectory(at: target.deletingLastPathComponent(), withIntermediateDirectories: true)
        let temporary = target.path + ".tmp-\(getpid())"
        // Written straight from the buffer: wrapping 100 MB in Data first would copy it.
        let written = bytes.withUnsafeBytes { raw -> Bool in
            guard let file = fopen(temporary, "wb") else { return false }
            let complete = fwrite(raw.baseAddress, 1, raw.count, file) == raw.count
            return fclose(file) == 0 && complete
        }
        if !written || rename(temporary, target.path) != 0 { unlink(temporary) }
    }

    static func encode(files: [String: CachedFile], readAt: Int64, last: LastBuild, options: BuildOptions) -> [UInt8] {
        var w = BinaryWriter()
        w.string(magic)
        w.string(identity(options))
        w.int(Int(readAt))
        let files = files.filter { $0.value.stamp != nil }.sorted { $0.key < $1.key }
        w.int(files.count)
        for (path, file) in files {
            w.string(path); w.int(Int(file.stamp!.size)); w.int(Int(file.stamp!.modified)); w.u64(file.hash)
        }

        w.optional(last.configText)
        for list in [last.data, last.templates] {
            w.int(list.count)
            for file in list { w.string(file.path); w.string(file.text) }
        }
        w.strings(last.contentAssets); w.strings(last.templateAssets); w.strings(last.markdownPaths)

        let site = last.site
        w.int(site.pages.count)
        for page in site.pages { w.page(page) }
        let sections = site.sections.sorted { $0.key < $1.key }
        w.int(sections.count)
        for (name, members) in sections { w.string(name); w.ints(members) }
        w.int(site.tags.count)
        for tag in site.tags { w.string(tag.name); w.ints(tag.pages) }
        w.ints(site.recentPages)

        w.int(last.jobs.count)
        for job in last.jobs { w.job(job) }
        let contentDisplay = options.display(options.content)
        for (index, page) in site.pages.enumerated() {
            let rendered = last.rendered[index]
            let content = last.contents[index]
            w.u64(rendered.key)
            w.strings(rendered.files.map(\.path))
            // Links stand in the page's own file, and most summaries are the front matter's: both go by reference.
            let file = contentDisplay + page.sourcePath
            w.int(rendered.links.count)
            for link in rendered.links {
                w.string(link.url)
                w.bool(link.location.file == file)
                if link.location.file == file { w.int(link.location.line); w.int(link.location.column) } else { w.location(link.location) }
                w.bool(link.isImage)
            }
            w.diagnostics(rendered.diagnostics)
            w.bool(content.summary == page.frontMatter.summary)
            if content.summary != page.frontMatter.summary { w.string(content.summary) }
            w.int(content.characters); w.int(content.readingMinutes)
            w.u64(last.summaryKeys[index])
            w.diagnostics(last.anchorProblems[index])
        }
        // Ids only of pages some #fragment link points at: nothing else is ever looked up.
        let targets = fragmentTargets(last)
        for (index, job) in last.jobs.enumerated() {
            w.u64(last.jobKeys[index])
            let known = targets.contains(job.outputPath) && !last.unknownIDs.contains(index)
            w.bool(known)
            if known { w.strings((last.anchorIDs[job.outputPath] ?? []).sorted()) }
        }
        w.diagnostics(last.otherWarnings)
        w.string(magic)
        return w.bytes
    }

    static func fragmentTargets(_ last: LastBuild) -> Set<String> {
        var targets = Set<String>()
        let base = last.site.config.basePath
        for (index, rendered) in last.rendered.enumerated() {
            for link in rendered.links where !link.isImage {
                guard let hash = link.url.firstIndex(of: "#") else { continue }
                let path = String(link.url[..<hash])
                if path.isEmpty {
                    targets.insert(last.site.pages[index].outputPath)
                } else if path.hasPrefix(base), let output = last.outputBySitePath["/" + path.dropFirst(base.count)] {
                    targets.insert(output)
                }
            }
        }
        return targets
    }

    // MARK: Loading

    static func load(_ options: BuildOptions) -> BuildCache? {
        guard let data = FileManager.default.contents(atPath: url(options).path) else { return nil }
        var r = BinaryReader([UInt8](data))
        do {
            guard try r.string() == magic, try r.string() == identity(options) else { return nil }
            var cache = BuildCache()
            cache.readAt = Int64(try r.int())
            for _ in 0..<(try r.count()) {
                let path = try r.string()
                let size = Int64(try r.int()), modified = Int64(try r.int())
                cache.files[path] = CachedFile(stamp: FileStamp(size: size, modified: modified), text: "", hash: try r.u64())
            }

            var tree = SourceTree()
            let configText = try r.optional()
            tree.config = configText.map { TextFile(path: SourceReader.configName, text: $0) }
            var lists: [[TextFile]] = []
            for _ in 0..<2 {
                var list: [TextFile] = []
                for _ in 0..<(try r.count()) { list.append(TextFile(path: try r.string(), text: try r.string())) }
                lists.append(list)
            }
            tree.data = lists[0]
            tree.templates = lists[1]
            tree.contentAssets = try r.strings()
            tree.templateAssets = try r.strings()
            let markdownPaths = try r.strings()
            tree.markdown = markdownPaths.map { TextFile(path: $0, text: "") }

            let contentDisplay = options.display(options.content)
            let (config, dataSets, problems) = BuildSession.settings(tree, options: options, contentDisplay: contentDisplay)
            guard !problems.hasErrors, case .success(let library) = TemplateLibrary.compile(tree.templates, displayRoot: options.display(options.templates)) else { return nil }
            let pageCount = try r.count()
            var pages: [Page] = []
            pages.reserveCapacity(pageCount)
            for _ in 0..<pageCount { pages.append(try r.page()) }
            var sections: [String: [Int]] = [:]
            for _ in 0..<(try r.count()) { let name = try r.string(); sections[name] = try r.ints() }
            var tags: [Tag] = []
            for _ in 0..<(try r.count()) { tags.append(Tag(name: try r.string(), pages: try r.ints())) }
            let recent = try r.ints()
            for list in sections.values.map({ $0 }) + tags.map(\.pages) + [recent] where list.contains(where: { $0 < 0 || $0 >= pageCount }) {
                return nil
            }
            let site = Site(config: config, pages: pages, dataSets: dataSets, contentAssets: Set(tree.contentAssets),
                            templateAssets: Set(tree.templateAssets), sections: sections, tags: tags, recentPages: recent)

            var jobs: [PageJob] = []
            for _ in 0..<(try r.count()) {
                let job = try r.job()
                switch job.kind {
                case .content(let i): guard i >= 0, i < pageCount else { return nil }
                case .tag(let i): guard i >= 0, i < tags.count else { return nil }
                default: break
                }
                jobs.append(job)
            }

            var rendered: [RenderedPage] = []
            var contents: [PageContent] = []
            var summaryKeys: [UInt64] = []
            var anchorProblems: [[Diagnostic]] = []
            for page in pages {
                let key = try r.u64()
                let files = try r.strings().map { OutputFile(path: $0, bytes: Data()) }
                let file = contentDisplay + page.sourcePath
                var links: [LinkReference] = []
                for _ in 0..<(try r.count()) {
                    let url = try r.string()
                    let location = try r.bool() ? SourceLocation(file: file, line: try r.int(), column: try r.int()) : try r.location()
                    links.append(LinkReference(url: url, location: location, isImage: try r.bool()))
                }
                let diagnostics = try r.diagnostics()
                let summary = try r.bool() ? page.frontMatter.summary ?? "" : try r.string()
                let content = PageContent(html: "", headings: [], summary: summary, characters: try r.int(), readingMinutes: try r.int())
                rendered.append(RenderedPage(key: key, content: content, files: files, links: links, diagnostics: diagnostics))
                contents.append(content)
                summaryKeys.append(try r.u64())
                anchorProblems.append(try r.diagnostics())
            }
            var jobKeys: [UInt64] = []
            var jobIDs: [Set<String>] = []
            var unknown = Set<Int>()
            for index in jobs.indices {
                jobKeys.append(try r.u64())
                if try r.bool() { jobIDs.append(Set(try r.strings())) } else { jobIDs.append([]); unknown.insert(index) }
            }
            let otherWarnings = try r.diagnostics()
            guard try r.string() == magic, r.offset == r.bytes.count else { return nil }

            // Listing views are computed when a listing that shows them is rendered, once each.
            let siteValue = ContextBuilder.siteValue(site)
            let lite = contents
            let summaries = pages.indices.map { index in
                CachedSummary(key: 0, value: .lazy(.once {
                    BuildSession.listingView(index, site: site, contents: lite, templates: library, siteValue: siteValue)
                }), shown: summaryKeys[index])
            }
            let keys = BuildKeys(site: site, tree: tree, options: options, files: cache.files)
            let layouts = LayoutFacts(library, layouts: Set(jobs.map(\.layout)))
            var last = LastBuild(
                tree: tree, site: site, jobs: jobs, library: library, keys: keys, layouts: layouts, rendered: rendered,
                summaries: summaries, anchorProblems: anchorProblems, jobKeys: jobKeys, jobIDs: jobIDs, otherWarnings: otherWarnings
            )
            last.missingContent = Set(pages.indices)
            last.unknownIDs = unknown
            cache.last = last
            return cache
        } catch {
            return nil
        }
    }
}
