import Foundation

/// The build state on disk: `BuildState` through Codable and Foundation's binary property-list coder. A state
/// that does not decode is ignored, and the build starts from nothing.
enum StateCoding {
    /// Part of the state's identity: a state written by another layout of `BuildState` is never decoded as this one.
    static let version = "tianshan-state-2"

    static func encode(_ state: BuildState) -> [UInt8]? {
        let encoder = PropertyListEncoder()
        encoder.outputFormat = .binary
        return (try? encoder.encode(state)).map { [UInt8]($0) }
    }

    static func decode(_ bytes: [UInt8]) -> BuildState? {
        try? PropertyListDecoder().decode(BuildState.self, from: Data(bytes))
    }
}
