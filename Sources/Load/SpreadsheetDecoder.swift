import Foundation
import TianshanModel
import XMLCoder
import ZIPFoundation

/// Turns an Excel workbook (`.xlsx`, as Excel, WPS and LibreOffice save it) into a typed `DataSet`: the first
/// sheet, or the one named, with its first row as field names. Numbers come as typed (the text of the cell's
/// value, so 47722.2 stays 47722.2), dates as dates (a number cell in a date format), shared and inline strings
/// as text, empty cells as nothing; a text cell such as 2000余 in a column of numbers keeps its qualifier.
/// Problems name the sheet and cell (`projects.xlsx:项目!C7`).
enum SpreadsheetDecoder {
    static func decode(_ bytes: [UInt8], name: String, path: String, sheet wanted: String?) -> Result<DataSet, DiagnosticsError> {
        func failure(_ message: String, at place: String? = nil, hint: String? = nil) -> Result<DataSet, DiagnosticsError> {
            .failure(DiagnosticsError([.error(at: SourceLocation(file: place.map { "\(path):\($0)" } ?? path), message, hint: hint)]))
        }
        let archive: Archive
        do {
            archive = try Archive(data: Data(bytes), accessMode: .read)
        } catch {
            return failure("not a readable .xlsx workbook (\(error))", hint: "save it from Excel or WPS as .xlsx (not .xls)")
        }
        func part(_ name: String) -> Data? {
            guard let entry = archive[name] else { return nil }
            var data = Data()
            guard (try? archive.extract(entry, skipCRC32: false) { data.append($0) }) != nil else { return nil }
            return data
        }
        let decoder = XMLDecoder()
        decoder.trimValueWhitespaces = false
        decoder.shouldProcessNamespaces = false
        guard let workbookData = part("xl/workbook.xml") else {
            return failure("not a readable .xlsx workbook (no xl/workbook.xml)", hint: "save it from Excel or WPS as .xlsx")
        }
        let workbook: Workbook
        do {
            workbook = try decoder.decode(Workbook.self, from: workbookData)
        } catch {
            return failure("not a readable .xlsx workbook (xl/workbook.xml: \(error))", hint: "save it from Excel or WPS as .xlsx")
        }
        let sheets = workbook.sheets.sheet ?? []
        guard let sheet = wanted.map({ name in sheets.first { $0.name == name } }) ?? sheets.first else {
            let names = sheets.map(\.name)
            return failure("no sheet named '\(wanted ?? "")'", hint: Suggestion.closest(to: wanted ?? "", among: names).map { "did you mean '\($0)'?" }
                ?? "sheets: \(names.joined(separator: ", "))")
        }
        let relations = part("xl/_rels/workbook.xml.rels").flatMap { try? decoder.decode(Relationships.self, from: $0) }
        guard let target = relations?.relationship?.first(where: { $0.id == sheet.id })?.target else {
            return failure("sheet '\(sheet.name)' has no part in the workbook")
        }
        let sheetPath = target.hasPrefix("/") ? String(target.dropFirst()) : "xl/" + target
        guard let sheetData = part(sheetPath) else { return failure("sheet '\(sheet.name)' has no part in the workbook") }
        let worksheet: Worksheet
        do {
            worksheet = try decoder.decode(Worksheet.self, from: sheetData)
        } catch {
            return failure("sheet '\(sheet.name)' cannot be read (\(error))")
        }
        let strings = part("xl/sharedStrings.xml").flatMap { try? decoder.decode(SharedStrings.self, from: $0) }?.si?.map(\.text) ?? []
        let styles = part("xl/styles.xml").flatMap { try? decoder.decode(Styles.self, from: $0) }
        let dateStyles = styles.map(Self.dateStyles) ?? []
        let epoch = workbook.workbookPr?.date1904.map { $0 == "1" || $0 == "true" } == true
            ? Date(timeIntervalSince1970: -2_082_844_800) : Date(timeIntervalSince1970: -2_209_161_600)

        // Every cell as a value, by row and column.
        var problems: [Diagnostic] = []
        var grid: [(row: Int, cells: [Int: (value: DataValue, reference: String)])] = []
        for row in worksheet.sheetData.row ?? [] {
            var cells: [Int: (value: DataValue, reference: String)] = [:]
            for cell in row.c ?? [] {
                guard let reference = cell.r, let (column, _) = Self.position(reference) else { continue }
                let place = "\(sheet.name)!\(reference)"
                let text = cell.v?.value ?? ""
                let value: DataValue
                switch cell.t ?? "n" {
                case "s":
                    guard let index = Int(text), strings.indices.contains(index) else {
                        problems.append(.error(at: SourceLocation(file: "\(path):\(place)"), "shared string \(text) does not exist"))
                        continue
                    }
                    value = strings[index].isEmpty ? .null : .string(strings[index])
                case "inlineStr":
                    let inline = cell.is?.text ?? ""
                    value = inline.isEmpty ? .null : .string(inline)
                case "str":
                    value = text.isEmpty ? .null : .string(text)
                case "b":
                    value = .bool(text == "1" || text == "true")
                case "e":
                    problems.append(.error(at: SourceLocation(file: "\(path):\(place)"), "the cell holds the error \(text)", hint: "fix the formula in the workbook"))
                    continue
                case "d":
                    guard let date = Self.isoDate(text) else {
                        problems.append(.error(at: SourceLocation(file: "\(path):\(place)"), "'\(text)' is not a date"))
                        continue
                    }
                    value = .date(date)
                default:
                    if text.isEmpty { continue }
                    guard let number = Double(text) else {
                        problems.append(.error(at: SourceLocation(file: "\(path):\(place)"), "'\(text)' is not a number"))
                        continue
                    }
                    if let style = cell.s.flatMap(Int.init), dateStyles.contains(style) {
                        value = .date(epoch.addingTimeInterval((number * 86_400).rounded()))
                    } else {
                        value = .number(number)
                    }
                }
                if value != .null { cells[column] = (value, reference) }
            }
            if !cells.isEmpty { grid.append((row.r.flatMap(Int.init) ?? grid.count + 1, cells)) }
        }
        guard let headerRow = grid.first else { return failure("sheet '\(sheet.name)' is empty", at: sheet.name) }
        var fields: [(column: Int, name: String)] = []
        var seen = Set<String>()
        for column in headerRow.cells.keys.sorted() {
            let (value, reference) = headerRow.cells[column]!
            let name = value.text.trimmingCharacters(in: .whitespaces)
            guard seen.insert(name).inserted else {
                problems.append(.error(at: SourceLocation(file: "\(path):\(sheet.name)!\(reference)"), field: name, "field '\(name)' appears twice in the header row"))
                continue
            }
            fields.append((column, name))
        }
        let body = grid.dropFirst()
        for row in body {
            for (column, cell) in row.cells where !fields.contains(where: { $0.column == column }) {
                problems.append(.error(at: SourceLocation(file: "\(path):\(sheet.name)!\(cell.reference)"), "a value in a column without a name in the header row"))
            }
        }
        guard problems.isEmpty else { return .failure(DiagnosticsError(problems)) }

        // A column's type: what all its values are; text with a qualifier (2000余) counts as a number.
        var typed: [DataField] = []
        var rows = body.map { row in
            DataRow(values: [:], location: SourceLocation(file: "\(path):\(sheet.name)!A\(row.row)"))
        }
        for (column, name) in fields {
            let values = body.compactMap { $0.cells[column]?.value }
            var type = DataType.string
            if !values.isEmpty {
                if values.allSatisfy({ if case .date = $0 { return true }; return false }) {
                    type = .date
                } else if values.allSatisfy({ if case .bool = $0 { return true }; return false }) {
                    type = .bool
                } else if values.allSatisfy({ $0.number != nil || DataFileDecoder.approximate($0.text, whole: false) != nil }) {
                    type = .number
                }
            }
            typed.append(DataField(name: name, type: type))
            for (index, row) in body.enumerated() {
                guard let value = row.cells[column]?.value else { continue }
                switch type {
                case .number: rows[index].values[name] = value.number != nil ? value : DataFileDecoder.approximate(value.text, whole: false) ?? value
                case .string: rows[index].values[name] = .string(value.text)
                default: rows[index].values[name] = value
                }
            }
        }
        return .success(DataSet(name: name, title: sheet.name, fields: typed, rows: rows, sourcePath: path))
    }

    /// The column (from 0) and row of a cell reference such as `C7`.
    static func position(_ reference: String) -> (column: Int, row: Int)? {
        var column = 0
        var digits = ""
        for scalar in reference.unicodeScalars {
            if ("A"..."Z").contains(scalar) {
                guard digits.isEmpty else { return nil }
                column = column * 26 + Int(scalar.value - 64)
            } else if ("0"..."9").contains(scalar) {
                digits.unicodeScalars.append(scalar)
            } else {
                return nil
            }
        }
        guard column > 0, let row = Int(digits) else { return nil }
        return (column - 1, row)
    }

    /// The cell styles (indices into `cellXfs`) whose number format shows a date.
    static func dateStyles(_ styles: Styles) -> Set<Int> {
        var formats: [Int: String] = [:]
        for format in styles.numFmts?.numFmt ?? [] { if let id = Int(format.numFmtId) { formats[id] = format.formatCode } }
        var found = Set<Int>()
        for (index, style) in (styles.cellXfs?.xf ?? []).enumerated() {
            guard let id = style.numFmtId.flatMap(Int.init) else { continue }
            // The built-in date and time formats, and custom ones that show a day, month or year.
            if (14...22).contains(id) || (27...36).contains(id) || (45...47).contains(id) || (50...58).contains(id) {
                found.insert(index)
            } else if let code = formats[id], isDateFormat(code) {
                found.insert(index)
            }
        }
        return found
    }

    /// Whether a number format shows a date: a `y`, `m`, `d` (or 年月日) outside quotes, escapes and brackets.
    static func isDateFormat(_ code: String) -> Bool {
        var inQuote = false
        var inBracket = false
        var escaped = false
        for character in code {
            if escaped { escaped = false; continue }
            switch character {
            case "\\": escaped = true
            case "\"": inQuote.toggle()
            case "[": inBracket = true
            case "]": inBracket = false
            case "y", "Y", "m", "M", "d", "D", "年", "月", "日":
                if !inQuote && !inBracket { return true }
            default: break
            }
        }
        return false
    }

    static func isoDate(_ text: String) -> Date? {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = text.contains("T") ? [.withFullDate, .withTime, .withColonSeparatorInTime] : [.withFullDate]
        formatter.timeZone = TimeZone(identifier: "UTC")
        return formatter.date(from: String(text.prefix(19)))
    }

    // MARK: The parts of a workbook this reads

    struct Workbook: Decodable {
        var workbookPr: Properties?
        var sheets: Sheets
        struct Properties: Decodable { var date1904: String? }
        struct Sheets: Decodable { var sheet: [Sheet]? }
        struct Sheet: Decodable {
            var name: String
            var id: String
            enum CodingKeys: String, CodingKey { case name, id = "r:id" }
        }
    }

    struct Relationships: Decodable {
        var relationship: [Relationship]?
        enum CodingKeys: String, CodingKey { case relationship = "Relationship" }
        struct Relationship: Decodable {
            var id: String
            var target: String
            enum CodingKeys: String, CodingKey { case id = "Id", target = "Target" }
        }
    }

    /// An element's text (`<t xml:space="preserve"> x</t>`).
    struct Text: Decodable {
        var value: String?
        enum CodingKeys: String, CodingKey { case value = "" }
    }

    /// A string: one text, or runs of differently formatted text.
    struct RichText: Decodable {
        var t: Text?
        var r: [Run]?
        struct Run: Decodable { var t: Text? }
        var text: String { t?.value ?? (r ?? []).map { $0.t?.value ?? "" }.joined() }
    }

    struct SharedStrings: Decodable { var si: [RichText]? }

    struct Styles: Decodable {
        var numFmts: Formats?
        var cellXfs: CellStyles?
        struct Formats: Decodable { var numFmt: [Format]? }
        struct Format: Decodable { var numFmtId: String; var formatCode: String }
        struct CellStyles: Decodable { var xf: [Style]? }
        struct Style: Decodable { var numFmtId: String? }
    }

    struct Worksheet: Decodable {
        var sheetData: SheetData
        struct SheetData: Decodable { var row: [Row]? }
        struct Row: Decodable {
            var r: String?
            var c: [Cell]?
        }
        struct Cell: Decodable {
            var r: String?
            var t: String?
            var s: String?
            var v: Text?
            var `is`: RichText?
        }
    }
}
