import Foundation
import Testing
@testable import TianshanBuild

/// Issue 15, part 3: where the sources disagree (or the construction plan's annexes contradict its text or
/// themselves), the built pages show both figures and say where each comes from, in a table note beside the
/// figure or in a marked 数据说明 box. Each test reads the built page back.
@Suite struct ContentDisagreementsTests {
    func page(_ path: String) async throws -> String { try await ShippedSite.shared.page(path) }

    /// Text without tags or entities, so that a sentence split by markup still reads as one.
    static func text(_ html: String) -> String {
        HTMLTable.text(html).replacingOccurrences(of: "\n", with: "")
    }

    /// The page's marked boxes: blockquotes whose text starts with 数据说明.
    static func boxes(_ html: String) -> [String] {
        html.matches(of: /<blockquote>(.*?)<\/blockquote>/.dotMatchesNewlines()).map { text(String($0.output.1)) }
            .filter { $0.hasPrefix("数据说明") }
    }

    /// One table read back with its notes: each body row's cells and the texts of the footnotes it refers to,
    /// plus the table's own note (in its caption area).
    struct NotedTable {
        var rows: [(cells: [String], notes: [String])]
        var notes: [String]
        var tableNote: String?

        func row(_ first: String) -> (cells: [String], notes: [String])? { rows.first { $0.cells.first == first } }
    }

    static func table(_ id: String, in html: String) throws -> NotedTable {
        let figure = try #require(html.firstMatch(of: try Regex("<figure class=\"data-table\" id=\"\(id)\">(.*?)</figure>").dotMatchesNewlines()),
                                  "no table \(id)")
        let body = String(figure.output[1].substring ?? "")
        var notes: [Int: String] = [:]
        for item in body.matches(of: try Regex("<li id=\"\(id)-note-([0-9]+)\">(.*?)</li>")) {
            notes[Int(item.output[1].substring!)!] = text(String(item.output[2].substring!)).dropFirst(2).description
        }
        let tbody = body.firstMatch(of: /<tbody>(.*?)<\/tbody>/.dotMatchesNewlines()).map { String($0.output.1) } ?? ""
        let rows = tbody.matches(of: /<tr[^>]*>(.*?)<\/tr>/).map { row -> (cells: [String], notes: [String]) in
            let html = String(row.output.1)
            let refs = html.matches(of: try! Regex("href=\"#\(id)-note-([0-9]+)\"")).compactMap { notes[Int($0.output[1].substring!)!] }
            let cells = html.matches(of: /<t[hd][^>]*>(.*?)<\/t[hd]>/).map { text(String($0.output.1).replacing(/<sup[^>]*>.*?<\/sup>/, with: "")) }
            return (cells, refs)
        }
        let tableNote = body.firstMatch(of: /<span class="table-note">(.*?)<\/span>/).map { text(String($0.output.1)) }
        return NotedTable(rows: rows, notes: notes.keys.sorted().map { notes[$0]! }, tableNote: tableNote)
    }

    // MARK: Annex 2 against the plan's text and its first case

    @Test func techAndHighTechEnterprisesAnnexTwoBesideThePlanText() async throws {
        for (path, id) in [("indicators/index.html", "indicators"), ("reports/2021/index.html", "report-indicators")] {
            let html = try await page(path)
            let table = try Self.table(id, in: html)
            // The annex's figures stay as given; the note on each gives the text's figure and both places.
            let tech = try #require(table.rows.first { $0.cells[1] == "科技型企业数" })
            #expect(tech.cells[3] == "1,762")
            let techNote = try #require(tech.notes.first, "\(path): 科技型企业数 has no note")
            for part in ["数据说明", "1762家", "1763家", "附件（二）", "正文一（二）"] { #expect(techNote.contains(part), "\(path): \(part)") }
            let high = try #require(table.rows.first { $0.cells[1] == "高新技术企业数" })
            #expect(high.cells[3] == "168")
            let highNote = try #require(high.notes.first, "\(path): 高新技术企业数 has no note")
            for part in ["数据说明", "168家", "166家", "附件（二）", "正文一（二）"] { #expect(highNote.contains(part), "\(path): \(part)") }
        }
        let box = try #require(Self.boxes(try await page("indicators/index.html")).first)
        for part in ["1762家", "1763家", "168家", "166家", "正文一（二）"] { #expect(box.contains(part), "\(part)") }
    }

    @Test func industryAlliancesFiveInAnnexTwoSevenInTheText() async throws {
        let html = try await page("indicators/index.html")
        let row = try #require(try Self.table("indicators", in: html).rows.first { $0.cells[1] == "产业技术创新战略联盟数" })
        #expect(row.cells[3] == "5")
        let note = try #require(row.notes.first)
        for part in ["数据说明", "5个", "7家", "正文一（二）", "附件（二）", "新疆知识产权联盟"] { #expect(note.contains(part), "\(part)") }
        #expect(try #require(Self.boxes(html).first).contains("7家"))
    }

    @Test func offshoreIncubatorsTwoInAnnexTwoFourInCaseOne() async throws {
        let indicators = try await page("indicators/index.html")
        let row = try #require(try Self.table("indicators", in: indicators).rows.first { $0.cells[1] == "异地、离岸孵化器数" })
        #expect(row.cells[3] == "2")
        let note = try #require(row.notes.first)
        for part in ["数据说明", "2个", "四家", "典型案例一", "附件（二）"] { #expect(note.contains(part), "\(part)") }

        // The case page shows the four incubators, and says beside them that the annex counts 2.
        let html = try await page("cases/offshore-incubators/index.html")
        let box = try #require(Self.boxes(html).first)
        for part in ["四家", "2个", "典型案例一", "附件（二）"] { #expect(box.contains(part), "\(part)") }
        let table = try Self.table("offshore-incubators-list", in: html)
        #expect(table.rows.count == 4)
        #expect(try #require(table.tableNote).contains("2个"))
        // 入驻企业30余家 (大连) keeps its qualifier.
        #expect(table.rows.contains { $0.cells.contains("30余") })
    }

    // MARK: Annex 3 against the plan's text, and inside itself

    @Test func platformCountsOfThePlanTextBesideAnnexThree() async throws {
        let html = try await page("platforms/index.html")
        let box = try #require(Self.boxes(html).first)
        // Each of the text's counts with what Annex 3 lists.
        for pair in [("国家企业技术中心：正文为5家", "只有4个"), ("国家地方联合工程研究中心：正文为3家", "有2个"),
                     ("重点实验室：正文为19家", "没有列出任何重点实验室"), ("企业技术中心：正文为32家", "一共13个"),
                     ("自治区级工程研究中心：正文为8家", "第24至31行")] {
            #expect(box.contains(pair.0) && box.contains(pair.1), "\(pair)")
        }
        #expect(try #require(try Self.table("platforms-by-type", in: html).tableNote).contains("数据说明"))

        // The case page that repeats the text's counts says the same.
        let caseBox = try #require(Self.boxes(try await page("cases/innovation-platforms/index.html")).first)
        for part in ["国家企业技术中心，正文5家", "4个", "正文3家", "2个", "重点实验室，正文19家", "正文32家", "13个", "8家"] {
            #expect(caseBox.contains(part), "\(part)")
        }
    }

    @Test func annexThreeErrorsKeptAsGivenEachWithANote() async throws {
        let html = try await page("platforms/index.html")
        let national = try Self.table("platforms-national", in: html)
        let regional = try Self.table("platforms-regional", in: html)
        // Columns: 序号, 名称, 依托单位, 类型.
        let row4 = try #require(national.row("4"))
        #expect(row4.cells[2] == "新疆生产建设兵团制药工程研究")
        #expect(row4.notes.first?.contains("不完整") == true)
        let row7 = try #require(national.row("7"))
        #expect(row7.cells[1] == "特变电工新疆新能源股份有限公司技术中心" && row7.cells[2] == "新疆交通建设集团股份有限公司")
        #expect(row7.notes.first?.contains("特变电工新疆新能源股份有限公司") == true)
        let row10 = try #require(national.row("10"))
        #expect(row10.cells[3] == "工程实验室")
        #expect(row10.notes.first?.contains("工程研究中心") == true)
        for number in ["24", "25"] {
            let row = try #require(regional.row(number))
            #expect(row.cells[1].hasSuffix("工程实验室") && row.cells[3] == "工程研究中心")
            #expect(row.notes.first?.contains("类型一栏却填“工程研究中心”") == true, "row \(number)")
        }
        // Two spellings of one company, both kept, each pointing at the other.
        let row11 = try #require(regional.row("11")), row28 = try #require(regional.row("28"))
        #expect(row11.cells[2] == "新疆华世丹药业有限公司" && row28.cells[2] == "新疆华世丹药业股份有限公司")
        for row in [row11, row28] {
            let note = try #require(row.notes.first)
            #expect(note.contains("新疆华世丹药业有限公司") && note.contains("新疆华世丹药业股份有限公司"))
        }
        // The box names each of them too, and the row's own page carries its note.
        let box = try #require(Self.boxes(html).first)
        for part in ["第4行", "第7行", "第10行", "第24、25行", "第11行", "第28行"] { #expect(box.contains(part), "\(part)") }
        let rowPage = try await page("platforms/特变电工新疆新能源股份有限公司技术中心-国家级/index.html")
        #expect(Self.text(rowPage).contains("同名的自治区级平台（第18行）"))
    }

    // MARK: Annex 4's total, both ways

    @Test func projectTotalShownBothWaysWithTheReason() async throws {
        let html = try await page("projects/index.html")
        let total = try Self.table("projects-total", in: html)
        #expect(total.rows.map(\.cells) == [["34", "3,786,980.2", "378.70"]])
        let note = try #require(total.tableNote)
        #expect(note.contains("3,396,980.2") && note.contains("一期"))

        let box = try #require(Self.boxes(html).first)
        for part in ["3,786,980.2", "3,396,980.2", "390,000", "1,050,000", "一期", "整个项目", "计算了两次", "序号16", "序号32"] {
            #expect(box.contains(part), "\(part)")
        }
        // Both rows stay in the list, each with the note.
        let all = try Self.table("projects-all", in: html)
        for (number, investment) in [("16", "390,000"), ("32", "1,050,000")] {
            let row = try #require(all.row(number))
            #expect(row.cells[4] == investment)
            let rowNote = try #require(row.notes.first, "row \(number)")
            #expect(rowNote.contains("3,786,980.2") && rowNote.contains("3,396,980.2"))
        }
        #expect(try #require(all.tableNote).contains("3,396,980.2"))
        // The download carries the notes in its last column.
        let csv = String(decoding: try Data(contentsOf: try await ShippedSite.shared.output().appendingPathComponent("projects/projects-all.csv")).dropFirst(3), as: UTF8.self)
        #expect(csv.hasPrefix("序号,项目名称,建设年限,项目性质,总投资（万元）,注释\r\n"))
        #expect(csv.contains("3,396,980.2"))

        // The article about the projects gives both totals, as cards and in its box.
        let article = try await page("news/key-projects/index.html")
        let articleBox = try #require(Self.boxes(article).first)
        #expect(articleBox.contains("3786980.2") && articleBox.contains("3396980.2") && articleBox.contains("一期"))
        #expect(article.contains("3,396,980.2"))
    }
}
