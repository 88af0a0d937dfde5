import Foundation
import TianshanLoad
import TianshanModel

/// `tianshan new report YEAR`: the next edition of a report series, written from the latest one. The page
/// keeps its tables (an edition table shows the year of its page), its front matter moves to the new year,
/// and each data set its edition tables read gets an empty column for the year's actual values. Prose is left
/// as it was, since only its author knows which years in it are facts and which are the edition's; the plan
/// lists every line to review and every value to fill in.
public enum ReportEdition {
    /// The files to write and what is left to do.
    public struct Plan: Sendable, Equatable {
        /// Content-relative path → new text: the new edition, and data files given a column.
        public var files: [(path: String, text: String)]
        /// What the author fills in or reviews, a line each.
        public var todo: [String]
        /// The edition the new one was made from.
        public var source: String

        public static func == (a: Plan, b: Plan) -> Bool {
            a.files.map(\.path) == b.files.map(\.path) && a.files.map(\.text) == b.files.map(\.text) && a.todo == b.todo && a.source == b.source
        }
    }

    /// The plan for edition `year` from the content files (Markdown and data, relative paths), or why there is none.
    /// `today` dates the new edition.
    public static func plan(year: Int, files: [TextFile], today: Date, display: String = "") -> Result<Plan, Diagnostic> {
        var editions: [(year: Int, file: TextFile)] = []
        for file in files where file.path.hasSuffix(".md") {
            guard case .success(let page) = PageLoader.load(file), let edition = page.frontMatter.year else { continue }
            editions.append((edition, file))
        }
        if let existing = editions.first(where: { $0.year == year }) {
            return .failure(.error(at: SourceLocation(file: display + existing.file.path), field: "year",
                                   "edition \(year) exists already", hint: "edit it, or give another year"))
        }
        guard let latest = editions.filter({ $0.year < year }).max(by: { $0.year < $1.year }) else {
            return .failure(.error(at: SourceLocation(file: display), field: "year",
                                   "no edition before \(year) to start from",
                                   hint: "a report edition is a page with 'year: …' in its front matter"))
        }
        let from = latest.year
        let path = newPath(latest.file.path, from: from, to: year)
        var todo: [String] = []
        let (text, reviews, dataNames) = moved(latest.file.text, from: from, to: year, today: today)
        todo += reviews.map { "\(display + path):\($0.line): mentions \(from): \($0.text)" }

        var written: [(String, String)] = [(path, text)]
        for name in dataNames.sorted() {
            guard let file = files.first(where: { dataName($0.path) == name }) else { continue }
            switch addActualColumn(file, year: year, display: display) {
            case .success(let result):
                if let text = result.text { written.append((file.path, text)) }
                todo += result.todo
            case .failure(let problem):
                return .failure(problem)
            }
        }
        return .success(Plan(files: written, todo: todo, source: latest.file.path))
    }

    /// `reports/2022.md` after `reports/2021.md`; a name without the year gets it added.
    static func newPath(_ path: String, from: Int, to: Int) -> String {
        let folder = path.contains("/") ? String(path[...path.lastIndex(of: "/")!]) : ""
        let name = String(path.dropFirst(folder.count))
        if name.contains(String(from)) { return folder + name.replacingOccurrences(of: String(from), with: String(to)) }
        return folder + String(to) + ".md"
    }

    /// The data set a content path holds ("data/indicators.yaml" → "indicators").
    public static func dataName(_ path: String) -> String? {
        guard path.hasPrefix("data/") else { return nil }
        let name = String(path.dropFirst(5))
        guard let dot = name.lastIndex(of: "."), !name.contains("/") else { return nil }
        return String(name[..<dot])
    }

    /// The edition's text moved to `to`: `year:`, the title and the date in the front matter; in table and chart
    /// blocks, the captions and any year an `edition:` names. Returns the lines of prose that name the old year,
    /// and the data sets the edition tables read.
    static func moved(_ text: String, from: Int, to: Int, today: Date) -> (text: String, reviews: [(line: Int, text: String)], data: Set<String>) {
        let old = String(from), new = String(to)
        var lines = text.components(separatedBy: "\n")
        var reviews: [(Int, String)] = []
        var data = Set<String>()
        var inFrontMatter = lines.first?.trimmingCharacters(in: .whitespaces) == "---"
        var fence: (isSpec: Bool, marker: String)?
        var blockData: String?
        var blockIsEdition = false
        // The old edition's addresses stay its own: its aliases and slug would make the new one collide with it.
        var dropped: Set<Int> = []
        var droppingList = false
        for index in lines.indices {
            let line = lines[index]
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if index == 0, inFrontMatter { continue }
            if inFrontMatter {
                if trimmed == "---" || trimmed == "..." { inFrontMatter = false; continue }
                if droppingList, trimmed.hasPrefix("-") || trimmed.isEmpty { dropped.insert(index); continue }
                droppingList = false
                if trimmed.hasPrefix("aliases:") || trimmed.hasPrefix("slug:") {
                    dropped.insert(index)
                    droppingList = trimmed.hasPrefix("aliases:") && trimmed.dropFirst("aliases:".count).trimmingCharacters(in: .whitespaces).isEmpty
                    continue
                }
                if trimmed.hasPrefix("year:") { lines[index] = "year: \(new)" }
                else if trimmed.hasPrefix("date:") { lines[index] = "date: \(DateText.iso(today))" }
                else if trimmed.hasPrefix("title:") || trimmed.hasPrefix("summary:") { lines[index] = line.replacingOccurrences(of: old, with: new) }
                continue
            }
            if let open = fence {
                if trimmed.hasPrefix(open.marker), trimmed.allSatisfy({ $0 == open.marker.first }) {
                    if open.isSpec, blockIsEdition, let name = blockData { data.insert(name) }
                    fence = nil
                    continue
                }
                guard open.isSpec else { continue }
                if trimmed.hasPrefix("data:") { blockData = trimmed.dropFirst(5).trimmingCharacters(in: .whitespaces) }
                if trimmed.hasPrefix("edition:") {
                    blockIsEdition = true
                    lines[index] = line.replacingOccurrences(of: "year: \(old)", with: "year: \(new)")
                }
                if trimmed.hasPrefix("caption:") { lines[index] = line.replacingOccurrences(of: old, with: new) }
                continue
            }
            if trimmed.hasPrefix("```") || trimmed.hasPrefix("~~~") {
                let marker = String(trimmed.prefix { $0 == trimmed.first })
                let info = trimmed.dropFirst(marker.count).trimmingCharacters(in: .whitespaces)
                fence = (info.hasPrefix("table") || info.hasPrefix("chart"), marker)
                blockData = nil
                blockIsEdition = false
                continue
            }
            if line.contains(old) { reviews.append((index + 1, trimmed)) }
        }
        let kept = lines.indices.filter { !dropped.contains($0) }.map { lines[$0] }
        return (kept.joined(separator: "\n"), reviews.map { review in (review.0 - dropped.filter { $0 < review.0 - 1 }.count, review.1) }, data)
    }

    /// The data file with an empty column for `year`'s actual values, copied from the column of the latest
    /// year before (its name, label and declaration with the year moved on), and the values to fill in.
    static func addActualColumn(_ file: TextFile, year: Int, display: String) -> Result<(text: String?, todo: [String]), Diagnostic> {
        let shown = display + file.path
        guard let name = dataName(file.path), case .success(let set) = DataFileDecoder.decode(file, path: shown) else { return .success((nil, [])) }
        let rowName = { (row: DataRow) -> String in
            if let key = set.series?.key { return row[key].text }
            return set.fields.first { $0.type == .string && $0.kind == nil }.map { row[$0.name].text } ?? "\(row.location.line)"
        }
        var todo: [String] = []
        let targets = set.series.map { shape in set.rows.filter { $0[shape.kind].text == "target" }.compactMap { $0[shape.year].number.map(Int.init) } }
            ?? set.fields.filter { $0.kind == .target }.compactMap(\.year)
        if let last = targets.max(), last < year {
            todo.append("\(shown): no target for \(year) or later; the edition compares with the \(last) target until one is added")
        }
        if let shape = set.series {
            var seen: [String] = []
            for row in set.rows where !seen.contains(rowName(row)) { seen.append(rowName(row)) }
            let reported = Set(set.rows.filter { $0[shape.kind].text == "actual" && $0[shape.year].number == Double(year) }.map(rowName))
            let missing = seen.filter { !reported.contains($0) }
            if !missing.isEmpty {
                todo.append("\(shown): add a row with \(shape.year): \(year), \(shape.kind): actual and its \(shape.value) for each of \(missing.count): " + missing.joined(separator: "、"))
            }
            return .success((nil, todo))
        }
        let actuals = set.fields.filter { $0.kind == .actual }
        if let existing = actuals.first(where: { $0.year == year }) {
            let missing = set.rows.filter { $0[existing.name].isNull }.map(rowName)
            if !missing.isEmpty { todo.append("\(shown): fill in \(existing.name) for \(missing.count): " + missing.joined(separator: "、")) }
            return .success((nil, todo))
        }
        guard let model = actuals.filter({ $0.year! < year }).max(by: { $0.year! < $1.year! }) else {
            return .failure(.error(at: SourceLocation(file: shown), field: "fields",
                                   "\(name) has no column of actual values to copy for \(year)",
                                   hint: "declare one: {name: actual_\(year), type: number, kind: actual, year: \(year)}"))
        }
        guard !file.path.hasSuffix(".csv"), file.bytes == nil, let text = insertColumn(file.text, copying: model, year: year) else {
            todo.append("\(shown): add a column for \(year)'s actual values (kind: actual, year: \(year)) beside \(model.name), and fill it in")
            return .success((nil, todo))
        }
        let newName = model.name.replacingOccurrences(of: String(model.year!), with: String(year))
        // The new text must read as the data set with one more, empty, column.
        guard case .success(let grown) = DataFileDecoder.decode(text, path: shown), grown.rows.count == set.rows.count,
              grown.field(named: newName)?.kind == .actual else {
            todo.append("\(shown): add a column for \(year)'s actual values (kind: actual, year: \(year)) beside \(model.name), and fill it in")
            return .success((nil, todo))
        }
        todo.append("\(shown): fill in \(newName) (added, empty) for \(set.rows.count): " + set.rows.map(rowName).joined(separator: "、"))
        return .success((text, todo))
    }

    /// The YAML text with the declaration of `model` repeated after it, its year moved to `year`; nil when the
    /// declaration is not found as one list item.
    static func insertColumn(_ text: String, copying model: DataField, year: Int) -> String? {
        var lines = text.components(separatedBy: "\n")
        let names = ["name: \(model.name)", "name: \"\(model.name)\"", "name: '\(model.name)'"]
        guard let nameLine = lines.firstIndex(where: { line in names.contains { line.contains($0) } }) else { return nil }
        // The item starts at the nearest "- " line at or above the name and goes on while lines are indented deeper.
        guard let start = (0...nameLine).reversed().first(where: { lines[$0].trimmingCharacters(in: .whitespaces).hasPrefix("- ") }) else { return nil }
        let indent = lines[start].prefix { $0 == " " }.count
        var end = start + 1
        while end < lines.count, !lines[end].trimmingCharacters(in: .whitespaces).isEmpty, lines[end].prefix(while: { $0 == " " }).count > indent {
            end += 1
        }
        let old = String(model.year!), new = String(year)
        let copy = lines[start..<end].map { $0.replacingOccurrences(of: old, with: new) }
        lines.insert(contentsOf: copy, at: end)
        return lines.joined(separator: "\n")
    }
}
