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
    /// For a yearly series in long form (one row per indicator, year and kind), which fields say which.
    public var series: SeriesShape?
    /// Whether each row gets a page of its own, and how (`pages:`).
    public var pages: RowPages?

    public init(
        name: String, title: String, source: String? = nil, description: String? = nil,
        fields: [DataField], rows: [DataRow], sourcePath: String, series: SeriesShape? = nil, pages: RowPages? = nil
    ) {
        self.series = series
        self.pages = pages
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
    /// For a yearly series in wide form: which kind of value of which year the column holds
    /// (`kind: actual, year: 2021`).
    public var kind: SeriesKind?
    public var year: Int?

    public init(name: String, label: String? = nil, type: DataType = .string, unit: String? = nil, required: Bool = false,
                kind: SeriesKind? = nil, year: Int? = nil) {
        self.name = name
        self.label = label ?? name
        self.type = type
        self.unit = unit
        self.required = required
        self.kind = kind
        self.year = year
    }

    enum CodingKeys: String, StrictCodingKeys { case name, label, type, unit, required, kind, year }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        name = try c.decode(String.self, forKey: .name)
        label = try c.decodeIfPresent(String.self, forKey: .label) ?? name
        type = try c.decodeIfPresent(DataType.self, forKey: .type) ?? .string
        unit = try c.decodeIfPresent(String.self, forKey: .unit)
        required = try c.decodeIfPresent(Bool.self, forKey: .required) ?? false
        kind = try c.decodeIfPresent(SeriesKind.self, forKey: .kind)
        year = try c.decodeIfPresent(Int.self, forKey: .year)
        if (kind == nil) != (year == nil) {
            throw DecodingError.dataCorruptedError(forKey: kind == nil ? .year : .kind, in: c,
                                                   debugDescription: "a series column names both its 'kind' and its 'year'")
        }
        if kind != nil, type != .number, type != .integer {
            throw DecodingError.dataCorruptedError(forKey: .type, in: c, debugDescription: "a series column holds numbers: give it 'type: number'")
        }
    }
}

/// What a value of a yearly series is: the figure of the base year, a year's actual figure, or a target.
public enum SeriesKind: String, Codable, Sendable, Equatable, CaseIterable {
    case baseline, actual, target
}

/// A yearly series in long form: the fields naming each row's indicator, year and kind, and holding its value.
public struct SeriesShape: Codable, Sendable, Equatable {
    public var key: String
    public var year: String
    public var kind: String
    public var value: String

    public init(key: String, year: String = "year", kind: String = "kind", value: String = "value") {
        self.key = key
        self.year = year
        self.kind = kind
        self.value = value
    }

    enum CodingKeys: String, StrictCodingKeys { case key, year, kind, value }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        key = try c.decode(String.self, forKey: .key)
        year = try c.decodeIfPresent(String.self, forKey: .year) ?? "year"
        kind = try c.decodeIfPresent(String.self, forKey: .kind) ?? "kind"
        value = try c.decodeIfPresent(String.self, forKey: .value) ?? "value"
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
        case .bool(let b): return b ? "true" : "false"
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
