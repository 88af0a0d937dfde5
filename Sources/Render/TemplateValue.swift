import Mustache
import TianshanModel

/// The typed values templates see. Mustache escapes `text` and numbers; `{{{ }}}` is needed for trusted HTML.
public indirect enum TemplateValue: Sendable, Equatable {
    case null
    case bool(Bool)
    case text(String)
    case number(Double)
    case list([TemplateValue])
    case object([String: TemplateValue])

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
        case .list(let items): return items
        case .object(let values): return values
        }
    }
}
