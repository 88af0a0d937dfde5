import Foundation
import TianshanModel
import Yams

/// Reads the theme's field declarations (`fields.yaml` at the templates root) and checks a page's values against
/// them. A declaration names a field and its type: a scalar kind (`string`, `number`, `integer`, `bool`, `date`,
/// or several joined by `|`), a list (`[T]`) or an object (a mapping of member names to types, a trailing `?`
/// marking a member that may be left out).
public enum FieldsLoader {
    public static let fileName = "fields.yaml"

    /// The declarations in `file` (none without one), and the problems found in it.
    public static func load(_ file: TextFile?, templatesDisplay: String) -> (ThemeFields, [Diagnostic]) {
        guard let file else { return (ThemeFields(), []) }
        let display = templatesDisplay + file.path
        let root: Node
        switch YAMLDocument.compose(file.text, file: display) {
        case .success(let node): root = node
        case .failure(let problem): return (ThemeFields(), [problem])
        }
        var problems: [Diagnostic] = []
        var types: [String: FieldType] = [:]
        guard let mapping = root.mapping else {
            if root.scalar?.string.isEmpty == true { return (ThemeFields(file: display, hash: ThemeFields.hash(of: file)), []) }
            return (ThemeFields(), [.error(at: YAMLDocument.location(of: root, file: display, lineOffset: 0),
                                           "the field declarations must be a mapping of field names to types",
                                           hint: "for example `organisation: string`")])
        }
        for (key, value) in mapping {
            let name = key.scalar?.string ?? ""
            let at = YAMLDocument.location(of: key, file: display, lineOffset: 0)
            guard !ThemeFields.reserved.contains(name) else {
                problems.append(.error(at: at, field: name, "'\(name)' is a name the engine gives pages, so a theme cannot declare it",
                                       hint: "choose another name"))
                continue
            }
            if let type = parse(value, path: name, file: display, problems: &problems)?.type { types[name] = type }
        }
        return (ThemeFields(types, file: display, hash: ThemeFields.hash(of: file)), problems)
    }

    static func parse(_ node: Node, path: String, file: String, problems: inout [Diagnostic]) -> (type: FieldType, optional: Bool)? {
        let at = YAMLDocument.location(of: node, file: file, lineOffset: 0)
        switch node {
        case .scalar(let scalar):
            var text = scalar.string.trimmingCharacters(in: .whitespaces)
            let optional = text.hasSuffix("?")
            if optional { text.removeLast() }
            var kinds: [ScalarKind] = []
            for part in text.split(separator: "|") {
                let word = part.trimmingCharacters(in: .whitespaces)
                guard let kind = ScalarKind(rawValue: word) else {
                    let known = ScalarKind.allCases.map(\.rawValue)
                    problems.append(.error(at: at, field: path, "unknown type '\(word)' for '\(path)'"
                        + (Suggestion.closest(to: word, among: known).map { "; did you mean '\($0)'?" } ?? ""),
                        hint: "the types are \(known.joined(separator: ", ")), [T] for a list and a mapping for an object"))
                    return nil
                }
                if !kinds.contains(kind) { kinds.append(kind) }
            }
            guard !kinds.isEmpty else {
                problems.append(.error(at: at, field: path, "'\(path)' has no type", hint: "for example `\(path): string`"))
                return nil
            }
            return (.scalar(kinds), optional)
        case .sequence(let sequence):
            guard sequence.count == 1, let item = sequence.first else {
                problems.append(.error(at: at, field: path, "a list type names one item type, as in `[string]`"))
                return nil
            }
            return parse(item, path: path + "[]", file: file, problems: &problems).map { (.list($0.type), false) }
        case .mapping(let mapping):
            var members: [FieldMember] = []
            var failed = false
            for (key, value) in mapping {
                let name = key.scalar?.string ?? ""
                guard let member = parse(value, path: path + "." + name, file: file, problems: &problems) else {
                    failed = true
                    continue
                }
                members.append(FieldMember(name: name, type: member.type, optional: member.optional))
            }
            return failed ? nil : (.object(members), false)
        case .alias:
            problems.append(.error(at: at, field: path, "aliases are not allowed in field declarations"))
            return nil
        }
    }

    /// The problems of `value` (from `node`, which gives positions) as a `type` at `path` (`figures[1].value`).
    public static func check(_ value: YAMLValue, node: Node?, type: FieldType, path: String, fields: ThemeFields,
                             file: String, lineOffset: Int) -> [Diagnostic] {
        let at = YAMLDocument.location(of: node, file: file, lineOffset: lineOffset)
        func mismatch() -> [Diagnostic] {
            [.error(at: at, field: path, "'\(path)' must be \(article(type)), not \(describe(value))",
                    hint: "\(fields.file) declares it as \(type)")]
        }
        switch type {
        case .scalar(let kinds):
            if case .null = value { return [] }
            return kinds.contains(where: { accepts($0, value) }) ? [] : mismatch()
        case .list(let item):
            guard case .array(let items) = value else { return mismatch() }
            let nodes = node?.sequence.map(Array.init) ?? []
            return items.enumerated().flatMap { index, element in
                check(element, node: index < nodes.count ? nodes[index] : node, type: item, path: "\(path)[\(index)]",
                      fields: fields, file: file, lineOffset: lineOffset)
            }
        case .object(let members):
            guard case .object(let values, let order) = value else { return mismatch() }
            var problems: [Diagnostic] = []
            let mapping = node?.mapping
            let names = members.map(\.name)
            for key in order where !names.contains(key) {
                let keyNode = mapping?.first { $0.key.scalar?.string == key }?.key
                problems.append(.error(
                    at: YAMLDocument.location(of: keyNode ?? node, file: file, lineOffset: lineOffset), field: "\(path).\(key)",
                    "unknown key '\(key)' in '\(path)'" + (Suggestion.closest(to: key, among: names).map { "; did you mean '\($0)'?" } ?? ""),
                    hint: "\(fields.file) gives it the keys \(names.joined(separator: ", "))"))
            }
            for member in members {
                let memberValue = values[member.name] ?? .null
                if case .null = memberValue {
                    if !member.optional {
                        problems.append(.error(at: at, field: "\(path).\(member.name)", "'\(path)' has no '\(member.name)'",
                                               hint: "\(fields.file) requires it (a trailing ? in its type would make it optional)"))
                    }
                    continue
                }
                // By the key's text: Yams' `mapping[Node(name)]` resolves a tag for the probe and compares whole nodes.
                let memberNode = mapping?.first { $0.key.scalar?.string == member.name }?.value
                problems += check(memberValue, node: memberNode, type: member.type, path: "\(path).\(member.name)",
                                  fields: fields, file: file, lineOffset: lineOffset)
            }
            return problems
        }
    }

    static func accepts(_ kind: ScalarKind, _ value: YAMLValue) -> Bool {
        switch (kind, value) {
        case (.string, .string), (.string, .int), (.string, .double), (.string, .bool), (.string, .date): return true
        case (.number, .int), (.number, .double), (.integer, .int), (.bool, .bool), (.date, .date): return true
        default: return false
        }
    }

    static func article(_ type: FieldType) -> String {
        switch type {
        case .scalar(let kinds): return kinds.map { $0 == .integer ? "an integer" : "a \($0.rawValue)" }.joined(separator: " or ")
        case .list: return "a list"
        case .object: return "a mapping"
        }
    }

    static func describe(_ value: YAMLValue) -> String {
        switch value {
        case .null: return "empty"
        case .bool: return "true/false"
        case .int: return "an integer"
        case .double: return "a number"
        case .string(let text): return "the text '\(text.count > 30 ? String(text.prefix(30)) + "…" : text)'"
        case .date: return "a date"
        case .array: return "a list"
        case .object: return "a mapping"
        }
    }
}
