import Foundation
import TianshanModel
import Yams

/// A `Decoder` over a composed Yams node tree. Yams' own decoder resolves every scalar's tag with regular
/// expressions, which made front matter the slowest part of a build; this one converts a scalar only to the type
/// the model asks for, with plain string parsing, and throws the same `DecodingError`s (with coding paths).
struct NodeDecoder: Decoder {
    let node: Node
    let codingPath: [CodingKey]
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    init(_ node: Node, codingPath: [CodingKey] = []) {
        self.node = node
        self.codingPath = codingPath
    }

    static func decode<T: Decodable>(_ type: T.Type, from node: Node) throws -> T {
        try NodeDecoder(node).decodeValue(type)
    }

    func decodeValue<T: Decodable>(_ type: T.Type) throws -> T {
        if type == YAMLValue.self { return YAMLScalars.value(of: node) as! T }
        if type == Date.self { return try decodeDate() as! T }
        return try T(from: self)
    }

    func container<Key: CodingKey>(keyedBy type: Key.Type) throws -> KeyedDecodingContainer<Key> {
        guard case .mapping(let mapping) = node else {
            throw DecodingError.typeMismatch([String: Any].self, .init(codingPath: codingPath, debugDescription: "expected a mapping"))
        }
        if let strict = Key.self as? any StrictCodingKeys.Type {
            let known = strict.knownNames
            for (key, _) in mapping {
                let name = key.scalar?.string ?? ""
                if !known.contains(name) { throw UnknownKey(name: name, node: key, codingPath: codingPath, known: known) }
            }
        }
        return KeyedDecodingContainer(KeyedNodeContainer<Key>(mapping, codingPath: codingPath))
    }

    func unkeyedContainer() throws -> UnkeyedDecodingContainer {
        guard case .sequence(let sequence) = node else {
            throw DecodingError.typeMismatch([Any].self, .init(codingPath: codingPath, debugDescription: "expected a list"))
        }
        return UnkeyedNodeContainer(items: Array(sequence), codingPath: codingPath)
    }

    func singleValueContainer() throws -> SingleValueDecodingContainer { SingleNodeContainer(decoder: self) }

    func scalar<T>(_ type: T.Type) throws -> Node.Scalar {
        guard case .scalar(let scalar) = node else {
            throw DecodingError.typeMismatch(type, .init(codingPath: codingPath, debugDescription: "expected a single value"))
        }
        return scalar
    }

    func decodeDate() throws -> Date {
        let s = try scalar(Date.self)
        guard let date = YAMLScalars.date(s.string) else {
            throw DecodingError.typeMismatch(Date.self, .init(codingPath: codingPath, debugDescription: "expected a date"))
        }
        return date
    }
}

private struct KeyedNodeContainer<Key: CodingKey>: KeyedDecodingContainerProtocol {
    let values: [String: Node]
    let order: [String]
    let codingPath: [CodingKey]

    init(_ mapping: Node.Mapping, codingPath: [CodingKey]) {
        var values: [String: Node] = [:]
        var order: [String] = []
        for (key, value) in mapping {
            let name = key.scalar?.string ?? ""
            if values.updateValue(value, forKey: name) == nil { order.append(name) }
        }
        self.values = values
        self.order = order
        self.codingPath = codingPath
    }

    var allKeys: [Key] { order.compactMap { Key(stringValue: $0) } }
    func contains(_ key: Key) -> Bool { values[key.stringValue] != nil }

    func node(_ key: Key) throws -> Node {
        guard let node = values[key.stringValue] else {
            throw DecodingError.keyNotFound(key, .init(codingPath: codingPath, debugDescription: "no value for '\(key.stringValue)'"))
        }
        return node
    }

    func decodeNil(forKey key: Key) throws -> Bool { YAMLScalars.isNull(try node(key)) }

    func decode<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T {
        let child = try node(key)
        if YAMLScalars.isNull(child), !(type == YAMLValue.self) {
            throw DecodingError.valueNotFound(type, .init(codingPath: codingPath + [key], debugDescription: "value is empty"))
        }
        return try NodeDecoder(child, codingPath: codingPath + [key]).decodeValue(type)
    }

    func decodeIfPresent<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T? {
        guard let child = values[key.stringValue], !YAMLScalars.isNull(child) else { return nil }
        return try NodeDecoder(child, codingPath: codingPath + [key]).decodeValue(type)
    }

    func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type, forKey key: Key) throws -> KeyedDecodingContainer<NestedKey> {
        try NodeDecoder(try node(key), codingPath: codingPath + [key]).container(keyedBy: type)
    }

    func nestedUnkeyedContainer(forKey key: Key) throws -> UnkeyedDecodingContainer {
        try NodeDecoder(try node(key), codingPath: codingPath + [key]).unkeyedContainer()
    }

    func superDecoder() throws -> Decoder { NodeDecoder(.mapping(Node.Mapping([])), codingPath: codingPath) }
    func superDecoder(forKey key: Key) throws -> Decoder { NodeDecoder(try node(key), codingPath: codingPath + [key]) }
}

private struct UnkeyedNodeContainer: UnkeyedDecodingContainer {
    let items: [Node]
    let codingPath: [CodingKey]
    var currentIndex = 0

    init(items: [Node], codingPath: [CodingKey]) {
        self.items = items
        self.codingPath = codingPath
    }

    var count: Int? { items.count }
    var isAtEnd: Bool { currentIndex >= items.count }

    mutating func next<T>(_ type: T.Type) throws -> (Node, [CodingKey]) {
        guard !isAtEnd else {
            throw DecodingError.valueNotFound(type, .init(codingPath: codingPath, debugDescription: "list is at its end"))
        }
        defer { currentIndex += 1 }
        return (items[currentIndex], codingPath + [AnyKey(intValue: currentIndex)!])
    }

    mutating func decodeNil() throws -> Bool {
        guard !isAtEnd, YAMLScalars.isNull(items[currentIndex]) else { return false }
        currentIndex += 1
        return true
    }

    mutating func decode<T: Decodable>(_ type: T.Type) throws -> T {
        let (node, path) = try next(type)
        return try NodeDecoder(node, codingPath: path).decodeValue(type)
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type) throws -> KeyedDecodingContainer<NestedKey> {
        let (node, path) = try next([String: Any].self)
        return try NodeDecoder(node, codingPath: path).container(keyedBy: type)
    }

    mutating func nestedUnkeyedContainer() throws -> UnkeyedDecodingContainer {
        let (node, path) = try next([Any].self)
        return try NodeDecoder(node, codingPath: path).unkeyedContainer()
    }

    mutating func superDecoder() throws -> Decoder {
        let (node, path) = try next(Any.self)
        return NodeDecoder(node, codingPath: path)
    }
}

private struct SingleNodeContainer: SingleValueDecodingContainer {
    let decoder: NodeDecoder
    var codingPath: [CodingKey] { decoder.codingPath }

    func decodeNil() -> Bool { YAMLScalars.isNull(decoder.node) }

    func mismatch<T>(_ type: T.Type) -> DecodingError {
        DecodingError.typeMismatch(type, .init(codingPath: codingPath, debugDescription: "wrong type"))
    }

    func plain<T>(_ type: T.Type) throws -> String {
        let scalar = try decoder.scalar(type)
        // A quoted scalar is text in YAML, whatever it looks like.
        guard scalar.style == .plain else { throw mismatch(type) }
        return scalar.string
    }

    func decode(_ type: Bool.Type) throws -> Bool {
        guard let value = YAMLScalars.bool(try plain(type)) else { throw mismatch(type) }
        return value
    }

    func decode(_ type: String.Type) throws -> String { try decoder.scalar(type).string }

    func decode(_ type: Double.Type) throws -> Double {
        guard let value = YAMLScalars.double(try plain(type)) else { throw mismatch(type) }
        return value
    }

    func decode(_ type: Float.Type) throws -> Float { Float(try decode(Double.self)) }

    func decode(_ type: Int.Type) throws -> Int {
        guard let value = YAMLScalars.int(try plain(type)) else { throw mismatch(type) }
        return value
    }

    func decode(_ type: Int8.Type) throws -> Int8 { try narrow(type) }
    func decode(_ type: Int16.Type) throws -> Int16 { try narrow(type) }
    func decode(_ type: Int32.Type) throws -> Int32 { try narrow(type) }
    func decode(_ type: Int64.Type) throws -> Int64 { try narrow(type) }
    func decode(_ type: UInt.Type) throws -> UInt { try narrow(type) }
    func decode(_ type: UInt8.Type) throws -> UInt8 { try narrow(type) }
    func decode(_ type: UInt16.Type) throws -> UInt16 { try narrow(type) }
    func decode(_ type: UInt32.Type) throws -> UInt32 { try narrow(type) }
    func decode(_ type: UInt64.Type) throws -> UInt64 { try narrow(type) }

    func narrow<T: FixedWidthInteger>(_ type: T.Type) throws -> T {
        guard let value = T(exactly: try decode(Int.self)) else { throw mismatch(type) }
        return value
    }

    func decode<T: Decodable>(_ type: T.Type) throws -> T { try decoder.decodeValue(type) }
}

/// YAML 1.1 scalar resolution for plain scalars, by hand (no regular expressions).
public enum YAMLScalars {
    public static func isNull(_ node: Node) -> Bool {
        guard case .scalar(let s) = node, s.style == .plain else { return false }
        return isNullText(s.string)
    }

    static func isNullText(_ text: String) -> Bool {
        text.isEmpty || text == "~" || text == "null" || text == "Null" || text == "NULL"
    }

    public static func bool(_ text: String) -> Bool? {
        switch text {
        case "true", "True", "TRUE", "yes", "Yes", "YES", "on", "On", "ON": return true
        case "false", "False", "FALSE", "no", "No", "NO", "off", "Off", "OFF": return false
        default: return nil
        }
    }

    public static func int(_ text: String) -> Int? {
        var digits = text.replacingOccurrences(of: "_", with: "")
        var sign = 1
        if digits.hasPrefix("-") { sign = -1; digits.removeFirst() } else if digits.hasPrefix("+") { digits.removeFirst() }
        guard let first = digits.first, first.isASCII, first.isNumber else { return nil }
        if digits.hasPrefix("0x") { return Int(digits.dropFirst(2), radix: 16).map { $0 * sign } }
        if digits.hasPrefix("0o") { return Int(digits.dropFirst(2), radix: 8).map { $0 * sign } }
        return Int(digits).map { $0 * sign }
    }

    public static func double(_ text: String) -> Double? {
        if let i = int(text) { return Double(i) }
        switch text {
        case ".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF": return .infinity
        case "-.inf", "-.Inf", "-.INF": return -.infinity
        case ".nan", ".NaN", ".NAN": return .nan
        default: break
        }
        let cleaned = text.containsByte(UInt8(ascii: "_")) ? text.replacingOccurrences(of: "_", with: "") : text
        // Swift's Double(_:) also takes "inf", "nan" and hex floats, which YAML spells differently.
        guard let first = cleaned.first, first == "-" || first == "+" || first == "." || first.isNumber,
              !cleaned.utf8.contains(where: { $0 | 0x20 == UInt8(ascii: "x") || $0 | 0x20 == UInt8(ascii: "n") }) else { return nil }
        return Double(cleaned)
    }

    private static let utc = TimeZone(identifier: "UTC")!

    /// YYYY-MM-DD, optionally followed by a time ("T" or space, hh:mm[:ss][Z|±hh:mm]); read in UTC.
    public static func date(_ text: String) -> Date? {
        let chars = Array(text.utf8)
        func number(_ from: Int, _ count: Int) -> Int? {
            guard from + count <= chars.count else { return nil }
            var value = 0
            for c in chars[from..<(from + count)] {
                guard c >= 48, c <= 57 else { return nil }
                value = value * 10 + Int(c - 48)
            }
            return value
        }
        guard chars.count >= 10, chars[4] == UInt8(ascii: "-"), chars[7] == UInt8(ascii: "-"),
              let year = number(0, 4), let month = number(5, 2), let day = number(8, 2),
              (1...12).contains(month), (1...31).contains(day) else { return nil }
        var components = DateComponents(timeZone: utc, year: year, month: month, day: day)
        if chars.count > 10 {
            guard chars[10] == UInt8(ascii: "T") || chars[10] == UInt8(ascii: " ") || chars[10] == UInt8(ascii: "t"),
                  let hour = number(11, 2), chars.count >= 16, chars[13] == UInt8(ascii: ":"), let minute = number(14, 2) else { return nil }
            components.hour = hour
            components.minute = minute
            if chars.count >= 19, chars[16] == UInt8(ascii: ":"), let second = number(17, 2) { components.second = second }
        }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = utc
        guard let date = calendar.date(from: components),
              calendar.component(.day, from: date) == day else { return nil }
        return date
    }

    /// An untyped value: plain scalars are resolved (null, bool, int, float, date), quoted ones stay text.
    public static func value(of node: Node) -> YAMLValue {
        switch node {
        case .scalar(let s):
            guard s.style == .plain else { return .string(s.string) }
            let text = s.string
            if isNullText(text) { return .null }
            if let b = bool(text) { return .bool(b) }
            if let i = int(text) { return .int(i) }
            if let d = double(text) { return .double(d) }
            if text.count >= 10, let date = date(text) { return .date(date) }
            return .string(text)
        case .mapping(let mapping):
            var values: [String: YAMLValue] = [:]
            var order: [String] = []
            for (key, value) in mapping {
                let name = key.scalar?.string ?? ""
                if values.updateValue(Self.value(of: value), forKey: name) == nil { order.append(name) }
            }
            return .object(values, order: order)
        case .sequence(let sequence):
            return .array(sequence.map(Self.value(of:)))
        case .alias:
            return .null
        }
    }
}

/// A key in a mapping whose keys are all Tianshan's (`StrictCodingKeys`) that is none of them.
struct UnknownKey: Error {
    let name: String
    /// The key itself, for its position.
    let node: Node
    /// Of the mapping that holds it.
    let codingPath: [CodingKey]
    let known: [String]
}
