import Foundation
import Testing
import TianshanCharts
import TianshanLoad
import TianshanModel
@testable import TianshanTables

private let projectsYAML = """
title: 项目
source: 附件四
fields:
  - {name: name, label: 名称}
  - {name: nature, label: 性质}
  - {name: year, label: 年份, type: integer}
  - {name: investment, label: 总投资, type: number, unit: 万元}
rows:
  - {name: 甲, nature: 新建, year: 2021, investment: 47722.2}
  - {name: 乙, nature: 续建, year: 2021, investment: 100}
  - {name: 丙, nature: 新建, year: 2022, investment: 0.1}
  - {name: 丁, nature: 社会投资, year: 2022, investment: 52177.7}
"""

private func dataSets() throws -> [String: DataSet] {
    ["projects": try DataFileDecoder.decode(projectsYAML, path: "data/projects.yaml").get()]
}

private func spec(_ yaml: String) throws -> TableSpec {
    try YAMLDocument.decode(TableSpec.self, from: yaml, file: "spec").get()
}

private func build(_ yaml: String) throws -> Table {
    try TableBuilder.build(try spec(yaml), id: "t", dataSets: try dataSets(), words: zhWords).get()
}

private func texts(_ table: Table) -> [[String]] {
    table.rows.map { row in zip(table.columns, row.cells).map { $0.text($1) } }
}

@Suite struct TableBuilderTests {
    @Test func groupsWithAggregatesSharesAndTotals() throws {
        let table = try build("""
        data: projects
        group_by: nature
        aggregates:
          - {op: count, name: n, label: 项目数}
          - {op: sum, field: investment, name: total}
          - {op: mean, field: investment, name: avg}
        computed:
          - {name: share, op: share, of: total}
        sort: -total
        totals: true
        """)
        #expect(table.columns.map(\.header) == ["性质", "项目数", "总投资（万元）", "平均总投资（万元）", "占比（%）"])
        #expect(texts(table) == [
            ["社会投资", "1", "52,177.7", "52,177.70", "52.2"],
            ["新建", "2", "47,722.3", "23,861.15", "47.7"],
            ["续建", "1", "100", "100.00", "0.1"],
            ["合计", "4", "100,000", "", "100.0"],
        ])
        #expect(table.rows.last?.kind == .total)
    }

    @Test func sumsDecimalsExactly() throws {
        let table = try build("data: projects\naggregates: [{op: sum, field: investment, name: s}]\nformats: {s: {decimals: 1}}")
        // 47722.2 + 100 + 0.1 + 52177.7 in binary floating point is 99999.99999999999.
        #expect(table.rows[0].cells[0] == .number(100000))
    }

    @Test func filterSortLimitAndColumns() throws {
        let table = try build("data: projects\nfilter: {nature: [新建, 续建]}\ncolumns: [name, investment]\nsort: -investment\nlimit: 2")
        #expect(texts(table) == [["甲", "47,722.2"], ["乙", "100"]])
    }

    @Test func pivotCountsWithRowAndColumnTotals() throws {
        let table = try build("""
        data: projects
        pivot: {rows: year, columns: nature, value: count, column_order: [续建, 新建]}
        totals: true
        """)
        #expect(table.columns.map(\.label) == ["年份", "续建", "新建", "社会投资", "合计"])
        #expect(texts(table) == [["2021", "1", "1", "0", "2"], ["2022", "0", "1", "1", "2"], ["合计", "1", "2", "1", "4"]])
    }

    @Test func subtotalsAfterEachGroupAndGrowth() throws {
        let table = try build("""
        data: projects
        group_by: [year, nature]
        aggregates: [{op: sum, field: investment, name: total}]
        sort: [year, -total]
        subtotals: true
        totals: true
        """)
        #expect(texts(table).map { $0[0] } == ["2021", "2021", "小计：2021", "2022", "2022", "小计：2022", "合计"])
        #expect(texts(table)[2] == ["小计：2021", "", "47,822.2"])
    }

    @Test func changeAndGrowthColumns() throws {
        let yaml = "fields: [{name: k}, {name: a, type: number}, {name: b, type: number}]\nrows: [{k: x, a: 1762, b: 2381}, {k: y, a: 0, b: 3}]"
        let sets = ["ind": try DataFileDecoder.decode(yaml, path: "ind.yaml").get()]
        let table = try TableBuilder.build(try spec("""
        data: ind
        computed:
          - {name: d, op: change, from: a, to: b}
          - {name: g, op: growth, from: a, to: b}
        """), id: "t", dataSets: sets, words: zhWords).get()
        #expect(texts(table) == [["x", "1,762", "2,381", "619", "35.1"], ["y", "0", "3", "3", ""]])
    }

    @Test func unknownDataOrFieldsAreNamed() throws {
        let sets = try dataSets()
        let cases: [(String, String, String)] = [
            ("data: nope", "data", "unknown data set 'nope'"),
            ("data: projects\ngroup_by: kind", "group_by", "has no field 'kind'"),
            ("data: projects\ncolumns: [name, cost]", "columns", "no column 'cost'"),
            ("data: projects\nsort: -cost", "sort", "cannot sort by 'cost'"),
            ("data: projects\ncomputed: [{name: g, op: growth, from: a, to: investment}]", "computed.g", "no column 'a'"),
        ]
        for (yaml, field, message) in cases {
            guard case .failure(let error) = TableBuilder.build(try spec(yaml), id: "t", dataSets: sets, words: zhWords) else {
                Issue.record("expected \(yaml) to fail")
                continue
            }
            #expect(error.field == field)
            #expect(error.message.contains(message), "\(error.message)")
        }
    }

    @Test func yiYuanFormatDividesByTenThousand() throws {
        let table = try build("data: projects\naggregates: [{op: sum, field: investment, name: s}]\nformats: {s: 亿元}")
        #expect(table.columns[0].header == "总投资（亿元）")
        #expect(texts(table) == [["10.00"]])
    }
}

@Suite struct TableOutputTests {
    let hostile = "<script>alert(1)</script>\"'&"

    func hostileTable() throws -> Table {
        let yaml = "title: t\nfields: [{name: name, label: \"\(hostile.replacingOccurrences(of: "\"", with: "\\\""))\"}, {name: v, type: number}]\n"
            + "rows:\n  - {name: \"=HYPERLINK(\\\"http://x\\\")\", v: 1}\n  - {name: \"\(hostile.replacingOccurrences(of: "\"", with: "\\\""))\", v: 2}\n"
        let sets = ["h": try DataFileDecoder.decode(yaml, path: "h.yaml").get()]
        return try TableBuilder.build(try spec("data: h\ncaption: \"\(hostile.replacingOccurrences(of: "\"", with: "\\\""))\""), id: "h", dataSets: sets, words: zhWords).get()
    }

    @Test func htmlEscapesEveryCellHeaderAndCaption() throws {
        let html = TableHTML.render(try hostileTable(), downloads: .init(csv: "h.csv", json: "h.json"))
        #expect(!html.contains("<script>"))
        #expect(html.contains("<caption>&lt;script&gt;alert(1)&lt;/script&gt;&quot;&#39;&amp;</caption>"))
        #expect(html.contains("<th scope=\"col\">&lt;script&gt;"))
        #expect(html.contains("<th scope=\"row\">&lt;script&gt;"))
    }

    @Test func csvNeutralisesFormulasAndQuotes() throws {
        let csv = String(decoding: TableExport.csv(try hostileTable()).dropFirst(3), as: UTF8.self)
        let lines = csv.components(separatedBy: "\r\n")
        #expect(lines[1] == "\"'=HYPERLINK(\"\"http://x\"\")\",1")
        #expect(lines[2] == "\"<script>alert(1)</script>\"\"'&\",2")
    }

    @Test func chartsEscapeLabelsAndDescribeValues() throws {
        let table = try hostileTable()
        let html = try ChartSVG.render(table, kind: .bar, x: nil, y: [], scale: nil, downloads: nil).get()
        #expect(!html.contains("<script>"))
        #expect(html.contains("role=\"img\""))
        #expect(html.contains("<desc id=\"chart-h-desc\">"))
        let share = try ChartSVG.render(table, kind: .share, x: nil, y: ["v"], scale: nil, downloads: nil).get()
        #expect(share.contains("占66.7%"))
        guard case .failure(let error) = ChartSVG.render(table, kind: .bar, x: nil, y: ["name"], scale: nil, downloads: nil) else {
            Issue.record("a text column cannot be charted")
            return
        }
        #expect(error.field == "y")
    }
}
