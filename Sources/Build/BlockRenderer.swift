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

    /// Markdown hook: claims ```table and ```chart blocks.
    func render(info: String, literal: String, at location: SourceLocation, ordinal: Int) -> Result<RenderedBlock, DiagnosticsError>? {
        let kind = info.split(separator: " ").first.map(String.init) ?? ""
        guard kind == "table" || kind == "chart" else { return nil }
        // The spec starts on the line after the opening fence.
        let spec: TableSpec
        switch YAMLDocument.decode(TableSpec.self, from: literal, file: location.file, lineOffset: location.line) {
        case .success(let decoded): spec = decoded
        case .failure(let problem): return .failure(DiagnosticsError([problem]))
        }
        return render(spec, asChart: kind == "chart", defaultID: "\(kind)-\(ordinal)", at: location)
    }

    func render(_ spec: TableSpec, asChart: Bool, defaultID: String, at location: SourceLocation) -> Result<RenderedBlock, DiagnosticsError> {
        let id = Slug.make(spec.id ?? defaultID)
        guard !id.isEmpty else {
            return .failure(DiagnosticsError([.error(at: location, field: "id", "table id '\(spec.id ?? "")' has no letters or digits")]))
        }
        let table: Table
        ReadRecorder.current?.record(InputKey.data(spec.data), dataHashes[spec.data] ?? 0)
        switch TableBuilder.build(spec, id: id, dataSets: site.dataSets) {
        case .success(let built): table = built
        case .failure(let error):
            return .failure(DiagnosticsError([.error(at: location, field: error.field, error.message, hint: error.hint)]))
        }
        let downloads = TableHTML.Downloads(csv: "\(id).csv", json: "\(id).json")
        let attachments = [
            Attachment(name: downloads.csv, bytes: TableExport.csv(table)),
            Attachment(name: downloads.json, bytes: TableExport.json(table)),
        ]
        if asChart || spec.type != nil {
            switch ChartSVG.render(table, kind: spec.type ?? .bar, x: spec.x, y: spec.y, scale: spec.scale, downloads: downloads) {
            case .success(let html): return .success(RenderedBlock(html: html, attachments: attachments))
            case .failure(let error): return .failure(DiagnosticsError([.error(at: location, field: error.field, error.message)]))
            }
        }
        return .success(RenderedBlock(html: TableHTML.render(table, downloads: downloads), attachments: attachments))
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
            switch render(specs[name]!, asChart: false, defaultID: name, at: at) {
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
