import Foundation
import Testing
@testable import TianshanBuild

/// The construction plan's (seed 001) goals, nine tasks with their 专栏 items, safeguards and groundwork, read back
/// from the built shipped site (issue 15, part 4).
@Suite struct ContentPlanTests {
    static let taskNames = [
        "实施科技维稳支撑工程", "实施科技惠及民生工程", "探索“飞地经济”模式", "实施重点产业创新工程", "实施科技创新能力建设工程",
        "实施科技成果转移转化工程", "实施创新型人才队伍建设工程", "实施科技创新合作工程", "实施打造“双创”升级版工程",
    ]
    static let numbers = ["一", "二", "三", "四", "五", "六", "七", "八", "九"]
    static let safeguardNames = ["加强组织领导和统筹协调", "健全科技投入保障体系", "完善科技人才保障体系", "加强监督考核", "做好宣传动员"]

    func page(_ path: String) async throws -> String { try await ShippedSite.shared.page(path) }

    func text(_ html: String) -> String { HTMLTable.text(html) }

    @Test func theTasksPageHasTheNineTasksInOrder() async throws {
        let html = try await page("tasks/index.html")
        var position = html.startIndex
        for (number, name) in zip(Self.numbers, Self.taskNames) {
            let heading = try #require(html.range(of: ">（\(number)）\(name)</h2>", range: position..<html.endIndex), "missing or out of order: \(name)")
            position = heading.upperBound
        }
        let overview = try #require(HTMLTable.all(in: html)["tasks-overview"])
        #expect(overview.column("建设任务") == Self.taskNames)
        #expect(overview.column("编号") == Self.numbers.map { "三（\($0)）" })
        #expect(overview.column("专栏项目数") == ["2", "4", "3", "15", "10", "3", "2", "4", "2"])
        #expect(overview.footer.first?.last == "45")
        // The two tasks the site left out before: 三（一） and 三（二） 科技惠及民生, each with its 专栏.
        let tables = HTMLTable.all(in: html)
        #expect(try #require(tables["tasks-1"]).column("项目或方向") == ["智能装备", "智能化软件等领域寻求突破"])
        #expect(try #require(tables["tasks-2"]).column("项目或方向") == ["水环境保护", "废物循环利用", "健康服务技术", "科技精准扶贫"])
        // The source's own slip is kept and explained: 专栏1 numbers both items "1.".
        #expect(html.contains("原文专栏1的两项都编号为“1.”"))
    }

    @Test func thePanelsListTheirItems() async throws {
        let html = try await page("tasks/index.html")
        let tables = HTMLTable.all(in: html)
        // 专栏4: the five industry directions and their items.
        let industry = try #require(tables["tasks-4"])
        #expect(Set(industry.column("专栏")) == ["专栏4-1", "专栏4-2", "专栏4-3", "专栏4-4", "专栏4-5"])
        for item in ["高分子膜新材料", "铝基新材料", "石墨烯材料", "发展特色民族药和现代中药", "打造生物医药产业园",
                     "“智能制造产业化示范基地”项目", "亚士创能建筑节能保温与装饰材料新疆制造基地项目", "大宗商品交易平台建设",
                     "顺理办上市加速", "新疆电商智慧物流平台"] {
            #expect(industry.column("项目或方向").contains(item), "专栏4 misses \(item)")
        }
        #expect(html.contains("项目标题写作“顺理办”，正文写作“顺利办信息服务股份有限公司”"))
        // 专栏5-4: the two IP actions.
        let capacity = try #require(tables["tasks-5"])
        let ip = zip(capacity.column("专栏"), capacity.column("项目或方向")).filter { $0.0 == "专栏5-4" }.map(\.1)
        #expect(ip == ["乌鲁木齐高新区新疆原创认证保护平台建设项目", "国家知识产权局专利审查员实践基地建设"])
        #expect(capacity.column("项目或方向").contains("社会安全风险感知与防控大数据应用国家工程实验室"))
        // 专栏6: the transfer platforms.
        let transfer = try #require(tables["tasks-6"])
        #expect(transfer.column("项目或方向") == [
            "打造科技成果展示推介交易平台", "夯实新疆中西亚技术转移中心", "新疆中亚技术产权交易市场；国家专利技术（新疆）展示交易中心；知识产权交易平台",
        ])
        #expect(transfer.column("依托或承担单位").first == "国家技术转移东部中心新疆分中心")
        // 专栏8: the international projects.
        let cooperation = try #require(tables["tasks-8"])
        #expect(cooperation.column("项目或方向") == [
            "国际工业科技合作产业园项目", "光学及聚烯烃功能薄膜（国际合作）工程技术研究中心",
            "建设中亚民族药创新药物研发国际科技合作基地", "建设中亚润滑油特种油品工程技术研发中心",
        ])
        // 专栏9 and the events of 三（九）, 红山创客周 first.
        #expect(try #require(tables["tasks-9"]).column("项目或方向") == ["科创孵化器群", "乐天工业孵化基地"])
        let words = text(html)
        #expect(words.contains("办好“红山创客周”"))
        for event in ["中国创新创业大赛", "“创青春”中国青年创新创业大赛", "“互联网+”大学生创新创业大赛"] {
            #expect(words.contains(event), "三（九） misses \(event)")
        }
        #expect(words.contains("军民融合协同创新"))
        // Every item is in the downloads too.
        let json = try JSONSerialization.jsonObject(with: Data(contentsOf: try await ShippedSite.shared.output().appendingPathComponent("tasks/tasks-4.json"))) as? [String: Any]
        #expect((json?["rows"] as? [Any])?.count == 15)
    }

    @Test func theSpecificGoalsKeepTheirFigures() async throws {
        let html = try await page("goals/index.html")
        let goals = try #require(HTMLTable.all(in: html)["goals"])
        let targets = Dictionary(zip(goals.column("目标"), goals.column("目标值")), uniquingKeysWith: { a, _ in a })
        #expect(targets["国家特色产业基地"] == "1-2个")
        #expect(targets["国家创新产业集群"] == "1-2个")
        #expect(targets["特色鲜明、有较强带动辐射作用的知名产业集群"] == "1-2个")
        #expect(targets["高新技术企业数"] == "234家")
        #expect(targets["高新技术产业增加值占规模以上工业的比重"] == "18%")
        #expect(targets["全社会研发经费投入（R&D）占GDP比例"] == "基本达到国内平均水平")
        // A time limit only where the plan gives one.
        let timing = Dictionary(zip(goals.column("目标"), goals.column("时限")), uniquingKeysWith: { a, _ in a })
        #expect(timing["特色鲜明、有较强带动辐射作用的知名产业集群"] == "到2023年")
        #expect(timing["国家特色产业基地"] == "原文未写时限（方案期2021-2023年）")
        // The text's R&D goal beside the annex's figure, both sources named.
        let words = text(html)
        #expect(words.contains("附件（二）第13项R&D比例为2020年2%、2023年目标2.25%"))
        #expect(words.contains("数据说明：正文目标与附件（二）指标的对应"))
    }

    @Test func theSafeguardsPageHasTheFiveParts() async throws {
        let html = try await page("safeguards/index.html")
        for (number, name) in zip(Self.numbers, Self.safeguardNames) {
            #expect(html.contains(">（\(number)）\(name)</h2>"), "safeguards page misses \(name)")
        }
        let words = text(html)
        // Organisation, funding, talent, evaluation with its stage reviews, publicity.
        for fact in ["区发改委管理部门负责", "“政府引导、市场运作”", "多元化、多渠道、多层次的科技投入体系", "科技人才创新驱动的保障机制",
                     "年度（绩效）考核", "阶段评估反馈", "“编制—实施—评估—调整—实施”", "宽容失败"] {
            #expect(words.contains(fact), "safeguards page misses \(fact)")
        }
    }

    @Test func theReportHasTheGoalsTasksAndSafeguardsChapters() async throws {
        let html = try await page("reports/2021/index.html")
        for chapter in ["七、</span>建设目标", "八、</span>主要建设任务", "九、</span>保障措施"] {
            #expect(html.contains(chapter), "report misses \(chapter)")
        }
        for (number, name) in zip(Self.numbers, Self.taskNames) {
            #expect(html.contains("<strong>（\(number)）\(name)</strong>"), "report misses task \(name)")
        }
        for (number, name) in zip(Self.numbers, Self.safeguardNames) {
            #expect(html.contains("<strong>（\(number)）\(name)</strong>"), "report misses safeguard \(name)")
        }
        let tables = HTMLTable.all(in: html)
        let goals = try #require(tables["report-goals"])
        #expect(goals.caption.hasSuffix("建设方案的具体目标") && goals.rows.count == 11)
        #expect(goals.column("目标值").filter { $0 == "1-2个" }.count == 3)
        let tasks = try #require(tables["report-tasks"])
        #expect(tasks.column("建设任务") == Self.taskNames && tasks.footer.first?.last == "45")
        #expect(try #require(tables["report-task-items"]).rows.count == 45)
        let words = text(html)
        #expect(words.contains("阶段性评估，方案没有规定评估的具体时间"))
        #expect(words.contains("附件（二）则列为2020年2%、2023年2.25%"))
    }

    @Test func theGroundworkPageKeepsTheReformAndServiceFacts() async throws {
        let words = text(try await page("foundation/index.html"))
        for fact in ["83个行政审批事项集中到政务大厅", "近三年小微企业就业人数累计增长315%", "“6+”一站式服务", "工程建设项目审批制度改革",
                     "累计百余场，每年参加者万余人", "占全市的50%以上", "获奖比例为43%", "国家技术转移东部中心新疆分中心",
                     "共十余家", "新疆大学信息技术创新园", "孵化服务、专业技术服务、创业培训服务和信息共享服务四类平台"] {
            #expect(words.contains(fact), "groundwork page misses \(fact)")
        }
        // The plan's text against its annex, both figures and both places.
        #expect(words.contains("产业联盟：正文为7家；附件（二）第10项“产业技术创新战略联盟数”2020年为5个"))
        #expect(words.contains("科技型企业：正文“截止目前”为1763家；附件（二）第3项2020年基数为1762家"))
        #expect(words.contains("高新技术企业：正文“截止目前”为166家；附件（二）第4项2020年基数为168家"))
    }
}
