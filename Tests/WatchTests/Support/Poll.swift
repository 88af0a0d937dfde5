import Foundation

/// Checks every 20 ms until `check` returns a value or `timeout` seconds pass.
func poll<T>(timeout: Double = 60, _ check: () async throws -> T?) async rethrows -> T? {
    let deadline = Date().addingTimeInterval(timeout)
    while Date() < deadline {
        if let value = try await check() { return value }
        try? await Task.sleep(nanoseconds: 20_000_000)
    }
    return nil
}
