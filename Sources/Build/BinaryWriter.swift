#if canImport(Glibc)
import Glibc
#endif
import TianshanModel

/// Appends a plain little-endian byte format: varints (LEB128, signed ones zigzagged), fixed 8-byte numbers,
/// length-prefixed UTF-8, and strings kept once in a table (`shared`) and written as their index, so that a key
/// or path a state repeats thousands of times is stored once. `BinaryReader` reads it back.
struct BinaryWriter {
    private(set) var bytes: [UInt8] = []

    /// The shared strings, each as its UTF-8 length and bytes, in first-use order (what `BinaryReader.strings`
    /// reads); where each entry starts and where its UTF-8 starts.
    private(set) var tableBytes: [UInt8] = []
    private var entryStarts: [Int] = []
    private var textStarts: [Int] = []
    /// Table indexes by a hash of the UTF-8 bytes: `String` hashing normalises Unicode first, which made
    /// interning Chinese texts cost more than writing them out.
    private var indexes: [UInt64: Int] = [:]

    init(capacity: Int = 1 << 16) { bytes.reserveCapacity(capacity) }

    mutating func byte(_ value: UInt8) { bytes.append(value) }
    mutating func bool(_ value: Bool) { bytes.append(value ? 1 : 0) }

    mutating func varint(_ value: UInt64) { Self.varint(value, to: &bytes) }

    private static func varint(_ value: UInt64, to bytes: inout [UInt8]) {
        var value = value
        while value >= 0x80 {
            bytes.append(UInt8(truncatingIfNeeded: value) | 0x80)
            value >>= 7
        }
        bytes.append(UInt8(value))
    }

    /// A count or other non-negative number.
    mutating func count(_ value: Int) { varint(UInt64(value)) }
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

    /// The string's index in the table. Every string is shared, long ones too: a summary comes back in the
    /// page's listing view, and retaining a string already read costs less than reading it again.
    mutating func shared(_ value: String) {
        var value = value
        let position = value.withUTF8 { utf8 in index(of: utf8) }
        count(position)
    }

    mutating func optionalShared(_ value: String?) {
        if let value {
            bool(true)
            shared(value)
        } else {
            bool(false)
        }
    }

    private mutating func index(of utf8: UnsafeBufferPointer<UInt8>) -> Int {
        let hash = ContentHash.hash(UnsafeRawBufferPointer(utf8))
        if let index = indexes[hash] {
            let start = textStarts[index]
            let end = index + 1 < entryStarts.count ? entryStarts[index + 1] : tableBytes.count
            if end - start == utf8.count, utf8.isEmpty || tableBytes.withUnsafeBufferPointer({ table in
                memcmp(table.baseAddress! + start, utf8.baseAddress!, utf8.count) == 0
            }) {
                return index
            }
            // Two strings with one hash: the second is kept as well (and not found again), which costs bytes only.
        }
        let index = entryStarts.count
        entryStarts.append(tableBytes.count)
        Self.varint(UInt64(utf8.count), to: &tableBytes)
        textStarts.append(tableBytes.count)
        tableBytes.append(contentsOf: utf8)
        if indexes[hash] == nil { indexes[hash] = index }
        return index
    }

    var tableCount: Int { entryStarts.count }
}
