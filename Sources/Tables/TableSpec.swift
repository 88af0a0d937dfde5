import TianshanModel

/// A summary table (or chart) described by data: the same spec in a ```table block, a ```chart block or front matter.
public struct TableSpec: Decodable, Sendable, Equatable {
    /// Names the CSV/JSON downloads ("projects-by-nature.csv"); defaults to the block's position.
    public var id: String?
    /// The data set (file name under Content/data/ without extension).
    public var data: String
    public var caption: String?
    /// Keep rows whose field equals the value, or one of the values of a list.
    public var filter: [String: FilterValue]
    /// Fields to show, in order (data fields, aggregate names or computed names).
    public var columns: [String]?
    public var groupBy: [String]
    public var aggregates: [AggregateSpec]
    public var computed: [ComputedSpec]
    public var pivot: PivotSpec?
    /// A yearly series as one edition of a report shows it: baseline, target and actual values as of a year,
    /// with completion rate, target progress and year-on-year change.
    public var edition: EditionSpec?
    public var sort: [SortKey]
    public var limit: Int?
    public var totals: Bool
    public var subtotals: Bool
    public var formats: [String: NumberFormat]
    public var labels: [String: String]
    public var note: String?
    /// The column whose cells link to their row's page (`link: name`), for a data set whose rows have pages.
    public var link: String?
    /// Chart only: bar, grouped-bar or share.
    public var type: ChartKind?
    /// Chart only: the column that names the bars (default: the first column).
    public var x: String?
    /// Chart only: the value columns (default: the first numeric column; grouped bars take several).
    public var y: [String]
    /// Chart only: "shared" (one axis) or "row" (each group scaled to its own largest value).
    public var scale: String?

    enum CodingKeys: String, StrictCodingKeys {
        case id, data, caption, filter, columns, groupBy = "group_by", aggregates, computed, pivot, edition, sort, limit, totals,
             subtotals, formats, labels, note, link, type, x, y, scale, value
    }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        id = try c.decodeIfPresent(String.self, forKey: .id)
        data = try c.decode(String.self, forKey: .data)
        caption = try c.decodeIfPresent(String.self, forKey: .caption)
        filter = try c.decodeIfPresent([String: FilterValue].self, forKey: .filter) ?? [:]
        columns = try c.decodeIfPresent(OneOrMany<String>.self, forKey: .columns)?.values
        groupBy = try c.decodeIfPresent(OneOrMany<String>.self, forKey: .groupBy)?.values ?? []
        aggregates = try c.decodeIfPresent([AggregateSpec].self, forKey: .aggregates) ?? []
        // `value: {sum: investment}` is shorthand for one aggregate.
        if let value = try c.decodeIfPresent([String: String].self, forKey: .value), let (op, field) = value.first {
            guard let kind = AggregateSpec.Op(rawValue: op) else {
                throw DecodingError.dataCorruptedError(forKey: .value, in: c, debugDescription: "unknown aggregate '\(op)' (count, sum, min, max, mean)")
            }
            aggregates.append(AggregateSpec(op: kind, field: field))
        }
        computed = try c.decodeIfPresent([ComputedSpec].self, forKey: .computed) ?? []
        pivot = try c.decodeIfPresent(PivotSpec.self, forKey: .pivot)
        edition = try c.decodeIfPresent(EditionSpec.self, forKey: .edition)
        sort = try c.decodeIfPresent(OneOrMany<String>.self, forKey: .sort)?.values.map(SortKey.init) ?? []
        limit = try c.decodeIfPresent(Int.self, forKey: .limit)
        totals = try c.decodeIfPresent(Bool.self, forKey: .totals) ?? false
        subtotals = try c.decodeIfPresent(Bool.self, forKey: .subtotals) ?? false
        formats = try c.decodeIfPresent([String: NumberFormat].self, forKey: .formats) ?? [:]
        labels = try c.decodeIfPresent([String: String].self, forKey: .labels) ?? [:]
        note = try c.decodeIfPresent(String.self, forKey: .note)
        link = try c.decodeIfPresent(String.self, forKey: .link)
        type = try c.decodeIfPresent(ChartKind.self, forKey: .type)
        x = try c.decodeIfPresent(String.self, forKey: .x)
        y = try c.decodeIfPresent(OneOrMany<String>.self, forKey: .y)?.values ?? []
        scale = try c.decodeIfPresent(String.self, forKey: .scale)
    }
}

/// Chart kinds.
public enum ChartKind: String, Decodable, Sendable, Equatable {
    case bar
    case groupedBar = "grouped-bar"
    case share
}

/// One aggregate column of a grouped table.
public struct AggregateSpec: Decodable, Sendable, Equatable {
    public enum Op: String, Decodable, Sendable, Equatable { case count, sum, min, max, mean }
    public var op: Op
    public var field: String?
    public var name: String
    public var label: String?

    public init(op: Op, field: String? = nil, name: String? = nil, label: String? = nil) {
        self.op = op
        self.field = field
        self.name = name ?? (field.map { "\(op.rawValue)_\($0)" } ?? op.rawValue)
        self.label = label
    }

    enum CodingKeys: String, StrictCodingKeys { case op, field, name, label }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let op = try c.decode(Op.self, forKey: .op)
        let field = try c.decodeIfPresent(String.self, forKey: .field)
        if op != .count, field == nil {
            throw DecodingError.keyNotFound(CodingKeys.field, .init(codingPath: c.codingPath, debugDescription: "\(op.rawValue) needs a field"))
        }
        self.init(op: op, field: field, name: try c.decodeIfPresent(String.self, forKey: .name), label: try c.decodeIfPresent(String.self, forKey: .label))
    }
}

/// A column computed from others in the same row (or from the whole column, for shares).
public struct ComputedSpec: Decodable, Sendable, Equatable {
    public enum Op: String, Decodable, Sendable, Equatable {
        /// to − from
        case change
        /// (to − from) / from, in percent
        case growth
        /// this row's `of` as a percent of the column total
        case share
        /// to / from
        case ratio
    }
    public var name: String
    public var op: Op
    public var from: String?
    public var to: String?
    public var of: String?
    public var label: String?

    enum CodingKeys: String, StrictCodingKeys { case name, op, from, to, of, label }
}

/// A cross table: one row per value of `rows`, one column per value of `columns`, cells counted or summed.
public struct PivotSpec: Decodable, Sendable, Equatable {
    public var rows: String
    public var columns: String
    /// "count" or "sum:field".
    public var value: String
    /// Column order; values not listed follow in first-seen order.
    public var columnOrder: [String]?
    public var rowOrder: [String]?

    enum CodingKeys: String, StrictCodingKeys { case rows, columns, value, columnOrder = "column_order", rowOrder = "row_order" }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        rows = try c.decode(String.self, forKey: .rows)
        columns = try c.decode(String.self, forKey: .columns)
        value = try c.decodeIfPresent(String.self, forKey: .value) ?? "count"
        columnOrder = try c.decodeIfPresent([String].self, forKey: .columnOrder)
        rowOrder = try c.decodeIfPresent([String].self, forKey: .rowOrder)
    }
}

/// How a table shows a yearly series for one edition (`edition: {year: 2022}`, or `edition: true` for the
/// year of the page).
public struct EditionSpec: Decodable, Sendable, Equatable {
    /// The year the edition reports on; the page's `year:` when not given.
    public var year: Int?
    /// A yes/no field marking indicators for which a smaller value is better (its completion rate is target ÷ actual).
    public var lowerIsBetter: String?
    /// What a missing value is called in the table's note; the theme's `edition.missing` when not given.
    public var missing: String?

    public init(year: Int? = nil, lowerIsBetter: String? = nil, missing: String? = nil) {
        self.year = year
        self.lowerIsBetter = lowerIsBetter
        self.missing = missing
    }

    enum CodingKeys: String, StrictCodingKeys { case year, lowerIsBetter = "lower_is_better", missing }

    public init(from decoder: Decoder) throws {
        if let flag = try? decoder.singleValueContainer().decode(Bool.self), flag {
            self.init()
            return
        }
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(year: try c.decodeIfPresent(Int.self, forKey: .year),
                  lowerIsBetter: try c.decodeIfPresent(String.self, forKey: .lowerIsBetter),
                  missing: try c.decodeIfPresent(String.self, forKey: .missing))
    }
}

/// "investment" sorts ascending, "-investment" descending.
public struct SortKey: Sendable, Equatable {
    public var field: String
    public var descending: Bool
    public init(_ text: String) {
        descending = text.hasPrefix("-")
        field = descending ? String(text.dropFirst()) : text
    }
}

/// A filter's accepted values.
public struct FilterValue: Decodable, Sendable, Equatable {
    public var accepted: [String]
    public init(from decoder: Decoder) throws {
        accepted = try OneOrMany<YAMLValue>(from: decoder).values.map(\.text)
    }
}

/// How numbers of a column are shown: unit, decimals, scaling ("亿元" from 万元 data).
public struct NumberFormat: Decodable, Sendable, Equatable {
    public var unit: String?
    public var decimals: Int?
    /// Values are divided by this before display (10000 turns 万元 into 亿元).
    public var divide: Double
    public var percent: Bool
    public var grouping: Bool

    public init(unit: String? = nil, decimals: Int? = nil, divide: Double = 1, percent: Bool = false, grouping: Bool = true) {
        self.unit = unit
        self.decimals = decimals
        self.divide = divide
        self.percent = percent
        self.grouping = grouping
    }

    public static let percentage = NumberFormat(unit: "%", decimals: 1, percent: true)

    /// Shorthands: "万元", "亿元" (from 万元 values), "%", or any unit such as "家".
    public static func named(_ name: String) -> NumberFormat {
        switch name {
        case "%": return .percentage
        case "亿元": return NumberFormat(unit: "亿元", decimals: 2, divide: 10000)
        default: return NumberFormat(unit: name)
        }
    }

    enum CodingKeys: String, StrictCodingKeys { case unit, decimals, divide, percent, grouping }

    public init(from decoder: Decoder) throws {
        if let name = try? decoder.singleValueContainer().decode(String.self) {
            self = .named(name)
            return
        }
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let unit = try c.decodeIfPresent(String.self, forKey: .unit)
        var base = unit.map(NumberFormat.named) ?? NumberFormat()
        if let decimals = try c.decodeIfPresent(Int.self, forKey: .decimals) { base.decimals = decimals }
        if let divide = try c.decodeIfPresent(Double.self, forKey: .divide) { base.divide = divide }
        if let percent = try c.decodeIfPresent(Bool.self, forKey: .percent) { base.percent = percent }
        if let grouping = try c.decodeIfPresent(Bool.self, forKey: .grouping) { base.grouping = grouping }
        self = base
    }

    /// The value in the display unit, divided in decimal so 3786980.2 / 10000 is exactly 378.69802.
    public func scaled(_ value: Double) -> Double {
        guard divide != 1, let decimal = Decimal(string: NumberText.plain(value)) else { return value / divide }
        // Through text: NSDecimalNumber.doubleValue is off in the last digit on Linux.
        return Double((decimal / Decimal(divide)).description) ?? value / divide
    }

    /// The number as shown in a cell, without the unit (units go in the header).
    public func text(_ value: Double) -> String {
        let scaled = scaled(value)
        return grouping ? NumberText.grouped(scaled, decimals: decimals) : (decimals.map { String(format: "%.\($0)f", scaled) } ?? NumberText.plain(scaled))
    }

    /// The number with its unit, for chart labels and summaries.
    public func textWithUnit(_ value: Double) -> String {
        guard let unit else { return text(value) }
        return percent ? text(value) + unit : text(value) + " " + unit
    }
}

/// Accepts `key: a` as well as `key: [a, b]`.
struct OneOrMany<T: Decodable>: Decodable {
    var values: [T]
    init(from decoder: Decoder) throws {
        if let list = try? [T](from: decoder) {
            values = list
        } else {
            values = [try T(from: decoder)]
        }
    }
}

import Foundation
