/// The bytes of the caller's state as the parts they were made in (the state file's blocks), written into the
/// record one after the other, so a large state is never copied into one buffer on the way to the disk.
public struct StateBytes: Sendable {
    public var parts: [ArraySlice<UInt8>]

    public init(_ bytes: [UInt8]) {
        parts = [bytes[...]]
    }

    public init(parts: [ArraySlice<UInt8>]) {
        self.parts = parts
    }

    public var count: Int { parts.reduce(0) { $0 + $1.count } }

    /// All parts in one array (for tests and small states).
    public var joined: [UInt8] { Array(parts.joined()) }
}
