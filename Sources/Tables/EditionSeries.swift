import TianshanModel

/// One edition's view of a yearly series: for each indicator, its baseline, target and actual value as of the
/// edition's year, and what follows from them. Only actual and baseline values of that year or earlier are
/// read, so adding next year's figures leaves a published edition as it was; targets are plans, known ahead.
enum EditionSeries {
    typealias Record = TableBuilder.Record

    /// The columns an edition table adds, by name.
    static let names = ["baseline", "target", "actual", "previous", "completion", "progress", "yoy"]


    /// An indicator: its descriptive fields, and its values by kind and year.
    struct Indicator {
        var record: Record
        var values: [SeriesKind: [Int: DataValue]] = [:]

        /// The value of `kind` for `year`.
        func value(_ kind: SeriesKind, _ year: Int) -> DataValue? {
            values[kind]?[year].flatMap { $0.number == nil ? nil : $0 }
        }

        /// The value of `kind` whose year is the latest not after `year`.
        func latest(_ kind: SeriesKind, upTo year: Int) -> (year: Int, value: DataValue)? {
            (values[kind] ?? [:]).filter { $0.key <= year && $0.value.number != nil }.max { $0.key < $1.key }.map { ($0.key, $0.value) }
        }

        /// The target for `year`: the first one set for that year or later, else the last one set.
        func target(for year: Int) -> (year: Int, value: DataValue)? {
            let targets = (values[.target] ?? [:]).filter { $0.value.number != nil }
            let ahead = targets.filter { $0.key >= year }.min { $0.key < $1.key }
            return (ahead ?? targets.max { $0.key < $1.key }).map { ($0.key, $0.value) }
        }
    }

    /// The series columns of a data set in wide form, and the fields that describe an indicator.
    static func indicators(_ set: DataSet, records: [Record]) -> Result<(descriptive: [DataField], indicators: [Indicator]), TableBuilder.SpecError> {
        if let shape = set.series {
            let descriptive = set.fields.filter { ![shape.year, shape.kind, shape.value].contains($0.name) }
            var order: [DataValue] = []
            var byKey: [DataValue: Indicator] = [:]
            for record in records {
                let key = record[shape.key] ?? .null
                if byKey[key] == nil {
                    order.append(key)
                    var described = record
                    for name in [shape.year, shape.kind, shape.value] { described[name] = nil }
                    byKey[key] = Indicator(record: described)
                }
                guard let kind = SeriesKind(rawValue: record[shape.kind]?.text ?? ""), let year = record[shape.year]?.number else { continue }
                byKey[key]!.values[kind, default: [:]][Int(year)] = record[shape.value] ?? .null
            }
            return .success((descriptive, order.map { byKey[$0]! }))
        }
        let series = set.fields.filter { $0.kind != nil }
        guard !series.isEmpty else {
            return .failure(TableBuilder.SpecError(
                field: "edition", message: "data set '\(set.name)' holds no yearly series",
                hint: "give its value columns 'kind:' (baseline, actual, target) and 'year:', or declare 'series: {key: …}' for rows of one value each"))
        }
        let descriptive = set.fields.filter { $0.kind == nil }
        let indicators = records.map { record in
            var indicator = Indicator(record: record)
            for field in series { indicator.values[field.kind!, default: [:]][field.year!] = record[field.name] ?? .null }
            return indicator
        }
        return .success((descriptive, indicators))
    }

    /// The edition's columns and rows: the descriptive fields, then the values as of `year` and the rates.
    static func table(_ spec: EditionSpec, year: Int, set: DataSet, records: [Record], labels custom: [String: String], words: ThemeStrings) -> Result<([TableColumn], [Record]), TableBuilder.SpecError> {
        let found: (descriptive: [DataField], indicators: [Indicator])
        switch indicators(set, records: records) {
        case .success(let result): found = result
        case .failure(let error): return .failure(error)
        }
        if let flag = spec.lowerIsBetter, set.field(named: flag) == nil {
            return .failure(TableBuilder.SpecError(field: "edition.lower_is_better", message: "data set '\(set.name)' has no field '\(flag)'",
                                                   hint: "fields: \(set.fields.map(\.name).joined(separator: ", "))"))
        }
        var baselineYears = Set<Int>(), targetYears = Set<Int>()
        let rows = found.indicators.map { indicator -> Record in
            var record = indicator.record
            let baseline = indicator.latest(.baseline, upTo: year)
            let target = indicator.target(for: year)
            let actual = indicator.value(.actual, year)
            let previous = indicator.value(.actual, year - 1) ?? indicator.value(.baseline, year - 1)
            let lowerIsBetter = spec.lowerIsBetter.map { isYes(record[$0] ?? .null) } ?? false
            if let baseline { baselineYears.insert(baseline.year) }
            if let target { targetYears.insert(target.year) }
            record["baseline"] = baseline?.value ?? .null
            record["target"] = target?.value ?? .null
            record["actual"] = actual ?? .null
            record["previous"] = previous ?? .null
            record["completion"] = completion(actual: actual, target: target?.value, lowerIsBetter: lowerIsBetter)
            record["progress"] = progress(actual: actual, baseline: baseline?.value, target: target?.value)
            record["yoy"] = change(from: previous, to: actual)
            return record
        }
        var columns = found.descriptive.filter { $0.name != DataRow.noteField }.map { field in
            TableColumn(key: field.name, label: field.label, numeric: field.type == .number || field.type == .integer,
                        format: field.unit.map(NumberFormat.named) ?? NumberFormat(grouping: field.type == .number))
        }
        func label(_ name: String, year: Int?) -> String {
            // The theme's label, `{year}` the year of the column's values (edition.baseline: "{year}年基数").
            let text = custom[name] ?? words("edition.\(name)")
            guard text.contains("{year}") else { return text }
            // Without one year for the whole column ("2020年基数"), the label names the kind only.
            return year.map { text.replacingOccurrences(of: "{year}", with: String($0)) }
                ?? text.replacingOccurrences(of: "{year}年", with: "").replacingOccurrences(of: "{year}", with: "").trimmingCharacters(in: .whitespaces)
        }
        let common = { (years: Set<Int>) in years.count == 1 ? years.first : nil }
        for (name, columnYear) in [("baseline", common(baselineYears)), ("target", common(targetYears)), ("actual", year), ("previous", year - 1)] {
            var column = TableColumn(key: name, label: label(name, year: columnYear), numeric: true, format: NumberFormat(), additive: true)
            column.missing = "—"
            columns.append(column)
        }
        for name in ["completion", "progress", "yoy"] {
            var column = TableColumn(key: name, label: label(name, year: year), numeric: true, format: .percentage)
            column.missing = "—"
            columns.append(column)
        }
        return .success((columns, rows))
    }

    /// Recomputes the rates of a total row from its summed values, as a growth column is; a rate over a sum
    /// that misses some rows' values is left out, since it would pass for the whole.
    static func rates(_ totals: inout [String: DataValue], incomplete: Set<String>) {
        let summed = totals
        func whole(_ name: String) -> DataValue? { incomplete.contains(name) ? nil : summed[name].flatMap { $0.number == nil ? nil : $0 } }
        let actual = whole("actual")
        totals["completion"] = completion(actual: actual, target: whole("target"), lowerIsBetter: false)
        totals["progress"] = progress(actual: actual, baseline: whole("baseline"), target: whole("target"))
        totals["yoy"] = change(from: whole("previous"), to: actual)
    }

    /// Actual ÷ target, in percent; target ÷ actual where a smaller value is better.
    static func completion(actual: DataValue?, target: DataValue?, lowerIsBetter: Bool) -> DataValue {
        guard let actual, let target, let a = actual.number, let t = target.number else { return .null }
        let (numerator, denominator) = lowerIsBetter ? (t, a) : (a, t)
        return denominator == 0 ? .null : TableBuilder.derived(numerator / denominator * 100, from: [actual, target])
    }

    /// (actual − baseline) ÷ (target − baseline), in percent: how much of the planned change is done. Also right
    /// where a smaller value is better: both differences are then negative.
    static func progress(actual: DataValue?, baseline: DataValue?, target: DataValue?) -> DataValue {
        guard let actual, let baseline, let target, let a = actual.number, let b = baseline.number, let t = target.number, t != b else { return .null }
        return TableBuilder.derived(TableBuilder.exactSum([a, -b]) / TableBuilder.exactSum([t, -b]) * 100, from: [actual, baseline, target])
    }

    /// (to − from) ÷ from, in percent.
    static func change(from: DataValue?, to: DataValue?) -> DataValue {
        guard let from, let to, let a = from.number, let b = to.number, a != 0 else { return .null }
        return TableBuilder.derived(TableBuilder.exactSum([b, -a]) / a * 100, from: [from, to])
    }

    static func isYes(_ value: DataValue) -> Bool {
        switch value {
        case .bool(let flag): return flag
        case .number(let n): return n != 0
        default: return ["是", "yes", "true", "y", "1"].contains(value.text.lowercased())
        }
    }
}

import Foundation
