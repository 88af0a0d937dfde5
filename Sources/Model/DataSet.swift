import Foundation

/// A table of facts from `Content/data/` (YAML, JSON or CSV), with a typed column schema.
public struct DataSet: Sendable, Equatable {
    /// File name without extension ("projects"): how specs and templates refer to it.
    public var name: String
    public var title: String
    /// The document the figures come from.
    public var source: String?
    public var description: String?
    public var fields: [DataField]
    public var rows: [DataRow]
    public var sourcePath: String

    public init(
        name: String, title: String, source: String? = nil, description: String? = nil,
        fields: [DataField], rows: [DataRow], sourcePath: String
    ) {
        self.name = name
        self.title = title
        self.source = source
        self.description = description
        self.fields = fields
        self.rows = rows
        self.sourcePath = sourcePath
    }

    public func field(named name: String) -> DataField? {
        fields.first { $0.name == name }
    }
}

/// One column of a data set.
public struct DataField: Codable, Sendable, Equatable {
    public var name: String
    public var label: String
    public var type: DataType
    public var unit: String?
    /// Rows without a value here are an error.
    public var required: Bool

    public init(name: String, label: String? = nil, type: DataType = .string, unit: String? = nil, required: Bool = false) {
        self.name = name
        self.label = label ?? name
        self.type = type
        self.unit = unit
        self.required = required
    }

    enum CodingKeys: String, StrictCodingKeys { case name, label, type, unit, required }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        name = try c.decode(String.self, forKey: .name)
        label = try c.decodeIfPresent(String.self, forKey: .label) ?? name
        type = try c.decodeIfPresent(DataType.self, forKey: .type) ?? .string
        unit = try c.decodeIfPresent(String.self, forKey: .unit)
        required = try c.decodeIfPresent(Bool.self, forKey: .required) ?? false
    }
}

/// Column types a data file can declare.
public enum DataType: String, Codable, Sendable, Equatable, CaseIterable {
    case string, number, integer, date, bool
}

/// One cell value, already checked against its column's type.
public enum DataValue: Hashable, Sendable {
    case null
    case string(String)
    case number(Double)
    /// A number the source gives with a qualifier (2000余, 近120): computed with as the number, shown with the word.
    case approximate(Double, Qualifier)
    case bool(Bool)
    case date(Date)

    public var number: Double? {
        switch self {
        case .number(let v), .approximate(let v, _): return v
        default: return nil
        }
    }

    public var qualifier: Qualifier? {
        if case .approximate(_, let qualifier) = self { return qualifier }
        return nil
    }

    public var isNull: Bool { self == .null }

    public var text: String {
        switch self {
        case .null: return ""
        case .string(let s): return s
        case .number(let v): return NumberText.plain(v)
        case .approximate(let v, let qualifier): return qualifier.apply(to: NumberText.plain(v))
        case .bool(let b): return b ? "是" : "否"
        case .date(let d): return DateText.iso(d)
        }
    }

    /// Ordering used by sorts and group keys: nulls first, numbers by value, text by Unicode order.
    public static func ascending(_ a: DataValue, _ b: DataValue) -> Bool {
        if let x = a.number, let y = b.number { return x < y }
        switch (a, b) {
        case (.date(let x), .date(let y)): return x < y
        case (.null, .null): return false
        case (.null, _): return true
        case (_, .null): return false
        default: return a.text < b.text
        }
    }
}

/// One row: values by field name, plus where the row starts in its file.
public struct DataRow: Sendable, Equatable {
    public var values: [String: DataValue]
    public var location: SourceLocation
    /// Notes on single cells, by field (`{value: 1763, note: …}`), shown as footnotes under a table.
    public var notes: [String: String]

    /// The field whose text is a note on the whole row rather than a column of its own.
    public static let noteField = "note"

    public init(values: [String: DataValue], location: SourceLocation, notes: [String: String] = [:]) {
        self.values = values
        self.location = location
        self.notes = notes
    }

    public subscript(field: String) -> DataValue {
        values[field] ?? .null
    }
}
