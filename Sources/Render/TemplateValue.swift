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

    public static func optional(_ text: String?) -> TemplateValue {
        text.map(TemplateValue.text) ?? .null
    }

    public subscript(key: String) -> TemplateValue {
        if case .object(let values) = self { return values[key] ?? .null }
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
        case .bool(let b): self = .bool(b)
        case .date(let d): self = .text(DateText.iso(d))
        }
    }
}

extension TemplateValue: MustacheCustomRepresentation {
    public var representation: Any? {
        switch self {
        case .null: return nil
        case .bool(let b): return b
        // Empty text is falsy, so `{{#page.summary}}` skips a missing summary.
        case .text(let s): return s.isEmpty ? nil : s
        case .number(let n): return NumberText.plain(n)
        case .list(let items): return TemplateList(items: items)
        case .object(let values): return values
        case .lazy(let value): return value.make().representation
        }
    }
}

/// A deferred template value.
public struct LazyTemplateValue: Sendable {
    let make: @Sendable () -> TemplateValue
    public init(_ make: @escaping @Sendable () -> TemplateValue) { self.make = make }
}

/// A list that sections iterate and that also answers `.count`, `.first`, `.0`, `.1`…,
/// so a template can write `{{#navigation.0}}<nav>…</nav>{{/navigation.0}}`.
struct TemplateList: MustacheSequence, MustacheParent {
    var items: [TemplateValue]

    func makeIterator() -> IndexingIterator<[TemplateValue]> { items.makeIterator() }

    func child(named name: String) -> Any? {
        switch name {
        case "count": return items.count
        case "first": return items.first
        case "last": return items.last
        case "isEmpty": return items.isEmpty
        default:
            guard let index = Int(name), items.indices.contains(index) else { return nil }
            return items[index]
        }
    }
}
