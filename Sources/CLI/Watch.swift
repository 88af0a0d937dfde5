import Dispatch
import Foundation
import Glibc
import TianshanBuild
import TianshanModel
import TianshanPreview

/// `tianshan build --watch`: build into the output folder, then rebuild after every change until Ctrl-C.
/// One `BuildSession` lives for the whole run, and the watcher names the changed files, so an edit that keeps
/// the site's shape rebuilds only what shows it. Unlike the preview, the output is the real output folder:
/// each kept file is still checked to be there.
enum WatchLoop {
    static func run(_ options: BuildOptions, quiet: Bool, verbose: Bool, print say: @escaping @Sendable (String) -> Void) async throws {
        // The saved cache and fingerprint would describe an older output once this process rebuilds.
        BuildPipeline.forgetSavedState(options)
        let watcher = try FileWatcher(roots: [options.content, options.templates])
        let session = BuildSession(options: options, trustsOutput: false)
        let stop = StopSignal()

        func build(_ changed: [String]?) async {
            do {
                let report = try await session.build(changed: changed)
                guard !quiet else { return }
                let c = report.counts
                let what = changed.map { "\($0.count) changed" } ?? "first build"
                say("tianshan: \(changed == nil ? "built" : "rebuilt") (\(what)): \(report.pagesWritten) pages in "
                    + "\(Int(report.totalMilliseconds.rounded())) ms (\(c.markdownRendered) Markdown and \(c.pagesRendered) pages "
                    + "rendered, \(c.filesWritten) files written\(report.quickPath ? ", quick path" : ""))")
                if verbose {
                    for warning in report.warnings { printError(warning.description) }
                    say("  " + report.phases.map { "\($0.name) \(String(format: "%.1f", $0.milliseconds)) ms" }.joined(separator: ", "))
                }
            } catch {
                for diagnostic in error.diagnostics { printError(diagnostic.description) }
                printError("tianshan: build failed with \(error.diagnostics.errors.count) errors; \(options.output.lastPathComponent)/ was not changed; waiting for the next change")
            }
        }

        await build(nil)
        if !quiet { say("tianshan: watching \(options.content.path) and \(options.templates.path) (Ctrl-C to stop)") }
        await withTaskGroup(of: Void.self) { group in
            group.addTask {
                for await batch in watcher.changes {
                    if stop.requested { break }
                    await build(batch.paths)
                }
            }
            group.addTask {
                await stop.wait()
                watcher.stop()
            }
            await group.next()
            group.cancelAll()
            watcher.stop()
        }
        // Whatever build was under way has finished: leave the cache and manifest for the next run.
        await session.saveCache()
        if !quiet { say("tianshan: stopped") }
    }
}

/// SIGINT or SIGTERM, delivered to a task instead of killing the process in the middle of a write.
// @unchecked: `requested` and `waiters` are only touched under `lock`.
final class StopSignal: @unchecked Sendable {
    private let lock = NSLock()
    private var stopped = false
    private var waiters: [CheckedContinuation<Void, Never>] = []
    private var sources: [DispatchSourceSignal] = []

    init() {
        for number in [SIGINT, SIGTERM] {
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler { [weak self] in self?.fire() }
            source.resume()
            sources.append(source)
        }
    }

    var requested: Bool { lock.withLock { stopped } }

    func wait() async {
        await withCheckedContinuation { continuation in
            let now = lock.withLock { () -> Bool in
                if stopped { return true }
                waiters.append(continuation)
                return false
            }
            if now { continuation.resume() }
        }
    }

    private func fire() {
        let waiting = lock.withLock { () -> [CheckedContinuation<Void, Never>] in
            stopped = true
            defer { waiters = [] }
            return waiters
        }
        for continuation in waiting { continuation.resume() }
    }
}
