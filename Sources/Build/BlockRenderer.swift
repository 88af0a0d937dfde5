import Foundation
import TianshanCharts
import TianshanLoad
import TianshanMarkdown
import TianshanModel
import TianshanRender
import TianshanTables
import Yams

/// Renders table and chart specs, from ```table / ```chart blocks in Markdown and from `tables:` in front matter.
struct BlockRenderer: Sendable {
    let site: Site
    /// By data set name, the hashes recorded when a table reads the set (`InputKey.data`).
    let dataHashes: [String: UInt64]
    /// By data set name, for the sets whose rows have pages: the hash of those pages' paths, which a table that
    /// links to them reads (`InputKey.rowPaths`).
    let rowPathHashes: [String: UInt64]
    /// The titles of every data row with a page, which a page's text is searched for, and their hash
    /// (`InputKey.mentions`), which every page searched reads.
    let mentionNames: [String]
    let mentionsHash: UInt64

    init(site: Site, dataHashes: [String: UInt64]) {
        self.site = site
        self.dataHashes = dataHashes
        var pathHashes: [String: UInt64] = [:]
        var names = Set<String>()
        for (name, paths) in site.rowPaths {
            var hash = StableHash()
            for path in paths { hash.add(path) }
            pathHashes[name] = hash.value
            guard let set = site.dataSets[name], let pages = set.pages else { continue }
            for (row, path) in zip(set.rows, paths) where !path.isEmpty {
                let title = row[pages.titleField].text
                // A one-character name would be found everywhere.
                if title.count >= 2 { names.insert(title) }
            }
        }
        rowPathHashes = pathHashes
        mentionNames = names.sorted()
        var hash = StableHash()
        for name in mentionNames { hash.add(name) }
        mentionsHash = hash.value
    }

    /// The current hash of a key a page's Markdown read here, or nil for a key that is not one of these.
    func current(_ key: String) -> UInt64? {
        if key.hasPrefix("data:") { return dataHashes[String(key.dropFirst(5))] }
        let rowPaths = InputKey.rowPaths("")
        if key.hasPrefix(rowPaths) { return rowPathHashes[String(key.dropFirst(rowPaths.count))] ?? 0 }
        if key == InputKey.mentions { return mentionsHash }
        return nil
    }

    /// The titles of rows with pages that `text` (a page's body text) names.
    func mentions(in text: String) -> [String] {
        guard !mentionNames.isEmpty else { return [] }
        ReadRecorder.current?.record(InputKey.mentions, mentionsHash)
        return mentionNames.filter { text.contains($0) }
    }

    /// Markdown hook: claims ```table and ```chart blocks.
    /// `year`: the page's, which edition tables show.
    func render(_ request: BlockRequest, year: Int? = nil) -> Result<RenderedBlock, DiagnosticsError>? {
        let kind = request.info.split(separator: " ").first.map(String.init) ?? ""
        guard kind == "table" || kind == "chart" else { return nil }
        // The spec starts on the line after the opening fence.
        let location = request.location
        let spec: TableSpec
        switch YAMLDocument.decode(TableSpec.self, from: request.literal, file: location.file, lineOffset: location.line) {
        case .success(let decoded): spec = decoded
        case .failure(let problem): return .failure(DiagnosticsError([problem]))
        }
        return render(spec, asChart: kind == "chart", defaultID: "\(kind)-\(request.ordinal)", labels: request.labels, year: year, at: location)
    }

    func render(_ spec: TableSpec, asChart: Bool, defaultID: String, labels: BlockLabels = BlockLabels(), year: Int? = nil, at location: SourceLocation) -> Result<RenderedBlock, DiagnosticsError> {
        let id = Slug.make(spec.id ?? defaultID)
        guard !id.isEmpty else {
            return .failure(DiagnosticsError([.error(at: location, field: "id", "table id '\(spec.id ?? "")' has no letters or digits")]))
        }
        var table: Table
        ReadRecorder.current?.record(InputKey.data(spec.data), dataHashes[spec.data] ?? 0)
        switch TableBuilder.build(spec, id: id, dataSets: site.dataSets, year: year, words: site.config.strings) {
        case .success(let built): table = built
        case .failure(let error):
            return .failure(DiagnosticsError([.error(at: location, field: error.field, error.message, hint: error.hint)]))
        }
        if table.linkColumn != nil {
            ReadRecorder.current?.record(InputKey.rowPaths(spec.data), rowPathHashes[spec.data] ?? 0)
            for index in table.rows.indices {
                if let source = table.rows[index].source, let path = site.rowPath(spec.data, source) { table.rows[index].link = site.url(path) }
            }
        }
        let kind: CaptionedBlock.Kind = asChart || spec.type != nil ? .figure : .table
        table.label = labels.label(for: kind)
        var captioned = CaptionedBlock(kind: kind, id: id, label: table.label ?? "", caption: table.caption ?? "")
        if site.rowPaths[spec.data] != nil {
            captioned.dataSet = spec.data
            captioned.rows = table.sourceRows
        }
        let downloads = TableHTML.Downloads(csv: "\(id).csv", json: "\(id).json")
        let attachments = [
            Attachment(name: downloads.csv, bytes: TableExport.csv(table)),
            Attachment(name: downloads.json, bytes: TableExport.json(table)),
        ]
        if kind == .figure {
            switch ChartSVG.render(table, kind: spec.type ?? .bar, x: spec.x, y: spec.y, scale: spec.scale, downloads: downloads) {
            case .success(let html): return .success(RenderedBlock(html: html, attachments: attachments, captioned: captioned))
            case .failure(let error): return .failure(DiagnosticsError([.error(at: location, field: error.field, error.message)]))
            }
        }
        return .success(RenderedBlock(html: TableHTML.render(table, downloads: downloads), attachments: attachments, captioned: captioned))
    }

    /// Front matter `tables:` (a map of name → spec) for templates, as `page.tables.<name>`. Decoded from the
    /// front matter's own YAML, so that an error names the line of the spec that holds it.
    func frontMatterTables(_ page: Page, file: String) -> Result<(html: [String: String], attachments: [Attachment]), DiagnosticsError> {
        guard page.frontMatter.params["tables"] != nil else { return .success(([:], [])) }
        let lineOffset = page.frontMatterLine - 1
        var tablesNode: Node?
        switch YAMLDocument.compose(page.frontMatterYAML, file: file, lineOffset: lineOffset) {
        case .success(let root): tablesNode = root.mapping?["tables"]
        case .failure(let problem): return .failure(DiagnosticsError([problem]))
        }
        guard let tablesNode else { return .success(([:], [])) }
        let location = YAMLDocument.location(of: tablesNode, file: file, lineOffset: lineOffset)
        let specs: [String: TableSpec]
        switch YAMLDocument.decode([String: TableSpec].self, from: tablesNode, file: file, lineOffset: lineOffset) {
        case .success(let decoded): specs = decoded
        case .failure(let problem):
            var moved = problem
            moved.field = "tables." + (problem.field ?? "")
            return .failure(DiagnosticsError([moved]))
        }
        var html: [String: String] = [:]
        var attachments: [Attachment] = []
        var problems: [Diagnostic] = []
        for name in specs.keys.sorted() {
            let at = (tablesNode.mapping?[name]).map { YAMLDocument.location(of: $0, file: file, lineOffset: lineOffset) } ?? location
            switch render(specs[name]!, asChart: false, defaultID: name, year: page.frontMatter.year, at: at) {
            case .success(let block):
                html[name] = block.html
                attachments += block.attachments
            case .failure(let error):
                problems += error.diagnostics.map { var d = $0; d.field = "tables.\(name).\(d.field ?? "")"; return d }
            }
        }
        return problems.isEmpty ? .success((html, attachments)) : .failure(DiagnosticsError(problems))
    }
}
