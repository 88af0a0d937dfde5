import TianshanModel

/// Computes a `Table` from a spec and the site's data sets: filter → group/pivot → computed columns → sort → limit → totals.
public enum TableBuilder {
    public typealias Record = [String: DataValue]

    /// Errors name the spec key at fault; the caller adds the file position.
    public struct SpecError: Error, Equatable {
        public var field: String
        public var message: String
        public var hint: String?
    }

    /// - Parameters:
    ///   - year: the year of the page the table is on (`year:`), which an `edition` table shows unless it names one.
    ///   - words: the theme's strings, for the labels the table makes (合计, 小计, Total …).
    public static func build(_ spec: TableSpec, id: String, dataSets: [String: DataSet], year: Int? = nil, words: ThemeStrings) -> Result<Table, SpecError> {
        guard let set = dataSets[spec.data] else {
            return .failure(SpecError(field: "data", message: "unknown data set '\(spec.data)'",
                                      hint: "data sets: \(dataSets.keys.sorted().joined(separator: ", "))"))
        }
        let known = Set(set.fields.map(\.name))
        func check(_ name: String, _ key: String) -> SpecError? {
            known.contains(name) ? nil : SpecError(field: key, message: "data set '\(set.name)' has no field '\(name)'",
                                                   hint: "fields: \(set.fields.map(\.name).joined(separator: ", "))")
        }
        for (field, _) in spec.filter { if let e = check(field, "filter") { return .failure(e) } }
        for field in spec.groupBy { if let e = check(field, "group_by") { return .failure(e) } }
        for aggregate in spec.aggregates { if let f = aggregate.field, let e = check(f, "aggregates") { return .failure(e) } }
        if let pivot = spec.pivot {
            for f in [pivot.rows, pivot.columns] { if let e = check(f, "pivot") { return .failure(e) } }
        }

        let notesAsFootnotes = set.field(named: DataRow.noteField) != nil && !(spec.columns ?? []).contains(DataRow.noteField)
        let filtered = set.rows.indices.filter { index in
            spec.filter.allSatisfy { field, value in value.accepted.contains(set.rows[index][field].text) }
        }
        var records: [Record] = filtered.map { index in
            let row = set.rows[index]
            var record = row.values
            record[rowKey] = .number(Double(index))
            for (field, note) in row.notes { record[noteKey(field)] = .string(note) }
            if notesAsFootnotes, let note = record[DataRow.noteField], !note.text.isEmpty { record[noteKey("")] = .string(note.text) }
            return record
        }

        // Only a table of single data rows can link them to their pages.
        let listsRows = spec.edition == nil && spec.pivot == nil && spec.groupBy.isEmpty && spec.aggregates.isEmpty
        if spec.link != nil {
            guard listsRows else {
                return .failure(SpecError(field: "link", message: "only a table of single rows can link them to their pages",
                                          hint: "remove 'link:' from a table that groups, pivots or sums up rows"))
            }
            guard set.pages != nil else {
                return .failure(SpecError(field: "link", message: "the rows of '\(set.name)' have no pages to link to",
                                          hint: "declare them with 'pages: {slug: <field>}' in the data file, or under 'row_pages:' in site.yaml"))
            }
        }
        var columns: [TableColumn]
        if let edition = spec.edition {
            guard let editionYear = edition.year ?? year else {
                return .failure(SpecError(field: "edition.year", message: "an edition table needs a year",
                                          hint: "give the page 'year: 2021' in its front matter, or the table 'edition: {year: 2021}'"))
            }
            switch EditionSeries.table(edition, year: editionYear, set: set, records: records, labels: spec.labels, words: words) {
            case .success(let result): (columns, records) = result
            case .failure(let error): return .failure(error)
            }
        } else if let pivot = spec.pivot {
            switch pivotTable(pivot, records: records, set: set, words: words) {
            case .success(let result): (columns, records) = result
            case .failure(let error): return .failure(error)
            }
        } else if spec.groupBy.isEmpty, !spec.aggregates.isEmpty {
            // Aggregates without grouping: one row that sums up the whole (filtered) data set.
            (columns, records) = grouped(records, by: [], aggregates: spec.aggregates, set: set, words: words)
            if records.isEmpty { records = [Dictionary(uniqueKeysWithValues: spec.aggregates.map { ($0.name, aggregateValue($0, [])) })] }
        } else if !spec.groupBy.isEmpty {
            let aggregates = spec.aggregates.isEmpty ? [AggregateSpec(op: .count)] : spec.aggregates
            (columns, records) = grouped(records, by: spec.groupBy, aggregates: aggregates, set: set, words: words)
        } else {
            columns = set.fields.filter { !notesAsFootnotes || $0.name != DataRow.noteField }.map { field in
                TableColumn(key: field.name, label: field.label, numeric: field.type == .number || field.type == .integer,
                            format: field.unit.map(NumberFormat.named) ?? NumberFormat(grouping: field.type == .number),
                            additive: field.type == .number)
            }
        }

        for computed in spec.computed {
            switch addComputed(computed, columns: &columns, records: &records, words: words) {
            case .success: break
            case .failure(let error): return .failure(error)
            }
        }

        let available = Dictionary(columns.map { ($0.key, $0) }, uniquingKeysWith: { a, _ in a })
        if let chosen = spec.columns {
            var picked: [TableColumn] = []
            for name in chosen {
                guard let column = available[name] else {
                    return .failure(SpecError(field: "columns", message: "no column '\(name)' in this table",
                                              hint: "columns: \(columns.map(\.key).joined(separator: ", "))"))
                }
                picked.append(column)
            }
            columns = picked
        }
        for key in spec.sort.map(\.field) where available[key] == nil {
            return .failure(SpecError(field: "sort", message: "cannot sort by '\(key)': no such column",
                                      hint: "columns: \(columns.map(\.key).joined(separator: ", "))"))
        }
        for index in columns.indices {
            if let format = spec.formats[columns[index].key] { columns[index].format = format }
            // An edition's labels were set with their years.
            if spec.edition == nil || !EditionSeries.names.contains(columns[index].key), let label = spec.labels[columns[index].key] {
                columns[index].label = label
            }
        }

        if !spec.sort.isEmpty {
            records = stableSorted(records, by: spec.sort)
        }
        if let limit = spec.limit, limit >= 0 { records = Array(records.prefix(limit)) }

        var rows = records.map { record in
            var row = TableRow(cells: columns.map { record[$0.key] ?? .null }, kind: .data)
            // The row's note goes on its first column, a cell's on its own (or the first, if it is not shown).
            if case .string(let note)? = record[noteKey("")] { row.notes[0] = note }
            for (index, column) in columns.enumerated() {
                guard case .string(let note)? = record[noteKey(column.key)] else { continue }
                row.notes[index] = row.notes[index].map { words("table.note_join", ["first": $0, "second": note]) } ?? note
            }
            for field in set.fields where columns.allSatisfy({ $0.key != field.name }) {
                guard case .string(let note)? = record[noteKey(field.name)] else { continue }
                row.notes[0] = row.notes[0].map { words("table.note_join", ["first": $0, "second": note]) } ?? note
            }
            if listsRows, let source = record[rowKey]?.number { row.source = Int(source) }
            return row
        }
        var linkColumn: Int?
        if let link = spec.link {
            guard let index = columns.firstIndex(where: { $0.key == link }) else {
                return .failure(SpecError(field: "link", message: "no column '\(link)' in this table to link",
                                          hint: Suggestion.closest(to: link, among: columns.map(\.key)).map { "did you mean '\($0)'?" }
                                              ?? "columns: \(columns.map(\.key).joined(separator: ", "))"))
            }
            linkColumn = index
        }
        if spec.subtotals, spec.groupBy.count >= 2, let first = columns.firstIndex(where: { $0.key == spec.groupBy[0] }) {
            rows = insertSubtotals(rows, keyColumn: first, columns: columns, spec: spec, words: words)
        }
        if spec.totals {
            rows.append(totalRow(rows.filter { $0.kind == .data }, columns: columns, spec: spec, label: words("table.total"), words: words))
        }
        var note = spec.note
        // A value still to be reported shows as "—", never as 0; the table says what the dash means.
        let dashed = columns.indices.filter { !columns[$0].missing.isEmpty }
        if let edition = spec.edition, rows.contains(where: { row in row.kind == .data && dashed.contains { row.cells[$0].isNull } }) {
            let legend = words("table.legend", ["missing": edition.missing ?? words("edition.missing")])
            note = note.map { words("table.note_join", ["first": $0, "second": legend]) } ?? legend
        }
        for index in columns.indices {
            (columns[index].yes, columns[index].no, columns[index].unitHeader) = (words("value.yes"), words("value.no"), words("table.unit_header"))
        }
        var table = Table(id: id, caption: spec.caption ?? set.title, source: set.source, note: note, columns: columns, rows: rows)
        table.words = words
        table.linkColumn = linkColumn
        table.sourceRows = listsRows ? rows.compactMap(\.source).sorted() : filtered
        return .success(table)
    }

    /// The key under which a record carries the index of its data set row.
    static let rowKey = "\u{1}row"

    /// The key under which a record carries a note through filtering, sorting and limiting: the row's note for
    /// "", a cell's for its field. Never a field name, since no YAML key a data file can declare starts with U+0001.
    static func noteKey(_ field: String) -> String { "\u{1}note:" + field }

    /// The sum of the values' numbers, exact in decimal, approximate when any of them is (`Qualifier.ofSum`).
    static func sum(_ values: [DataValue]) -> DataValue {
        let numbered = values.filter { $0.number != nil }
        let total = exactSum(numbered.map { $0.number! })
        return Qualifier.ofSum(numbered.map(\.qualifier)).map { .approximate(total, $0) } ?? .number(total)
    }

    /// A number computed from these inputs: approximate ("约") when any input is.
    static func derived(_ value: Double, from inputs: [DataValue]) -> DataValue {
        inputs.contains { $0.qualifier != nil } ? .approximate(value, Qualifier.named("约")!) : .number(value)
    }

    // MARK: Grouping

    static func grouped(_ records: [Record], by keys: [String], aggregates: [AggregateSpec], set: DataSet, words: ThemeStrings) -> ([TableColumn], [Record]) {
        var order: [[DataValue]] = []
        var groups: [[DataValue]: [Record]] = [:]
        for record in records {
            let key = keys.map { record[$0] ?? .null }
            if groups[key] == nil { order.append(key) }
            groups[key, default: []].append(record)
        }
        var columns = keys.map { key in
            let field = set.field(named: key)!
            return TableColumn(key: key, label: field.label, numeric: false, format: NumberFormat())
        }
        for aggregate in aggregates {
            let field = aggregate.field.flatMap(set.field(named:))
            let label = aggregate.label ?? defaultLabel(aggregate, field: field, words: words)
            let format: NumberFormat
            switch aggregate.op {
            case .count: format = NumberFormat(unit: nil, decimals: 0)
            case .mean: format = NumberFormat(unit: field?.unit, decimals: 2)
            default: format = field?.unit.map(NumberFormat.named) ?? NumberFormat()
            }
            columns.append(TableColumn(key: aggregate.name, label: label, numeric: true, format: format,
                                       additive: aggregate.op == .count || aggregate.op == .sum))
        }
        let result = order.map { key -> Record in
            var record: Record = [:]
            for (index, name) in keys.enumerated() { record[name] = key[index] }
            let members = groups[key]!
            for aggregate in aggregates { record[aggregate.name] = aggregateValue(aggregate, members) }
            return record
        }
        return (columns, result)
    }

    static func defaultLabel(_ aggregate: AggregateSpec, field: DataField?, words: ThemeStrings) -> String {
        let name = field?.label ?? ""
        switch aggregate.op {
        case .count: return words("table.count")
        case .sum: return name.isEmpty ? words("table.total") : name
        case .min: return words("table.min", ["name": name])
        case .max: return words("table.max", ["name": name])
        case .mean: return words("table.mean", ["name": name])
        }
    }

    static func aggregateValue(_ aggregate: AggregateSpec, _ records: [Record]) -> DataValue {
        if aggregate.op == .count { return .number(Double(records.count)) }
        let values = records.compactMap { $0[aggregate.field ?? ""] }.filter { $0.number != nil }
        guard !values.isEmpty else { return .null }
        switch aggregate.op {
        case .count: return .number(Double(records.count))
        case .sum: return sum(values)
        // The smallest or largest figure as the source gives it, qualifier and all.
        case .min: return values.min { $0.number! < $1.number! }!
        case .max: return values.max { $0.number! < $1.number! }!
        case .mean: return derived(exactSum(values.map { $0.number! }) / Double(values.count), from: values)
        }
    }

    /// Sums decimal figures without binary drift (47722.2 + … stays exactly representable to one decimal place).
    static func exactSum(_ numbers: [Double]) -> Double {
        var total = Decimal(0)
        for number in numbers { total += Decimal(string: NumberText.plain(number)) ?? Decimal(number) }
        return Double(total.description) ?? numbers.reduce(0, +)
    }

    // MARK: Pivot

    static func pivotTable(_ pivot: PivotSpec, records: [Record], set: DataSet, words: ThemeStrings) -> Result<([TableColumn], [Record]), SpecError> {
        let sumField: String?
        if pivot.value == "count" {
            sumField = nil
        } else if pivot.value.hasPrefix("sum:") {
            let field = String(pivot.value.dropFirst(4))
            guard set.field(named: field) != nil else {
                return .failure(SpecError(field: "pivot.value", message: "data set '\(set.name)' has no field '\(field)'"))
            }
            sumField = field
        } else {
            return .failure(SpecError(field: "pivot.value", message: "pivot value must be 'count' or 'sum:FIELD'"))
        }
        func ordered(_ field: String, preferred: [String]?) -> [String] {
            var seen: [String] = []
            for record in records {
                let value = record[field]?.text ?? ""
                if !seen.contains(value) { seen.append(value) }
            }
            guard let preferred else { return seen }
            return preferred.filter(seen.contains) + seen.filter { !preferred.contains($0) }
        }
        let rowValues = ordered(pivot.rows, preferred: pivot.rowOrder)
        let columnValues = ordered(pivot.columns, preferred: pivot.columnOrder)
        let unit = sumField.flatMap { set.field(named: $0)?.unit }
        let format = unit.map(NumberFormat.named) ?? NumberFormat(decimals: sumField == nil ? 0 : nil)
        var columns = [TableColumn(key: pivot.rows, label: set.field(named: pivot.rows)!.label, numeric: false, format: NumberFormat())]
        columns += columnValues.map { TableColumn(key: "\(pivot.columns)=\($0)", label: $0, numeric: true, format: format, additive: true) }
        columns.append(TableColumn(key: "row_total", label: words("table.total"), numeric: true, format: format, additive: true))
        var cells: [String: [String: [DataValue]]] = [:]
        for record in records {
            let r = record[pivot.rows]?.text ?? "", c = record[pivot.columns]?.text ?? ""
            let value = sumField.map { record[$0].flatMap { $0.number == nil ? nil : $0 } ?? .number(0) } ?? .number(1)
            cells[r, default: [:]][c, default: []].append(value)
        }
        let result = rowValues.map { r -> Record in
            var record: Record = [pivot.rows: .string(r)]
            var rowTotal: [DataValue] = []
            for c in columnValues {
                let values = cells[r]?[c] ?? []
                record["\(pivot.columns)=\(c)"] = sum(values)
                rowTotal += values
            }
            record["row_total"] = sum(rowTotal)
            return record
        }
        return .success((columns, result))
    }

    // MARK: Computed columns

    static func addComputed(_ spec: ComputedSpec, columns: inout [TableColumn], records: inout [Record], words: ThemeStrings) -> Result<Void, SpecError> {
        let keys = Set(columns.map(\.key))
        func need(_ name: String?, _ key: String) -> Result<String, SpecError> {
            guard let name else { return .failure(SpecError(field: "computed.\(spec.name)", message: "'\(spec.op.rawValue)' needs '\(key)'")) }
            guard keys.contains(name) else {
                return .failure(SpecError(field: "computed.\(spec.name)", message: "no column '\(name)' to compute from",
                                          hint: "columns: \(columns.map(\.key).joined(separator: ", "))"))
            }
            return .success(name)
        }
        switch spec.op {
        case .change, .growth, .ratio:
            let from: String, to: String
            switch (need(spec.from, "from"), need(spec.to, "to")) {
            case (.success(let f), .success(let t)): (from, to) = (f, t)
            case (.failure(let e), _), (_, .failure(let e)): return .failure(e)
            }
            let base = columns.first { $0.key == to }!.format
            for index in records.indices {
                guard let x = records[index][from], let y = records[index][to], let a = x.number, let b = y.number else {
                    records[index][spec.name] = .null
                    continue
                }
                switch spec.op {
                case .change: records[index][spec.name] = derived(exactSum([b, -a]), from: [x, y])
                case .growth: records[index][spec.name] = a == 0 ? .null : derived((b - a) / a * 100, from: [x, y])
                default: records[index][spec.name] = a == 0 ? .null : derived(b / a, from: [x, y])
                }
            }
            let label = spec.label ?? words("table.\(spec.op.rawValue)")
            let format: NumberFormat
            switch spec.op {
            case .change: format = NumberFormat(unit: nil, decimals: base.decimals, divide: base.divide)
            case .growth: format = .percentage
            default: format = NumberFormat(decimals: 2)
            }
            columns.append(TableColumn(key: spec.name, label: label, numeric: true, format: format, additive: spec.op == .change))
        case .share:
            let of: String
            switch need(spec.of, "of") {
            case .success(let o): of = o
            case .failure(let e): return .failure(e)
            }
            let column = records.compactMap { $0[of] }.filter { $0.number != nil }
            let total = exactSum(column.map { $0.number! })
            for index in records.indices {
                guard let value = records[index][of], let number = value.number else {
                    records[index][spec.name] = .null
                    continue
                }
                records[index][spec.name] = total == 0 ? .null : derived(number / total * 100, from: column)
            }
            columns.append(TableColumn(key: spec.name, label: spec.label ?? words("table.share"), numeric: true, format: .percentage, additive: true))
        }
        return .success(())
    }

    // MARK: Sorting and totals

    static func stableSorted(_ records: [Record], by keys: [SortKey]) -> [Record] {
        records.enumerated().sorted { lhs, rhs in
            for key in keys {
                let a = lhs.element[key.field] ?? .null, b = rhs.element[key.field] ?? .null
                if a == b { continue }
                return key.descending ? DataValue.ascending(b, a) : DataValue.ascending(a, b)
            }
            return lhs.offset < rhs.offset
        }.map(\.element)
    }

    static func insertSubtotals(_ rows: [TableRow], keyColumn: Int, columns: [TableColumn], spec: TableSpec, words: ThemeStrings) -> [TableRow] {
        var result: [TableRow] = []
        var run: [TableRow] = []
        func flush() {
            guard let first = run.first else { return }
            result += run
            result.append(totalRow(run, columns: columns, spec: spec, label: words("table.subtotal", ["name": first.cells[keyColumn].text]), kind: .subtotal, words: words))
            run = []
        }
        for row in rows {
            if let last = run.last, last.cells[keyColumn] != row.cells[keyColumn] { flush() }
            run.append(row)
        }
        flush()
        return result
    }

    /// Sums additive columns; growth is recomputed from the summed inputs; other columns are left blank.
    static func totalRow(_ rows: [TableRow], columns: [TableColumn], spec: TableSpec, label: String, kind: TableRow.Kind = .total, words: ThemeStrings) -> TableRow {
        var totals: [String: DataValue] = [:]
        var notes: [Int: String] = [:]
        var incomplete = Set<String>()
        for (index, column) in columns.enumerated() where column.numeric && column.additive {
            let values = rows.map { $0.cells[index] }.filter { $0.number != nil }
            totals[column.key] = values.isEmpty ? .null : sum(values)
            // A total over rows some of which have no value says so, rather than pass for the whole.
            let absent = rows.count - values.count
            if absent > 0 { incomplete.insert(column.key) }
            if absent > 0, !values.isEmpty {
                let missing = spec.edition.map { $0.missing ?? words("edition.missing") } ?? words("table.absent_default")
                notes[index] = words("table.absent", ["n": String(absent), "missing": missing])
            }
        }
        if spec.edition != nil {
            EditionSeries.rates(&totals, incomplete: incomplete)
        }
        for computed in spec.computed where computed.op == .growth {
            if let x = totals[computed.from ?? ""], let y = totals[computed.to ?? ""], let a = x.number, let b = y.number, a != 0 {
                totals[computed.name] = derived((b - a) / a * 100, from: [x, y])
            }
        }
        var cells = columns.map { totals[$0.key] ?? .null }
        if let labelIndex = columns.firstIndex(where: { !$0.numeric }) { cells[labelIndex] = .string(label) }
        var row = TableRow(cells: cells, kind: kind)
        row.notes = notes
        return row
    }
}

import Foundation
