import Foundation
import Testing
import TianshanLoad
import TianshanModel
@testable import TianshanTables

/// Edition tables over the three-edition fixture (`Tests/Fixtures/report-series`): the same indicators in wide
/// form (`indicators.yaml`, columns marked with kind and year) and in long form (`indicators_long.yaml`), some
/// values missing, one indicator for which lower is better.
private let fixture = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .appendingPathComponent("Fixtures/report-series/Content/data")

private func dataSet(_ name: String, edit: (String) -> String = { $0 }) throws -> DataSet {
    let text = try String(contentsOf: fixture.appendingPathComponent("\(name).yaml"), encoding: .utf8)
    return try DataFileDecoder.decode(edit(text), path: "data/\(name).yaml").get()
}

private func table(_ yaml: String, data: String = "indicators", year: Int? = nil, sets: [String: DataSet]? = nil) throws -> Table {
    let spec = try YAMLDocument.decode(TableSpec.self, from: "data: \(data)\n" + yaml, file: "spec").get()
    let sets = try sets ?? ["indicators": dataSet("indicators"), "indicators_long": dataSet("indicators_long")]
    return try TableBuilder.build(spec, id: "t", dataSets: sets, year: year, words: zhWords).get()
}

private func texts(_ table: Table) -> [[String]] {
    table.rows.map { row in zip(table.columns, row.cells).map { $0.text($1) } }
}

private let progress = "edition: {lower_is_better: lower_is_better}\ncolumns: [indicator, previous, actual, target, completion, progress, yoy]\n"

@Suite struct EditionSeriesTests {
    @Test func completionProgressAndChangeAsOfEachYear() throws {
        let y2021 = try table(progress, year: 2021)
        #expect(y2021.columns.map(\.header) == ["指标", "2020年", "2021年实际", "2023年目标", "完成率（%）", "目标进度（%）", "同比增长（%）"])
        #expect(texts(y2021) == [
            // 1100 ÷ 1500; (1100 − 1000) ÷ (1500 − 1000); (1100 − 1000) ÷ 1000: the year before is the baseline.
            ["科技型企业数", "1,000", "1,100", "1,500", "73.3", "20.0", "10.0"],
            // Lower is better: 0.4 ÷ 0.48; (0.48 − 0.5) ÷ (0.4 − 0.5); the change itself is a fall.
            ["单位产值能耗", "0.5", "0.48", "0.4", "83.3", "20.0", "-4.0"],
            ["孵化器数", "20", "—", "25", "—", "—", "—"],
        ])
        let y2022 = try table(progress, year: 2022)
        #expect(texts(y2022) == [
            ["科技型企业数", "1,100", "1,250", "1,500", "83.3", "50.0", "13.6"],
            ["单位产值能耗", "0.48", "—", "0.4", "—", "—", "—"],
            // No 2021 value: no change from it, and never a 0 in its place.
            ["孵化器数", "—", "24", "25", "96.0", "80.0", "—"],
        ])
        let y2023 = try table(progress, year: 2023)
        #expect(texts(y2023) == [
            ["科技型企业数", "1,250", "—", "1,500", "—", "—", "—"],
            ["单位产值能耗", "—", "0.42", "0.4", "95.2", "80.0", "—"],
            ["孵化器数", "24", "26", "25", "104.0", "120.0", "8.3"],
        ])
        // The dash is explained once, under the table.
        #expect(y2023.note == "“—”表示待填报")
        #expect(y2023.columns[2].label == "2023年实际")
    }

    @Test func longAndWideFormAgree() throws {
        for year in [2021, 2022, 2023] {
            let wide = try table(progress, year: year)
            let long = try table(progress, data: "indicators_long", year: year)
            #expect(texts(wide) == texts(long), "\(year)")
            #expect(wide.columns.map(\.header) == long.columns.map(\.header))
        }
    }

    @Test func aPublishedEditionIgnoresLaterFigures() throws {
        let before = try table(progress, year: 2022)
        // Next year's actuals come in, and this year's missing one: the 2022 edition shows what it showed.
        let later = try dataSet("indicators") { text in
            text.replacingOccurrences(of: "  - name: target_2023", with: "  - {name: actual_2024, type: number, kind: actual, year: 2024}\n  - name: target_2023")
                .replacingOccurrences(of: "actual_2023: 0.42,", with: "actual_2023: 0.42, actual_2024: 0.39,")
                .replacingOccurrences(of: "actual_2022: 1250,", with: "actual_2022: 1250, actual_2023: 1400, actual_2024: 1600,")
        }
        let after = try table(progress, year: 2022, sets: ["indicators": later])
        #expect(texts(before) == texts(after))
        #expect(try texts(table(progress, year: 2023, sets: ["indicators": later]))[0] == ["科技型企业数", "1,250", "1,400", "1,500", "93.3", "80.0", "12.0"])
    }

    @Test func totalsOverMissingValuesSaySo() throws {
        let totals = try table("edition: true\ncolumns: [indicator, actual, target, completion]\nfilter: {unit: [家, 个]}\ntotals: true\n", year: 2021)
        let total = try #require(totals.rows.last)
        #expect(total.kind == .total)
        // 1,100 of the two, one still to be reported: the sum says so, and no rate is made from it.
        #expect(zip(totals.columns, total.cells).map { $0.text($1) } == ["合计", "1,100", "1,525", "—"])
        #expect(total.notes[1] == "其中1项待填报，未计入合计")
        #expect(total.notes[2] == nil)
        let complete = try table("edition: true\ncolumns: [indicator, actual, target, completion]\nfilter: {unit: [家, 个]}\ntotals: true\n", year: 2023)
        #expect(complete.rows.last.map { zip(complete.columns, $0.cells).map { $0.text($1) } } == ["合计", "26", "1,525", "—"])
        let whole = try table("edition: true\ncolumns: [indicator, actual, target, completion]\nfilter: {indicator: 孵化器数}\ntotals: true\n", year: 2023)
        #expect(whole.rows.last.map { zip(whole.columns, $0.cells).map { $0.text($1) } } == ["合计", "26", "25", "104.0"])
    }

    @Test func labelsTakeTheYear() throws {
        let labelled = try table("edition: {year: 2022}\ncolumns: [indicator, actual, baseline]\nlabels: {actual: '{year}年完成值', baseline: 起点}\n")
        #expect(labelled.columns.map(\.label) == ["指标", "2022年完成值", "起点"])
    }

    @Test func errorsNameWhatIsMissing() throws {
        let sets = try ["indicators": dataSet("indicators")]
        let noYear = try YAMLDocument.decode(TableSpec.self, from: "data: indicators\nedition: true\n", file: "spec").get()
        guard case .failure(let error) = TableBuilder.build(noYear, id: "t", dataSets: sets, words: zhWords) else { Issue.record("built without a year"); return }
        #expect(error.field == "edition.year")
        let flag = try YAMLDocument.decode(TableSpec.self, from: "data: indicators\nedition: {year: 2021, lower_is_better: lower}\n", file: "spec").get()
        guard case .failure(let flagError) = TableBuilder.build(flag, id: "t", dataSets: sets, words: zhWords) else { Issue.record("unknown flag field"); return }
        #expect(flagError.field == "edition.lower_is_better")
        let plain = try DataFileDecoder.decode("rows:\n  - {a: 1}\n", path: "data/plain.yaml").get()
        let noSeries = try YAMLDocument.decode(TableSpec.self, from: "data: plain\nedition: {year: 2021}\n", file: "spec").get()
        guard case .failure(let seriesError) = TableBuilder.build(noSeries, id: "t", dataSets: ["plain": plain], words: zhWords) else { Issue.record("no series"); return }
        #expect(seriesError.message.contains("holds no yearly series"))
    }

    @Test func seriesDeclarationsAreChecked() {
        let halfMarked = "fields:\n  - {name: a, type: number, kind: actual}\nrows:\n  - {a: 1}\n"
        guard case .failure(let error) = DataFileDecoder.decode(halfMarked, path: "data/x.yaml") else { Issue.record("accepted"); return }
        #expect(error.diagnostics[0].message.contains("both its 'kind' and its 'year'"))
        let badKind = "series: {key: k}\nfields:\n  - {name: k}\n  - {name: year, type: integer}\n  - {name: kind}\n  - {name: value, type: number}\nrows:\n  - {k: a, year: 2021, kind: plan, value: 1}\n"
        guard case .failure(let kindError) = DataFileDecoder.decode(badKind, path: "data/x.yaml") else { Issue.record("accepted"); return }
        #expect(kindError.diagnostics[0].message.contains("'plan' is not a kind"))
        #expect(kindError.diagnostics[0].location.line == 8)
        let badShape = "series: {key: name}\nfields:\n  - {name: k}\nrows:\n  - {k: a}\n"
        guard case .failure(let shapeError) = DataFileDecoder.decode(badShape, path: "data/x.yaml") else { Issue.record("accepted"); return }
        #expect(shapeError.diagnostics.map(\.field) == ["series.key", "series.year", "series.kind", "series.value"])
    }
}
