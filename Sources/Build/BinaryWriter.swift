/// Appends a plain little-endian byte format: varints (LEB128, signed ones zigzagged), fixed 8-byte numbers,
/// length-prefixed UTF-8, and strings shared through a table (`shared`) so that a key written thousands of
/// times is stored once. `BinaryReader` reads it back.
struct BinaryWriter {
    private(set) var bytes: [UInt8] = []
    /// Strings written with `shared`, in first-use order, and their indexes.
    private(set) var table: [String] = []
    private var indexes: [String: Int] = [:]
    var inlineShared = false

    init(capacity: Int = 1 << 16) { bytes.reserveCapacity(capacity) }

    mutating func byte(_ value: UInt8) { bytes.append(value) }
    mutating func bool(_ value: Bool) { bytes.append(value ? 1 : 0) }

    mutating func varint(_ value: UInt64) {
        var value = value
        while value >= 0x80 {
            bytes.append(UInt8(truncatingIfNeeded: value) | 0x80)
            value >>= 7
        }
        bytes.append(UInt8(value))
    }

    /// A count or other non-negative number (a negative one is written as its bit pattern and refused on reading).
    mutating func count(_ value: Int) { varint(UInt64(bitPattern: Int64(value))) }
    /// Any integer, zigzagged so that small negative numbers stay short.
    mutating func int(_ value: Int) { int64(Int64(value)) }
    mutating func int64(_ value: Int64) { varint(UInt64(bitPattern: (value << 1) ^ (value >> 63))) }
    /// Hashes and other numbers spread over all 64 bits, where a varint would be longer.
    mutating func u64(_ value: UInt64) { withUnsafeBytes(of: value.littleEndian) { bytes.append(contentsOf: $0) } }
    mutating func double(_ value: Double) { u64(value.bitPattern) }

    mutating func raw(_ value: UnsafeRawBufferPointer) { bytes.append(contentsOf: value) }

    /// The UTF-8 bytes, after their count.
    mutating func string(_ value: String) {
        var value = value
        value.withUTF8 { utf8 in
            count(utf8.count)
            bytes.append(contentsOf: utf8)
        }
    }

    mutating func optional(_ value: String?) {
        if let value {
            bool(true)
            string(value)
        } else {
            bool(false)
        }
    }

    /// The string's index in the table; the table itself is written by `finish`.
    mutating func shared(_ value: String) {
        if inlineShared { string(value); return }
        if let index = indexes[value] {
            count(index)
            return
        }
        let index = table.count
        indexes[value] = index
        table.append(value)
        count(index)
    }

    mutating func optionalShared(_ value: String?) {
        if let value {
            bool(true)
            shared(value)
        } else {
            bool(false)
        }
    }

    /// `header`, then the table of shared strings, then everything written so far.
    func finish(header: [UInt8]) -> [UInt8] {
        var front = BinaryWriter(capacity: header.count + 16 + table.count * 24)
        front.bytes.append(contentsOf: header)
        front.count(table.count)
        for string in table { front.string(string) }
        var result: [UInt8] = []
        result.reserveCapacity(front.bytes.count + bytes.count)
        result.append(contentsOf: front.bytes)
        result.append(contentsOf: bytes)
        return result
    }
}
