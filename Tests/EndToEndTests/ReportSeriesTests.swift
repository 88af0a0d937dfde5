import Foundation
import Testing

/// A report series through the real command line: the three-edition fixture (`Tests/Fixtures/report-series`)
/// with the shipped theme, `tianshan new report 2024`, and the year's figures filled in afterwards. The new
/// edition builds and shows its placeholders; the published editions stay byte for byte what they were.
@Suite(.serialized) struct ReportSeriesTests {
    static let fixture = ReportPDFTests.repository.appendingPathComponent("Tests/Fixtures/report-series")

    @Test func aNewEditionLeavesThePublishedOnesAsTheyWere() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("tianshan-series-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: root) }
        try FileManager.default.copyItem(at: Self.fixture.appendingPathComponent("Content"), to: root.appendingPathComponent("Content"))
        try FileManager.default.copyItem(at: ReportPDFTests.repository.appendingPathComponent("Templates"), to: root.appendingPathComponent("Templates"))
        let content = root.appendingPathComponent("Content")
        func tianshan(_ arguments: [String]) throws -> (status: Int32, output: String) {
            try ReportPDFTests.run(KillTests.executable.path, arguments)
        }
        func build() throws {
            let result = try tianshan(["build", "--content", content.path, "--templates", root.appendingPathComponent("Templates").path,
                                       "--output", root.appendingPathComponent("Output").path])
            try #require(result.status == 0, "\(result.output)")
        }
        func page(_ path: String) throws -> String {
            try String(contentsOf: root.appendingPathComponent("Output/" + path), encoding: .utf8)
        }
        let published = ["reports/2021/index.html", "reports/2022/index.html", "reports/2023/index.html",
                         "reports/2021/progress.csv", "reports/2022/progress.json", "reports/2023/progress.csv"]

        try build()
        let before = try published.map(page)
        #expect(before[1].contains("<caption><span class=\"caption-label\">表1</span> 2022年主要指标完成情况</caption>"))
        #expect(before[1].contains("见<a class=\"xref\" href=\"#progress\">表1</a>"))
        #expect(try page("reports/index.html").components(separatedBy: "<article class=\"card\">").count == 4)

        let made = try tianshan(["new", "report", "2024", "--content", content.path])
        #expect(made.status == 0, "\(made.output)")
        #expect(made.output.contains("wrote \(content.path)/reports/2024.md from \(content.path)/reports/2023.md"), "\(made.output)")
        #expect(made.output.contains("fill in actual_2024 (added, empty) for 3: 科技型企业数、单位产值能耗、孵化器数"), "\(made.output)")
        #expect(made.output.contains("reports/2024.md:10: mentions 2023"), "\(made.output)")
        // Asked again, it refuses: an edition is never overwritten.
        let again = try tianshan(["new", "report", "2024", "--content", content.path])
        #expect(again.status == 1 && again.output.contains("edition 2024 exists already"), "\(again.output)")

        try build()
        #expect(try published.map(page) == before, "a published edition changed when the next one was added")
        let edition = try page("reports/2024/index.html")
        #expect(edition.contains("2024年主要指标完成情况"))
        // No value for 2024 yet: dashes explained under the table, never a 0.
        let cells = edition.components(separatedBy: "<td class=\"num\">—</td>").count - 1
        // Actual, completion, progress and change for three indicators, and the 2023 value 科技型企业数 never had.
        #expect(cells == 3 * 4 + 1, "\(cells)")
        #expect(edition.contains("“—”表示待填报"))
        #expect(try page("reports/index.html").components(separatedBy: "<article class=\"card\">").count == 5)
        let check = try tianshan(["check", "--content", content.path, "--templates", root.appendingPathComponent("Templates").path])
        #expect(check.status == 0, "\(check.output)")

        // The figures come in: the new edition computes from them, the published ones still do not move.
        let data = content.appendingPathComponent("data/indicators.yaml")
        let filled = try String(contentsOf: data, encoding: .utf8)
            .replacingOccurrences(of: "target_2023: 1500}", with: "target_2023: 1500, actual_2024: 1600}")
            .replacingOccurrences(of: "actual_2023: 0.42,", with: "actual_2023: 0.42, actual_2024: 0.41,")
            .replacingOccurrences(of: "actual_2023: 26,", with: "actual_2023: 26, actual_2024: 30,")
        try filled.write(to: data, atomically: true, encoding: .utf8)
        try build()
        #expect(try published.map(page) == before)
        let reported = try page("reports/2024/index.html")
        // Still one dash: 科技型企业数 has no 2023 value to change from.
        #expect(reported.components(separatedBy: "<td class=\"num\">—</td>").count - 1 == 2)
        // 1600 ÷ 1500, (1600 − 1000) ÷ (1500 − 1000); lower is better: 0.4 ÷ 0.41.
        // The cells as shown (each number cell also carries its value for sorting, data-value="…").
        let shown = reported.replacing(#/\sdata-value="[^"]*"/#, with: "")
        #expect(shown.contains("<td class=\"num\">1,600</td><td class=\"num\">1,500</td><td class=\"num\">106.7</td><td class=\"num\">120.0</td>"))
        #expect(shown.contains("<td class=\"num\">0.41</td><td class=\"num\">0.4</td><td class=\"num\">97.6</td>"))
        #expect(reported.contains("<td class=\"num\" data-value=\"1600\">1,600</td>"))
    }
}
