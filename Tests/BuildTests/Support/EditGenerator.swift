import Foundation

/// Picks a seeded sequence of edits of every kind, each valid for the sources as they are at that point. Ordinary
/// edits keep the site buildable (the checker rejects a candidate that would not, and another is drawn); now and
/// then an edit breaks it on purpose, and the next step or the one after repairs it, so failed builds are part of
/// every run. The same seed gives the same edits on any machine.
struct EditGenerator {
    private var rng: SplitMix64
    private(set) var model: SiteModel
    /// The repair owed after a breakage.
    private var pending: PendingFix?
    /// Makes names and texts unique, so an edit always changes something.
    private var counter = 0
    /// How often each kind was made, for steering towards kinds not seen yet and for the coverage check.
    private(set) var made: [SiteEdit.Kind: Int] = [:]
    /// The fixture's templates, so an edit can go back to them.
    private let originalTemplates: [String: String]

    private struct PendingFix {
        var detail: String
        var repair: (inout SiteModel) -> Void
        /// The sources before the breakage: the repair of last resort.
        var before: SiteModel
        var editedSince = false
    }

    /// The sources an edit is being made on, with what the disk must see besides the new bytes.
    private struct Draft {
        var model: SiteModel
        var folderMoves: [SiteEdit.FolderMove] = []
        var resaved: [String] = []
    }

    init(seed: UInt64, model: SiteModel) {
        rng = SplitMix64(seed: seed)
        self.model = model
        originalTemplates = Dictionary(uniqueKeysWithValues: model.templatePaths.compactMap { path in
            model.text(SiteModel.templates + path).map { (path, $0) }
        })
    }

    // MARK: Choosing

    static let weights: [(SiteEdit.Kind, Int)] = [
        (.pageTitle, 5), (.tagAdd, 4), (.tagRemove, 3), (.tagRename, 3), (.tagRenameEverywhere, 2), (.date, 4),
        (.summary, 4), (.weight, 4), (.draft, 2), (.slug, 3), (.layout, 3),
        (.bodyText, 8), (.bodyLink, 4), (.heading, 3), (.tableBlock, 3), (.image, 2), (.resave, 2),
        (.pageAdd, 4), (.pageMove, 3), (.pageDelete, 2), (.folderRename, 2), (.folderMoveAway, 1), (.folderMoveIn, 2),
        (.sectionIndexAdd, 2), (.sectionIndexRemove, 2), (.editorFiles, 1),
        (.dataRowAdd, 2), (.dataRowRemove, 2), (.dataRowEdit, 3), (.dataFileAdd, 2), (.dataFileRemove, 2),
        (.configTitle, 2), (.configBaseURL, 1), (.configNavigation, 2), (.configPaginate, 2), (.configParams, 2),
        (.contentAssetAdd, 2), (.contentAssetEdit, 2), (.contentAssetRemove, 2),
        (.templateAssetAdd, 1), (.templateAssetEdit, 2), (.templateAssetRemove, 1),
        (.partialEdit, 3), (.layoutEdit, 3), (.layoutFileAdd, 2), (.layoutFileRemove, 2),
    ]

    static let breakKinds = SiteEdit.Kind.allCases.filter(\.breaksSite)

    /// Kinds that leave every file where it is, so a repair that names a file still finds it afterwards.
    static let inPlaceKinds: Set<SiteEdit.Kind> = [
        .pageTitle, .tagAdd, .tagRemove, .tagRename, .date, .summary, .weight, .bodyText, .heading, .resave,
        .dataRowAdd, .dataRowEdit, .configTitle, .configParams, .contentAssetEdit, .templateAssetEdit, .partialEdit, .layoutEdit,
    ]

    mutating func next() -> SiteEdit {
        counter += 1
        let problems = SiteChecker.problems(model)
        var edit: SiteEdit
        if var fix = pending {
            if !fix.editedSince, chance(0.35), let other = ordinaryEdit(keeping: problems, from: Self.weights.filter { Self.inPlaceKinds.contains($0.0) }) {
                // An edit made while the site is broken: the build must still fail, and the repair must then
                // bring back this edit's result too.
                fix.editedSince = true
                pending = fix
                edit = other
                edit.whileBroken = true
            } else {
                var repaired = model
                fix.repair(&repaired)
                var detail = fix.detail
                if !SiteChecker.problems(repaired).isEmpty {
                    repaired = fix.before
                    detail += " (by going back to the sources before the breakage)"
                }
                pending = nil
                edit = SiteEdit(kind: .fix, detail: detail, model: repaired)
            }
        } else if chance(0.08), let broken = breakage() {
            edit = broken
        } else if let ordinary = ordinaryEdit(keeping: [], from: Self.weights) {
            edit = ordinary
        } else {
            // Nothing applied (cannot happen with the fixture, which always has pages to edit): save a page again.
            edit = SiteEdit(kind: .resave, detail: "index.md", model: model, resaved: [SiteModel.content + "index.md"])
        }
        edit.problems = SiteChecker.problems(edit.model)
        made[edit.kind, default: 0] += 1
        model = edit.model
        return edit
    }

    /// An ordinary edit whose result has exactly the problems given (none, or those of the pending breakage).
    private mutating func ordinaryEdit(keeping problems: [String], from weights: [(SiteEdit.Kind, Int)]) -> SiteEdit? {
        for _ in 0..<60 {
            // A quarter of the time the kind made least often so far: every kind turns up early in a run.
            let kind = chance(0.25) ? weights.map { $0.0 }.min { made[$0, default: 0] < made[$1, default: 0] }! : weighted(weights)
            var draft = Draft(model: model)
            guard let detail = propose(kind, &draft) else { continue }
            guard draft.model != model || !draft.resaved.isEmpty, SiteChecker.problems(draft.model) == problems else { continue }
            return SiteEdit(kind: kind, detail: detail, model: draft.model, folderMoves: draft.folderMoves, resaved: draft.resaved)
        }
        return nil
    }

    private mutating func breakage() -> SiteEdit? {
        var kinds = Self.breakKinds
        // Half the time start with the breakage made least often.
        if chance(0.5), let least = kinds.min(by: { made[$0, default: 0] < made[$1, default: 0] }) {
            kinds.insert(least, at: 0)
        } else {
            // Fisher–Yates through `int`, so the order depends on the seed alone.
            for index in stride(from: kinds.count - 1, to: 0, by: -1) { kinds.swapAt(index, int(index + 1)) }
        }
        for kind in kinds {
            var draft = Draft(model: model)
            guard let proposal = proposeBreak(kind, &draft), !SiteChecker.problems(draft.model).isEmpty else { continue }
            pending = PendingFix(detail: "repairs " + kind.rawValue + ": " + proposal.detail, repair: proposal.repair, before: model)
            return SiteEdit(kind: kind, detail: proposal.detail, model: draft.model, folderMoves: draft.folderMoves)
        }
        return nil
    }

    // MARK: Randomness (only through `next()`, so the sequence depends on the seed alone)

    private mutating func int(_ bound: Int) -> Int { Int(rng.next() % UInt64(max(1, bound))) }

    private mutating func chance(_ p: Double) -> Bool { Double(rng.next() >> 11) / Double(1 << 53) < p }

    private mutating func pick<T>(_ items: [T]) -> T? { items.isEmpty ? nil : items[int(items.count)] }

    private mutating func weighted(_ weights: [(SiteEdit.Kind, Int)]) -> SiteEdit.Kind {
        var roll = int(weights.reduce(0) { $0 + $1.1 })
        for (kind, weight) in weights {
            if roll < weight { return kind }
            roll -= weight
        }
        return weights[0].0
    }

    private mutating func date() -> String {
        let (month, day) = (1 + int(12), 1 + int(28))
        return "\(2018 + int(7))-\(month < 10 ? "0" : "")\(month)-\(day < 10 ? "0" : "")\(day)"
    }

    // MARK: Pools (no colons, no leading brackets and nothing that reads as a number, so YAML keeps them as text)

    static let titles = ["孵化器建设成效", "人才引进经验", "数字经济实践", "科技金融创新", "园区服务升级", "A Latin Title", "双创示范新进展", "绿色低碳转型"]
    static let tagPool = ["孵化器", "人才", "科技金融", "数字经济", "专利", "双创", "新材料", "人工智能", "AI", "Open Data", "高新区", "政策", "创业服务", "绿色发展"]
    static let summaries = ["一句新的摘要", "重点介绍做法与成效", "A short English summary", "年度亮点回顾", "面向企业的服务举措"]
    static let slugs = ["featured", "重点案例", "x-2023", "highlight", "专题报道", "spotlight"]
    static let sentences = [
        "园区持续优化营商环境，服务企业超过百家。", "新增孵化面积两万平方米。", "The zone added two new incubators this year.",
        "人才公寓第一期\n交付使用。", "科技金融服务覆盖全部入驻企业。", "建立了联席会议制度，定期研究重大事项。", "一段简短的话。",
        "新疆软件园二期开工建设。", "双创广场与金融港\n同步启用。",
    ]
    static let headingPool = ["背景", "成效", "做法", "经验", "展望", "要点", "问题", "措施", "附录"]
    static let stems = ["hotel", "india", "juliet", "kilo", "lima", "新案例", "园区故事", "november", "oscar", "papa"]
    static let folderNames = ["studies", "updates", "动态", "stories", "cases", "news", "案例库"]
    static let levels = ["国家级", "自治区级", "市级"]
    static let projectNames = ["新疆软件园", "人才大厦", "创新工场", "孵化基地", "数据中心", "材料实验室", "金融港", "双创广场"]
    static let tables: [(data: String, spec: String)] = [
        ("projects", "data: projects\ngroup_by: level\naggregates:\n  - {op: count, name: n, label: 项目数}\n  - {op: sum, field: investment, name: total, label: 总投资}\ncaption: 按级别"),
        ("projects", "data: projects\ngroup_by: year\naggregates:\n  - {op: sum, field: investment, name: total, label: 投资}\ncaption: 按年份"),
        ("projects", "data: projects\ncolumns: [name, level, investment]\nlink: name\nsort: -investment\nlimit: 3\ncaption: 投资最多的项目"),
        ("indicators", "data: indicators\ncolumns: [indicator, value, unit]\ncaption: 指标一览"),
        ("indicators", "data: indicators\naggregates:\n  - {op: sum, field: value, name: total, label: 合计}\ncaption: 指标合计"),
    ]

    // MARK: Ordinary edits

    /// Makes an edit of `kind` on the draft and describes it, or returns nil when the kind does not apply now.
    private mutating func propose(_ kind: SiteEdit.Kind, _ draft: inout Draft) -> String? {
        let m = draft.model
        let pages = m.pagePaths
        switch kind {
        case .pageTitle:
            guard let path = pick(pages), let page = m.page(path) else { return nil }
            if page["title"] != nil, chance(0.2) {
                draft.model.editPage(path) { $0["title"] = nil }
                return "\(path): title removed (falls back to the first heading or the file name)"
            }
            let title = pick(Self.titles)! + (chance(0.5) ? "（\(counter)）" : "")
            draft.model.editPage(path) { $0["title"] = title }
            return "\(path): title → \(title)"
        case .tagAdd:
            guard let path = pick(pages), let page = m.page(path), let tag = pick(Self.tagPool.filter { !page.tags.contains($0) }) else { return nil }
            draft.model.editPage(path) { $0.tags.insert(tag, at: int($0.tags.count + 1)) }
            return "\(path): tag +\(tag)"
        case .tagRemove:
            guard let path = pick(pages.filter { !(m.page($0)?.tags.isEmpty ?? true) }), let page = m.page(path) else { return nil }
            let tag = pick(page.tags)!
            draft.model.editPage(path) { $0.tags.removeAll { $0 == tag } }
            return "\(path): tag -\(tag)"
        case .tagRename:
            guard let path = pick(pages.filter { !(m.page($0)?.tags.isEmpty ?? true) }), let page = m.page(path),
                  let new = pick(Self.tagPool.filter { !page.tags.contains($0) }) else { return nil }
            let old = pick(page.tags)!
            draft.model.editPage(path) { $0.tags = $0.tags.map { $0 == old ? new : $0 } }
            return "\(path): tag \(old) → \(new)"
        case .tagRenameEverywhere:
            let all = Set(pages.flatMap { m.page($0)?.tags ?? [] })
            guard let old = pick(all.sorted()), let new = pick(Self.tagPool.filter { !all.contains($0) }) else { return nil }
            for path in pages { draft.model.editPage(path) { $0.tags = $0.tags.map { $0 == old ? new : $0 } } }
            return "tag \(old) → \(new) on every page"
        case .date:
            guard let path = pick(pages), let page = m.page(path) else { return nil }
            if page["date"] != nil, chance(0.25) {
                draft.model.editPage(path) { $0["date"] = nil }
                return "\(path): date removed"
            }
            let value = date()
            draft.model.editPage(path) { $0["date"] = value }
            return "\(path): date → \(value)"
        case .summary:
            guard let path = pick(pages), let page = m.page(path) else { return nil }
            if page["summary"] != nil, chance(0.3) {
                draft.model.editPage(path) { $0["summary"] = nil }
                return "\(path): summary removed (falls back to the first paragraph)"
            }
            let summary = pick(Self.summaries)! + (chance(0.5) ? "\(counter)" : "")
            draft.model.editPage(path) { $0["summary"] = summary }
            return "\(path): summary → \(summary)"
        case .weight:
            guard let path = pick(pages), let page = m.page(path) else { return nil }
            if page["weight"] != nil, chance(0.3) {
                draft.model.editPage(path) { $0["weight"] = nil }
                return "\(path): weight removed"
            }
            let weight = String(1 + int(6))
            draft.model.editPage(path) { $0["weight"] = weight }
            return "\(path): weight → \(weight)"
        case .draft:
            guard let path = pick(pages), let page = m.page(path) else { return nil }
            draft.model.editPage(path) { $0["draft"] = page.isDraft ? nil : "true" }
            return "\(path): \(page.isDraft ? "published" : "made a draft")"
        case .slug:
            guard let path = pick(pages.filter { !$0.hasSuffix("index.md") }), let page = m.page(path) else { return nil }
            if page["slug"] != nil, chance(0.35) {
                draft.model.editPage(path) { $0["slug"] = nil }
                return "\(path): slug removed"
            }
            let slug = pick(Self.slugs)!
            draft.model.editPage(path) { $0["slug"] = slug }
            return "\(path): slug → \(slug)"
        case .layout:
            guard let path = pick(pages), let page = m.page(path) else { return nil }
            // Only layouts that show the page's content: links elsewhere name its headings.
            let layouts = m.templatePaths.filter { $0.hasPrefix("layouts/") && m.text(SiteModel.templates + $0)?.contains("{{{page.content}}}") == true }
                .map { String($0.dropFirst("layouts/".count).dropLast(".mustache".count)) }
            if page["layout"] != nil, chance(0.35) {
                draft.model.editPage(path) { $0["layout"] = nil }
                return "\(path): layout removed (chosen by folder again)"
            }
            guard let layout = pick(layouts.filter { $0 != page["layout"] }) else { return nil }
            draft.model.editPage(path) { $0["layout"] = layout }
            return "\(path): layout → \(layout)"
        case .bodyText:
            guard let path = pick(pages), let page = m.page(path) else { return nil }
            let plain = page.blocks.indices.filter { PageText.isPlainParagraph(page.blocks[$0]) }
            let sentence = pick(Self.sentences)!
            switch int(4) {
            case 0 where !plain.isEmpty:
                let index = pick(plain)!
                draft.model.editPage(path) { $0.blocks[index] = sentence }
                return "\(path): paragraph \(index + 1) reworded"
            case 1 where !plain.isEmpty:
                let index = pick(plain)!
                draft.model.editPage(path) { $0.blocks.remove(at: index) }
                return "\(path): paragraph \(index + 1) removed"
            case 2:
                draft.model.editPage(path) { $0.blocks.insert(sentence + "（\(counter)）", at: 0) }
                return "\(path): new first paragraph (a new automatic summary)"
            default:
                draft.model.editPage(path) { $0.blocks.append(sentence) }
                return "\(path): paragraph appended"
            }
        case .bodyLink:
            guard let path = pick(pages), let page = m.page(path) else { return nil }
            let linked = page.blocks.indices.filter { page.blocks[$0].contains("](") && !page.blocks[$0].hasPrefix("![") && !PageText.isTable(page.blocks[$0]) }
            if !linked.isEmpty, chance(0.3) {
                let index = pick(linked)!
                let target = PageText.links(in: page.blocks[index]).first!.target
                draft.model.editPage(path) { page in
                    var done = false
                    var edited = page
                    edited.blocks = [page.blocks[index]]
                    edited.rewriteLinks { link in
                        if !done, link.target == target { done = true; return nil }
                        return link.target
                    }
                    page.blocks[index] = edited.blocks[0]
                }
                return "\(path): link to \(target) removed"
            }
            let target: String
            switch int(10) {
            case 0:
                guard let heading = pick(page.headings) else { return nil }
                target = "#" + heading
            case 1:
                target = pick(["/", "/tags/"] + m.sections.map { "/\($0)/" })!
            default:
                guard let other = pick(m.includedPages.filter { $0 != path }), let otherPage = m.page(other) else { return nil }
                let anchor = chance(0.4) ? pick(otherPage.headings).map { "#" + $0 } ?? "" : chance(0.15) ? "#main" : ""
                target = SiteModel.relative(from: path, to: other) + anchor
            }
            draft.model.editPage(path) { $0.blocks.insert("另见[相关内容\(counter)](\(target))。", at: int($0.blocks.count + 1)) }
            return "\(path): link to \(target) added"
        case .heading:
            guard let path = pick(pages), let page = m.page(path) else { return nil }
            let headings = page.blocks.indices.filter { page.blocks[$0].hasPrefix("## ") }
            let fresh = Self.headingPool.filter { !page.headings.contains($0) }
            switch int(3) {
            case 0 where !headings.isEmpty:
                let index = pick(headings)!
                draft.model.editPage(path) { $0.blocks.remove(at: index) }
                return "\(path): heading \(page.blocks[index]) removed"
            case 1 where !headings.isEmpty && !fresh.isEmpty:
                let index = pick(headings)!
                let text = pick(fresh)!
                draft.model.editPage(path) { $0.blocks[index] = "## " + text }
                return "\(path): heading \(page.blocks[index]) → \(text)"
            default:
                guard let text = pick(fresh) else { return nil }
                draft.model.editPage(path) { $0.blocks.insert("## " + text, at: int($0.blocks.count + 1)) }
                return "\(path): heading \(text) added"
            }
        case .tableBlock:
            guard let path = pick(pages), let page = m.page(path) else { return nil }
            let tables = page.blocks.indices.filter { PageText.isTable(page.blocks[$0]) }
            if !tables.isEmpty, chance(0.5) {
                let index = pick(tables)!
                if chance(0.5) {
                    draft.model.editPage(path) { $0.blocks.remove(at: index) }
                    return "\(path): table removed"
                }
                let caption = "修订的标题\(counter)"
                draft.model.editPage(path) { page in
                    page.blocks[index] = page.blocks[index].split(separator: "\n").map { $0.hasPrefix("caption: ") ? "caption: " + caption : String($0) }.joined(separator: "\n")
                }
                return "\(path): table caption → \(caption)"
            }
            let table = pick(Self.tables)!
            draft.model.editPage(path) { $0.blocks.insert("```table\nid: t\(counter)\n\(table.spec)\n```", at: int($0.blocks.count + 1)) }
            return "\(path): table over \(table.data) added"
        case .image:
            guard let path = pick(pages), let page = m.page(path) else { return nil }
            let images = page.blocks.indices.filter { page.blocks[$0].hasPrefix("![") }
            if !images.isEmpty, chance(0.4) {
                let index = pick(images)!
                draft.model.editPage(path) { $0.blocks.remove(at: index) }
                return "\(path): image removed"
            }
            guard let asset = pick(m.contentAssets) else { return nil }
            let target = SiteModel.relative(from: path, to: asset)
            draft.model.editPage(path) { $0.blocks.append("![图\(counter)](\(target))") }
            return "\(path): image \(target) added"
        case .resave:
            guard let key = pick(m.files.keys.sorted()) else { return nil }
            draft.resaved = [key]
            return "\(key) saved again with the same bytes"
        case .pageAdd:
            let folder = pick(m.sections + ["", "events"] + m.sections.map { $0 + "/archive" })!
            guard let stem = pick(Self.stems.filter { !pages.contains((folder.isEmpty ? "" : folder + "/") + $0 + ".md") }) else { return nil }
            let path = (folder.isEmpty ? "" : folder + "/") + stem + ".md"
            var page = PageText()
            page["title"] = pick(Self.titles)! + "（新\(counter)）"
            if chance(0.8) { page["date"] = date() }
            var tags: [String] = []
            for _ in 0..<int(3) { if let tag = pick(Self.tagPool), !tags.contains(tag) { tags.append(tag) } }
            page.tags = tags
            if chance(0.3) { page["summary"] = pick(Self.summaries)! }
            if chance(0.2) { page["weight"] = String(1 + int(6)) }
            page.blocks = [pick(Self.sentences)!]
            if chance(0.5) { page.blocks.append("## " + pick(Self.headingPool)!) }
            if chance(0.5), let other = pick(m.includedPages) { page.blocks.append("参见[旧文](\(SiteModel.relative(from: path, to: other)))。") }
            draft.model.setPage(path, page)
            return "\(path) added"
        case .pageMove:
            guard let path = pick(pages.filter { !$0.hasSuffix("index.md") }) else { return nil }
            let name = path.split(separator: "/").last!
            let section = SiteModel.section(of: path)
            let destination: String
            switch int(4) {
            case 0: destination = (path.split(separator: "/").dropLast() + [Substring(pick(Self.stems)! + ".md")]).joined(separator: "/")
            case 1:
                guard let other = pick(m.sections.filter { $0 != section }) else { return nil }
                destination = other + "/" + name
            case 2: destination = String(name)
            default: destination = (section.isEmpty ? "cases" : section) + (path.contains("/archive/") ? "/" : "/archive/") + name
            }
            guard destination != path, m.files[SiteModel.content + destination] == nil else { return nil }
            draft.model.relocate { $0 == path ? destination : $0 }
            return "\(path) moved to \(destination) (links to it follow)"
        case .pageDelete:
            guard pages.count >= 8, let path = pick(pages.filter { $0 != "index.md" }) else { return nil }
            draft.model.unlink(path)
            draft.model.setPage(path, nil)
            return "\(path) deleted (links to it unlinked)"
        case .folderRename:
            guard let folder = pick(m.sections),
                  let name = pick(Self.folderNames.filter { name in !m.contentPaths.contains { $0.hasPrefix(name + "/") || $0 == name + ".md" } }) else { return nil }
            draft.model.relocate({ $0.hasPrefix(folder + "/") ? name + $0.dropFirst(folder.count) : $0 },
                                 sitePaths: { $0.hasPrefix("/\(folder)/") ? "/\(name)" + $0.dropFirst(folder.count + 1) : $0 })
            draft.folderMoves = [SiteEdit.FolderMove(from: SiteModel.content + folder, to: SiteModel.content + name)]
            return "folder \(folder)/ renamed to \(name)/"
        case .folderMoveAway:
            // The whole folder dragged out of the site: links into it are unlinked, as after deleting its pages.
            // Only while the site is large, so runs do not wear it down to a few pages.
            guard pages.count >= 14, let folder = pick(m.sections) else { return nil }
            let gone = m.contentPaths.filter { $0.hasPrefix(folder + "/") }
            for path in gone { draft.model.setText(SiteModel.content + path, nil) }
            for path in gone { draft.model.unlink(path) }
            for path in draft.model.pagePaths {
                draft.model.editPage(path) { $0.rewriteLinks { $0.target.hasPrefix("/\(folder)/") ? nil : $0.target } }
            }
            for key in m.files.keys where key.hasPrefix(SiteModel.content + folder + "/") { draft.model.files[key] = nil }
            draft.folderMoves = [SiteEdit.FolderMove(from: SiteModel.content + folder, to: nil)]
            return "folder \(folder)/ moved out of the site (\(gone.count) files; links into it unlinked)"
        case .folderMoveIn:
            // A folder made elsewhere and dropped in: a new section the watcher reports by its name only.
            guard let name = pick(Self.folderNames.filter { name in !m.contentPaths.contains { $0.hasPrefix(name + "/") || $0 == name + ".md" } }) else { return nil }
            for stem in Self.stems.prefix(2 + int(3)) {
                var page = PageText()
                page["title"] = pick(Self.titles)! + "（\(name)\(counter)）"
                page["date"] = date()
                page.tags = [pick(Self.tagPool)!]
                page.blocks = [pick(Self.sentences)!, "## " + pick(Self.headingPool)!]
                if let other = pick(m.includedPages) { page.blocks.append("参见[旧文](\(SiteModel.relative(from: name + "/" + stem + ".md", to: other)))。") }
                draft.model.setPage(name + "/" + stem + ".md", page)
            }
            if chance(0.5) { draft.model.setText(SiteModel.content + name + "/pic\(counter).svg", Self.svg(width: 10 + int(90), label: name)) }
            draft.folderMoves = [SiteEdit.FolderMove(from: nil, to: SiteModel.content + name)]
            return "folder \(name)/ moved into the site"
        case .editorFiles:
            // A backup or swap file appears or goes; nothing the build shows may change.
            guard let base = pick(m.pagePaths.map { SiteModel.content + $0 } + m.templatePaths.map { SiteModel.templates + $0 }) else { return nil }
            let folder = base.split(separator: "/").dropLast().joined(separator: "/")
            let name = base.split(separator: "/").last!
            let key = pick([base + "~", folder + "/." + name + ".swp"])!
            let present = m.files[key] != nil
            draft.model.files[key] = present ? nil : Data("编辑器的临时内容\(counter)\n".utf8)
            return "\(key) \(present ? "removed" : "written")"
        case .sectionIndexAdd:
            guard let section = pick(m.sections.filter { m.files[SiteModel.content + $0 + "/_index.md"] == nil }) else { return nil }
            var page = PageText()
            page["title"] = pick(["栏目导读", "全部案例", "最新动态", "Section Overview"])!
            page.blocks = ["## 导语", pick(Self.sentences)!]
            draft.model.setPage(section + "/_index.md", page)
            return "\(section)/_index.md added (the section gets its own page)"
        case .sectionIndexRemove:
            guard let path = pick(pages.filter(SiteModel.isSectionIndex)) else { return nil }
            draft.model.unlink(path)
            draft.model.setPage(path, nil)
            return "\(path) removed (the listing is generated again)"
        case .dataRowAdd, .dataRowRemove, .dataRowEdit:
            guard let path = pick(m.dataFiles), let text = m.text(SiteModel.content + path), var table = DataText(text, path: path) else { return nil }
            switch kind {
            case .dataRowAdd:
                table.rows.insert(row(for: path), at: int(table.rows.count + 1))
                draft.model.setText(SiteModel.content + path, table.text)
                return "\(path): row added"
            case .dataRowRemove:
                guard table.rows.count > 1 else { return nil }
                let index = int(table.rows.count)
                table.rows.remove(at: index)
                draft.model.setText(SiteModel.content + path, table.text)
                return "\(path): row \(index + 1) removed"
            default:
                guard !table.rows.isEmpty else { return nil }
                let index = int(table.rows.count)
                table.rows[index] = row(for: path)
                draft.model.setText(SiteModel.content + path, table.text)
                return "\(path): row \(index + 1) edited"
            }
        case .dataFileAdd:
            let format = pick(["yaml", "csv", "json"])!
            let path = "data/extra\(counter).\(format)"
            var table = DataText(DataText.empty(format: format, title: "附加数据\(counter)"), path: path)!
            table.rows = (0...int(3)).map { _ in row(for: path) }
            draft.model.setText(SiteModel.content + path, table.text)
            return "\(path) added"
        case .dataFileRemove:
            guard let path = pick(m.dataFiles) else { return nil }
            draft.model.setText(SiteModel.content + path, nil)
            return "\(path) removed"
        case .configTitle, .configBaseURL, .configNavigation, .configPaginate, .configParams:
            guard let text = m.text(SiteModel.content + "site.yaml") else { return nil }
            var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
            let detail: String
            switch kind {
            case .configBaseURL:
                guard let index = lines.firstIndex(where: { $0.hasPrefix("base_url: ") }),
                      let value = pick(["/", "/report/", "https://example.gov.cn/site/"].filter { "base_url: " + $0 != lines[index] }) else { return nil }
                lines[index] = "base_url: " + value
                detail = "site.yaml: base_url → \(value)"
            case .configTitle:
                let (key, value) = pick([("title", pick(["天山差分站（修订）", "双创示范基地", "Tianshan Test Site"])!),
                                         ("footer", "页脚第\(counter)版"), ("description", "站点说明\(counter)")])!
                guard let index = lines.firstIndex(where: { $0.hasPrefix(key + ": ") }) else { return nil }
                lines[index] = "\(key): \(value)"
                detail = "site.yaml: \(key) → \(value)"
            case .configNavigation:
                guard let start = lines.firstIndex(of: "navigation:") else { return nil }
                var end = start + 1
                while end < lines.count, lines[end].hasPrefix("  - ") { end += 1 }
                let entries = Array(lines[(start + 1)..<end])
                let pool = ["  - {title: 报告, url: report.md}", "  - {title: 标签, url: /tags/}", "  - {title: 案例库, url: /studies/}", "  - {title: 新闻, url: /news/}", "  - {title: 关于我们, url: about.md}"]
                var changed = entries
                switch int(4) {
                case 0 where entries.count > 1:
                    let index = 1 + int(entries.count - 1)
                    changed.remove(at: index)
                    detail = "site.yaml: navigation entry \(index + 1) removed"
                case 1 where entries.count > 2:
                    let index = 1 + int(entries.count - 2)
                    changed.swapAt(index, index + 1)
                    detail = "site.yaml: navigation entries \(index + 1) and \(index + 2) swapped"
                case 2 where !entries.isEmpty:
                    let index = int(entries.count)
                    changed[index] = changed[index].replacingOccurrences(of: "{title: ", with: "{title: 新")
                    detail = "site.yaml: navigation entry \(index + 1) retitled"
                default:
                    guard let entry = pick(pool.filter { !entries.contains($0) }) else { return nil }
                    changed.insert(entry, at: 1 + int(entries.count))
                    detail = "site.yaml: navigation entry \(entry.trimmingCharacters(in: .whitespaces)) added"
                }
                lines.replaceSubrange((start + 1)..<end, with: changed)
            case .configPaginate:
                guard let index = lines.firstIndex(where: { $0.hasPrefix("paginate: ") }),
                      let value = pick(["0", "1", "2", "3", "4", "5", "20"].filter { "paginate: " + $0 != lines[index] }) else { return nil }
                lines[index] = "paginate: " + value
                detail = "site.yaml: paginate → \(value)"
            default:
                guard let start = lines.firstIndex(of: "params:") else { return nil }
                switch int(3) {
                case 0:
                    guard let index = lines.firstIndex(where: { $0.hasPrefix("  org: ") }) else { return nil }
                    lines[index] = "  org: " + pick(["高新区管委会", "新市区政府", "双创办公室", "Tianshan Office"])!
                    detail = "site.yaml: params.org → \(lines[index].dropFirst(7))"
                case 1:
                    guard let index = lines.firstIndex(where: { $0.hasPrefix("  year: ") }) else { return nil }
                    lines[index] = "  year: \(2019 + int(7))"
                    detail = "site.yaml: params.year → \(lines[index].dropFirst(8))"
                default:
                    if let index = lines.firstIndex(where: { $0.hasPrefix("  motto: ") }) {
                        lines.remove(at: index)
                        detail = "site.yaml: params.motto removed"
                    } else {
                        lines.insert("  motto: 创新创业\(counter)", at: start + 1)
                        detail = "site.yaml: params.motto added"
                    }
                }
            }
            draft.model.setText(SiteModel.content + "site.yaml", lines.joined(separator: "\n"))
            return detail
        case .contentAssetAdd:
            let folder = pick(m.sections + [""])!
            let path = (folder.isEmpty ? "" : folder + "/") + "pic\(counter).svg"
            draft.model.setText(SiteModel.content + path, Self.svg(width: 10 + int(90), label: "图\(counter)"))
            return "\(path) added"
        case .contentAssetEdit:
            guard let path = pick(m.contentAssets) else { return nil }
            // Half the edits keep the size (a new width of as many digits): the build must tell them apart by time.
            let width = chance(0.5) ? 10 + int(90) : 100 + int(900)
            draft.model.setText(SiteModel.content + path, Self.svg(width: width, label: "图"))
            return "\(path) redrawn (width \(width))"
        case .contentAssetRemove:
            guard let path = pick(m.contentAssets) else { return nil }
            draft.model.unlink(path)
            draft.model.setText(SiteModel.content + path, nil)
            return "\(path) removed (images of it taken out)"
        case .templateAssetAdd:
            let path = "assets/extra\(counter).css"
            draft.model.setText(SiteModel.templates + path, ".extra\(counter) { color: #\(String(0x100 + int(0xeff), radix: 16)); }\n")
            return "Templates/\(path) added"
        case .templateAssetEdit:
            guard let path = pick(m.templatePaths.filter { $0.hasPrefix("assets/") }), let text = m.text(SiteModel.templates + path) else { return nil }
            let edited = path.hasSuffix(".svg") ? Self.svg(width: 10 + int(90), label: "标") : text + "p { margin: \(int(10))px; }\n"
            draft.model.setText(SiteModel.templates + path, edited)
            return "Templates/\(path) edited"
        case .templateAssetRemove:
            guard let path = pick(m.templatePaths.filter { $0.hasPrefix("assets/") }) else { return nil }
            draft.model.setText(SiteModel.templates + path, nil)
            return "Templates/\(path) removed"
        case .partialEdit, .layoutEdit:
            let folder = kind == .partialEdit ? "partials/" : "layouts/"
            if kind == .partialEdit, chance(0.2) {
                let path = "partials/summary.mustache"
                let present = m.files[SiteModel.templates + path] != nil
                draft.model.setText(SiteModel.templates + path, present ? nil : TemplateVariants.optional(section: "")[path])
                return "Templates/\(path) \(present ? "removed (listings lose summaryHTML)" : "added (listings get summaryHTML)")"
            }
            // Often back to the fixture's version: a variant that reads more (the base's tag count reaches every
            // page) can hide a dependency the others need, and a long run must not drift into that for good.
            let drifted = m.templatePaths.filter { path in
                path.hasPrefix(folder) && originalTemplates[path].map { $0 != m.text(SiteModel.templates + path) } == true
            }
            if chance(0.4), let path = pick(drifted) {
                draft.model.setText(SiteModel.templates + path, originalTemplates[path])
                return "Templates/\(path) back to the fixture's version"
            }
            guard let path = pick(m.templatePaths.filter { $0.hasPrefix(folder) }), let text = m.text(SiteModel.templates + path) else { return nil }
            let comment = "{{! 修订 }}"
            if chance(0.2) {
                // A change to the template's text that renders the same bytes.
                let edited = text.contains(comment) ? text.replacingOccurrences(of: comment, with: "") : comment + text
                draft.model.setText(SiteModel.templates + path, edited)
                return "Templates/\(path): comment \(text.contains(comment) ? "removed" : "added")"
            }
            let versions = ([originalTemplates[path]].compactMap { $0 } + (TemplateVariants.alternatives[path] ?? [])).filter { $0 != text }
            guard let version = pick(versions.indices.map { $0 }) else { return nil }
            draft.model.setText(SiteModel.templates + path, versions[version])
            return "Templates/\(path) → version \(version + 1) of \(versions.count)"
        case .layoutFileAdd:
            var candidates = TemplateVariants.optional(section: pick(m.sections) ?? "news").filter { $0.key.hasPrefix("layouts/") }
            for (path, text) in originalTemplates where path.hasPrefix("layouts/") { candidates[path] = text }
            guard let path = pick(candidates.keys.filter { m.files[SiteModel.templates + $0] == nil }.sorted()) else { return nil }
            draft.model.setText(SiteModel.templates + path, candidates[path])
            return "Templates/\(path) added"
        case .layoutFileRemove:
            guard let path = pick(m.templatePaths.filter { $0.hasPrefix("layouts/") && $0 != "layouts/base.mustache" && $0 != "layouts/page.mustache" }) else { return nil }
            draft.model.setText(SiteModel.templates + path, nil)
            return "Templates/\(path) removed"
        default:
            return nil
        }
    }

    private mutating func row(for path: String) -> String {
        let name = pick(Self.projectNames)! + (chance(0.3) ? "\(counter)" : "")
        let amount = chance(0.5) ? "\(100 + int(50000))" : "\(100 + int(50000)).\(1 + int(9))"
        if SiteModel.dataSetName(path) == "projects" {
            return "  - {name: \(name), level: \(pick(Self.levels)!), investment: \(amount), year: \(2018 + int(7))}"
        }
        if SiteModel.dataSetName(path) == "indicators" {
            return "\(pick(["孵化企业", "专利授权", "研发投入", "技术合同", "新增就业"])!),\(amount),\(pick(["家", "件", "亿元", "项", "人"])!)"
        }
        switch path.split(separator: ".").last {
        case "csv": return "\(name),\(amount)"
        case "json": return "  {\"name\": \"\(name)\", \"score\": \(amount)}"
        default: return "  - {name: \(name), score: \(amount)}"
        }
    }

    static func svg(width: Int, label: String) -> String {
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(width)\" height=\"10\"><title>\(label)</title></svg>\n"
    }

    // MARK: Breakages

    /// Breaks the site on the draft and returns how to repair it, or nil when this breakage does not apply now.
    private mutating func proposeBreak(_ kind: SiteEdit.Kind, _ draft: inout Draft) -> (detail: String, repair: (inout SiteModel) -> Void)? {
        let m = draft.model
        let included = m.includedPages
        switch kind {
        case .breakBadDate:
            guard let path = pick(m.pagePaths) else { return nil }
            let old = m.page(path)?["date"]
            let bad = pick(["下周", "2021-13-45", "明年春天"])!
            draft.model.editPage(path) { $0["date"] = bad }
            return ("\(path): date → \(bad)", { $0.editPage(path) { $0["date"] = old } })
        case .breakMissingPage:
            guard let path = pick(included) else { return nil }
            let block = pick(["见[失效链接](ghost.md)。", "![缺图](missing.svg)", "见[不存在的栏目](/nosuch/)。"])!
            draft.model.editPage(path) { $0.blocks.append(block) }
            return ("\(path): \(block)", { $0.editPage(path) { $0.blocks.removeAll { $0 == block } } })
        case .breakMissingAnchor:
            guard let path = pick(included), let other = pick(included) else { return nil }
            let target = other == path ? "#不存在的标题" : SiteModel.relative(from: path, to: other) + "#不存在的标题"
            let block = "见[锚点](\(target))。"
            draft.model.editPage(path) { $0.blocks.append(block) }
            return ("\(path): link to \(target)", { $0.editPage(path) { $0.blocks.removeAll { $0 == block } } })
        case .breakMissingPartial:
            guard let path = pick(m.templatePaths.filter { $0.hasSuffix(".mustache") }) else { return nil }
            let key = SiteModel.templates + path
            let include = "{{> partials.missing}}"
            draft.model.setText(key, (m.text(key) ?? "") + include)
            return ("Templates/\(path) includes partials.missing", { model in
                model.setText(key, model.text(key)?.replacingOccurrences(of: include, with: ""))
            })
        case .breakUnknownLayout:
            guard let path = pick(included) else { return nil }
            let old = m.page(path)?["layout"]
            draft.model.editPage(path) { $0["layout"] = "nosuch" }
            return ("\(path): layout → nosuch", { $0.editPage(path) { $0["layout"] = old } })
        case .breakBadData:
            let key = SiteModel.content + "data/projects.yaml"
            guard let text = m.text(key), let range = text.range(of: #"investment: [0-9.]+"#, options: .regularExpression) else { return nil }
            let old = String(text[range])
            draft.model.setText(key, text.replacingCharacters(in: range, with: "investment: 很多"))
            return ("data/projects.yaml: a row's investment → 很多", { model in
                model.setText(key, model.text(key)?.replacingOccurrences(of: "investment: 很多", with: old))
            })
        case .breakBadConfig:
            let key = SiteModel.content + "site.yaml"
            guard let text = m.text(key), let range = text.range(of: #"paginate: [0-9]+"#, options: .regularExpression) else { return nil }
            let old = String(text[range])
            draft.model.setText(key, text.replacingCharacters(in: range, with: "paginate: 很多"))
            return ("site.yaml: paginate → 很多", { model in
                model.setText(key, model.text(key)?.replacingOccurrences(of: "paginate: 很多", with: old))
            })
        case .breakSlugCollision:
            // Two published pages of one folder with one output path.
            let pairs = included.filter { !$0.hasSuffix("index.md") }.flatMap { a in
                included.filter { b in b != a && !b.hasSuffix("index.md") && b.split(separator: "/").dropLast() == a.split(separator: "/").dropLast() }.map { (a, $0) }
            }
            guard let pair = pick(pairs) else { return nil }
            let (path, other) = pair
            let old = m.page(path)?["slug"]
            let taken = SiteChecker.outputPath(other, slug: m.page(other)?["slug"]).split(separator: "/").dropLast().last.map(String.init) ?? ""
            draft.model.editPage(path) { $0["slug"] = taken }
            return ("\(path): slug → \(taken), the output path of \(other)", { $0.editPage(path) { $0["slug"] = old } })
        case .breakDuplicateData:
            guard let path = pick(m.dataFiles) else { return nil }
            let name = SiteModel.dataSetName(path)
            let duplicate = "data/\(name).\(path.hasSuffix(".json") ? "csv" : "json")"
            draft.model.setText(SiteModel.content + duplicate, "{\"title\": \"重复\", \"rows\": [{\"name\": \"甲\"}]}\n")
            return ("\(duplicate) added beside \(path)", { $0.setText(SiteModel.content + duplicate, nil) })
        case .breakDeletedTarget:
            let linked = included.filter { !m.inboundLinks(to: $0).isEmpty }
            guard let path = pick(linked.filter { $0 != "index.md" || chance(0.3) }), let text = m.text(SiteModel.content + path) else { return nil }
            draft.model.setText(SiteModel.content + path, nil)
            return ("\(path) deleted while \(m.inboundLinks(to: path).joined(separator: ", ")) link to it", {
                $0.setText(SiteModel.content + path, text)
            })
        case .breakRemovedHeading:
            // A heading another page links to goes: only a check of every page's anchors finds it.
            var targets: [(page: String, index: Int)] = []
            for source in included {
                for link in m.page(source)?.links ?? [] {
                    let (path, fragment) = SiteModel.splitFragment(link.target)
                    guard fragment.count > 1, let target = path.isEmpty ? source : SiteModel.resolve(path, from: source),
                          let blocks = m.page(target)?.blocks, let index = blocks.firstIndex(of: "## " + fragment.dropFirst()) else { continue }
                    targets.append((target, index))
                }
            }
            guard let target = pick(targets), let heading = m.page(target.page)?.blocks[target.index] else { return nil }
            draft.model.editPage(target.page) { $0.blocks.remove(at: target.index) }
            return ("\(target.page): \(heading) removed while a link names it", { $0.editPage(target.page) { $0.blocks.insert(heading, at: min(target.index, $0.blocks.count)) } })
        case .breakUnknownField:
            guard let path = pick(included) else { return nil }
            let block = "```table\nid: broken\(counter)\ndata: projects\ngroup_by: 不存在\ncaption: 坏表\n```"
            draft.model.editPage(path) { $0.blocks.append(block) }
            return ("\(path): table grouped by an unknown field", { $0.editPage(path) { $0.blocks.removeAll { $0 == block } } })
        default:
            return nil
        }
    }
}
