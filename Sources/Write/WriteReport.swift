/// What a write did.
public struct WriteReport: Sendable, Equatable {
    /// Files whose bytes differ from the last output's (new or changed).
    public var written: Int
    public var unchanged: Int
    public var removed: Int
    /// True when the whole folder was written fresh and swapped in.
    public var fullSwap: Bool
}
