import Foundation

/// The words the engine and the theme show, from the theme's strings file for the site's language
/// (`Templates/i18n/<language>.yaml`) with the site's `strings:` overrides; keys are dotted paths (`table.total`).
public struct ThemeStrings: Sendable, Equatable, Codable {
    public var values: [String: String]
    /// The file the strings came from, for messages (`Templates/i18n/en.yaml`).
    public var file: String

    public init(_ values: [String: String] = [:], file: String = "") {
        self.values = values
        self.file = file
    }

    /// The keys the engine itself reads; a strings file without one of them cannot build a site.
    public static let engineKeys: [String] = [
        "crumbs.home", "tags.title", "tags.tag", "tags.all", "listing.page",
        "date.format", "date.month.1", "date.month.2", "date.month.3", "date.month.4", "date.month.5", "date.month.6",
        "date.month.7", "date.month.8", "date.month.9", "date.month.10", "date.month.11", "date.month.12",
        "value.yes", "value.no",
        "table.total", "table.subtotal", "table.count", "table.min", "table.max", "table.mean", "table.share",
        "table.change", "table.growth", "table.ratio", "table.legend", "table.absent", "table.absent_default",
        "table.source", "table.downloads", "table.unit_header", "table.note_join", "table.qualifier_column", "table.notes_column",
        "edition.baseline", "edition.target", "edition.actual", "edition.previous", "edition.completion",
        "edition.progress", "edition.yoy", "edition.missing",
        "chart.data", "chart.item", "chart.value_join", "chart.list_join", "chart.share_item", "chart.share_label", "numbering.table", "numbering.figure",
    ]

    /// The string for `key` with `{name}` placeholders filled in; the key itself if missing (the loader has
    /// already reported every missing key, so a build never gets here with one).
    /// Filled in one pass: a value that itself holds `{name}` is not filled again.
    public func callAsFunction(_ key: String, _ arguments: [String: String] = [:]) -> String {
        let text = values[key] ?? key
        guard !arguments.isEmpty, text.utf8.contains(UInt8(ascii: "{")) else { return text }
        var result = ""
        var rest = text[...]
        // Braces are ASCII, so their UTF-8 positions are character boundaries of the text.
        while let open = rest.utf8.firstIndex(of: UInt8(ascii: "{")) {
            result += rest[..<open]
            let after = rest[rest.utf8.index(after: open)...]
            if let close = after.utf8.firstIndex(of: UInt8(ascii: "}")), let value = arguments[String(after[..<close])] {
                result += value
                rest = after[after.utf8.index(after: close)...]
            } else {
                result += "{"
                rest = after
            }
        }
        result += rest
        return result
    }

    /// A date as the language writes it (`date.format` with `{year}`, `{month}`, `{day}`, `{monthName}`).
    public func date(_ date: Date) -> String {
        let c = DateText.civil(date)
        return self("date.format", ["year": String(c.year), "month": String(c.month), "day": String(c.day),
                                    "monthName": values["date.month.\(c.month)"] ?? String(c.month)])
    }

    /// The strings as nested objects, as templates read them (`{{strings.table.total}}`).
    public var tree: YAMLValue {
        var root: [String: YAMLValue] = [:]
        func insert(_ path: ArraySlice<String>, _ value: String, into object: inout [String: YAMLValue]) {
            guard let head = path.first else { return }
            if path.count == 1 { object[head] = .string(value); return }
            var child: [String: YAMLValue] = [:]
            if case .object(let existing, _)? = object[head] { child = existing }
            insert(path.dropFirst(), value, into: &child)
            object[head] = .object(child, order: child.keys.sorted())
        }
        for (key, value) in values { insert(ArraySlice(key.split(separator: ".").map(String.init)), value, into: &root) }
        return .object(root, order: root.keys.sorted())
    }

    /// A stable hash of every key and value: what a build that shows them depends on.
    public var hash: UInt64 {
        var hash = StableHash()
        hash.add(file)
        for key in values.keys.sorted() { hash.add(key); hash.add(values[key]!) }
        return hash.value
    }

    /// Flattens a strings document (nested maps of strings) into dotted keys; non-string leaves are reported by
    /// the caller through `problems` as (key, description).
    public static func flatten(_ value: YAMLValue, prefix: String = "", problems: inout [(key: String, problem: String)]) -> [String: String] {
        var result: [String: String] = [:]
        guard case .object(let object, _) = value else {
            problems.append((prefix, "is not a map of strings"))
            return result
        }
        for (key, child) in object {
            let path = prefix.isEmpty ? key : prefix + "." + key
            switch child {
            case .string(let text): result[path] = text
            case .int(let number): result[path] = String(number)
            case .double(let number): result[path] = String(number)
            case .object: result.merge(flatten(child, prefix: path, problems: &problems)) { a, _ in a }
            default: problems.append((path, "is not a string"))
            }
        }
        return result
    }
}
