import Foundation
import Testing
import TianshanCharts
import TianshanLoad
import TianshanModel
@testable import TianshanTables

/// Figures as the sources give them: 2000余家, 近120家, 超过721.4亿元, and two sources' figures with a note.
private let figuresYAML = """
title: 企业
fields:
  - {name: label, label: 类别}
  - {name: kind, label: 类型}
  - {name: value, label: 数量, type: number, unit: 家}
  - {name: note, label: 说明}
rows:
  - {label: 科技型中小微企业, kind: 培育, value: 2000余}
  - {label: 生物医药企业, kind: 聚集, value: 近120}
  - {label: 信息技术企业, kind: 聚集, value: "1000余", note: 其中规模以上企业45家}
  - {label: 科技型企业, kind: 培育, value: {value: 1763, note: 附件二所列2020年基数为1762家}}
  - {label: 孵化器, kind: 聚集, value: 10}
"""

private func figures() throws -> DataSet {
    try DataFileDecoder.decode(figuresYAML, path: "data/figures.yaml").get()
}

private func build(_ yaml: String) throws -> Table {
    let spec = try YAMLDocument.decode(TableSpec.self, from: yaml, file: "spec").get()
    return try TableBuilder.build(spec, id: "t", dataSets: ["figures": try figures()], words: zhWords).get()
}

@Suite struct ApproximateFiguresTests {
    @Test(arguments: [
        ("2000余", "2000", "余"), ("近120", "120", "近"), ("超过721.4", "721.4", "超过"), ("30余", "30", "余"),
        ("约5", "5", "约"), ("80%以上", "80%", "以上"), ("逾百", "百", "逾"),
    ])
    func qualifiersSplitFromTheirNumber(_ text: String, _ number: String, _ word: String) throws {
        let split = try #require(Qualifier.split(text))
        #expect(split.number == number && split.qualifier.word == word)
    }

    @Test func cellsKeepTheirQualifierAndNotes() throws {
        let set = try figures()
        #expect(set.rows[0]["value"] == .approximate(2000, Qualifier.named("余")!))
        #expect(set.rows[1]["value"] == .approximate(120, Qualifier.named("近")!))
        #expect(set.rows[2]["value"].text == "1000余")
        #expect(set.rows[3]["value"] == .number(1763) && set.rows[3].notes["value"] == "附件二所列2020年基数为1762家")
        // A qualifier written apart, and the errors a cell can have.
        let apart = try DataFileDecoder.decode("fields: [{name: v, type: number}]\nrows:\n  - {v: {value: 721.4, qualifier: 超过}}\n", path: "a.yaml").get()
        #expect(apart.rows[0]["v"].text == "超过721.4")
        guard case .failure(let bad) = DataFileDecoder.decode("fields: [{name: v, type: number}]\nrows:\n  - {v: {value: 3, qualifer: 余}}\n  - {v: {value: 3, qualifier: 好多}}\n  - {v: 余3}\n", path: "b.yaml") else {
            Issue.record("bad cells were accepted")
            return
        }
        #expect(bad.diagnostics.map(\.location.line) == [3, 4, 5])
        #expect(bad.diagnostics[0].message.contains("did you mean 'qualifier'?"))
        #expect(bad.diagnostics[1].message.contains("unknown qualifier '好多'"))
    }

    @Test func csvCellsTooAndTheColumnStaysNumeric() throws {
        let set = try DataFileDecoder.decode("名称,数量\n甲,2000余\n乙,近120\n丙,5\n", path: "c.csv").get()
        #expect(set.fields[1].type == .number)
        #expect(set.rows.map { $0["数量"].text } == ["2000余", "近120", "5"])
    }

    @Test func tablesShowTheQualifierAndMarkApproximateSums() throws {
        let table = try build("data: figures\ncolumns: [label, value]\ntotals: true\n")
        let texts = table.rows.map { row in zip(table.columns, row.cells).map { $0.text($1) } }
        #expect(texts.map { $0[1] } == ["2,000余", "近120", "1,000余", "1,763", "10", "约4,893"])
        // Lower bounds and exact figures add up to a lower bound; upper bounds to an upper one.
        let grouped = try build("data: figures\ngroup_by: kind\naggregates: [{op: sum, field: value}]\n")
        #expect(grouped.rows.map { $0.cells[1] } == [.approximate(3763, Qualifier.named("余")!), .approximate(1130, Qualifier.named("约")!)])
        #expect(TableBuilder.sum([.number(1), .approximate(2, Qualifier.named("近")!)]) == .approximate(3, Qualifier.named("近")!))
        #expect(TableBuilder.sum([.number(1), .number(2)]) == .number(3))
    }

    @Test func notesBecomeNumberedFootnotes() throws {
        let table = try build("data: figures\n")
        // The note field is not a column when the spec does not ask for it.
        #expect(!table.columns.map(\.key).contains("note"))
        let html = TableHTML.render(table, downloads: nil)
        // A row's note marks the row's first cell; a cell's note marks that cell.
        #expect(html.contains("信息技术企业<sup class=\"table-note-ref\"><a href=\"#t-note-1\" id=\"t-ref-1\">①</a></sup>"))
        #expect(html.contains("1,763<sup class=\"table-note-ref\"><a href=\"#t-note-2\" id=\"t-ref-2\">②</a></sup>"))
        #expect(html.contains("<li id=\"t-note-1\"><a href=\"#t-ref-1\" class=\"table-note-back\">①</a> 其中规模以上企业45家</li>"))
        #expect(html.contains("<li id=\"t-note-2\"><a href=\"#t-ref-2\" class=\"table-note-back\">②</a> 附件二所列2020年基数为1762家</li>"))
        // Asked for, the note is a column like any other.
        #expect(try build("data: figures\ncolumns: [label, note]\n").rows[2].cells[1] == .string("其中规模以上企业45家"))
        #expect(TableHTML.marker(20) == "⑳" && TableHTML.marker(21) == "(21)")
    }

    @Test func aNoteSharedByRowsIsOneFootnoteWithOneAnchor() throws {
        let yaml = "fields: [{name: a}, {name: v, type: number}, {name: note}]\nrows:\n  - {a: 甲, v: 1, note: 截止目前}\n  - {a: 乙, v: 2, note: 截止目前}\n  - {a: 丙, v: 3, note: 另注}\n"
        let set = try DataFileDecoder.decode(yaml, path: "data/s.yaml").get()
        let spec = try YAMLDocument.decode(TableSpec.self, from: "data: s\n", file: "spec").get()
        let html = TableHTML.render(try TableBuilder.build(spec, id: "s", dataSets: ["s": set], words: zhWords).get(), downloads: nil)
        #expect(html.components(separatedBy: "href=\"#s-note-1\"").count == 3)
        #expect(html.components(separatedBy: "id=\"s-ref-1\"").count == 2)
        #expect(html.contains("id=\"s-ref-2\"") && html.components(separatedBy: "<li id=").count == 3)
    }

    @Test func downloadsKeepNumbersAndQualifiersApartAndTotalsOutOfRows() throws {
        let table = try build("data: figures\ncolumns: [label, value]\ntotals: true\n")
        let csv = String(decoding: TableExport.csv(table).dropFirst(3), as: UTF8.self)
        let lines = csv.components(separatedBy: "\r\n")
        #expect(lines[0] == "类别,数量（家）,数量·限定词,注释")
        #expect(lines[1] == "科技型中小微企业,2000,余,")
        #expect(lines[2] == "生物医药企业,120,近,")
        #expect(lines[3] == "信息技术企业,1000,余,其中规模以上企业45家")
        #expect(lines[6] == "合计,4893,约,")
        let json = try #require(try JSONSerialization.jsonObject(with: TableExport.json(table)) as? [String: Any])
        let rows = try #require(json["rows"] as? [[String: Any]])
        #expect(rows.count == 5)
        #expect(rows[0]["value"] as? Int == 2000 && rows[0]["value_qualifier"] as? String == "余")
        #expect(rows[4]["value_qualifier"] == nil)
        let totals = try #require(json["totals"] as? [[String: Any]])
        #expect(totals.count == 1 && totals[0]["value"] as? Int == 4893 && totals[0]["value_qualifier"] as? String == "约")
        // Summing the rows counts every figure once.
        #expect(rows.compactMap { $0["value"] as? Int }.reduce(0, +) == 4893)
    }

    @Test func chartLabelsCarryTheQualifier() throws {
        let table = try build("data: figures\ncolumns: [label, value]\n")
        guard case .success(let svg) = ChartSVG.render(table, kind: .bar, x: nil, y: [], scale: nil, downloads: nil) else {
            Issue.record("no chart")
            return
        }
        #expect(svg.contains("2,000余 家") && svg.contains("近120 家"))
    }
}
