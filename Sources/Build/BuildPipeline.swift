import Foundation
import TianshanLoad
import TianshanModel
import TianshanWrite

/// The command line's entry to the build: one `BuildSession` started from the state the last run committed
/// beside the output, so a run after a small edit does as little as a watcher's rebuild.
public enum BuildPipeline {
    /// The partial rendered once per page for listings (`{{{summaryHTML}}}`), when the theme has one.
    static let summaryView = "partials.summary"

    /// A one-off build (`tianshan build`, or `tianshan check` with `dryRun`).
    /// - Parameter processEndsAfter: the caller exits right after (the command line), so the build's memory is
    ///   left for the exit to reclaim rather than freed object by object.
    public static func build(_ options: BuildOptions, processEndsAfter: Bool = false) async throws(DiagnosticsError) -> BuildReport {
        if !options.dryRun { try options.checkOutputFolder() }
        let readAt = Int64(Date().timeIntervalSince1970 * 1e9)
        var clock = PhaseClock()
        // Taken before anything is read: a file changed while the build runs then differs from the saved
        // fingerprint, so the next run cannot skip it.
        let listing = SourceReader(contentRoot: options.content, templatesRoot: options.templates).list()
        let before = InputFingerprint.compute(options, listing: listing)
        if !options.dryRun, let upToDate = upToDate(options, current: before) { return upToDate }
        InputFingerprint.forget(options)
        clock.mark("list")
        let session = BuildSession(options: options, policy: options.dryRun ? .check : .build)
        if !options.dryRun, let record = OutputWriter(outputRoot: options.output).loadRecord() {
            // The manifest saves the commit reading the record again; a state from another binary or other
            // options is not used, but the record still says what the output holds.
            await session.adopt(manifest: record.manifest)
            if let bytes = record.state, let saved = StateCoding.decodeReusable(bytes), saved.state.identity == identity(options) {
                await session.adopt(saved.state, encoded: saved.encoded)
            }
            clock.mark("state")
        }
        var report = try await session.build(listing: listing)
        if !options.dryRun {
            var after = PhaseClock()
            InputFingerprint.save(before, readAt: readAt, options: options)
            after.mark("save")
            report.phases = clock.phases + report.phases + after.phases
            // From the start of this call: the listing and the state read before the session's own clock.
            report.totalMilliseconds = clock.total
        }
        // Freeing every page and record one by one would take longer than a small rebuild.
        if processEndsAfter { _ = Unmanaged.passRetained(session) }
        return report
    }

    /// The state committed with the output in place, if it belongs to this binary, these folders and options.
    static func loadState(_ options: BuildOptions) -> BuildState? { loadReusableState(options)?.state }

    /// The saved state with its blocks, which the next save copies where their records did not change.
    static func loadReusableState(_ options: BuildOptions) -> (state: BuildState, encoded: EncodedState)? {
        guard let bytes = OutputWriter(outputRoot: options.output).loadState(), let saved = StateCoding.decodeReusable(bytes),
              saved.state.identity == identity(options) else { return nil }
        return saved
    }

    /// Everything the saved state's meaning depends on besides the sources: the binary and the options.
    static func identity(_ options: BuildOptions) -> String {
        let stamp = ToolBinary.stamp.map { "\($0.size)-\($0.modified)" } ?? "?"
        return [StateCoding.version, ToolBinary.path, stamp, options.content.standardizedFileURL.path, options.templates.standardizedFileURL.path,
                options.baseURL ?? "-", options.drafts ? "drafts" : "-", FileManager.default.currentDirectoryPath].joined(separator: "\u{1F}")
    }

    /// Removes the input fingerprint beside the output: a process about to change the output without keeping
    /// it up to date (`build --watch`) must not leave it describing an older output.
    public static func forgetSavedState(_ options: BuildOptions) {
        InputFingerprint.forget(options)
    }

    /// A report for a build with nothing to do, or nil when something may have changed.
    static func upToDate(_ options: BuildOptions, current: InputFingerprint) -> BuildReport? {
        var clock = PhaseClock()
        guard let saved = InputFingerprint.load(options) else { return nil }
        // Files modified within two seconds of the last read could have changed without their timestamp showing it.
        guard current.value == saved.fingerprint, current.newest < saved.readAt - 2_000_000_000,
              InputFingerprint.outputIntact(options) else { return nil }
        clock.mark("check")
        return report(pages: 0, dataSets: 0, copies: 0, counts: BuildReport.Counts(), problems: [], clock: clock, upToDate: true)
    }

    static func report(
        pages: Int, dataSets: Int, copies: Int, counts: BuildReport.Counts, problems: [Diagnostic], clock: PhaseClock, upToDate: Bool = false
    ) -> BuildReport {
        BuildReport(
            pagesWritten: pages, dataFiles: dataSets, filesCopied: copies, counts: counts, upToDate: upToDate,
            warnings: problems.filter { $0.severity == .warning }.sortedForReport(),
            phases: clock.phases, totalMilliseconds: clock.total
        )
    }
}

/// Wall-clock time per build phase.
struct PhaseClock {
    let start = DispatchTime.now()
    var last = DispatchTime.now()
    var phases: [(name: String, milliseconds: Double)] = []

    mutating func mark(_ name: String) {
        let now = DispatchTime.now()
        phases.append((name, Double(now.uptimeNanoseconds - last.uptimeNanoseconds) / 1e6))
        last = now
    }

    var total: Double { Double(DispatchTime.now().uptimeNanoseconds - start.uptimeNanoseconds) / 1e6 }
}
