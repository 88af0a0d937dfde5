import Foundation
import TianshanLoad
import TianshanMarkdown
import TianshanModel
import TianshanRender
import TianshanWrite

/// Load → model → render → write. Nothing touches the output folder until every page rendered without error.
public enum BuildPipeline {
    /// The partial rendered once per page for listings (`{{{summaryHTML}}}`), when the theme has one.
    static let summaryView = "partials.summary"

    public static func build(_ options: BuildOptions) async throws(DiagnosticsError) -> BuildReport {
        var clock = PhaseClock()
        let contentDisplay = options.display(options.content)
        let templatesDisplay = options.display(options.templates)

        // Load
        let tree = await SourceReader(
            contentRoot: options.content, templatesRoot: options.templates,
            contentDisplay: contentDisplay, templatesDisplay: templatesDisplay
        ).read()
        var problems = tree.diagnostics
        clock.mark("read")

        // Model
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

        let loaded = await parallelMap(tree.markdown) { PageLoader.load($0, displayRoot: contentDisplay) }
        var pages: [Page] = []
        for result in loaded {
            switch result {
            case .success(let page): if options.drafts || !page.frontMatter.draft { pages.append(page) }
            case .failure(let error): problems += error.diagnostics
            }
        }
        let templates: TemplateLibrary?
        switch TemplateLibrary.compile(tree.templates, displayRoot: templatesDisplay) {
        case .success(let library): templates = library
        case .failure(let error): problems += error.diagnostics; templates = nil
        }
        let site = Site(
            config: config, pages: pages, dataSets: dataSets,
            contentAssets: Set(tree.contentAssets), templateAssets: Set(tree.templateAssets)
        )
        clock.mark("model")

        // Plan
        var jobs: [PageJob] = []
        if let templates {
            switch SitePlanner.plan(site, templates: templates, displayRoot: contentDisplay) {
            case .success(let planned): jobs = planned
            case .failure(let error): problems += error.diagnostics
            }
        }
        guard !problems.hasErrors, let templates else { throw DiagnosticsError(problems.sortedForReport()) }

        // Render: Markdown for every page first (listings need every summary), then templates.
        let linker = LinkResolver(site: site)
        let blocks = BlockRenderer(site: site)
        let markdown = await parallelMap(Array(site.pages.indices)) { index -> RenderedPage in
            let page = site.pages[index]
            let file = contentDisplay + page.sourcePath
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
            return RenderedPage(content: content, files: files, links: rendered.links, diagnostics: diagnostics)
        }
        problems += markdown.flatMap(\.diagnostics)
        clock.mark("markdown")
        guard !problems.hasErrors else { throw DiagnosticsError(problems.sortedForReport()) }

        var contexts = ContextBuilder(site: site, contents: markdown.map(\.content))
        if templates.contains(Self.summaryView) {
            let views = contexts
            let html = await parallelMap(Array(site.pages.indices)) { templates.render(Self.summaryView, views.summaryViewContext($0)) ?? "" }
            contexts.attachSummaryHTML(html)
        }
        let finalContexts = contexts
        let rendered = await parallelMap(jobs) { job -> Result<OutputFile, Diagnostic> in
            guard let html = templates.render(job.layout, finalContexts.context(for: job)) else {
                return .failure(.error(at: SourceLocation(file: templatesDisplay + job.layout.replacingOccurrences(of: ".", with: "/") + ".mustache"), field: "layout", "layout not found"))
            }
            return .success(OutputFile(path: job.outputPath, bytes: Data(html.utf8)))
        }
        var files: [OutputFile] = markdown.flatMap(\.files)
        files.reserveCapacity(rendered.count + files.count)
        for result in rendered {
            switch result {
            case .success(let file): files.append(file)
            case .failure(let problem): problems.append(problem)
            }
        }
        let anchors = AnchorChecker(site: site, jobs: jobs, files: files)
        for (index, page) in site.pages.enumerated() {
            problems += anchors.check(markdown[index].links, on: page)
        }
        clock.mark("templates")
        guard !problems.hasErrors else { throw DiagnosticsError(problems.sortedForReport()) }
        if options.dryRun {
            return report(files: files, pages: rendered.count, dataSets: dataSets.count, copies: 0, problems: problems, clock: clock)
        }

        // Write
        var copies = tree.templateAssets.map {
            OutputCopy(source: options.templates.appendingPathComponent("assets").appendingPathComponent($0), path: "assets/" + $0)
        }
        copies += tree.contentAssets.map { OutputCopy(source: options.content.appendingPathComponent($0), path: $0) }
        do {
            try await OutputWriter(outputRoot: options.output).write(files: files, copies: copies)
        } catch {
            throw DiagnosticsError([.error(at: SourceLocation(file: options.display(options.output)), "\(error)")])
        }
        clock.mark("write")
        return report(files: files, pages: rendered.count, dataSets: dataSets.count, copies: copies.count, problems: problems, clock: clock)
    }

    static func report(files: [OutputFile], pages: Int, dataSets: Int, copies: Int, problems: [Diagnostic], clock: PhaseClock) -> BuildReport {
        BuildReport(
            pagesWritten: pages, dataFiles: dataSets, filesCopied: copies,
            warnings: problems.filter { $0.severity == .warning }.sortedForReport(),
            phases: clock.phases, totalMilliseconds: clock.total
        )
    }
}

/// One page after the Markdown phase: its content for templates and the files it brings along.
struct RenderedPage: Sendable {
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
