import Foundation

/// The build state on disk: `BuildState` through Codable. A state that does not decode is ignored, and the
/// build starts from nothing.
enum StateCoding {
    /// Part of the state's identity: a state written by another layout of `BuildState` is never decoded as this one.
    static let version = "tianshan-state-2"

    static let format = ProcessInfo.processInfo.environment["TIANSHAN_STATE_FORMAT"] ?? "plist"

    static func encode(_ state: BuildState) -> [UInt8]? {
        if format == "compact" { return try? CompactCoder.encode(state) }
        if format == "json" { return (try? JSONEncoder().encode(state)).map { [UInt8]($0) } }
        let encoder = PropertyListEncoder()
        encoder.outputFormat = .binary
        return (try? encoder.encode(state)).map { [UInt8]($0) }
    }

    static func decode(_ bytes: [UInt8]) -> BuildState? {
        if format == "compact" { return try? CompactCoder.decode(BuildState.self, from: bytes) }
        if format == "json" { return try? JSONDecoder().decode(BuildState.self, from: Data(bytes)) }
        return try? PropertyListDecoder().decode(BuildState.self, from: Data(bytes))
    }
}
