import CSV
import Foundation
import TianshanModel
import Yams

/// Turns a data file (YAML, JSON, CSV or an Excel workbook) into a typed `DataSet`, checking every cell against
/// its column type.
public enum DataFileDecoder {
    public static let supportedExtensions: Set<String> = ["yaml", "yml", "json", "csv", "xlsx"]

    /// The header of a YAML/JSON data file; `rows` are read node by node so each cell keeps its position.
    struct Header: Decodable {
        var title: String?
        var source: String?
        var description: String?
        var fields: [DataField]?
        var series: SeriesShape?
        var pages: RowPages?

        init() {}

        enum CodingKeys: String, StrictCodingKeys { case title, source, description, fields, series, pages, rows }

        init(from decoder: Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            title = try c.decodeIfPresent(String.self, forKey: .title)
            source = try c.decodeIfPresent(String.self, forKey: .source)
            description = try c.decodeIfPresent(String.self, forKey: .description)
            fields = try c.decodeIfPresent([DataField].self, forKey: .fields)
            series = try c.decodeIfPresent(SeriesShape.self, forKey: .series)
            pages = try c.decodeIfPresent(RowPages.self, forKey: .pages)
        }
    }

    /// A data file as read: a workbook's bytes (`sheet` names the sheet, else the first), or text.
    public static func decode(_ file: TextFile, path: String, sheet: String? = nil) -> Result<DataSet, DiagnosticsError> {
        guard let bytes = file.bytes else { return decode(file.text, path: path) }
        let fileName = path.split(separator: "/").last.map(String.init) ?? path
        return SpreadsheetDecoder.decode(bytes, name: fileName.split(separator: ".").dropLast().joined(separator: "."), path: path, sheet: sheet)
    }

    public static func decode(_ text: String, path: String) -> Result<DataSet, DiagnosticsError> {
        let fileName = path.split(separator: "/").last.map(String.init) ?? path
        let ext = fileName.split(separator: ".").last.map { $0.lowercased() } ?? ""
        let name = fileName.split(separator: ".").dropLast().joined(separator: ".")
        switch ext {
        case "csv": return decodeCSV(text, name: name, path: path)
        default: return decodeTree(text, name: name, path: path)
        }
    }

    // MARK: YAML and JSON

    static func decodeTree(_ text: String, name: String, path: String) -> Result<DataSet, DiagnosticsError> {
        let root: Node
        switch YAMLDocument.compose(text, file: path) {
        case .success(let node): root = node
        case .failure(let problem): return .failure(DiagnosticsError([problem]))
        }
        let rowNodes: Node
        var header = Header()
        switch root {
        case .sequence:
            rowNodes = root
        case .mapping(let mapping):
            switch YAMLDocument.decode(Header.self, from: root, file: path) {
            case .success(let decoded): header = decoded
            case .failure(let problem): return .failure(DiagnosticsError([problem]))
            }
            guard let rows = mapping["rows"] else {
                return .failure(DiagnosticsError([.error(
                    at: YAMLDocument.location(of: root, file: path, lineOffset: 0), field: "rows",
                    "data file has no 'rows' list", hint: "put the table under 'rows:' as a list of mappings"
                )]))
            }
            rowNodes = rows
        default:
            return .failure(DiagnosticsError([.error(
                at: YAMLDocument.location(of: root, file: path, lineOffset: 0),
                "a data file holds a mapping with 'rows', or a list of rows"
            )]))
        }
        guard case .sequence(let sequence) = rowNodes else {
            return .failure(DiagnosticsError([.error(
                at: YAMLDocument.location(of: rowNodes, file: path, lineOffset: 0), field: "rows", "'rows' must be a list"
            )]))
        }

        var problems: [Diagnostic] = []
        let declared = header.fields
        let fields = declared ?? inferFields(sequence)
        if let declared {
            var seen = Set<String>()
            for field in declared where !seen.insert(field.name).inserted {
                problems.append(.error(at: SourceLocation(file: path, line: 1, column: 1), field: "fields", "field '\(field.name)' is declared twice"))
            }
        }
        let byName = Dictionary(fields.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
        var rows: [DataRow] = []
        rows.reserveCapacity(sequence.count)
        for (index, rowNode) in sequence.enumerated() {
            let rowLocation = YAMLDocument.location(of: rowNode, file: path, lineOffset: 0)
            guard case .mapping(let cells) = rowNode else {
                problems.append(.error(at: rowLocation, field: "rows[\(index)]", "each row must be a mapping of field: value"))
                continue
            }
            var values: [String: DataValue] = [:]
            var notes: [String: String] = [:]
            for (keyNode, valueNode) in cells {
                let key = keyNode.scalar?.string ?? ""
                let fieldPath = "rows[\(index)].\(key)"
                guard let field = byName[key] else {
                    problems.append(.error(
                        at: YAMLDocument.location(of: keyNode, file: path, lineOffset: 0), field: fieldPath,
                        "unknown field '\(key)'" + (Suggestion.closest(to: key, among: fields.map(\.name)).map { "; did you mean '\($0)'?" } ?? ""),
                        hint: "declared fields: \(fields.map(\.name).joined(separator: ", "))"
                    ))
                    continue
                }
                switch cellValue(valueNode, as: field.type) {
                case .success(let cell):
                    values[key] = cell.value
                    if let note = cell.note { notes[key] = note }
                case .failure(let problem):
                    problems.append(.error(
                        at: YAMLDocument.location(of: valueNode, file: path, lineOffset: 0), field: fieldPath, problem.message
                    ))
                }
            }
            for field in fields where field.required && (values[field.name] ?? .null) == .null {
                problems.append(.error(at: rowLocation, field: "rows[\(index)].\(field.name)", "missing required field '\(field.name)'"))
            }
            rows.append(DataRow(values: values, location: rowLocation, notes: notes))
        }
        if let series = header.series { problems += checkSeries(series, fields: fields, rows: rows, path: path) }
        guard problems.isEmpty else { return .failure(DiagnosticsError(problems)) }
        return .success(DataSet(
            name: name, title: header.title ?? name, source: header.source, description: header.description,
            fields: fields, rows: rows, sourcePath: path, series: header.series, pages: header.pages
        ))
    }

    /// A long-form series names fields the file has; each row's kind is one of the kinds and its year a year.
    static func checkSeries(_ series: SeriesShape, fields: [DataField], rows: [DataRow], path: String) -> [Diagnostic] {
        let names = fields.map(\.name)
        let missing = [("series.key", series.key), ("series.year", series.year), ("series.kind", series.kind), ("series.value", series.value)]
            .filter { !names.contains($0.1) }
        guard missing.isEmpty else {
            return missing.map { key, name in
                .error(at: SourceLocation(file: path, line: 1, column: 1), field: key, "the series names field '\(name)', which the data set does not have",
                       hint: Suggestion.closest(to: name, among: names).map { "did you mean '\($0)'?" } ?? "fields: \(names.joined(separator: ", "))")
            }
        }
        var problems: [Diagnostic] = []
        let kinds = SeriesKind.allCases.map(\.rawValue)
        for row in rows {
            let kind = row[series.kind].text
            if !kinds.contains(kind) {
                problems.append(.error(at: row.location, field: series.kind, "'\(kind)' is not a kind of series value",
                                       hint: "kinds: \(kinds.joined(separator: ", "))"))
            }
            if let year = row[series.year].number, year != year.rounded() || year < 1 || year > 9999 {
                problems.append(.error(at: row.location, field: series.year, "'\(row[series.year].text)' is not a year"))
            } else if row[series.year].number == nil {
                problems.append(.error(at: row.location, field: series.year, "the row has no year"))
            }
        }
        return problems
    }

    /// Columns in first-seen order, typed by what their values look like, for files that declare no `fields`.
    static func inferFields(_ rows: Node.Sequence) -> [DataField] {
        var order: [String] = []
        var types: [String: DataType] = [:]
        for row in rows {
            guard case .mapping(let cells) = row else { continue }
            for (keyNode, valueNode) in cells {
                guard let key = keyNode.scalar?.string else { continue }
                if types[key] == nil { order.append(key) }
                let seen = scalarType(valueNode)
                types[key] = merge(types[key], seen)
            }
        }
        return order.map { DataField(name: $0, type: types[$0] ?? .string) }
    }

    static func scalarType(_ node: Node) -> DataType? {
        if case .mapping(let cell) = node, let value = cell["value"] { return scalarType(value) }
        guard case .scalar(let scalar) = node else { return .string }
        if approximate(scalar.string, whole: false) != nil { return .number }
        guard scalar.style == .plain else { return .string }
        switch YAMLScalars.value(of: node) {
        case .null: return nil
        case .int, .double: return .number
        case .bool: return .bool
        case .date: return .date
        default: return .string
        }
    }

    static func merge(_ a: DataType?, _ b: DataType?) -> DataType? {
        guard let a else { return b }
        guard let b else { return a }
        return a == b ? a : .string
    }

    /// One cell's value, and its note when the cell is written as `{value: …, note: …}`.
    struct Cell {
        var value: DataValue
        var note: String?
    }

    /// A cell: a plain value, a number with its qualifier (`2000余`, `近120`, `超过721.4`), or a mapping
    /// `{value: 2000, qualifier: 余, note: 原文为…}` for a qualifier written apart or a note on the cell.
    static func cellValue(_ node: Node, as type: DataType) -> Result<Cell, CellError> {
        if case .mapping(let mapping) = node {
            let keys = mapping.keys.compactMap { $0.scalar?.string }
            let allowed = ["value", "qualifier", "note"]
            if let unknown = keys.first(where: { !allowed.contains($0) }) {
                return .failure(CellError("unknown key '\(unknown)' in a cell" + (Suggestion.closest(to: unknown, among: allowed).map { "; did you mean '\($0)'?" } ?? "")
                    + " (a cell mapping holds value, qualifier and note)"))
            }
            guard let valueNode = mapping["value"] else { return .failure(CellError("a cell written as a mapping needs 'value'")) }
            var cell: Cell
            switch cellValue(valueNode, as: type) {
            case .success(let inner): cell = inner
            case .failure(let error): return .failure(error)
            }
            if let word = mapping["qualifier"]?.scalar?.string {
                guard let qualifier = Qualifier.named(word) else {
                    return .failure(CellError("unknown qualifier '\(word)' (known: \(Qualifier.known.map(\.word).joined(separator: "、")))"))
                }
                guard let number = cell.value.number, cell.value.qualifier == nil else {
                    return .failure(CellError("only a number can take a qualifier"))
                }
                cell.value = .approximate(number, qualifier)
            }
            if let note = mapping["note"] {
                guard let text = note.scalar?.string else { return .failure(CellError("a cell's note must be text")) }
                cell.note = text
            }
            return .success(cell)
        }
        return plainCellValue(node, as: type).map { Cell(value: $0, note: nil) }
    }

    static func plainCellValue(_ node: Node, as type: DataType) -> Result<DataValue, CellError> {
        guard case .scalar(let scalar) = node else {
            return .failure(CellError("expected \(type.noun), found a list"))
        }
        if YAMLScalars.isNull(node) { return .success(.null) }
        switch type {
        case .string:
            return .success(.string(scalar.string))
        case .number:
            if scalar.style == .plain, let value = YAMLScalars.double(scalar.string) { return .success(.number(value)) }
            if let approximate = approximate(scalar.string, whole: false) { return .success(approximate) }
            return .failure(CellError("expected a number, found '\(scalar.string)'"))
        case .integer:
            if scalar.style == .plain, let value = YAMLScalars.int(scalar.string) { return .success(.number(Double(value))) }
            if let approximate = approximate(scalar.string, whole: true) { return .success(approximate) }
            return .failure(CellError("expected a whole number, found '\(scalar.string)'"))
        case .bool:
            if scalar.style == .plain, let value = YAMLScalars.bool(scalar.string) { return .success(.bool(value)) }
            return .failure(CellError("expected true or false, found '\(scalar.string)'"))
        case .date:
            if let value = YAMLScalars.date(scalar.string) { return .success(.date(value)) }
            return .failure(CellError("expected a date (YYYY-MM-DD), found '\(scalar.string)'"))
        }
    }

    /// "2000余", "近120", "超过721.4" as an approximate number.
    static func approximate(_ text: String, whole: Bool) -> DataValue? {
        guard let (number, qualifier) = Qualifier.split(text) else { return nil }
        if whole {
            guard let value = YAMLScalars.int(number) else { return nil }
            return .approximate(Double(value), qualifier)
        }
        guard let value = YAMLScalars.double(number) ?? parseNumber(number) else { return nil }
        return .approximate(value, qualifier)
    }

    struct CellError: Error {
        var message: String
        init(_ message: String) { self.message = message }
    }

    // MARK: CSV

    static func decodeCSV(_ text: String, name: String, path: String) -> Result<DataSet, DiagnosticsError> {
        var body = text
        if body.hasPrefix("\u{FEFF}") { body.removeFirst() }
        let reader: CSVReader
        do {
            reader = try CSVReader(string: body, hasHeaderRow: true, trimFields: false)
        } catch {
            return .failure(DiagnosticsError([.error(at: SourceLocation(file: path, line: 1, column: 1), "cannot read CSV: \(error)")]))
        }
        guard let header = reader.headerRow, !header.isEmpty else {
            return .failure(DiagnosticsError([.error(at: SourceLocation(file: path, line: 1, column: 1), "CSV file has no header row")]))
        }
        var problems: [Diagnostic] = []
        var records: [[String]] = []
        var lines: [Int] = []
        var line = 2
        while let record = reader.next() {
            if record.count == 1, record[0].isEmpty { line += 1; continue }
            if record.count != header.count {
                problems.append(.error(
                    at: SourceLocation(file: path, line: line, column: 1), field: "row \(records.count + 1)",
                    "row has \(record.count) cells but the header has \(header.count)"
                ))
            }
            records.append(record)
            lines.append(line)
            // Quoted cells may span lines; count them so later locations stay right.
            line += 1 + record.reduce(0) { $0 + $1.filter { $0 == "\n" || $0 == "\r\n" }.count }
        }
        if let error = reader.error {
            problems.append(.error(at: SourceLocation(file: path, line: line, column: 1), "cannot read CSV: \(error)"))
        }
        let fields = header.enumerated().map { column, name in
            DataField(name: name, type: inferCSVType(records.lazy.map { $0.indices.contains(column) ? $0[column] : "" }))
        }
        var rows: [DataRow] = []
        rows.reserveCapacity(records.count)
        for (index, record) in records.enumerated() {
            var values: [String: DataValue] = [:]
            for (column, field) in fields.enumerated() where column < record.count {
                values[field.name] = csvValue(record[column], as: field.type)
            }
            rows.append(DataRow(values: values, location: SourceLocation(file: path, line: lines[index], column: 1)))
        }
        guard problems.isEmpty else { return .failure(DiagnosticsError(problems)) }
        return .success(DataSet(name: name, title: name, fields: fields, rows: rows, sourcePath: path))
    }

    static func inferCSVType<C: Sequence>(_ cells: C) -> DataType where C.Element == String {
        var sawValue = false
        for cell in cells {
            let trimmed = cell.trimmingCharacters(in: .whitespaces)
            if trimmed.isEmpty { continue }
            sawValue = true
            if parseNumber(trimmed) == nil, approximate(trimmed, whole: false) == nil { return .string }
        }
        return sawValue ? .number : .string
    }

    static func parseNumber(_ text: String) -> Double? {
        // Leading zeros mark codes ("007"), not amounts.
        if text.count > 1, text.hasPrefix("0"), !text.hasPrefix("0.") { return nil }
        return Double(text.replacingOccurrences(of: ",", with: ""))
    }

    static func csvValue(_ cell: String, as type: DataType) -> DataValue {
        let trimmed = cell.trimmingCharacters(in: .whitespaces)
        if trimmed.isEmpty { return .null }
        if type == .number, let value = parseNumber(trimmed) { return .number(value) }
        if type == .number, let value = approximate(trimmed, whole: false) { return value }
        return .string(cell)
    }
}

extension DataType {
    var noun: String {
        switch self {
        case .string: return "text"
        case .number: return "a number"
        case .integer: return "a whole number"
        case .bool: return "true or false"
        case .date: return "a date"
        }
    }
}
