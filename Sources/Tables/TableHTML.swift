import Foundation
import TianshanModel

/// Writes tables as accessible HTML and as CSV/JSON downloads.
public enum TableHTML {
    /// Links shown under a table to its downloads, relative to the page.
    public struct Downloads: Sendable, Equatable {
        public var csv: String
        public var json: String
        public init(csv: String, json: String) {
            self.csv = csv
            self.json = json
        }
    }

    public static func render(_ table: Table, downloads: Downloads?) -> String {
        var html = "<figure class=\"data-table\" id=\"\(escape(table.id))\">\n"
        html += "<div class=\"table-scroll\" role=\"region\" aria-label=\"\(escape(table.caption ?? table.id))\" tabindex=\"0\">\n"
        html += "<table>\n"
        if let caption = table.caption { html += "<caption>\(escape(caption))</caption>\n" }
        html += "<thead><tr>"
        for column in table.columns {
            html += "<th scope=\"col\"\(column.numeric ? " class=\"num\"" : "")>\(escape(column.header))</th>"
        }
        html += "</tr></thead>\n<tbody>\n"
        var footer = ""
        for row in table.rows {
            var line = row.kind == .data ? "<tr>" : "<tr class=\"\(row.kind.rawValue)\">"
            for (index, column) in table.columns.enumerated() {
                let text = escape(column.text(row.cells[index]))
                // The first text column names the row, so it is the row header for screen readers.
                if index == 0 && !column.numeric {
                    line += "<th scope=\"row\">\(text)</th>"
                } else {
                    line += "<td\(column.numeric ? " class=\"num\"" : "")>\(text)</td>"
                }
            }
            line += "</tr>\n"
            if row.kind == .total { footer += line } else { html += line }
        }
        html += "</tbody>\n"
        if !footer.isEmpty { html += "<tfoot>\n\(footer)</tfoot>\n" }
        html += "</table>\n</div>\n"
        html += figcaption(table, downloads: downloads)
        html += "</figure>\n"
        return html
    }

    static func figcaption(_ table: Table, downloads: Downloads?) -> String {
        var parts: [String] = []
        if let note = table.note { parts.append("<span class=\"table-note\">\(escape(note))</span>") }
        if let source = table.source { parts.append("<span class=\"table-source\">资料来源：\(escape(source))</span>") }
        if let downloads {
            parts.append("<span class=\"table-downloads\">下载数据：<a href=\"\(escape(downloads.csv))\" download>CSV</a> · "
                + "<a href=\"\(escape(downloads.json))\" download>JSON</a></span>")
        }
        guard !parts.isEmpty else { return "" }
        return "<figcaption>\(parts.joined(separator: " "))</figcaption>\n"
    }

    public static func escape(_ text: String) -> String { HTMLText.escape(text) }
}

/// CSV (UTF-8 with BOM, so spreadsheet programs read Chinese correctly) and JSON exports of a table.
public enum TableExport {
    public static func csv(_ table: Table) -> Data {
        var text = "\u{FEFF}"
        text += table.columns.map { quote($0.header) }.joined(separator: ",") + "\r\n"
        for row in table.rows {
            text += zip(table.columns, row.cells).map { column, cell in
                // Full-precision numbers in the header's unit (not rounded display text), so spreadsheets can compute.
                if case .number(let n) = cell { return NumberText.plain(column.format.scaled(n)) }
                return quote(cell.text)
            }.joined(separator: ",") + "\r\n"
        }
        return Data(text.utf8)
    }

    static func quote(_ text: String) -> String {
        // A leading = + - @ would run as a formula in a spreadsheet; a quote mark makes it text.
        var value = text
        if let first = value.unicodeScalars.first, "=+-@\t\r".unicodeScalars.contains(first) { value = "'" + value }
        if value.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) {
            return "\"" + value.replacingOccurrences(of: "\"", with: "\"\"") + "\""
        }
        return value
    }

    public static func json(_ table: Table) -> Data {
        var rows: [[String: JSONValue]] = []
        for row in table.rows {
            var object: [String: JSONValue] = [:]
            for (column, cell) in zip(table.columns, row.cells) {
                switch cell {
                case .number(let n): object[column.key] = .number(column.format.scaled(n))
                case .null: object[column.key] = .null
                case .bool(let b): object[column.key] = .bool(b)
                default: object[column.key] = .string(cell.text)
                }
            }
            if row.kind != .data { object["_row"] = .string(row.kind.rawValue) }
            rows.append(object)
        }
        let document = ExportDocument(
            id: table.id, caption: table.caption, source: table.source,
            columns: table.columns.map { ExportColumn(key: $0.key, label: $0.label, unit: $0.format.unit) }, rows: rows
        )
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return (try? encoder.encode(document)) ?? Data("{}".utf8)
    }

    struct ExportDocument: Encodable {
        var id: String
        var caption: String?
        var source: String?
        var columns: [ExportColumn]
        var rows: [[String: JSONValue]]
    }

    struct ExportColumn: Encodable {
        var key: String
        var label: String
        var unit: String?
    }

    enum JSONValue: Encodable {
        case string(String), number(Double), bool(Bool), null
        func encode(to encoder: Encoder) throws {
            var c = encoder.singleValueContainer()
            switch self {
            case .string(let s): try c.encode(s)
            case .number(let n):
                if n == n.rounded(), abs(n) < 1e15 { try c.encode(Int64(n)) } else { try c.encode(Decimal(string: NumberText.plain(n)) ?? Decimal(n)) }
            case .bool(let b): try c.encode(b)
            case .null: try c.encodeNil()
            }
        }
    }
}
