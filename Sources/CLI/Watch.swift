import Dispatch
import Foundation
import Glibc
import TianshanBuild
import TianshanModel
import TianshanWatch

/// `tianshan build --watch`: build into the output folder, then rebuild after every change until Ctrl-C.
/// One `BuildSession` lives for the whole run, and the watcher names the changed files, so an edit that keeps
/// the site's shape rebuilds only what shows it. Unlike the preview, the output is the real output folder:
/// each kept file is still checked to be there.
enum WatchLoop {
    static func run(_ options: BuildOptions, quiet: Bool, verbose: Bool, print say: @escaping @Sendable (String) -> Void) async throws {
        // The saved fingerprint would describe an older output once this process rebuilds.
        BuildPipeline.forgetSavedState(options)
        let watcher = try FileWatcher(roots: [options.content, options.templates])
        let session = BuildSession(options: options, policy: .watch)
        let stop = StopSignal()

        func build(_ changed: [String]?) async {
            await report(changed)
            // While waiting for the next change, so that rebuild need not walk the output folder itself.
            await session.prepareNextBuild()
        }

        func report(_ changed: [String]?) async {
            do {
                let report = try await session.build(changed: changed)
                guard !quiet else { return }
                let what = changed.map { "rebuilt (\($0.count) changed)" } ?? "built (first build)"
                say(ReportText.rebuilt(report, what: what))
                if verbose {
                    for warning in report.warnings { printError(warning.description) }
                    for line in ReportText.phases(report, compact: true) { say(line) }
                }
            } catch {
                let outcome = "\(options.output.lastPathComponent)/ was not changed; waiting for the next change"
                for line in ReportText.failed(error.diagnostics, outcome: outcome) { printError(line) }
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
        // Whatever build was under way has finished: leave the state for the next run.
        await session.saveState()
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
