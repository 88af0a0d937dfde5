import Foundation
import Testing

/// Reads back the material issue 15 found missing from the shipped site: the plan's 典型案例二 (the CETC
/// cooperation) and the remaining facts of seeds 002–004, each as the built pages show them.
@Suite struct ContentMaterialTests {
    func page(_ path: String) async throws -> String { try await ShippedSite.shared.page(path) }

    /// The page's visible text: tags dropped, entities decoded, whitespace collapsed.
    func text(_ path: String) async throws -> String {
        let html = try await page(path)
        let stripped = HTMLTable.decode(html.replacing(/<[^>]+>/, with: " "))
        return stripped.replacing(/\s+/, with: " ")
    }

    /// The figure cards of a page as (label, value + unit).
    func cards(_ html: String) -> [String: String] {
        var cards: [String: String] = [:]
        for card in html.matches(of: /<div class="figure"><dt>(.*?)<\/dt><dd><span class="figure-value">(.*?)<\/span>(?:<span class="figure-unit">(.*?)<\/span>)?<\/dd><\/div>/) {
            cards[HTMLTable.decode(String(card.output.1))] = HTMLTable.decode(String(card.output.2) + String(card.output.3 ?? ""))
        }
        return cards
    }

    @Test func cetcCaseShowsItsFiguresFromTheDataFile() async throws {
        let html = try await page("cases/cetc-cooperation/index.html")
        let table = try #require(HTMLTable.all(in: html)["cetc-cooperation-figures"])
        #expect(table.caption == "基地与中国电科合作的主要数字")
        #expect(table.headers == ["合作内容", "指标", "数值", "单位", "出处"])
        #expect(table.rows.count == 11)
        let byItem = Dictionary(uniqueKeysWithValues: table.rows.map { ($0[1], ($0[2], $0[3])) })
        // Every figure of 典型案例二 with the qualifier the plan gives it.
        #expect(byItem["中电科在疆全资子公司的注册资本"]! == ("1,000", "万元"))
        #expect(byItem["子公司自筹并先期垫资用于项目建设的资金"]! == ("约30", "亿元"))
        #expect(byItem["感知系统累计生产的数据"]! == ("103", "亿条"))
        #expect(byItem["已开展重大项目建设的地州"]! == ("14", "个"))
        #expect(byItem["已开展重大项目建设的县市"]! == ("108", "个"))
        #expect(byItem["新疆联海创智信息科技有限公司与各地州所签合同总额"]! == ("近30", "亿元"))
        #expect(byItem["新疆联海创智信息科技有限公司解决的就业"]! == ("180余", "人"))
        #expect(byItem["参加联盟的疆内企业"]! == ("50", "家"))
        #expect(byItem["一体化平台项目中与中电科深入合作的疆内企业"]! == ("52", "家"))
        #expect(byItem["“太赫兹产业化基地”项目总投资额"]! == ("超4", "亿元"))
        #expect(byItem["园区已引进的国内外知名安防企业"]! == ("近20", "家"))
        #expect(Set(table.column("合作内容")) == ["在疆子公司", "天山力遁联盟", "太赫兹产业化基地", "智能安防产业园"])
        // The table names the plan's part it comes from, and its notes keep the source's two spellings.
        #expect(html.contains("资料来源：乌鲁木齐高新区（新市区）双创示范基地建设方案（二〇二一年三月四日）一（4）典型案例二"))
        #expect(html.contains("原文小标题作“天山力遁创新产业联盟”，正文作“天山力遁创新企业联盟”"))
        #expect(html.contains("原文只说“均在千万量级”"))

        let cards = cards(html)
        #expect(cards["联海创智与各地州所签合同总额"] == "近30亿元")
        #expect(cards["联海创智解决就业"] == "180余人")
        #expect(cards["感知系统生产数据"] == "103亿条")
        #expect(cards["业务覆盖地州 / 县市"] == "14 / 108个")
        #expect(cards["太赫兹产业化基地项目总投资"] == "超4亿元")
        #expect(cards["智能安防产业园引进的知名安防企业"] == "近20家")

        let text = try await text("cases/cetc-cooperation/index.html")
        for fact in ["新疆联海创智信息科技有限公司", "新疆博微太赫兹信息科技有限公司", "社会安全风险感知与防控大数据应用国家工程实验室",
                     "天山力遁", "中电科集团公司第三十八所", "“太赫兹产业化基地”", "智能安防产业园", "基地北区工业园",
                     "工程实验室主任基金", "14个地州、108个县市", "近30亿元", "180余人", "103亿条", "超4亿元", "近20家"] {
            #expect(text.contains(fact), "cetc-cooperation lacks \(fact)")
        }
    }

    @Test func cetcDownloadsKeepTheQualifiers() async throws {
        let output = try await ShippedSite.shared.output()
        let csv = try String(contentsOf: output.appendingPathComponent("cases/cetc-cooperation/cetc-cooperation-figures.csv"), encoding: .utf8)
        #expect(csv.contains("数值·限定词"))
        #expect(csv.contains("新疆联海创智信息科技有限公司与各地州所签合同总额,30,近,亿元"))
        #expect(csv.contains("新疆联海创智信息科技有限公司解决的就业,180,余,人"))
        #expect(csv.contains("“太赫兹产业化基地”项目总投资额,4,超,亿元"))
        let json = try String(contentsOf: output.appendingPathComponent("cases/cetc-cooperation/cetc-cooperation-figures.json"), encoding: .utf8)
        #expect(json.contains("\"value_qualifier\" : \"近\""))
    }

    @Test func seed002ReformTasksPolicyPackagesAndFinance() async throws {
        let path = "news/reform-and-finance-2018/index.html"
        let text = try await text(path)
        // Reform tasks: 6 deepening-reform and 7 S&T-system tasks, all done, with 2 and 25 policies.
        for fact in ["深化改革任务 6项 6项 相关政策措施2项", "科技体制改革任务 7项 7项 改革配套政策25项",
                     "16个牵头部门", "《自治区新型研发机构备案与管理暂行办法》"] {
            #expect(text.contains(fact), "reform page lacks \(fact)")
        }
        // The three policy packages.
        for package in ["“试验区建设18条政策”", "“新疆科技成果转化9条”", "“新疆以知识价值为导向的分配政策11条”"] {
            #expect(text.contains(package))
        }
        // Guidance funds and the three science-and-technology bank branches.
        #expect(text.contains("四个创新园各自设立了科技创新产业引导基金，乌鲁木齐高新区是其中之一"))
        for bank in ["乌鲁木齐银行科技支行", "北京银行乌鲁木齐分行科技支行", "石河子国民村镇银行科技特色支行"] {
            #expect(text.contains(bank))
        }
        let table = try #require(HTMLTable.all(in: try await page(path))["reform-2018-finance"])
        let funds = Dictionary(uniqueKeysWithValues: table.rows.map { ($0[0], $0[1] + $0[2]) })
        #expect(funds["自治区科技成果转化基金"] == "3亿元")
        #expect(funds["中科援疆基金"] == "4.6亿元")
        #expect(funds["财政厅预算安排的试验区创新基金"] == "1亿元")
        // A dateless source is named descriptively and its period stated.
        #expect(text.contains("报道期：2018年"))
        #expect(!text.contains("《新疆科技工作年度综述（2018年）》"))
    }

    @Test func seed003ApprovalTimeCutAndDigitalParkTargets() async throws {
        let path = "news/digital-economy-business-environment/index.html"
        let html = try await page(path)
        let text = try await text(path)
        #expect(text.contains("平均缩短了2个月"))
        #expect(text.contains("姚刚"))
        for target in ["引入各类数字产业相关企业 不低于100家", "其中央企、国企与独角兽企业的区域总部 不低于5家",
                       "营业收入 不低于20亿元", "税收贡献 不低于3亿元"] {
            #expect(text.contains(target), "digital park target missing: \(target)")
        }
        #expect(text.contains("2019年8月"))
        #expect(text.contains("报道期：2019年（原文未注明发布日期"))
        #expect(text.contains("1000余家"))
        // Both spellings of the same company, each from its own source.
        #expect(text.contains("新疆熙菱信息股份公司") && text.contains("新疆熙菱信息科技有限公司"))
        let cards = cards(html)
        #expect(cards["重点项目前期手续办理时间平均缩短"] == "2个月")
        #expect(cards["数字产业园5年内引入数字产业相关企业"] == "不低于100家")
        #expect(cards["新一代信息技术企业"] == "1000余家")
        // No invented publication date.
        #expect(!html.contains("<time"))
    }

    @Test func seed004SmePlanTargetsForUrumqi() async throws {
        let path = "news/sme-plan-urumqi/index.html"
        let text = try await text(path)
        #expect(text.contains("“二核五轴五区”"))
        #expect(text.contains("乌鲁木齐—昌吉中小微企业聚集区 60000家 150万人"))
        #expect(text.contains("其中：乌鲁木齐市 53390家以上 120万人"))
        #expect(text.contains("《新疆中小微企业“十三五”发展规划》"))
        let cards = cards(try await page(path))
        #expect(cards["2020年乌鲁木齐市中小微企业"] == "53390家以上")
        #expect(cards["2020年乌鲁木齐市带动就业"] == "120万人")
    }

    @Test func ownedPagesLinkToTheNewMaterial() async throws {
        let zone = try await page("news/wuchangshi-innovation-zone/index.html")
        #expect(zone.contains("href=\"/news/reform-and-finance-2018/\""))
        #expect(zone.contains("href=\"/cases/cetc-cooperation/\""))
        #expect(zone.contains("href=\"/news/digital-economy-business-environment/\""))
        #expect(zone.contains("href=\"/news/sme-plan-urumqi/\""))
        let finance = try await page("news/talent-and-finance/index.html")
        #expect(finance.contains("href=\"/cases/cetc-cooperation/\""))
        #expect(finance.contains("href=\"/news/reform-and-finance-2018/#"))
        #expect(try await page("news/reform-and-finance-2018/index.html").contains("id=\"科技金融基金引导基金与科技支行\""))
        let cases = try await page("cases/index.html")
        #expect(cases.contains("href=\"/cases/cetc-cooperation/\""))
    }
}
