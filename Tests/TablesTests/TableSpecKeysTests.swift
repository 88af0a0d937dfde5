import Testing
import TianshanLoad
import TianshanModel
@testable import TianshanTables

/// Table and chart specs refuse keys they do not know, at the key's line in the Markdown file.
@Suite struct TableSpecKeysTests {
    func problem(_ yaml: String, lineOffset: Int = 0) -> Diagnostic? {
        guard case .failure(let problem) = YAMLDocument.decode(TableSpec.self, from: yaml, file: "Content/report.md", lineOffset: lineOffset) else {
            return nil
        }
        return problem
    }

    @Test func misspeltOptionsAreErrorsWithTheOptionMeant() throws {
        // As in a ```table block whose first spec line is line 12 of the file.
        let totals = try #require(problem("data: projects\ntotls: true\n", lineOffset: 11))
        #expect(totals.location.line == 13 && totals.location.column == 1 && totals.field == "totls")
        #expect(totals.message == "unknown key 'totls'; did you mean 'totals'?")
        let group = try #require(problem("data: projects\ngroup-by: nature\n"))
        #expect(group.message.contains("did you mean 'group_by'?"))
    }

    @Test func nestedSpecsAreCheckedToo() throws {
        let aggregate = try #require(problem("data: p\naggregates:\n  - {op: sum, feild: investment}\n"))
        #expect(aggregate.field == "aggregates[0].feild" && aggregate.message.contains("'field'") && aggregate.location.line == 3)
        let format = try #require(problem("data: p\nformats:\n  investment: {decimal: 1}\n"))
        #expect(format.field == "formats.investment.decimal" && format.message.contains("'decimals'"))
        let pivot = try #require(problem("data: p\npivot: {rows: a, column: b}\n"))
        #expect(pivot.message.contains("'columns'"))
        let computed = try #require(problem("data: p\ncomputed:\n  - {name: g, op: growth, form: a, to: b}\n"))
        #expect(computed.message.contains("'from'"))
    }

    @Test func everyDocumentedOptionIsKnown() {
        #expect(problem("""
            id: t
            data: p
            caption: c
            filter: {a: 1}
            columns: [a]
            group_by: a
            aggregates: [{op: count, name: n, label: l}]
            computed: [{name: g, op: change, from: a, to: b, label: l}]
            sort: -a
            limit: 3
            totals: true
            subtotals: false
            formats: {a: {unit: 万元, decimals: 1, divide: 10000, percent: false, grouping: true}}
            labels: {a: A}
            note: n
            type: bar
            x: a
            y: [b]
            scale: shared
            value: {sum: a}
            """) == nil)
    }
}
