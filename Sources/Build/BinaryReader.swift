/// Reads what `BinaryWriter` wrote, straight from the bytes it is given (make one inside a single
/// `withUnsafeBufferPointer` and let it not outlive that). Every read checks its bounds and throws `Malformed`
/// on anything that does not fit: a damaged file is refused, never read past its end.
struct BinaryReader {
    struct Malformed: Error {}

    private let bytes: UnsafeBufferPointer<UInt8>
    private(set) var offset = 0
    /// The strings `shared` reads refer to.
    private let table: [String]

    init(_ bytes: UnsafeBufferPointer<UInt8>, table: [String] = []) {
        self.bytes = bytes
        self.table = table
    }

    /// The same reader at the same place, reading shared strings from `table`.
    func continuing(with table: [String]) -> BinaryReader {
        var reader = BinaryReader(bytes, table: table)
        reader.offset = offset
        return reader
    }

    var remaining: Int { bytes.count - offset }
    var isAtEnd: Bool { offset == bytes.count }

    mutating func byte() throws(Malformed) -> UInt8 {
        guard offset < bytes.count else { throw Malformed() }
        defer { offset += 1 }
        return bytes[offset]
    }

    mutating func bool() throws(Malformed) -> Bool {
        switch try byte() {
        case 0: return false
        case 1: return true
        default: throw Malformed()
        }
    }

    mutating func varint() throws(Malformed) -> UInt64 {
        let first = try byte()
        if first < 0x80 { return UInt64(first) }
        var value = UInt64(first & 0x7F)
        var shift: UInt64 = 7
        while true {
            let next = try byte()
            // The tenth byte holds the top bit only.
            guard shift < 63 || next <= 1 else { throw Malformed() }
            value |= UInt64(next & 0x7F) << shift
            if next < 0x80 { return value }
            shift += 7
        }
    }

    /// A count of things still to read: each takes at least a byte, so it is never more than the bytes left.
    mutating func count() throws(Malformed) -> Int {
        let value = try varint()
        guard value <= UInt64(remaining) else { throw Malformed() }
        return Int(value)
    }

    mutating func int() throws(Malformed) -> Int { Int(truncatingIfNeeded: try int64()) }
    mutating func int64() throws(Malformed) -> Int64 {
        let value = try varint()
        return Int64(bitPattern: (value >> 1) ^ (0 &- (value & 1)))
    }

    mutating func u64() throws(Malformed) -> UInt64 {
        guard remaining >= 8 else { throw Malformed() }
        defer { offset += 8 }
        return UInt64(littleEndian: UnsafeRawBufferPointer(bytes).loadUnaligned(fromByteOffset: offset, as: UInt64.self))
    }

    mutating func double() throws(Malformed) -> Double { Double(bitPattern: try u64()) }

    /// The next `count` bytes, without copying them.
    mutating func raw(_ count: Int) throws(Malformed) -> UnsafeBufferPointer<UInt8> {
        guard count >= 0, count <= remaining else { throw Malformed() }
        defer { offset += count }
        return UnsafeBufferPointer(rebasing: bytes[offset..<offset + count])
    }

    /// Skips bytes that must be exactly `expected` (a magic string).
    mutating func expect(_ expected: [UInt8]) throws(Malformed) {
        guard try raw(expected.count).elementsEqual(expected) else { throw Malformed() }
    }

    /// Invalid UTF-8 is repaired (U+FFFD), not refused: the string is still only as long as its bytes.
    mutating func string() throws(Malformed) -> String {
        String(decoding: try raw(try count()), as: UTF8.self)
    }

    mutating func optional() throws(Malformed) -> String? { try bool() ? try string() : nil }

    /// `n` strings, as `string` reads them (a piece of `BinaryWriter.tableBytes`).
    mutating func strings(_ n: Int) throws(Malformed) -> [String] {
        guard n <= remaining else { throw Malformed() }
        var strings: [String] = []
        strings.reserveCapacity(n)
        for _ in 0..<n { strings.append(try string()) }
        return strings
    }

    /// A string of the table, by its index (what `BinaryWriter.shared` wrote).
    mutating func shared() throws(Malformed) -> String {
        let index = try varint()
        guard index < UInt64(table.count) else { throw Malformed() }
        return table[Int(index)]
    }

    mutating func optionalShared() throws(Malformed) -> String? { try bool() ? try shared() : nil }
}
