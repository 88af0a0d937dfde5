import Foundation
import Testing
import TianshanModel
@testable import TianshanScaffold

/// The next edition planned from the three-edition fixture (`Tests/Fixtures/report-series`).
private let fixture = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .appendingPathComponent("Fixtures/report-series/Content")

private func files() throws -> [TextFile] {
    try ["reports/2021.md", "reports/2022.md", "reports/2023.md", "data/indicators.yaml", "data/indicators_long.yaml", "index.md"].map {
        TextFile(path: $0, text: try String(contentsOf: fixture.appendingPathComponent($0), encoding: .utf8))
    }
}

private let today = Date(timeIntervalSince1970: 1_733_097_600) // 2024-12-02

@Suite struct ReportEditionTests {
    @Test func theNextEditionMovesItsYearsAndKeepsItsTables() throws {
        let plan = try ReportEdition.plan(year: 2024, files: files(), today: today, display: "Content/").get()
        #expect(plan.source == "reports/2023.md")
        #expect(plan.files.map(\.path) == ["reports/2024.md", "data/indicators.yaml"])
        let page = plan.files[0].text
        #expect(page.contains("title: 年度指标报告（2024年版）\n"))
        #expect(page.contains("year: 2024\n"))
        #expect(page.contains("date: 2024-12-02\n"))
        #expect(page.contains("caption: 2024年主要指标完成情况\n"))
        #expect(page.contains("edition: {lower_is_better: lower_is_better}\ncolumns: [no, indicator, unit, previous, actual, target, completion, progress, yoy]"))
        // Prose keeps its years; the author is told where they are.
        #expect(page.contains("本报告汇总2023年各项指标的完成情况"))
        #expect(plan.todo.contains { $0.hasPrefix("Content/reports/2024.md:10: mentions 2023:") })
        // The data set gets an empty column for 2024, declared like 2023's; nothing else of it changes.
        let data = plan.files[1].text
        #expect(data.contains("  - name: actual_2024\n    label: 2024年实际\n    type: number\n    kind: actual\n    year: 2024\n  - name: target_2023"))
        let original = try String(contentsOf: fixture.appendingPathComponent("data/indicators.yaml"), encoding: .utf8)
        #expect(data.replacingOccurrences(of: "  - name: actual_2024\n    label: 2024年实际\n    type: number\n    kind: actual\n    year: 2024\n", with: "") == original)
        #expect(plan.todo.contains("Content/data/indicators.yaml: fill in actual_2024 (added, empty) for 3: 科技型企业数、单位产值能耗、孵化器数"))
        #expect(plan.todo.contains { $0.contains("no target for 2024 or later") })
    }

    @Test func aLongFormSeriesIsToldWhichRowsToAdd() throws {
        var all = try files()
        all = all.map { file in
            var file = file
            if file.path == "reports/2023.md" { file.text = file.text.replacingOccurrences(of: "data: indicators\n", with: "data: indicators_long\n") }
            return file
        }
        let plan = try ReportEdition.plan(year: 2024, files: all, today: today).get()
        #expect(plan.files.map(\.path) == ["reports/2024.md"])
        #expect(plan.todo.contains("data/indicators_long.yaml: add a row with year: 2024, kind: actual and its value for each of 3: 科技型企业数、单位产值能耗、孵化器数"))
    }

    @Test func anExistingEditionIsNeverOverwritten() throws {
        guard case .failure(let problem) = ReportEdition.plan(year: 2022, files: try files(), today: today, display: "Content/") else {
            Issue.record("planned over an existing edition"); return
        }
        #expect(problem.message == "edition 2022 exists already")
        #expect(problem.location.file == "Content/reports/2022.md")
        guard case .failure(let none) = ReportEdition.plan(year: 2020, files: try files(), today: today) else { Issue.record("no edition before 2020"); return }
        #expect(none.message.contains("no edition before 2020"))
    }

    @Test func aGapYearStartsFromTheLatestBefore() throws {
        let plan = try ReportEdition.plan(year: 2026, files: files(), today: today).get()
        #expect(plan.source == "reports/2023.md")
        #expect(plan.files[0].path == "reports/2026.md")
        #expect(plan.files[1].text.contains("name: actual_2026"))
    }

    @Test func theOldEditionsAddressesStayWithIt() throws {
        for frontMatter in ["aliases: [/report/]\nslug: annual", "aliases:\n  - /report/\n  - /latest/\nslug: annual"] {
            let old = "---\ntitle: 报告（2021年版）\n\(frontMatter)\nyear: 2021\n---\n\n2021年的情况。\n"
            let plan = try ReportEdition.plan(year: 2022, files: [TextFile(path: "reports/2021.md", text: old)], today: today).get()
            let page = plan.files[0].text
            #expect(page == "---\ntitle: 报告（2022年版）\nyear: 2022\n---\n\n2021年的情况。\n", "\(page)")
            // The prose line is named where it is in the new file.
            #expect(plan.todo == ["reports/2022.md:6: mentions 2021: 2021年的情况。"], "\(plan.todo)")
        }
    }
}
