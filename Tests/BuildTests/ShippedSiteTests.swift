import Foundation
import Testing
import TianshanModel
@testable import TianshanBuild

/// Builds the shipped site (Content/ + Templates/) once and checks the published figures against the source documents.
actor ShippedSite {
    static let shared = ShippedSite()
    private var built: URL?

    static var repository: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    }

    func output() async throws -> URL {
        if let built { return built }
        let output = FileManager.default.temporaryDirectory.appendingPathComponent("tianshan-shipped-\(UUID().uuidString)/Output")
        try FileManager.default.createDirectory(at: output.deletingLastPathComponent(), withIntermediateDirectories: true)
        _ = try await BuildPipeline.build(BuildOptions(
            content: Self.repository.appendingPathComponent("Content"),
            templates: Self.repository.appendingPathComponent("Templates"), output: output
        ))
        built = output
        return output
    }

    /// A built file's text (`news/index.html`).
    func page(_ path: String) async throws -> String {
        try String(contentsOf: try await output().appendingPathComponent(path), encoding: .utf8)
    }
}

/// A table read back from built HTML: caption, header cells and body rows as text.
struct HTMLTable {
    var caption: String
    var headers: [String]
    var rows: [[String]]
    var footer: [[String]]

    static func all(in html: String) -> [String: HTMLTable] {
        var tables: [String: HTMLTable] = [:]
        for figure in html.matches(of: /<figure class="data-table" id="([^"]+)">(.*?)<\/figure>/.dotMatchesNewlines()) {
            let body = String(figure.output.2)
            func cells(_ row: Substring) -> [String] {
                // Footnote marks (<sup>…</sup>) are not the cell's text; a link to the row's page is around it.
                row.matches(of: /<t[hd][^>]*>(.*?)<\/t[hd]>/).map {
                    decode(String($0.output.1).replacing(/<sup[^>]*>.*?<\/sup>/, with: "").replacing(/<\/?a[^>]*>/, with: ""))
                }
            }
            func rows(_ section: String) -> [[String]] {
                guard let part = body.firstMatch(of: try! Regex("<\(section)>(.*?)</\(section)>").dotMatchesNewlines()) else { return [] }
                let text = String(part.output[1].substring ?? "")
                return text.matches(of: /<tr[^>]*>(.*?)<\/tr>/).map { cells($0.output.1) }
            }
            let caption = body.firstMatch(of: /<caption>(.*?)<\/caption>/).map { decode(String($0.output.1)) } ?? ""
            tables[String(figure.output.1)] = HTMLTable(caption: caption, headers: rows("thead").first ?? [], rows: rows("tbody"), footer: rows("tfoot"))
        }
        return tables
    }

    /// Text without tags, entities decoded, for phrases that markup could split.
    static func text(_ html: String) -> String {
        decode(html.replacing(/<[^>]+>/, with: ""))
    }

    static func decode(_ text: String) -> String {
        text.replacingOccurrences(of: "&quot;", with: "\"").replacingOccurrences(of: "&#39;", with: "'")
            .replacingOccurrences(of: "&lt;", with: "<").replacingOccurrences(of: "&gt;", with: ">").replacingOccurrences(of: "&amp;", with: "&")
    }

    func column(_ header: String) -> [String] {
        guard let index = headers.firstIndex(of: header) else { return [] }
        return rows.map { $0[index] }
    }
}

@Suite struct ShippedSiteTests {
    func page(_ path: String) async throws -> String {
        try String(contentsOf: try await ShippedSite.shared.output().appendingPathComponent(path), encoding: .utf8)
    }

    func tables(_ path: String) async throws -> [String: HTMLTable] {
        HTMLTable.all(in: try await page(path))
    }

    @Test func projectTotalsMatchAnnexFour() async throws {
        let tables = try await tables("projects/index.html")
        let total = try #require(tables["projects-total"])
        #expect(total.headers == ["项目数（个）", "总投资（万元）", "总投资（亿元）"])
        #expect(total.rows == [["34", "3,786,980.2", "378.70"]])

        let all = try #require(tables["projects-all"])
        #expect(all.rows.count == 34)
        #expect(all.footer.first?.last == "3,786,980.2")
        #expect(all.rows.contains { $0[1] == "钵施然智能农机研发和生产基地建设项目" && $0.last == "47,722.2" })

        let byNature = try #require(tables["projects-by-nature"])
        let nature = Dictionary(uniqueKeysWithValues: byNature.rows.map { ($0[0], ($0[1], $0[2])) })
        #expect(nature["社会投资"]! == ("16", "1,131,531"))
        #expect(nature["新建"]! == ("8", "795,022.2"))
        #expect(nature["续建"]! == ("3", "630,000"))
        #expect(nature["政府投资储备"]! == ("3", "31,800"))
        #expect(nature["社会投资储备"]! == ("4", "1,198,627"))
        #expect(byNature.footer == [["合计", "34", "3,786,980.2", "100.0"]])

        let top = try #require(tables["projects-top10"])
        #expect(top.rows.count == 10)
        #expect(top.rows.first?.first == "广汇格信“丝路之光”生态智慧新城项目")
        #expect(top.rows.first?.last == "1,050,000")

        let byYear = try #require(tables["projects-by-year"])
        #expect(byYear.rows.contains { $0[0] == "小计：2023" && $0[2] == "11" })
        #expect(byYear.footer.first?[3] == "3,786,980.2")
    }

    @Test func platformsByLevelMatchAnnexThree() async throws {
        let tables = try await tables("platforms/index.html")
        let pivot = try #require(tables["platforms-by-type"])
        #expect(pivot.headers == ["类型", "国家级", "自治区级", "市级", "合计"])
        #expect(pivot.footer == [["合计", "10", "21", "4", "35"]])
        #expect(try #require(tables["platforms-national"]).rows.count == 10)
        #expect(try #require(tables["platforms-regional"]).rows.count == 21)
        #expect(try #require(tables["platforms-city"]).rows.count == 4)
    }

    @Test func thirteenIndicatorsMatchAnnexTwo() async throws {
        // Annex 2 of the construction plan (seed 001): name, 2020 value, 2023 target.
        let expected: [(String, String, String)] = [
            ("举办相关政策宣传推介活动数", "37", "45"), ("创新创业大赛参赛数", "16", "25"),
            ("科技型企业数", "1,762", "2,381"), ("高新技术企业数", "168", "234"),
            ("技术市场合同交易总额", "1", "1.5"), ("新增上市企业数（包括被上市公司收购）", "1", "3"),
            ("每万人口发明专利拥有量", "18.09", "22.33"),
            ("科技平台数（国家级重点实验室、工程技术研究中心、新型研发机构等）", "76", "78"),
            ("科技成果转化平台数（孵化器、众创空间等）", "26", "31"), ("产业技术创新战略联盟数", "5", "7"),
            ("异地、离岸孵化器数", "2", "5"), ("区内创新创业孵化平台载体数", "26", "28"),
            ("R&D比例（全社会研发占GDP比重）", "2", "2.25"),
        ]
        let table = try #require(try await tables("indicators/index.html")["indicators"])
        #expect(table.headers == ["序号", "指标名称", "单位", "2020年基数", "2023年目标", "计划增量", "计划增长率（%）"])
        #expect(table.rows.count == 13)
        for (row, want) in zip(table.rows, expected) {
            #expect((row[1], row[3], row[4]) == want)
        }
        // Computed columns: 1762 → 2381 is +619, +35.1 %.
        #expect(table.rows[2][5] == "619")
        #expect(table.rows[2][6] == "35.1")
    }

    @Test func figuresKeepTheSourcesQualifiersAndNotes() async throws {
        let html = try await page("reports/2021/index.html")
        let headline = try #require(HTMLTable.all(in: html)["report-headline"])
        let values = Dictionary(zip(headline.column("项目"), headline.column("数值")), uniquingKeysWith: { a, _ in a })
        // 《厚培创新创业沃土》: 2000余家; 产业发展报道: 近120家, 1000余家, 超过721.4亿元.
        #expect(values["过去10年累计培育科技型中小微企业"] == "2,000余")
        #expect(values["生物医药与大健康产业企业"] == "近120")
        #expect(values["新一代信息技术企业"] == "1,000余")
        #expect(values["2019年以来进驻企业投资总额"] == "超过721.4")
        // The two sources' counts of 科技型企业 stand together: the plan's text and its annex, in a numbered note.
        #expect(values["科技型企业"] == "1,763")
        #expect(html.contains("附件（二）所列2020年基数为1762家</li>"))
        let json = try JSONSerialization.jsonObject(with: Data(contentsOf: try await ShippedSite.shared.output().appendingPathComponent("reports/2021/report-headline.json"))) as? [String: Any]
        let rows = try #require(json?["rows"] as? [[String: Any]])
        #expect(rows.contains { $0["label"] as? String == "生物医药与大健康产业企业" && $0["value"] as? Int == 120 && $0["value_qualifier"] as? String == "近" })
    }

    @Test func policiesAndOffshoreIncubators() async throws {
        #expect(try #require(try await tables("policies/index.html")["policies"]).rows.count == 30)
        let offshore = try #require(try await tables("reports/2021/index.html")["report-offshore"])
        #expect(offshore.column("所在城市").sorted() == ["上海", "大连", "广州", "深圳"])
    }

    @Test func downloadsAreUTF8WithBOMAndJSON() async throws {
        let output = try await ShippedSite.shared.output()
        let csv = try Data(contentsOf: output.appendingPathComponent("projects/projects-total.csv"))
        #expect(csv.prefix(3) == Data([0xEF, 0xBB, 0xBF]))
        #expect(String(decoding: csv.dropFirst(3), as: UTF8.self) == "项目数（个）,总投资（万元）,总投资（亿元）\r\n34,3786980.2,378.69802\r\n")
        let json = try JSONSerialization.jsonObject(with: Data(contentsOf: output.appendingPathComponent("platforms/platforms-national.json"))) as? [String: Any]
        #expect((json?["rows"] as? [Any])?.count == 10)
        #expect(try await page("projects/index.html").contains("<a href=\"projects-total.csv\" download>CSV</a>"))
    }

    @Test func chartsHaveTextAlternatives() async throws {
        let html = try await page("projects/index.html")
        #expect(html.contains("<svg class=\"chart-svg\" role=\"img\" aria-labelledby=\"chart-projects-by-nature-chart-title chart-projects-by-nature-chart-desc\""))
        #expect(html.contains("社会投资储备：1,198,627 万元，占31.7%"))
        #expect(html.contains("<summary>查看图表数据</summary>"))
    }

    @Test func homeReportAndTagPages() async throws {
        let home = try await page("index.html")
        #expect(home.contains("<span class=\"stat-label\">科技型企业</span>"))
        #expect(home.contains("<a href=\"/indicators/\">主要指标</a>"))
        let report = try await page("reports/2021/index.html")
        for section in ["一、基地概况", "二、主要指标", "三、技术创新平台", "四、重点项目", "五、支持政策", "六、离岸孵化器", "附：典型案例摘要"] {
            #expect(report.contains(section), "report misses \(section)")
        }
        #expect(report.contains("<nav class=\"toc\""))
        #expect(report.contains("href=\"/assets/print.css\" media=\"print\""))
        #expect(try await page("tags/孵化器/index.html").contains("新疆高新人才大厦"))
    }

    @Test func everyInternalLinkAndAnchorResolves() async throws {
        let output = try await ShippedSite.shared.output()
        var checked = 0
        let enumerator = FileManager.default.enumerator(atPath: output.path)!
        while let path = enumerator.nextObject() as? String {
            guard path.hasSuffix(".html") else { continue }
            let html = try String(contentsOf: output.appendingPathComponent(path), encoding: .utf8)
            let folder = (path as NSString).deletingLastPathComponent
            for match in html.matches(of: /(?:href|src)="([^"#?]*)(#[^"]*)?"/) {
                let target = String(match.output.1)
                if target.hasPrefix("http") || target.hasPrefix("mailto:") { continue }
                var file = target.isEmpty ? path : target.hasPrefix("/") ? String(target.dropFirst()) : (folder.isEmpty ? target : folder + "/" + target)
                file = file.removingPercentEncoding ?? file
                if file.isEmpty || file.hasSuffix("/") { file += "index.html" }
                #expect(FileManager.default.fileExists(atPath: output.appendingPathComponent(file).path), "\(path) links to missing \(target)")
                if let fragment = match.output.2.map({ String($0.dropFirst()) }), !fragment.isEmpty {
                    let id = HTMLTable.decode(fragment.removingPercentEncoding ?? fragment)
                    let linked = try String(contentsOf: output.appendingPathComponent(file), encoding: .utf8)
                    #expect(linked.contains("id=\"\(id)\""), "\(path) links to missing anchor #\(id) in \(file)")
                }
                checked += 1
            }
        }
        #expect(checked > 200)
    }
}
