import Testing
import TianshanModel
@testable import TianshanLoad

@Suite struct DataFileDecoderTests {
    let yaml = """
    title: 重点项目
    source: 附件四
    fields:
      - {name: name, label: 项目名称}
      - {name: investment, label: 总投资, type: number, unit: 万元}
      - {name: year, type: integer}
    rows:
      - {name: 甲, investment: 47722.2, year: 2021}
      - {name: 乙, investment: 1000, year: 2022}
    """

    @Test func decodesTypedRows() throws {
        let set = try DataFileDecoder.decode(yaml, path: "data/projects.yaml").get()
        #expect(set.name == "projects")
        #expect(set.title == "重点项目")
        #expect(set.rows.count == 2)
        #expect(set.rows[0]["investment"] == .number(47722.2))
        #expect(set.rows[1]["year"] == .number(2022))
        #expect(set.field(named: "investment")?.unit == "万元")
        #expect(set.rows[1].location.line == 9)
    }

    @Test func wrongCellTypeIsLocated() {
        let bad = yaml.replacingOccurrences(of: "investment: 1000", with: "investment: 一千")
        guard case .failure(let error) = DataFileDecoder.decode(bad, path: "Content/data/projects.yaml") else {
            Issue.record("expected a failure")
            return
        }
        let problem = error.diagnostics[0]
        #expect(problem.field == "rows[1].investment")
        #expect(problem.location.file == "Content/data/projects.yaml")
        #expect(problem.location.line == 9)
        #expect(problem.location.column == 27)
        #expect(problem.message == "expected a number, found '一千'")
    }

    @Test func unknownFieldAndQuotedNumberAreBothReported() {
        let bad = yaml
            .replacingOccurrences(of: "{name: 甲, investment: 47722.2", with: "{name: 甲, investment: \"47722.2\"")
            .replacingOccurrences(of: "year: 2022}", with: "yaer: 2022}")
        guard case .failure(let error) = DataFileDecoder.decode(bad, path: "p.yaml") else {
            Issue.record("expected a failure")
            return
        }
        #expect(error.diagnostics.count == 2)
        #expect(error.diagnostics.contains { $0.field == "rows[0].investment" && $0.location.line == 8 })
        #expect(error.diagnostics.contains { $0.field == "rows[1].yaer" && $0.message.contains("unknown field") })
    }

    @Test func jsonGoesThroughTheSameChecks() throws {
        let json = #"{"title": "平台", "rows": [{"name": "实验室", "level": "国家级", "count": 3}]}"#
        let set = try DataFileDecoder.decode(json, path: "data/platforms.json").get()
        #expect(set.rows[0]["count"] == .number(3))
        #expect(set.field(named: "count")?.type == .number)
        #expect(set.field(named: "level")?.type == .string)
    }

    @Test func csvWithQuotesCommasAndBOM() throws {
        let csv = "\u{FEFF}name,investment,code\n\"甲,有限公司\",47722.2,007\n\"乙\"\"丙\",\"1,000\",008\n"
        let set = try DataFileDecoder.decode(csv, path: "data/t.csv").get()
        #expect(set.fields.map(\.name) == ["name", "investment", "code"])
        #expect(set.field(named: "investment")?.type == .number)
        #expect(set.field(named: "code")?.type == .string)
        #expect(set.rows[0]["name"] == .string("甲,有限公司"))
        #expect(set.rows[1]["name"] == .string("乙\"丙"))
        #expect(set.rows[1]["investment"] == .number(1000))
        #expect(set.rows[1].location.line == 3)
    }

    @Test func csvRowWithWrongCellCountIsAnError() {
        guard case .failure(let error) = DataFileDecoder.decode("a,b\n1,2\n3\n", path: "t.csv") else {
            Issue.record("expected a failure")
            return
        }
        #expect(error.diagnostics[0].location.line == 3)
    }

    @Test func aliasBombIsRefused() {
        var text = "a: &a [x, x, x, x, x, x, x, x, x, x]\n"
        for i in 1...9 {
            let refs = Array(repeating: "*\(i == 1 ? "a" : "a\(i - 1)")", count: 10).joined(separator: ", ")
            text += "a\(i): &a\(i) [\(refs)]\n"
        }
        text += "rows: []\n"
        guard case .failure(let error) = DataFileDecoder.decode(text, path: "bomb.yaml") else {
            Issue.record("expected a failure")
            return
        }
        #expect(error.diagnostics[0].message.contains("aliases"))
    }
}
