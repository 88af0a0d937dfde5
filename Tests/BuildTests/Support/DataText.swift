import Foundation

/// A data file of the differential site split into the part before its rows, one line per row, and the part
/// after, in the three layouts the fixture and the generator write (YAML, CSV, JSON), so rows can be added,
/// removed and edited as lines.
struct DataText {
    var head: String
    var rows: [String]
    var tail: String
    let format: String

    /// Nil for a file not in one of those layouts (such as the one-line duplicate a breakage adds).
    init?(_ text: String, path: String) {
        format = String(path.split(separator: ".").last ?? "")
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        switch format {
        case "csv":
            guard let header = lines.first, !header.isEmpty else { return nil }
            head = header + "\n"
            rows = lines.dropFirst().filter { !$0.isEmpty }
            tail = ""
        case "json":
            guard let open = text.range(of: "\"rows\": [\n"), text.hasSuffix("\n]}\n") else { return nil }
            head = String(text[..<open.upperBound])
            let body = text[open.upperBound..<text.index(text.endIndex, offsetBy: -4)]
            rows = body.isEmpty ? [] : body.components(separatedBy: ",\n")
            tail = "\n]}\n"
        default:
            guard let start = lines.firstIndex(of: "rows:") else { return nil }
            head = lines[...start].joined(separator: "\n") + "\n"
            rows = lines[(start + 1)...].filter { !$0.isEmpty }
            guard rows.allSatisfy({ $0.hasPrefix("  - {") }) else { return nil }
            tail = ""
        }
    }

    var text: String {
        switch format {
        case "json": return head + rows.joined(separator: ",\n") + tail
        default: return head + rows.map { $0 + "\n" }.joined()
        }
    }

    /// A new data file with a name and a number column and no rows yet.
    static func empty(format: String, title: String) -> String {
        switch format {
        case "csv": return "name,score\n"
        case "json":
            return "{\"title\": \"\(title)\", \"fields\": [{\"name\": \"name\"}, {\"name\": \"score\", \"type\": \"number\"}], \"rows\": [\n\n]}\n"
        default: return "title: \(title)\nfields:\n  - {name: name, label: 名称}\n  - {name: score, label: 分数, type: number}\nrows:\n"
        }
    }
}
