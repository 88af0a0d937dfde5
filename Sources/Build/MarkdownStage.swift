import Foundation
import TianshanLoad
import TianshanMarkdown
import TianshanModel
import TianshanRender
import TianshanWrite

/// The Markdown stage: renders pages' bodies (libcmark and our tree transforms, tables and charts) and keeps
/// the result in their records. A page loaded from the saved state has no body; it is read from its file again.
struct MarkdownStage: Sendable {
    let site: Site
    let options: BuildOptions
    let contentDisplay: String
    let linker: LinkResolver
    let blocks: BlockRenderer

    /// `markdownEnvironment` of this build (see `PageRecord`).
    let environment: UInt64
    /// The hash of the site options Markdown renders with, part of every page's `markdownKey`.
    let optionsHash: UInt64
    /// The bodies of the pages loaded by this build, by source path: pages hold none, so that a build does not
    /// keep every page's Markdown until it ends. A page without one here is read from its file again.
    var bodies: [String: String] = [:]

    init(site: Site, options: BuildOptions, contentDisplay: String, dataHashes: [String: UInt64], environment: UInt64, optionsHash: UInt64) {
        self.site = site
        self.optionsHash = optionsHash
        self.options = options
        self.contentDisplay = contentDisplay
        linker = LinkResolver(site: site)
        blocks = BlockRenderer(site: site, dataHashes: dataHashes)
        // Which rows have pages, and their titles, which tables and the search for mentions read.
        var hash = StableHash()
        hash.add(environment)
        hash.add(blocks.mentionsHash)
        for name in blocks.rowPathHashes.keys.sorted() { hash.add(name); hash.add(blocks.rowPathHashes[name] ?? 0) }
        self.environment = hash.value
    }

    /// What a page's Markdown is rendered from besides what it reads: its text and the options.
    func key(of record: PageRecord) -> UInt64 {
        StableHash.of(record.hash, optionsHash)
    }

    /// Whether a page's Markdown as last rendered is still what rendering it now would give.
    func isCurrent(_ record: PageRecord) -> Bool {
        guard record.markdownKey == key(of: record), record.content != nil else { return false }
        if record.markdownEnvironment == environment { return true }
        return record.markdownReads.allSatisfy { read in (linker.current(read.key) ?? blocks.current(read.key)) == read.value }
    }

    /// Renders the pages at `indices` (by page index), updating their records and adding their table downloads
    /// to `attachments`. Returns how many were rendered.
    func render(_ indices: [Int], records: inout [PageRecord], attachments: inout [OutputFile]) async -> Int {
        guard !indices.isEmpty else { return 0 }
        // Only these records go to the tasks, so that putting them back does not copy the whole array.
        let work = indices.map { ($0, records[$0]) }
        let results = await parallelMap(work) { (index: Int, before: PageRecord) -> (PageRecord, [OutputFile]) in
            var record = before
            var page = site.pages[index]
            let file = contentDisplay + page.sourcePath
            if let body = bodies[page.sourcePath] {
                page = page.withBody(body)
            } else if page.body.isEmpty {
                switch reload(page, hash: record.hash) {
                case .success(let fresh): page = fresh
                case .failure(let problem):
                    record.problems = [problem]
                    return (record, [])
                }
            }
            let recorder = ReadRecorder()
            let rendered = recorder.recording { Self.render(page, site: site, linker: linker, blocks: blocks, file: file) }
            record.markdownKey = key(of: record)
            record.markdownEnvironment = environment
            record.markdownReads = recorder.recorded
            record.content = rendered.content
            record.contentHash = Self.hash(rendered.content)
            record.hasHTML = true
            record.attachments = rendered.files.map(\.path)
            record.links = rendered.links
            record.problems = rendered.diagnostics
            return (record, rendered.files)
        }
        for (index, (record, files)) in zip(indices, results) {
            records[index] = record
            attachments += files
        }
        return indices.count
    }

    static func hash(_ content: PageContent) -> UInt64 {
        var hash = StableHash()
        hash.add(content.html)
        hash.add(content.summary)
        hash.add(content.characters)
        hash.add(content.readingMinutes)
        for heading in content.headings { hash.add(heading.level); hash.add(heading.text); hash.add(heading.id) }
        for name in content.tables.keys.sorted() { hash.add(name); hash.add(content.tables[name] ?? "") }
        for block in content.captioned {
            hash.add(block.kind.rawValue); hash.add(block.id); hash.add(block.label); hash.add(block.caption)
            hash.add(block.dataSet); for row in block.rows { hash.add(row) }
        }
        for name in content.mentions { hash.add(name) }
        return hash.value
    }

    /// The page read from its file again, which must still hold the text the page was loaded from.
    func reload(_ page: Page, hash: UInt64) -> Result<Page, Diagnostic> {
        let display = contentDisplay + page.sourcePath
        switch SourceReader.readText(options.content.appendingPathComponent(page.sourcePath), display: display) {
        case .failure(let problem): return .failure(problem)
        case .success(let text):
            guard ContentHash.hash(text) == hash else {
                return .failure(.error(at: SourceLocation(file: display), "the file changed while the site was being built", hint: "build again"))
            }
            switch PageLoader.load(TextFile(path: page.sourcePath, text: text), displayRoot: contentDisplay,
                                     fields: site.config.fields, firstHeading: MarkdownRenderer.firstHeading) {
            case .success(let fresh): return .success(fresh)
            case .failure(let error): return .failure(error.diagnostics.first ?? .error(at: SourceLocation(file: display), "cannot load the page"))
            }
        }
    }

    /// One page's Markdown: its content for templates, the files it brings along, its links and problems.
    static func render(_ page: Page, site: Site, linker: LinkResolver, blocks: BlockRenderer, file: String) -> (content: PageContent, files: [OutputFile], links: [LinkReference], diagnostics: [Diagnostic]) {
        let numbering = site.config.numbering
        let context = MarkdownContext(
            file: file, lineOffset: page.bodyLine - 1, brokenLinks: site.config.brokenLinks,
            numbering: numbering.numbers(layout: page.frontMatter.layout) ? numbering : nil,
            resolveLink: { url, isImage in linker.resolve(url, from: page, isImage: isImage) },
            renderBlock: { blocks.render($0, year: page.frontMatter.year) }
        )
        let rendered = MarkdownRenderer.render(page.body, options: site.config.markdown, context: context)
        var content = PageContent(rendered: rendered, frontMatterSummary: page.frontMatter.summary)
        content.mentions = blocks.mentions(in: rendered.plainText)
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
        return (content, files, rendered.links, diagnostics)
    }
}
