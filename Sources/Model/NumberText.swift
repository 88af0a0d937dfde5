import Foundation

/// Number and date formatting shared by tables, templates and summaries (no locale lookups: builds are reproducible).
public enum NumberText {
    /// Shortest exact text: 47722.2 stays "47722.2", 35.0 becomes "35".
    public static func plain(_ value: Double) -> String {
        if value.isNaN || value.isInfinite { return "—" }
        if value == value.rounded(), abs(value) < 1e15 { return String(Int64(value)) }
        var text = String(value)
        if text.containsByte(UInt8(ascii: "e")) { text = String(format: "%.6f", value) }
        return text
    }

    /// Fixed decimals with thousands separators: 3786980.2 → "3,786,980.2".
    public static func grouped(_ value: Double, decimals: Int?) -> String {
        if value.isNaN || value.isInfinite { return "—" }
        let body: String
        if let decimals {
            body = String(format: "%.\(decimals)f", value)
        } else {
            body = plain(value)
        }
        let negative = body.hasPrefix("-")
        let unsigned = negative ? String(body.dropFirst()) : body
        let parts = unsigned.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false)
        let integer = Array(parts[0])
        var grouped = ""
        for (index, ch) in integer.enumerated() {
            if index > 0, (integer.count - index) % 3 == 0 { grouped.append(",") }
            grouped.append(ch)
        }
        if parts.count > 1 { grouped += "." + parts[1] }
        return (negative ? "-" : "") + grouped
    }
}

/// Dates as the site shows them.
public enum DateText {
    /// Year, month and day of `date` in UTC (dates are read in UTC), by the proleptic Gregorian calendar:
    /// arithmetic on the day number (H. Hinnant's `civil_from_days`) rather than `Calendar`, which every
    /// listing view of every page asks.
    public static func civil(_ date: Date) -> (year: Int, month: Int, day: Int) {
        let seconds = Int((date.timeIntervalSince1970).rounded(.down))
        let days = seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let shifted = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * shifted + 2) / 5 + 1
        let month = shifted < 10 ? shifted + 3 : shifted - 9
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }

    /// 2021-03-04
    public static func iso(_ date: Date) -> String {
        let c = civil(date)
        return padded(c.year, 4) + "-" + padded(c.month, 2) + "-" + padded(c.day, 2)
    }

    /// 2021年3月4日
    public static func chinese(_ date: Date) -> String {
        let c = civil(date)
        return "\(c.year)年\(c.month)月\(c.day)日"
    }

    public static func year(_ date: Date) -> Int { civil(date).year }

    private static func padded(_ value: Int, _ width: Int) -> String {
        let digits = String(abs(value))
        return (value < 0 ? "-" : "") + String(repeating: "0", count: max(0, width - digits.count)) + digits
    }
}
