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
        html += "<div class=\"table-scroll\" role=\"region\" aria-label=\"\(escape(table.title ?? table.id))\" tabindex=\"0\">\n"
        html += "<table>\n"
        if let caption = table.captionHTML { html += "<caption>\(caption)</caption>\n" }
        html += "<thead><tr>"
        for column in table.columns {
            html += "<th scope=\"col\"\(column.numeric ? " class=\"num\"" : "")>\(escape(column.header))</th>"
        }
        html += "</tr></thead>\n<tbody>\n"
        var footer = ""
        let notes = footnotes(table)
        // A note several cells share is numbered once; the first mark is the one its back-link returns to.
        var marked = Set<Int>()
        for (rowIndex, row) in table.rows.enumerated() {
            var line = row.kind == .data ? "<tr>" : "<tr class=\"\(row.kind.rawValue)\">"
            for (index, column) in table.columns.enumerated() {
                var text = escape(column.text(row.cells[index]))
                if index == table.linkColumn, let link = row.link, !text.isEmpty { text = "<a href=\"\(escape(link))\">\(text)</a>" }
                if let number = notes.numbers[NotePlace(row: rowIndex, column: index)] {
                    let anchor = marked.insert(number).inserted ? " id=\"\(escape(table.id))-ref-\(number)\"" : ""
                    text += "<sup class=\"table-note-ref\"><a href=\"#\(escape(table.id))-note-\(number)\"\(anchor)>\(marker(number))</a></sup>"
                }
                // The first text column names the row, so it is the row header for screen readers.
                if index == 0 && !column.numeric {
                    line += "<th scope=\"row\">\(text)</th>"
                } else {
                    // The number itself, which the theme's table script sorts by (the cell may read 2,000余).
                    let value = column.numeric ? row.cells[index].number.map { " data-value=\"\(NumberText.plain($0))\"" } ?? "" : ""
                    line += "<td\(column.numeric ? " class=\"num\"" : "")\(value)>\(text)</td>"
                }
            }
            line += "</tr>\n"
            if row.kind == .total { footer += line } else { html += line }
        }
        html += "</tbody>\n"
        if !footer.isEmpty { html += "<tfoot>\n\(footer)</tfoot>\n" }
        html += "</table>\n</div>\n"
        if !notes.texts.isEmpty {
            html += "<ol class=\"table-notes\">\n"
            for (offset, text) in notes.texts.enumerated() {
                let number = offset + 1
                html += "<li id=\"\(escape(table.id))-note-\(number)\"><a href=\"#\(escape(table.id))-ref-\(number)\" class=\"table-note-back\">\(marker(number))</a> \(escape(text))</li>\n"
            }
            html += "</ol>\n"
        }
        html += figcaption(table, downloads: downloads)
        html += "</figure>\n"
        return html
    }

    /// Where a note sits: a row (in table order) and a column.
    struct NotePlace: Hashable {
        var row: Int
        var column: Int
    }

    /// The table's notes numbered in reading order (row by row, left to right); the same text is one note.
    static func footnotes(_ table: Table) -> (numbers: [NotePlace: Int], texts: [String]) {
        var numbers: [NotePlace: Int] = [:]
        var texts: [String] = []
        for (rowIndex, row) in table.rows.enumerated() {
            for column in row.notes.keys.sorted() {
                let text = row.notes[column]!
                let number = (texts.firstIndex(of: text) ?? { texts.append(text); return texts.count - 1 }()) + 1
                numbers[NotePlace(row: rowIndex, column: column)] = number
            }
        }
        return (numbers, texts)
    }

    /// ① … ⑳, then (21), (22), …
    static func marker(_ number: Int) -> String {
        guard (1...20).contains(number), let scalar = Unicode.Scalar(0x2460 + UInt32(number - 1)) else { return "(\(number))" }
        return String(Character(scalar))
    }

    static func figcaption(_ table: Table, downloads: Downloads?) -> String {
        var parts: [String] = []
        if let note = table.note { parts.append("<span class=\"table-note\">\(escape(note))</span>") }
        if let source = table.source { parts.append("<span class=\"table-source\">\(escape(table.words("table.source", ["source": source])))</span>") }
        if let downloads {
            let links = "<a href=\"\(escape(downloads.csv))\" download>CSV</a> · <a href=\"\(escape(downloads.json))\" download>JSON</a>"
            parts.append("<span class=\"table-downloads\">\(escape(table.words("table.downloads", ["links": "\u{1}"])).replacingOccurrences(of: "\u{1}", with: links))</span>")
        }
        guard !parts.isEmpty else { return "" }
        return "<figcaption>\(parts.joined(separator: " "))</figcaption>\n"
    }

    public static func escape(_ text: String) -> String { HTMLText.escape(text) }
}

/// CSV (UTF-8 with BOM, so spreadsheet programs read Chinese correctly) and JSON exports of a table.
public enum TableExport {
    /// Numbers stay numbers: a column with approximate figures gets a column of their qualifiers beside it,
    /// and the rows' notes go in a last column.
    public static func csv(_ table: Table) -> Data {
        let qualified = qualifiedColumns(table)
        let hasNotes = table.rows.contains { !$0.notes.isEmpty }
        var header: [String] = []
        for (index, column) in table.columns.enumerated() {
            header.append(quote(column.header))
            if qualified.contains(index) { header.append(quote(table.words("table.qualifier_column", ["label": column.label]))) }
        }
        if hasNotes { header.append(quote(table.words("table.notes_column"))) }
        var text = "\u{FEFF}" + header.joined(separator: ",") + "\r\n"
        for row in table.rows {
            var cells: [String] = []
            for (index, (column, cell)) in zip(table.columns, row.cells).enumerated() {
                // Full-precision numbers in the header's unit (not rounded display text), so spreadsheets can compute.
                if let n = cell.number { cells.append(NumberText.plain(column.format.scaled(n))) } else { cells.append(quote(cell.text)) }
                if qualified.contains(index) { cells.append(quote(cell.qualifier?.word ?? "")) }
            }
            if hasNotes { cells.append(quote(joinedNotes(row, table))) }
            text += cells.joined(separator: ",") + "\r\n"
        }
        return Data(text.utf8)
    }

    /// Indexes of the columns holding at least one approximate figure.
    /// A row's notes in one cell, joined as the theme joins notes.
    static func joinedNotes(_ row: TableRow, _ table: Table) -> String {
        let notes = row.notes.keys.sorted().map { row.notes[$0]! }
        return notes.dropFirst().reduce(notes.first ?? "") { table.words("table.note_join", ["first": $0, "second": $1]) }
    }

    static func qualifiedColumns(_ table: Table) -> Set<Int> {
        Set(table.columns.indices.filter { index in table.rows.contains { $0.cells[index].qualifier != nil } })
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

    /// `rows` holds the data rows only, so that summing them counts each figure once; totals and subtotals
    /// have keys of their own. An approximate figure is its number plus `<key>_qualifier`.
    public static func json(_ table: Table) -> Data {
        func object(_ row: TableRow) -> [String: JSONValue] {
            var object: [String: JSONValue] = [:]
            for (column, cell) in zip(table.columns, row.cells) {
                switch cell {
                case .number(let n): object[column.key] = .number(column.format.scaled(n))
                case .approximate(let n, let qualifier):
                    object[column.key] = .number(column.format.scaled(n))
                    object[column.key + "_qualifier"] = .string(qualifier.word)
                case .null: object[column.key] = .null
                case .bool(let b): object[column.key] = .bool(b)
                default: object[column.key] = .string(cell.text)
                }
            }
            if !row.notes.isEmpty { object["_notes"] = .string(TableExport.joinedNotes(row, table)) }
            return object
        }
        let document = ExportDocument(
            id: table.id, caption: table.caption, source: table.source,
            columns: table.columns.map { ExportColumn(key: $0.key, label: $0.label, unit: $0.format.unit) },
            rows: table.rows.filter { $0.kind == .data }.map(object),
            subtotals: table.rows.filter { $0.kind == .subtotal }.map(object).nilIfEmpty,
            totals: table.rows.filter { $0.kind == .total }.map(object).nilIfEmpty
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
        var subtotals: [[String: JSONValue]]?
        var totals: [[String: JSONValue]]?
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

extension Array {
    /// nil for an empty array, so an encoder leaves the key out.
    var nilIfEmpty: Self? { isEmpty ? nil : self }
}
