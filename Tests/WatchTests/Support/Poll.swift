import Foundation

/// Checks every 20 ms until `check` returns a value; gives up only once `timeout` seconds have passed *and* it has
/// checked as often as that many seconds allow. Under a loaded test run the tasks that feed `check` may not be
/// scheduled for a long time; counting checks, not only seconds, gives them as many chances as an idle machine would.
func poll<T>(timeout: Double = 60, _ check: () async throws -> T?) async rethrows -> T? {
    let interval = 0.02
    let deadline = Date().addingTimeInterval(timeout)
    var checks = 0
    while true {
        if let value = try await check() { return value }
        checks += 1
        if Date() > deadline, Double(checks) * interval >= timeout { return nil }
        try? await Task.sleep(nanoseconds: UInt64(interval * 1_000_000_000))
    }
}
