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
    private static let calendar: Calendar = {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        return calendar
    }()

    /// 2021-03-04
    public static func iso(_ date: Date) -> String {
        let c = calendar.dateComponents([.year, .month, .day], from: date)
        return String(format: "%04d-%02d-%02d", c.year ?? 0, c.month ?? 0, c.day ?? 0)
    }

    /// 2021年3月4日
    public static func chinese(_ date: Date) -> String {
        let c = calendar.dateComponents([.year, .month, .day], from: date)
        return "\(c.year ?? 0)年\(c.month ?? 0)月\(c.day ?? 0)日"
    }

    public static func year(_ date: Date) -> Int {
        calendar.component(.year, from: date)
    }
}
