import TianshanModel

/// A computed table, ready to be written as HTML, CSV, JSON or drawn as a chart.
public struct Table: Sendable, Equatable {
    public var id: String
    public var caption: String?
    /// The number a report gives it ("表2"), shown before the caption.
    public var label: String?
    public var source: String?
    public var note: String?
    public var columns: [TableColumn]
    public var rows: [TableRow]
    /// The column whose cells link to their row's page (`TableRow.link`), if any.
    public var linkColumn: Int?
    /// The rows of the data set the table shows or counts, by index, in data set order.
    public var sourceRows: [Int] = []
    /// The theme's strings, for the words the table's HTML and chart show around it (资料来源, Source …).
    public var words = ThemeStrings()

    public init(id: String, caption: String?, source: String?, note: String?, columns: [TableColumn], rows: [TableRow]) {
        self.id = id
        self.caption = caption
        self.source = source
        self.note = note
        self.columns = columns
        self.rows = rows
    }

    public var dataRows: [TableRow] { rows.filter { $0.kind == .data } }

    /// The label and caption as one line ("表2 双创发展主要指标"), for names of the table.
    public var title: String? {
        switch (label, caption) {
        case let (label?, caption?): return label + " " + caption
        case let (label, caption): return label ?? caption
        }
    }

    /// The label and caption as caption HTML, the label in its own span for styling.
    public var captionHTML: String? {
        guard label != nil || caption != nil else { return nil }
        let labelHTML = label.map { "<span class=\"caption-label\">\(HTMLText.escape($0))</span>" } ?? ""
        return labelHTML + (label != nil && caption != nil ? " " : "") + HTMLText.escape(caption ?? "")
    }
}

/// A column: key, header label, and how its numbers are shown.
public struct TableColumn: Sendable, Equatable {
    public var key: String
    public var label: String
    public var numeric: Bool
    public var format: NumberFormat
    /// Whether totals add this column up (amounts and counts do; years, serial numbers, rates and means do not).
    public var additive: Bool
    /// What a cell without a value shows ("—" where a value is still to be reported); "" by default.
    public var missing: String = ""
    /// How a yes/no value reads, and how a header names its unit (`{label}（{unit}）`), from the theme's strings.
    public var yes = "true", no = "false", unitHeader = "{label} ({unit})"

    public init(key: String, label: String, numeric: Bool, format: NumberFormat, additive: Bool = false) {
        self.key = key
        self.label = label
        self.numeric = numeric
        self.format = format
        self.additive = additive
    }

    /// "总投资（万元）": the unit goes in the header so cells hold bare numbers.
    public var header: String {
        guard numeric, let unit = format.unit, !label.contains(unit) else { return label }
        return unitHeader.replacingOccurrences(of: "{label}", with: label).replacingOccurrences(of: "{unit}", with: unit)
    }

    /// The number with its qualifier and unit, for chart labels ("2,000余 家"); nil without a number.
    public func textWithUnit(_ value: DataValue) -> String? {
        guard let n = value.number else { return nil }
        let text = format.textWithUnit(n)
        guard let qualifier = value.qualifier else { return text }
        // The qualifier goes with the number, before the unit: 2,000余 家, 近120 家.
        let number = format.text(n)
        return qualifier.apply(to: number) + text.dropFirst(number.count)
    }

    public func text(_ value: DataValue) -> String {
        if value.isNull { return missing }
        if case .bool(let flag) = value { return flag ? yes : no }
        guard numeric, let n = value.number else { return value.text }
        return value.qualifier.map { $0.apply(to: format.text(n)) } ?? format.text(n)
    }
}

/// A row of cells in column order; subtotal and total rows are marked so they can be styled and skipped.
public struct TableRow: Sendable, Equatable {
    public enum Kind: String, Sendable { case data, subtotal, total }
    public var cells: [DataValue]
    public var kind: Kind
    /// Notes on the row (at its first column) or on single cells, by column index: footnotes under the table.
    public var notes: [Int: String] = [:]
    /// For a table of data rows: the index of the data set row this row shows.
    public var source: Int?
    /// The URL of the page of the data row this row shows, which the link column links to.
    public var link: String?
}
