import Foundation

/// Any value a YAML or JSON document can hold, kept typed so it can flow into templates and tables.
public enum YAMLValue: Hashable, Sendable, Codable {
    case null
    case bool(Bool)
    case int(Int)
    case double(Double)
    case string(String)
    case date(Date)
    case array([YAMLValue])
    case object([String: YAMLValue], order: [String])

    public init(from decoder: Decoder) throws {
        if var list = try? decoder.unkeyedContainer() {
            var items: [YAMLValue] = []
            while !list.isAtEnd { items.append(try list.decode(YAMLValue.self)) }
            self = .array(items)
            return
        }
        if let map = try? decoder.container(keyedBy: AnyKey.self) {
            var values: [String: YAMLValue] = [:]
            for key in map.allKeys { values[key.stringValue] = try map.decode(YAMLValue.self, forKey: key) }
            self = .object(values, order: map.allKeys.map(\.stringValue))
            return
        }
        let single = try decoder.singleValueContainer()
        if single.decodeNil() { self = .null }
        else if let value = try? single.decode(Bool.self) { self = .bool(value) }
        else if let value = try? single.decode(Int.self) { self = .int(value) }
        else if let value = try? single.decode(Double.self) { self = .double(value) }
        else if let value = try? single.decode(Date.self) { self = .date(value) }
        else { self = .string(try single.decode(String.self)) }
    }

    public func encode(to encoder: Encoder) throws {
        switch self {
        case .null:
            var single = encoder.singleValueContainer(); try single.encodeNil()
        case .bool(let v):
            var single = encoder.singleValueContainer(); try single.encode(v)
        case .int(let v):
            var single = encoder.singleValueContainer(); try single.encode(v)
        case .double(let v):
            var single = encoder.singleValueContainer(); try single.encode(v)
        case .string(let v):
            var single = encoder.singleValueContainer(); try single.encode(v)
        case .date(let v):
            var single = encoder.singleValueContainer(); try single.encode(v)
        case .array(let items):
            var list = encoder.unkeyedContainer()
            for item in items { try list.encode(item) }
        case .object(let values, let order):
            var map = encoder.container(keyedBy: AnyKey.self)
            for key in order { if let v = values[key] { try map.encode(v, forKey: AnyKey(key)) } }
        }
    }

    /// The value as display text (numbers without a trailing ".0").
    public var text: String {
        switch self {
        case .null: return ""
        case .bool(let v): return v ? "true" : "false"
        case .int(let v): return String(v)
        case .double(let v): return NumberText.plain(v)
        case .string(let v): return v
        case .date(let v): return DateText.iso(v)
        case .array(let items): return items.map(\.text).joined(separator: ", ")
        case .object: return ""
        }
    }
}

/// A coding key made from any string, for maps whose keys are data.
public struct AnyKey: CodingKey, Hashable, Sendable {
    public var stringValue: String
    public var intValue: Int?
    public init(_ string: String) { stringValue = string }
    public init?(stringValue: String) { self.stringValue = stringValue }
    public init?(intValue: Int) { stringValue = String(intValue); self.intValue = intValue }
}
