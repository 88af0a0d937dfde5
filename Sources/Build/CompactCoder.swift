import Foundation
import TianshanModel

/// A compact binary Codable format for the build state. Foundation's binary property list and JSON coders
/// are the library formats this machine has; they take seconds to load the state of a large site (README,
/// "The state on disk"), so the state goes through this coder instead: the same `Codable` conformances, a
/// smaller and faster encoding.
///
/// Every value sits in a slot: a varint of its length plus one (0 is nil), then its bytes. A keyed container
/// is a run of (key, slot) pairs, an unkeyed one a run of slots, so any value can be skipped without being
/// understood. Integers are zigzag varints, `UInt64` (hashes) and `Double` eight bytes, strings UTF-8.
enum CompactCoder {
    static func encode<T: Encodable>(_ value: T) throws -> [UInt8] {
        let sink = Sink()
        try value.encode(to: CompactEncoder(sink: sink))
        return sink.bytes
    }

    static func decode<T: Decodable>(_ type: T.Type, from bytes: [UInt8]) throws -> T {
        try bytes.withUnsafeBytes { raw in
            try T(from: CompactDecoder(raw: raw, range: 0..<raw.count))
        }
    }

    struct Failure: Error {}
}

// MARK: Encoding

final class Sink {
    var bytes: [UInt8] = []

    func varint(_ value: UInt64) {
        var v = value
        while v >= 0x80 {
            bytes.append(UInt8(v & 0x7F) | 0x80)
            v >>= 7
        }
        bytes.append(UInt8(v))
    }

    func fixed(_ value: UInt64) {
        withUnsafeBytes(of: value.littleEndian) { bytes.append(contentsOf: $0) }
    }

    func string(_ text: String) {
        var copy = text
        copy.withUTF8 { utf8 in
            varint(UInt64(utf8.count))
            bytes.append(contentsOf: utf8)
        }
    }

    /// A slot holding what `body` writes into a fresh sink.
    func slot(_ body: (Sink) throws -> Void) rethrows {
        let inner = Sink()
        try body(inner)
        varint(UInt64(inner.bytes.count) + 1)
        bytes.append(contentsOf: inner.bytes)
    }

    func nilSlot() { bytes.append(0) }
}

struct CompactEncoder: Encoder {
    let sink: Sink
    var codingPath: [CodingKey] = []
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
        KeyedEncodingContainer(KeyedWriter<Key>(sink: sink))
    }

    func unkeyedContainer() -> UnkeyedEncodingContainer { UnkeyedWriter(sink: sink) }
    func singleValueContainer() -> SingleValueEncodingContainer { ValueWriter(sink: sink) }
}

/// Writes one primitive value into a sink (the bytes of a slot, without its length).
struct ValueWriter: SingleValueEncodingContainer {
    let sink: Sink
    var codingPath: [CodingKey] = []

    func encodeNil() throws {}
    func encode(_ value: Bool) throws { sink.bytes.append(value ? 1 : 0) }
    func encode(_ value: String) throws { sink.string(value) }
    func encode(_ value: Double) throws { sink.fixed(value.bitPattern) }
    func encode(_ value: Float) throws { sink.fixed(Double(value).bitPattern) }
    func encode(_ value: Int) throws { try encode(Int64(value)) }
    func encode(_ value: Int8) throws { try encode(Int64(value)) }
    func encode(_ value: Int16) throws { try encode(Int64(value)) }
    func encode(_ value: Int32) throws { try encode(Int64(value)) }
    func encode(_ value: Int64) throws { sink.varint(UInt64(bitPattern: (value << 1) ^ (value >> 63))) }
    func encode(_ value: UInt) throws { sink.varint(UInt64(value)) }
    func encode(_ value: UInt8) throws { sink.varint(UInt64(value)) }
    func encode(_ value: UInt16) throws { sink.varint(UInt64(value)) }
    func encode(_ value: UInt32) throws { sink.varint(UInt64(value)) }
    func encode(_ value: UInt64) throws { sink.fixed(value) }
    func encode<T: Encodable>(_ value: T) throws {
        if let yaml = value as? YAMLValue { return try encodeYAML(yaml) }
        try value.encode(to: CompactEncoder(sink: sink))
    }

    /// YAML values decode by trying one shape after another, which needs a self-describing format: here they
    /// carry a tag.
    func encodeYAML(_ value: YAMLValue) throws {
        switch value {
        case .null: sink.bytes.append(0)
        case .bool(let b): sink.bytes.append(1); try encode(b)
        case .int(let i): sink.bytes.append(2); try encode(i)
        case .double(let d): sink.bytes.append(3); try encode(d)
        case .string(let s): sink.bytes.append(4); try encode(s)
        case .date(let d): sink.bytes.append(5); try encode(d.timeIntervalSince1970)
        case .array(let items):
            sink.bytes.append(6)
            var list = UnkeyedWriter(sink: sink)
            for item in items { try list.encode(item) }
        case .object(let values, let order):
            sink.bytes.append(7)
            var list = UnkeyedWriter(sink: sink)
            for key in order { if let item = values[key] { try list.encode(key); try list.encode(item) } }
        }
    }
}

struct KeyedWriter<Key: CodingKey>: KeyedEncodingContainerProtocol {
    let sink: Sink
    var codingPath: [CodingKey] = []

    func encodeNil(forKey key: Key) throws {
        sink.string(key.stringValue)
        sink.nilSlot()
    }

    func encode<T: Encodable>(_ value: T, forKey key: Key) throws {
        sink.string(key.stringValue)
        try sink.slot { try ValueWriter(sink: $0).encode(value) }
    }

    func encode(_ value: String, forKey key: Key) throws {
        sink.string(key.stringValue)
        try sink.slot { try ValueWriter(sink: $0).encode(value) }
    }

    func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type, forKey key: Key) -> KeyedEncodingContainer<NestedKey> {
        preconditionFailure("CompactCoder: nested containers are not used by the build state")
    }

    func nestedUnkeyedContainer(forKey key: Key) -> UnkeyedEncodingContainer {
        preconditionFailure("CompactCoder: nested containers are not used by the build state")
    }

    func superEncoder() -> Encoder { preconditionFailure("CompactCoder: superEncoder is not used by the build state") }
    func superEncoder(forKey key: Key) -> Encoder { preconditionFailure("CompactCoder: superEncoder is not used by the build state") }
}

struct UnkeyedWriter: UnkeyedEncodingContainer {
    let sink: Sink
    var codingPath: [CodingKey] = []
    var count = 0

    mutating func encodeNil() throws {
        sink.nilSlot()
        count += 1
    }

    mutating func encode<T: Encodable>(_ value: T) throws {
        try sink.slot { try ValueWriter(sink: $0).encode(value) }
        count += 1
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type) -> KeyedEncodingContainer<NestedKey> {
        preconditionFailure("CompactCoder: nested containers are not used by the build state")
    }

    mutating func nestedUnkeyedContainer() -> UnkeyedEncodingContainer {
        preconditionFailure("CompactCoder: nested containers are not used by the build state")
    }

    mutating func superEncoder() -> Encoder { preconditionFailure("CompactCoder: superEncoder is not used by the build state") }
}

// MARK: Decoding

/// Reads the bytes of one slot; every read is bounds-checked, so a damaged state throws instead of crashing.
struct CompactDecoder: Decoder {
    let raw: UnsafeRawBufferPointer
    let range: Range<Int>
    var codingPath: [CodingKey] = []
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    func container<Key: CodingKey>(keyedBy type: Key.Type) throws -> KeyedDecodingContainer<Key> {
        KeyedDecodingContainer(try KeyedReader<Key>(raw: raw, range: range))
    }

    func unkeyedContainer() throws -> UnkeyedDecodingContainer { try UnkeyedReader(raw: raw, range: range) }
    func singleValueContainer() throws -> SingleValueDecodingContainer { ValueReader(raw: raw, range: range) }
}

/// A cursor over bytes.
struct ByteCursor {
    let raw: UnsafeRawBufferPointer
    var position: Int
    let end: Int

    var atEnd: Bool { position >= end }

    mutating func byte() throws -> UInt8 {
        guard position < end else { throw CompactCoder.Failure() }
        defer { position += 1 }
        return raw[position]
    }

    mutating func varint() throws -> UInt64 {
        var result: UInt64 = 0
        var shift: UInt64 = 0
        while true {
            let b = try byte()
            guard shift < 64 else { throw CompactCoder.Failure() }
            result |= UInt64(b & 0x7F) << shift
            if b < 0x80 { return result }
            shift += 7
        }
    }

    mutating func fixed() throws -> UInt64 {
        guard end - position >= 8 else { throw CompactCoder.Failure() }
        defer { position += 8 }
        return UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: position, as: UInt64.self))
    }

    mutating func take(_ count: UInt64) throws -> Range<Int> {
        guard count <= UInt64(end - position) else { throw CompactCoder.Failure() }
        let start = position
        position += Int(count)
        return start..<position
    }

    /// A slot: nil for a nil value, else the range of its bytes.
    mutating func slot() throws -> Range<Int>? {
        let length = try varint()
        if length == 0 { return nil }
        return try take(length - 1)
    }

    func string(_ range: Range<Int>) -> String {
        String(decoding: UnsafeRawBufferPointer(rebasing: raw[range]), as: UTF8.self)
    }
}

struct ValueReader: SingleValueDecodingContainer {
    let raw: UnsafeRawBufferPointer
    let range: Range<Int>
    var codingPath: [CodingKey] = []

    var cursor: ByteCursor { ByteCursor(raw: raw, position: range.lowerBound, end: range.upperBound) }

    func decodeNil() -> Bool { false }
    func decode(_ type: Bool.Type) throws -> Bool { var c = cursor; return try c.byte() != 0 }
    func decode(_ type: String.Type) throws -> String {
        var c = cursor
        let bytes = try c.take(try c.varint())
        return c.string(bytes)
    }
    func decode(_ type: Double.Type) throws -> Double { var c = cursor; return Double(bitPattern: try c.fixed()) }
    func decode(_ type: Float.Type) throws -> Float { Float(try decode(Double.self)) }
    func decode(_ type: Int64.Type) throws -> Int64 {
        var c = cursor
        let z = try c.varint()
        return Int64(bitPattern: (z >> 1) ^ (0 &- (z & 1)))
    }
    func decode(_ type: Int.Type) throws -> Int { try narrow(decode(Int64.self)) }
    func decode(_ type: Int8.Type) throws -> Int8 { try narrow(decode(Int64.self)) }
    func decode(_ type: Int16.Type) throws -> Int16 { try narrow(decode(Int64.self)) }
    func decode(_ type: Int32.Type) throws -> Int32 { try narrow(decode(Int64.self)) }
    func decode(_ type: UInt.Type) throws -> UInt { var c = cursor; return try narrow(c.varint()) }
    func decode(_ type: UInt8.Type) throws -> UInt8 { var c = cursor; return try narrow(c.varint()) }
    func decode(_ type: UInt16.Type) throws -> UInt16 { var c = cursor; return try narrow(c.varint()) }
    func decode(_ type: UInt32.Type) throws -> UInt32 { var c = cursor; return try narrow(c.varint()) }
    func decode(_ type: UInt64.Type) throws -> UInt64 { var c = cursor; return try c.fixed() }
    func decode<T: Decodable>(_ type: T.Type) throws -> T {
        if T.self == YAMLValue.self, let yaml = try decodeYAML() as? T { return yaml }
        return try T(from: CompactDecoder(raw: raw, range: range))
    }

    func decodeYAML() throws -> YAMLValue {
        var c = cursor
        let tag = try c.byte()
        let rest = ValueReader(raw: raw, range: c.position..<range.upperBound)
        switch tag {
        case 0: return .null
        case 1: return .bool(try rest.decode(Bool.self))
        case 2: return .int(try rest.decode(Int.self))
        case 3: return .double(try rest.decode(Double.self))
        case 4: return .string(try rest.decode(String.self))
        case 5: return .date(Date(timeIntervalSince1970: try rest.decode(Double.self)))
        case 6:
            var list = try UnkeyedReader(raw: raw, range: rest.range)
            var items: [YAMLValue] = []
            while !list.isAtEnd { items.append(try list.decode(YAMLValue.self)) }
            return .array(items)
        case 7:
            var list = try UnkeyedReader(raw: raw, range: rest.range)
            var values: [String: YAMLValue] = [:]
            var order: [String] = []
            while !list.isAtEnd {
                let key = try list.decode(String.self)
                values[key] = try list.decode(YAMLValue.self)
                order.append(key)
            }
            return .object(values, order: order)
        default: throw CompactCoder.Failure()
        }
    }

    func narrow<A: BinaryInteger, B: FixedWidthInteger>(_ value: A) throws -> B {
        guard let narrowed = B(exactly: value) else { throw CompactCoder.Failure() }
        return narrowed
    }
}

struct KeyedReader<Key: CodingKey>: KeyedDecodingContainerProtocol {
    let raw: UnsafeRawBufferPointer
    var codingPath: [CodingKey] = []
    /// Each entry's key bytes and value slot (nil: a nil value).
    let entries: [(key: Range<Int>, value: Range<Int>?)]
    /// Values are usually asked for in the order they were written: the search starts after the last one found.
    final class Hint { var next = 0 }
    let hint = Hint()

    init(raw: UnsafeRawBufferPointer, range: Range<Int>) throws {
        self.raw = raw
        var cursor = ByteCursor(raw: raw, position: range.lowerBound, end: range.upperBound)
        var entries: [(key: Range<Int>, value: Range<Int>?)] = []
        while !cursor.atEnd {
            let key = try cursor.take(try cursor.varint())
            entries.append((key, try cursor.slot()))
        }
        self.entries = entries
    }

    var allKeys: [Key] {
        entries.compactMap { Key(stringValue: String(decoding: UnsafeRawBufferPointer(rebasing: raw[$0.key]), as: UTF8.self)) }
    }

    func find(_ key: Key) -> Int? {
        var name = key.stringValue
        return name.withUTF8 { wanted -> Int? in
            let count = entries.count
            guard count > 0 else { return nil }
            for step in 0..<count {
                let index = (hint.next + step) % count
                let range = entries[index].key
                guard range.count == wanted.count else { continue }
                if wanted.count == 0 || memcmp(raw.baseAddress! + range.lowerBound, wanted.baseAddress!, wanted.count) == 0 {
                    hint.next = index + 1
                    return index
                }
            }
            return nil
        }
    }

    func contains(_ key: Key) -> Bool { find(key) != nil }

    func decodeNil(forKey key: Key) throws -> Bool {
        guard let index = find(key) else { return true }
        return entries[index].value == nil
    }

    func decode<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T {
        guard let index = find(key), let range = entries[index].value else { throw CompactCoder.Failure() }
        return try ValueReader(raw: raw, range: range).decode(T.self)
    }

    func decode(_ type: String.Type, forKey key: Key) throws -> String {
        guard let index = find(key), let range = entries[index].value else { throw CompactCoder.Failure() }
        return try ValueReader(raw: raw, range: range).decode(String.self)
    }

    func decode(_ type: UInt64.Type, forKey key: Key) throws -> UInt64 {
        guard let index = find(key), let range = entries[index].value else { throw CompactCoder.Failure() }
        return try ValueReader(raw: raw, range: range).decode(UInt64.self)
    }

    func decodeIfPresent<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T? {
        guard let index = find(key), let range = entries[index].value else { return nil }
        return try ValueReader(raw: raw, range: range).decode(T.self)
    }

    func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type, forKey key: Key) throws -> KeyedDecodingContainer<NestedKey> {
        guard let index = find(key), let range = entries[index].value else { throw CompactCoder.Failure() }
        return KeyedDecodingContainer(try KeyedReader<NestedKey>(raw: raw, range: range))
    }

    func nestedUnkeyedContainer(forKey key: Key) throws -> UnkeyedDecodingContainer {
        guard let index = find(key), let range = entries[index].value else { throw CompactCoder.Failure() }
        return try UnkeyedReader(raw: raw, range: range)
    }

    func superDecoder() throws -> Decoder { throw CompactCoder.Failure() }
    func superDecoder(forKey key: Key) throws -> Decoder { throw CompactCoder.Failure() }
}

struct UnkeyedReader: UnkeyedDecodingContainer {
    let raw: UnsafeRawBufferPointer
    var codingPath: [CodingKey] = []
    var cursor: ByteCursor
    var currentIndex = 0
    let count: Int?

    init(raw: UnsafeRawBufferPointer, range: Range<Int>) throws {
        self.raw = raw
        cursor = ByteCursor(raw: raw, position: range.lowerBound, end: range.upperBound)
        // Counted up front, so arrays reserve their storage once.
        var counter = cursor
        var n = 0
        while !counter.atEnd {
            _ = try counter.slot()
            n += 1
        }
        count = n
    }

    var isAtEnd: Bool { cursor.atEnd }

    mutating func decodeNil() throws -> Bool {
        var peek = cursor
        guard try peek.slot() == nil else { return false }
        cursor = peek
        currentIndex += 1
        return true
    }

    mutating func decode<T: Decodable>(_ type: T.Type) throws -> T {
        guard let range = try cursor.slot() else { throw CompactCoder.Failure() }
        currentIndex += 1
        return try ValueReader(raw: raw, range: range).decode(T.self)
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type) throws -> KeyedDecodingContainer<NestedKey> {
        guard let range = try cursor.slot() else { throw CompactCoder.Failure() }
        currentIndex += 1
        return KeyedDecodingContainer(try KeyedReader<NestedKey>(raw: raw, range: range))
    }

    mutating func nestedUnkeyedContainer() throws -> UnkeyedDecodingContainer {
        guard let range = try cursor.slot() else { throw CompactCoder.Failure() }
        currentIndex += 1
        return try UnkeyedReader(raw: raw, range: range)
    }

    mutating func superDecoder() throws -> Decoder { throw CompactCoder.Failure() }
}
