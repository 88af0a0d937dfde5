/// An incremental hash over strings and numbers (`ContentHash` steps; strings carry their length and a
/// separator, so ("ab", "c") and ("a", "bc") differ). Stable across runs: hashes are saved between builds.
public struct StableHash: Sendable {
    public private(set) var value: UInt64 = ContentHash.start

    public init() {}

    public mutating func add(_ text: String) {
        value = ContentHash.hash(text, seed: value)
        add(UInt64(0x1F))
    }

    public mutating func add(_ flag: Bool) { add(UInt64(flag ? 0xB1 : 0xB0)) }

    public mutating func add(_ number: Int) { add(UInt64(bitPattern: Int64(number))) }

    public mutating func add(_ number: UInt64) {
        var h = (value ^ number) &* 0x9E37_79B9_7F4A_7C15
        h ^= h >> 32
        h = h &* 0xd6e8_feb8_6659_fd93
        h ^= h >> 32
        value = h
    }

    /// The hash of a few values in one expression.
    public static func of(_ parts: UInt64...) -> UInt64 {
        var hash = StableHash()
        for part in parts { hash.add(part) }
        return hash.value
    }
}
