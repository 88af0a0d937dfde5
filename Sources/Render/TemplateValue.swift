import Foundation
import Mustache
import TianshanModel

/// The typed values templates see. Mustache escapes `text` and numbers; `{{{ }}}` is needed for trusted HTML.
public indirect enum TemplateValue: Sendable {
    case null
    case bool(Bool)
    case text(String)
    case number(Double)
    case list([TemplateValue])
    case object([String: TemplateValue])
    /// Computed only if a template reads it, so site-wide lists cost nothing on pages that ignore them.
    case lazy(LazyTemplateValue)
    /// Read from a named input: reaching it records the input in the current `ReadRecorder`.
    case tracked(TrackedValue)

    public static func optional(_ text: String?) -> TemplateValue {
        text.map(TemplateValue.text) ?? .null
    }

    public subscript(key: String) -> TemplateValue {
        if case .object(let values) = self { return values[key] ?? .null }
        if case .tracked(let tracked) = self { return tracked.value[key] }
        return .null
    }

    /// A value from YAML front matter or config params.
    public init(_ value: YAMLValue) {
        switch value {
        case .null: self = .null
        case .bool(let b): self = .bool(b)
        case .int(let i): self = .number(Double(i))
        case .double(let d): self = .number(d)
        case .string(let s): self = .text(s)
        case .date(let d): self = .text(DateText.iso(d))
        case .array(let items): self = .list(items.map(TemplateValue.init))
        case .object(let values, _): self = .object(values.mapValues(TemplateValue.init))
        }
    }

    public init(_ value: DataValue) {
        switch value {
        case .null: self = .null
        case .string(let s): self = .text(s)
        case .number(let n): self = .number(n)
        case .approximate: self = .text(value.text)
        case .bool(let b): self = .bool(b)
        case .date(let d): self = .text(DateText.iso(d))
        }
    }
}

// Templates read values through these three protocols directly, so swift-mustache needs one successful
// dynamic cast per lookup instead of converting every value to a Foundation-style dictionary or array first.

extension TemplateValue: MustacheParent {
    /// Object fields by name; lists answer `count`, `first`, `last` and indexes (`{{#pages.0}}`).
    public func child(named name: String) -> Any? {
        switch self {
        case .object(let values):
            guard let value = values[name] else { return nil }
            return value.reached
        case .list(let items):
            switch name {
            case "count": return TemplateValue.number(Double(items.count))
            case "first": return items.first?.reached
            case "last": return items.last?.reached
            case "isEmpty": return TemplateValue.bool(items.isEmpty)
            default:
                guard let index = Int(name), items.indices.contains(index) else { return nil }
                return items[index].reached
            }
        case .lazy, .tracked:
            return reached.child(named: name)
        default:
            return nil
        }
    }
}

extension TemplateValue: MustacheSequence {
    /// What a section iterates: a list's items; an object or other truthy value once; nothing for false, null,
    /// empty text or an empty list (so `{{^x}}` renders exactly when `{{#x}}` does not).
    public func makeIterator() -> Iterator {
        switch self {
        case .list(let items): return Iterator(items: items)
        case .null, .bool(false): return Iterator()
        case .text(let s) where s.isEmpty: return Iterator()
        case .lazy, .tracked: return reached.makeIterator()
        default: return Iterator(single: self)
        }
    }

    /// Sections are entered for almost every value a page shows; a single value is iterated without
    /// allocating a one-element array for it.
    public struct Iterator: IteratorProtocol {
        var single: TemplateValue?
        var items: [TemplateValue] = []
        var index = 0

        init(single: TemplateValue? = nil, items: [TemplateValue] = []) {
            self.single = single
            self.items = items
        }

        public mutating func next() -> TemplateValue? {
            if let value = single {
                single = nil
                return value
            }
            guard index < items.count else { return nil }
            defer { index += 1 }
            return items[index].reached
        }
    }
}

extension TemplateValue: MustacheCustomRenderable {
    public var renderText: String {
        switch self {
        case .null, .list, .object: return ""
        case .bool(let b): return b ? "true" : "false"
        case .text(let s): return s
        case .number(let n): return NumberText.plain(n)
        case .lazy, .tracked: return reached.renderText
        }
    }

    public var isNull: Bool {
        switch self {
        case .null: return true
        case .lazy, .tracked: return reached.isNull
        default: return false
        }
    }
}

/// A deferred template value.
public struct LazyTemplateValue: Sendable {
    let make: @Sendable () -> TemplateValue
    public init(_ make: @escaping @Sendable () -> TemplateValue) { self.make = make }

    /// Computed at most once, on first use, however many templates and threads read it.
    public static func once(_ make: @escaping @Sendable () -> TemplateValue) -> LazyTemplateValue {
        let box = Once(make)
        return LazyTemplateValue { box.value }
    }

    public var value: TemplateValue { make() }
}

// @unchecked: `result` is only touched under `lock`.
private final class Once: @unchecked Sendable {
    private let lock = NSLock()
    private var result: TemplateValue?
    private let make: @Sendable () -> TemplateValue

    init(_ make: @escaping @Sendable () -> TemplateValue) { self.make = make }

    var value: TemplateValue {
        lock.lock()
        defer { lock.unlock() }
        if let result { return result }
        let made = make()
        result = made
        return made
    }
}

extension TemplateValue {
    /// The value itself, with a deferred one computed.
    public var resolved: TemplateValue {
        switch self {
        case .lazy(let deferred): return deferred.make().resolved
        case .tracked(let tracked): return tracked.value.resolved
        default: return self
        }
    }
}
