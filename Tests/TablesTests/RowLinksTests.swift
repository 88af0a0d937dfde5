import Foundation
import Testing
import TianshanLoad
import TianshanModel
@testable import TianshanTables

/// Tables over a data set whose rows have pages: which rows a table holds, and `link:` on a column.
@Suite struct RowLinksTests {
    static let yaml = """
    title: 项目
    pages: {slug: name}
    fields:
      - {name: name, label: 名称}
      - {name: nature, label: 性质}
      - {name: investment, label: 总投资, type: number, unit: 万元}
    rows:
      - {name: 甲园, nature: 新建, investment: 300}
      - {name: 乙园, nature: 续建, investment: 100}
      - {name: 丙园, nature: 新建, investment: 200}
    """

    static func build(_ spec: String, yaml: String = yaml) throws -> Result<Table, TableBuilder.SpecError> {
        let set = try DataFileDecoder.decode(yaml, path: "data/projects.yaml").get()
        let decoded = try YAMLDocument.decode(TableSpec.self, from: spec, file: "spec").get()
        return TableBuilder.build(decoded, id: "t", dataSets: ["projects": set], words: zhWords)
    }

    @Test func aListingKnowsEachRowsSourceAndLinksItsColumn() throws {
        let table = try Self.build("data: projects\ncolumns: [nature, name, investment]\nlink: name\nsort: -investment\nlimit: 2").get()
        #expect(table.linkColumn == 1)
        #expect(table.rows.map(\.source) == [0, 2])
        // The rows shown, in data set order: the table holds 甲园 and 丙园, not 乙园.
        #expect(table.sourceRows == [0, 2])
    }

    @Test func anAggregateHoldsEveryRowItCounts() throws {
        let table = try Self.build("data: projects\ngroup_by: nature\nfilter: {nature: 新建}").get()
        #expect(table.sourceRows == [0, 2])
        #expect(table.rows.allSatisfy { $0.source == nil })
        #expect(table.linkColumn == nil)
    }

    @Test func linkErrorsNameTheKeyAndTheWayOut() throws {
        let grouped = try Self.build("data: projects\ngroup_by: nature\nlink: nature")
        #expect(grouped.failure?.field == "link")
        #expect(grouped.failure?.message.contains("single rows") == true)

        let missing = try Self.build("data: projects\ncolumns: [name]\nlink: nmae")
        #expect(missing.failure?.field == "link")
        #expect(missing.failure?.hint == "did you mean 'name'?")

        let noPages = try Self.build("data: projects\ncolumns: [name]\nlink: name", yaml: Self.yaml.replacingOccurrences(of: "pages: {slug: name}\n", with: ""))
        #expect(noPages.failure?.message.contains("have no pages") == true)
        #expect(noPages.failure?.hint?.contains("pages: {slug: <field>}") == true)
    }
}

extension Result {
    var failure: Failure? { if case .failure(let error) = self { return error } else { return nil } }
}
