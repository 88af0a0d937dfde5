import TianshanModel

/// The lines a build prints, the same for `build`, `build --watch` and `serve`.
public enum ReportText {
    /// A one-off build: "tianshan: 41 pages written, 8 data files read, 2 files copied, 46 ms → Output/".
    public static func built(_ report: BuildReport, output: String) -> String {
        if report.upToDate {
            return "tianshan: up to date, nothing changed since the last build (\(milliseconds(report)) ms) → \(output)/"
        }
        return "tianshan: \(report.pagesWritten) pages written, \(report.dataFiles) data files read, "
            + "\(report.filesCopied) files copied, \(milliseconds(report)) ms → \(output)/"
    }

    /// A build in a long-running process: "tianshan: rebuilt (a.md changed): 41 pages in 12 ms (…)".
    public static func rebuilt(_ report: BuildReport, what: String) -> String {
        let c = report.counts
        return "tianshan: \(what): \(report.pagesWritten) pages in \(milliseconds(report)) ms "
            + "(\(c.markdownRendered) Markdown and \(c.pagesRendered) pages rendered, \(c.filesWritten) files written)"
    }

    /// How much work the build did (`--verbose`).
    public static func work(_ report: BuildReport) -> String {
        let c = report.counts
        return "  work: \(c.filesRead) files read, \(c.markdownRendered) Markdown rendered, \(c.pagesRendered) pages rendered, "
            + "\(c.filesWritten) files written, \(c.filesRemoved) removed, \(c.outputsChecked) outputs checked, \(c.pdfsPrinted) PDFs printed"
    }

    /// One line per phase, or all phases on one line (`compact`) for long-running processes.
    public static func phases(_ report: BuildReport, compact: Bool = false) -> [String] {
        if compact {
            return ["  " + report.phases.map { "\($0.name) \(format($0.milliseconds)) ms" }.joined(separator: ", ")]
        }
        return report.phases.map { phase in
            let padded = phase.name.count >= 10 ? phase.name : phase.name + String(repeating: " ", count: 10 - phase.name.count)
            let number = format(phase.milliseconds)
            return "  " + padded + String(repeating: " ", count: max(0, 8 - number.count)) + number + " ms"
        }
    }

    /// Every problem, then one line saying what became of the output.
    public static func failed(_ diagnostics: [Diagnostic], outcome: String) -> [String] {
        let count = diagnostics.errors.count
        return diagnostics.map(\.description) + ["tianshan: build failed with \(count) error\(count == 1 ? "" : "s"); \(outcome)"]
    }

    static func milliseconds(_ report: BuildReport) -> Int { Int(report.totalMilliseconds.rounded()) }

    static func format(_ value: Double) -> String {
        let tenths = Int((value * 10).rounded())
        return "\(tenths / 10).\(tenths % 10)"
    }
}
