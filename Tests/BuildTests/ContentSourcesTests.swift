import Foundation
import Testing
@testable import TianshanBuild

/// Issue 15, parts 1 and 2: every source is cited as what it is (a descriptive name where a document has no
/// title, no date a source does not give, the period it reports on instead), and the sources' approximate
/// figures keep their qualifiers on every page, card, table and download that shows them.
@Suite struct ContentSourcesTests {
    func page(_ path: String) async throws -> String { try await ShippedSite.shared.page(path) }

    func download(_ path: String) async throws -> String {
        let data = try Data(contentsOf: try await ShippedSite.shared.output().appendingPathComponent(path))
        return String(decoding: data.starts(with: [0xEF, 0xBB, 0xBF]) ? data.dropFirst(3) : data, as: UTF8.self)
    }

    func text(_ html: String) -> String { HTMLTable.text(html) }

    // MARK: Part 1: sources and dates

    /// Seed 002 has no title: no page, feed or download may cite it as 《新疆科技工作年度综述（2018年）》.
    @Test func noPageCitesTheInventedTitleOfSeed002() async throws {
        let output = try await ShippedSite.shared.output()
        let enumerator = try #require(FileManager.default.enumerator(atPath: output.path))
        var read = 0
        while let path = enumerator.nextObject() as? String {
            guard [".html", ".xml", ".csv", ".json"].contains(where: path.hasSuffix) else { continue }
            let contents = try String(contentsOf: output.appendingPathComponent(path), encoding: .utf8)
            #expect(!contents.contains("新疆科技工作年度综述"), "\(path) cites seed 002 by a title it does not have")
            read += 1
        }
        #expect(read > 100)
    }

    /// Where seed 002 is cited, it is cited by its descriptive name, never in 《》 as if it were a title.
    @Test func seed002IsCitedByItsDescriptiveName() async throws {
        for path in ["cases/star-innovation-bases/index.html", "news/tianshan-zhongchuang/index.html",
                     "news/wuchangshi-innovation-zone/index.html", "cases/offshore-incubators/index.html",
                     "policies/index.html", "about/index.html"] {
            let html = try await page(path)
            #expect(html.contains("新疆2018年科技工作情况材料"), "\(path) does not name seed 002")
            #expect(!html.contains("《新疆2018年科技工作情况材料》"), "\(path) puts the descriptive name in 《》")
        }
        let star = try await page("cases/star-innovation-bases/index.html")
        #expect(star.contains("新疆2018年科技工作情况材料（原文无标题、未注明日期，所述为2018年情况）"))
        // The policy basis table still credits the documents seed 002 cites to it, by the same name.
        let basis = try #require(HTMLTable.all(in: try await page("policies/index.html"))["referenced-documents"])
        #expect(basis.rows.count == 17)
        #expect(basis.column("文件名称").contains("关于县域创新驱动发展的实施意见"))
    }

    /// data/referenced_documents.yaml lists the five source documents, each with its seed file, whether it has a
    /// title and a date, and the period it reports on; the about page shows them.
    @Test func aboutPageListsTheFiveSourcesWithTheirSeedFiles() async throws {
        let table = try #require(HTMLTable.all(in: try await page("about/index.html"))["source-documents"])
        #expect(table.headers == ["资料名称", "作者或发布者", "来源文件", "原文有无标题", "原文所注日期", "报道时期"])
        #expect(table.column("来源文件") == ["000_8bd2d23819f2f4f6.txt", "001_00042470639d7258.txt", "002_0a8a865b3d5a1011.txt",
                                          "003_9705f0944527674e.txt", "004_ed347c8222347c84.txt"])
        let rows = Dictionary(uniqueKeysWithValues: table.rows.map { ($0[2], $0) })
        #expect(rows["002_0a8a865b3d5a1011.txt"]?[0] == "新疆2018年科技工作情况材料")
        #expect(rows["002_0a8a865b3d5a1011.txt"]?[3].hasPrefix("无") == true)
        #expect(rows["001_00042470639d7258.txt"]?[4] == "二〇二一年三月四日")
        for seed in ["000_8bd2d23819f2f4f6.txt", "002_0a8a865b3d5a1011.txt", "003_9705f0944527674e.txt", "004_ed347c8222347c84.txt"] {
            #expect(rows[seed]?[4] == "未注明", "\(seed) is given a date it does not have")
        }
        #expect(rows["000_8bd2d23819f2f4f6.txt"]?[5].hasPrefix("截至2021年底") == true)
        #expect(rows["003_9705f0944527674e.txt"]?[5].hasPrefix("2019年全年") == true)
        let csv = try await download("about/source-documents.csv")
        #expect(csv.contains("新疆2018年科技工作情况材料,原文未写编写单位,002_0a8a865b3d5a1011.txt"))
    }

    /// Seed 000 has no date (it reports 截至2021年底 figures and 今年8月): its four cases and its article carry no
    /// 2021-12-31 and say which period they report on.
    @Test func seed000PagesCarryNoInventedDateAndStateTheirPeriod() async throws {
        for path in ["cases/gunasi-weiyao/index.html", "cases/herunxian/index.html", "cases/xinjiang-talent-tower/index.html",
                     "cases/zijing-chuansuo/index.html", "news/innovation-ecosystem-2021/index.html"] {
            let html = try await page(path)
            #expect(!html.contains("<time datetime="), "\(path) shows a date")
            #expect(!html.contains("2021年12月31日") && !html.contains("2021-12-31"), "\(path) keeps the invented date")
            #expect(html.contains("报道期：截至2021年底。来源报道未注明发布日期"), "\(path) does not state its period")
            #expect(html.contains("未注明发布日期，报道期截至2021年底"), "\(path)'s source line does not say it is undated")
            // Nor a year the source does not give: 截至2021年底 would fit an article of late 2021 too.
            #expect(!html.contains("不早于2022年"), "\(path) infers a year of writing")
        }
        let feed = try await page("atom.xml")
        let entry = try #require(feed.firstMatch(of: /<entry>\s*<title>古纳斯维药[^<]*<\/title>(.*?)<\/entry>/.dotMatchesNewlines()))
        #expect(!entry.output.1.contains("<published>"))
        #expect(!(try await page("sitemap.xml")).contains("2021-12-31"))
    }

    /// Seed 003 reports full-year 2019 figures and a November 2019 event; 2019-10-08 is only the date of a ranking
    /// it mentions, so the industry article has no date and its source line says what period it covers.
    @Test func industryArticleIsUndatedAndStatesItsPeriod() async throws {
        let html = try await page("news/industry-3plus1/index.html")
        #expect(!html.contains("<time datetime="))
        #expect(!html.contains("2019-10-08"))
        #expect(html.contains("原文无标题、未注明发布日期；报道期：2019年全年"))
        #expect(html.contains("2019年10月8日是所提排名的发布日期"))
        let listing = try await page("news/index.html")
        let item = try #require(listing.firstMatch(of: /href="\/news\/industry-3plus1\/"(.*?)<\/(?:article|li)>/.dotMatchesNewlines()))
        #expect(!item.output.1.contains("<time"))
    }

    /// Seeds 002 and 004 have no dates either: the pages built on them no longer carry an invented 2018-12-31.
    @Test func regionalPagesCarryNoInventedDate() async throws {
        for (path, period) in [("cases/star-innovation-bases/index.html", "报道期：截至2018年。"),
                               ("news/tianshan-zhongchuang/index.html", "报道期：行动成效为")] {
            let html = try await page(path)
            #expect(!html.contains("<time datetime="), "\(path) shows a date")
            #expect(!html.contains("2018年12月31日"), "\(path) keeps the invented date")
            #expect(html.contains(period), "\(path) does not state its period")
        }
        #expect(try await page("news/tianshan-zhongchuang/index.html").contains("新疆民生网《新疆创业创新热潮涌动》（亚心网记者张瑞麟，未注明发布日期）"))
    }

    /// The home cards show the plan's 截止目前 figures: no longer labelled 2021年数据; the page says what period they
    /// are and gives both of the plan's counts where its text and annex differ.
    @Test func homeFiguresAreNotLabelledAs2021Data() async throws {
        let home = try await page("index.html")
        #expect(home.contains("<span class=\"stat-label\">科技型企业</span>"))
        #expect(home.contains("<span class=\"stat-value\">1763<span class=\"stat-unit\">家</span></span>"))
        #expect(!home.contains("2021年数据"))
        #expect(!home.contains("class=\"stat-note\""))
        let words = text(home)
        #expect(words.contains("原文写作“截止目前”或“现有”"))
        #expect(words.contains("并不是2021年全年的统计"))
        #expect(words.contains("数据说明"))
        for figure in ["1763家", "1762家", "166家", "168家"] {
            #expect(words.contains(figure), "the home page misses \(figure)")
        }
        // The report's table of the same data leaves the year empty for those rows and gives the period in a note.
        let headline = try #require(HTMLTable.all(in: try await page("reports/2021/index.html"))["report-headline"])
        let years = Dictionary(zip(headline.column("项目"), headline.column("年份")), uniquingKeysWith: { a, _ in a })
        #expect(years["科技型企业"] == "")
        #expect(years["众创空间"] == "")
        #expect(years["国家备案众创空间"] == "2021")
    }

    // MARK: Part 2: qualifiers

    /// 2000余家 (seed 000): the article's summary, body and cards, the report table and its CSV.
    @Test func twoThousandOddKeepsItsQualifier() async throws {
        let article = text(try await page("news/innovation-ecosystem-2021/index.html"))
        #expect(article.contains("过去10年累计培育科技型中小微企业2000余家"))
        #expect(article.contains("累计培育的科技型中小微企业有2000余家"))
        #expect(!article.contains("超过2000家"))
        let report = try #require(HTMLTable.all(in: try await page("reports/2021/index.html"))["report-headline"])
        let values = Dictionary(zip(report.column("项目"), report.column("数值")), uniquingKeysWith: { a, _ in a })
        #expect(values["过去10年累计培育科技型中小微企业"] == "2,000余")
        #expect(try await download("reports/2021/report-headline.csv").contains("过去10年累计培育科技型中小微企业,2000,余,家"))
    }

    /// 近120家, 1000余家 and 超过721.4亿元 (seed 003): the pages that state them, the report table and its CSV/JSON.
    @Test func industryFiguresKeepTheirQualifiers() async throws {
        let industry = text(try await page("news/industry-3plus1/index.html"))
        #expect(industry.contains("近120家"))
        #expect(industry.contains("超过721.4亿元"))
        #expect(text(try await page("cases/gunasi-weiyao/index.html")).contains("近120家"))
        let report = try #require(HTMLTable.all(in: try await page("reports/2021/index.html"))["report-headline"])
        let values = Dictionary(zip(report.column("项目"), report.column("数值")), uniquingKeysWith: { a, _ in a })
        #expect(values["生物医药与大健康产业企业"] == "近120")
        #expect(values["新一代信息技术企业"] == "1,000余")
        #expect(values["2019年以来进驻企业投资总额"] == "超过721.4")
        let csv = try await download("reports/2021/report-headline.csv")
        #expect(csv.hasPrefix("项目,数值,数值·限定词,单位"))
        #expect(csv.contains("生物医药与大健康产业企业,120,近,家"))
        #expect(csv.contains("新一代信息技术企业,1000,余,家"))
        #expect(csv.contains("2019年以来进驻企业投资总额,721.4,超过,亿元"))
        let json = try await download("reports/2021/report-headline.json")
        #expect(json.contains("\"value_qualifier\" : \"超过\""))
    }

    /// 30余家 (the plan's 大连 base): the case page's text and table, the report's table and the CSV downloads.
    @Test func thirtyOddKeepsItsQualifier() async throws {
        let html = try await page("cases/offshore-incubators/index.html")
        #expect(text(html).contains("入驻企业30余家"))
        let table = try #require(HTMLTable.all(in: html)["offshore-incubators-list"])
        let companies = Dictionary(zip(table.column("所在城市"), table.column("入驻企业（家）")), uniquingKeysWith: { a, _ in a })
        #expect(companies["大连"] == "30余")
        #expect(try await download("cases/offshore-incubators/offshore-incubators-list.csv").contains("大连,3000,30,余"))
        let report = try #require(HTMLTable.all(in: try await page("reports/2021/index.html"))["report-offshore"])
        #expect(report.rows.contains { $0.contains("30余") })
        #expect(try await download("reports/2021/report-offshore.csv").contains(",30,余"))
    }

    /// Case cards carry the qualifier in the value, not as a word in the label.
    @Test func caseCardsShowQualifiedValues() async throws {
        let gunasi = try await page("cases/gunasi-weiyao/index.html")
        #expect(gunasi.contains("<dt>年营业额</dt><dd><span class=\"figure-value\">超过1300</span>"))
        #expect(gunasi.contains("<dt>累计享受资金扶持和奖励</dt><dd><span class=\"figure-value\">200多</span>"))
        #expect(gunasi.contains("<span class=\"figure-value\">2007</span>"))
        let zijing = try await page("cases/zijing-chuansuo/index.html")
        #expect(zijing.contains("<dt>每天产出新鲜饲草</dt><dd><span class=\"figure-value\">10以上</span>"))
    }
}
