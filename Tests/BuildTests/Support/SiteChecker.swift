import Foundation
import TianshanModel

/// Predicts whether the build accepts a model, for the kinds of problem the edit generator can cause: it keeps
/// ordinary edits valid and proves that each deliberate breakage really breaks the site. It is not the oracle
/// for output bytes (the clean build is); the differential test asserts that its verdict agrees with the clean
/// build's, so a gap in it shows up as a failure instead of silently skewing the edit mix.
enum SiteChecker {
    static func problems(_ model: SiteModel) -> [String] {
        var problems: [String] = []
        // Each page is parsed once: the generator asks about every candidate edit.
        let pagePaths = model.pagePaths
        var pages: [String: PageText] = [:]
        for path in pagePaths {
            if let page = model.page(path) { pages[path] = page } else { problems.append("\(path): not in the canonical page form") }
        }
        let included = Set(pagePaths.filter { pages[$0]?.isDraft != true })
        let assets = Set(model.contentAssets)
        let tags = Set(included.filter { !SiteModel.isSectionIndex($0) && $0 != "index.md" }.flatMap { pages[$0]?.tags ?? [] }).sorted()

        // Configuration: the generator's only ways to break it are a non-number where a number belongs and a missing title.
        let config = model.text(SiteModel.content + "site.yaml") ?? ""
        if config.contains("很多") { problems.append("site.yaml: paginate is not a number") }
        if !config.hasPrefix("title: ") { problems.append("site.yaml: no title") }

        // Data sets and their fields.
        var dataFields: [String: Set<String>] = [:]
        for path in model.dataFiles {
            let name = SiteModel.dataSetName(path)
            if dataFields[name] != nil { problems.append("\(path): data set '\(name)' defined twice") }
            let text = model.text(SiteModel.content + path) ?? ""
            if text.contains("很多") { problems.append("\(path): a number cell holds text") }
            dataFields[name] = fields(ofData: path, text)
        }

        // Templates: every partial and parent named must exist.
        let templateNames = Set(model.templatePaths.filter { $0.hasSuffix(".mustache") }.map {
            String($0.dropLast(".mustache".count)).replacingOccurrences(of: "/", with: ".")
        })
        for path in model.templatePaths where path.hasSuffix(".mustache") {
            for name in includedTemplates(model.text(SiteModel.templates + path) ?? "") where !templateNames.contains(name) {
                problems.append("\(path): includes missing template \(name)")
            }
        }

        // Output paths: pages, generated section listings (with their extra pages) and tag pages must not collide.
        var owners: [String: String] = [:]
        func claim(_ output: String, _ owner: String) {
            if let first = owners[output] { problems.append("\(owner): output \(output) also written by \(first)") } else { owners[output] = owner }
        }
        let paginate = Int(config.split(separator: "\n").first { $0.hasPrefix("paginate: ") }?.dropFirst("paginate: ".count) ?? "20") ?? 20
        func listingPages(_ members: Int) -> Int { paginate > 0 ? max(1, (members + paginate - 1) / paginate) : 1 }
        var sectionMembers: [String: Int] = [:]
        var ownSections = Set<String>()
        for path in included.sorted() {
            let section = SiteModel.section(of: path)
            if SiteModel.isSectionIndex(path), path.split(separator: "/").count == 2 { ownSections.insert(section) }
            else if path != "index.md", !SiteModel.isSectionIndex(path) { sectionMembers[section, default: 0] += 1 }
        }
        for path in included.sorted() {
            let output = outputPath(path, slug: pages[path]?["slug"])
            claim(output, path)
            if SiteModel.isSectionIndex(path), path.split(separator: "/").count == 2 {
                let count = listingPages(sectionMembers[SiteModel.section(of: path)] ?? 0)
                if count > 1 { for n in 2...count { claim(String(output.dropLast("index.html".count)) + "page/\(n)/index.html", path) } }
            }
        }
        for (section, members) in sectionMembers.sorted(by: { $0.key < $1.key }) where !section.isEmpty && !ownSections.contains(section) {
            for n in 1...listingPages(members) { claim(Slug.make(section) + (n == 1 ? "" : "/page/\(n)") + "/index.html", "listing of \(section)") }
        }
        for tag in tags { claim("tags/" + Slug.make(tag) + "/index.html", "tag \(tag)") }
        // Rows of a data set with `pages: {slug: name}`: a page each at <set>/<name>/, no two rows with one name.
        for path in model.dataFiles.sorted() {
            let text = model.text(SiteModel.content + path) ?? ""
            guard text.split(separator: "\n").contains(where: { $0.hasPrefix("pages: ") }) else { continue }
            let name = SiteModel.dataSetName(path)
            if !templateNames.contains("layouts.row"), !templateNames.contains("layouts.\(name)-row") {
                problems.append("\(path): no layout for its rows' pages")
            }
            var seen = Set<String>()
            for line in text.split(separator: "\n") where line.hasPrefix("  - {name: ") {
                let slug = Slug.make(String(line.dropFirst("  - {name: ".count).prefix { $0 != "," && $0 != "}" }))
                if slug.isEmpty || !seen.insert(slug).inserted { problems.append("\(path): two rows' pages at \(slug)") ; continue }
                claim(name + "/" + slug + "/index.html", "row \(slug) of \(path)")
            }
        }

        // Each published page: date, layout, tables, links and anchors.
        // Front matter is read before drafts are left out, so a draft's bad date fails the build too.
        for (path, page) in pages.sorted(by: { $0.key < $1.key }) {
            if let date = page["date"], !isDate(date) { problems.append("\(path): bad date \(date)") }
        }
        for path in included.sorted() {
            guard let page = pages[path] else { continue }
            if let layout = page["layout"], !templateNames.contains("layouts." + layout) { problems.append("\(path): unknown layout \(layout)") }
            for block in page.blocks where PageText.isTable(block) {
                let spec = tableSpec(block)
                guard let fields = dataFields[spec.data] else {
                    problems.append("\(path): table over unknown data set \(spec.data)")
                    continue
                }
                for field in spec.fields where !fields.contains(field) { problems.append("\(path): table names unknown field \(field)") }
            }
            for link in page.links {
                let (target, fragment) = SiteModel.splitFragment(link.target)
                let anchor = String(fragment.dropFirst())
                if target.isEmpty {
                    if !ids(of: page).contains(anchor) { problems.append("\(path): no anchor #\(anchor) on this page") }
                } else if target.hasPrefix("/") {
                    if !hasSitePath(target, included: included) { problems.append("\(path): site path \(target) leads nowhere") }
                } else if let resolved = SiteModel.resolve(target, from: path) {
                    if resolved.hasSuffix(".md") {
                        guard included.contains(resolved), let other = pages[resolved] else {
                            problems.append("\(path): link to missing page \(resolved)")
                            continue
                        }
                        if !anchor.isEmpty, !ids(of: other).contains(anchor) { problems.append("\(path): no anchor #\(anchor) on \(resolved)") }
                    } else if !assets.contains(resolved) {
                        problems.append("\(path): link or image to missing file \(resolved)")
                    }
                } else {
                    problems.append("\(path): link \(target) climbs out of the content folder")
                }
            }
        }
        return problems.sorted()
    }

    /// Ids a link may name on a page: its headings (letters only, so the id is the text) and the layout's `main`.
    /// The ids a page's HTML holds: its headings', `main`, and each table's or chart's (its `id:`, or the
    /// kind and ordinal among the page's fenced blocks), which links and cross-references (`[](#id)`) name.
    static func ids(of page: PageText) -> Set<String> {
        var ids = Set(page.headings).union(["main"])
        let fenced = page.blocks.filter { $0.hasPrefix("```") }
        for (index, block) in fenced.enumerated() where PageText.isTable(block) {
            let kind = block.hasPrefix("```chart") ? "chart" : "table"
            let named = block.split(separator: "\n").first { $0.hasPrefix("id: ") }.map { String($0.dropFirst(4)) }
            ids.insert(Slug.make(named ?? "\(kind)-\(index + 1)"))
        }
        return ids
    }

    /// Where the build writes a page (`SitePaths.place`, restricted to the names the generator uses).
    static func outputPath(_ path: String, slug: String?) -> String {
        SitePaths.place(sourcePath: path, slug: slug).outputPath
    }

    static func hasSitePath(_ sitePath: String, included: Set<String>) -> Bool {
        if sitePath == "/tags/" { return true }
        if sitePath == "/" { return included.contains("index.md") }
        let name = sitePath.dropFirst().dropLast()
        return sitePath.hasSuffix("/") && included.contains { SiteModel.section(of: $0) == name }
    }

    static func isDate(_ value: String) -> Bool {
        let parts = value.split(separator: "-")
        guard parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
              let year = Int(parts[0]), let month = Int(parts[1]), let day = Int(parts[2]), (1...12).contains(month) else { return false }
        let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
        return (1...[31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1]).contains(day)
    }

    /// `{{> name}}` and `{{<name}}` references.
    static func includedTemplates(_ text: String) -> [String] {
        var names: [String] = []
        var rest = Substring(text)
        while let open = rest.range(of: "{{") {
            rest = rest[open.upperBound...]
            guard let first = rest.first, first == ">" || first == "<", let close = rest.range(of: "}}") else { continue }
            names.append(rest[rest.index(after: rest.startIndex)..<close.lowerBound].trimmingCharacters(in: .whitespaces))
            rest = rest[close.upperBound...]
        }
        return names
    }

    /// A table block's data set and the fields it names (the pools write `data:`, `group_by:`, `field:` and `columns:`).
    static func tableSpec(_ block: String) -> (data: String, fields: [String]) {
        var data = ""
        var fields: [String] = []
        for line in block.split(separator: "\n") {
            let line = line.trimmingCharacters(in: .whitespaces)
            if line.hasPrefix("data: ") { data = String(line.dropFirst(6)) }
            if line.hasPrefix("group_by: ") { fields.append(String(line.dropFirst(10))) }
            if line.hasPrefix("columns: [") { fields += line.dropFirst(10).dropLast().split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) } }
            if let range = line.range(of: "field: ") {
                fields.append(String(line[range.upperBound...].prefix { $0 != "," && $0 != "}" }))
            }
        }
        return (data, fields)
    }

    /// Field names of a data file in the forms the generator writes.
    static func fields(ofData path: String, _ text: String) -> Set<String> {
        if path.hasSuffix(".csv") {
            return Set((text.split(separator: "\n").first ?? "").split(separator: ",").map(String.init))
        }
        if path.hasSuffix(".json") {
            guard let object = try? JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any],
                  let list = object["fields"] as? [[String: Any]] else { return [] }
            return Set(list.compactMap { $0["name"] as? String })
        }
        var names = Set<String>()
        var inFields = false
        for line in text.split(separator: "\n") {
            if line == "fields:" { inFields = true; continue }
            if !line.hasPrefix("  ") { inFields = false }
            if inFields, line.hasPrefix("  - {name: ") { names.insert(String(line.dropFirst("  - {name: ".count).prefix { $0 != "," && $0 != "}" })) }
        }
        return names
    }
}
