import Foundation
import TianshanModel
import Yams

/// Decodes YAML (and JSON, which is YAML) into typed models, turning every failure into located diagnostics.
public enum YAMLDocument {
    /// Largest number of nodes a document may expand to through aliases; stops "billion laughs" documents.
    public static let maxNodes = 5_000_000

    /// Parses `yaml` into a node tree. `lineOffset` is the file line of the first YAML line minus one.
    public static func compose(_ yaml: String, file: String, lineOffset: Int = 0) -> Result<Node, Diagnostic> {
        do {
            // The basic resolver tags every scalar as text: NodeDecoder converts scalars itself, so Yams' regular-
            // expression tag resolution (the slowest part of reading front matter) is skipped.
            let node = try Parser(yaml: yaml, resolver: .basic, constructor: .default, encoding: .utf8).singleRoot()
                ?? Node.mapping(Node.Mapping([]))
            if let problem = aliasProblem(in: node, yaml: yaml, file: file, lineOffset: lineOffset) { return .failure(problem) }
            return .success(node)
        } catch let error as YamlError {
            return .failure(diagnostic(for: error, file: file, lineOffset: lineOffset))
        } catch {
            return .failure(.error(at: SourceLocation(file: file, line: lineOffset + 1, column: 1), "cannot read YAML: \(error)"))
        }
    }

    /// Composes and decodes in one step.
    public static func decode<T: Decodable>(_ type: T.Type, from yaml: String, file: String, lineOffset: Int = 0) -> Result<T, Diagnostic> {
        compose(yaml, file: file, lineOffset: lineOffset).flatMap { decode(type, from: $0, file: file, lineOffset: lineOffset) }
    }

    /// Decodes a node tree, mapping a `DecodingError`'s coding path back to the node's line and column.
    public static func decode<T: Decodable>(_ type: T.Type, from node: Node, file: String, lineOffset: Int = 0) -> Result<T, Diagnostic> {
        do {
            return .success(try NodeDecoder.decode(type, from: node))
        } catch let error as DecodingError {
            return .failure(diagnostic(for: error, root: node, file: file, lineOffset: lineOffset))
        } catch let error as UnknownKey {
            let field = fieldPath(error.codingPath)
            let suggestion = Suggestion.closest(to: error.name, among: error.known)
            return .failure(.error(
                at: location(of: error.node, file: file, lineOffset: lineOffset), field: field.isEmpty ? error.name : field + "." + error.name,
                "unknown key '\(error.name)'" + (suggestion.map { "; did you mean '\($0)'?" } ?? ""),
                hint: "known keys\(field.isEmpty ? "" : " of '\(field)'"): \(error.known.joined(separator: ", "))"
            ))
        } catch let error as YamlError {
            return .failure(diagnostic(for: error, file: file, lineOffset: lineOffset))
        } catch {
            return .failure(.error(at: location(of: node, file: file, lineOffset: lineOffset), "\(error)"))
        }
    }

    public static func location(of node: Node?, file: String, lineOffset: Int) -> SourceLocation {
        guard let mark = node?.mark else { return SourceLocation(file: file, line: lineOffset + 1, column: 1) }
        return SourceLocation(file: file, line: mark.line + lineOffset, column: mark.column)
    }

    /// "rows[3].investment"
    public static func fieldPath(_ path: [CodingKey]) -> String {
        var text = ""
        for key in path {
            if let index = key.intValue, key.stringValue.hasPrefix("Index") || key.stringValue == String(index) {
                text += "[\(index)]"
            } else {
                text += text.isEmpty ? key.stringValue : "." + key.stringValue
            }
        }
        return text
    }

    /// Follows a coding path down a node tree as far as it goes.
    static func node(at path: [CodingKey], in root: Node) -> Node {
        var current = root
        for key in path {
            switch current {
            case .mapping(let mapping):
                guard let next = mapping[key.stringValue] else { return current }
                current = next
            case .sequence(let sequence):
                guard let index = key.intValue, index < sequence.count else { return current }
                current = sequence[index]
            default:
                return current
            }
        }
        return current
    }

    static func diagnostic(for error: DecodingError, root: Node, file: String, lineOffset: Int) -> Diagnostic {
        switch error {
        case .typeMismatch(let type, let context):
            let node = node(at: context.codingPath, in: root)
            let found = node.scalar.map { "'\($0.string)'" } ?? describe(node)
            return .error(
                at: location(of: node, file: file, lineOffset: lineOffset), field: fieldPath(context.codingPath),
                "expected \(describe(type)), found \(found)"
            )
        case .valueNotFound(let type, let context):
            let node = node(at: context.codingPath, in: root)
            return .error(
                at: location(of: node, file: file, lineOffset: lineOffset), field: fieldPath(context.codingPath),
                "expected \(describe(type)), found nothing"
            )
        case .keyNotFound(let key, let context):
            let node = node(at: context.codingPath, in: root)
            return .error(
                at: location(of: node, file: file, lineOffset: lineOffset), field: fieldPath(context.codingPath + [key]),
                "missing required field '\(key.stringValue)'", hint: "add '\(key.stringValue):' here"
            )
        case .dataCorrupted(let context):
            let node = node(at: context.codingPath, in: root)
            let found = node.scalar.map { " '\($0.string)'" } ?? ""
            return .error(
                at: location(of: node, file: file, lineOffset: lineOffset), field: fieldPath(context.codingPath),
                "invalid value\(found): \(context.debugDescription)"
            )
        @unknown default:
            return .error(at: SourceLocation(file: file), "\(error)")
        }
    }

    static func diagnostic(for error: YamlError, file: String, lineOffset: Int) -> Diagnostic {
        switch error {
        case .scanner(let context, let problem, let mark, _), .parser(let context, let problem, let mark, _),
             .composer(let context, let problem, let mark, _):
            let where_ = context.map { " (\($0.text) at line \($0.mark.line + lineOffset))" } ?? ""
            return .error(
                at: SourceLocation(file: file, line: mark.line + lineOffset, column: mark.column), field: "YAML",
                "YAML syntax error: \(problem)\(where_)", hint: "check indentation, colons and quotes on this line"
            )
        case .reader(let problem, _, _, _):
            return .error(at: SourceLocation(file: file, line: lineOffset + 1, column: 1), field: "YAML", "cannot read YAML: \(problem)")
        case .duplicatedKeysInMapping(let duplicates, let context):
            return .error(
                at: SourceLocation(file: file, line: context.mark.line + lineOffset, column: context.mark.column), field: "YAML",
                "duplicate key\(duplicates.count == 1 ? "" : "s") \(duplicates.map { "'\($0)'" }.joined(separator: ", "))"
            )
        default:
            return .error(at: SourceLocation(file: file, line: lineOffset + 1, column: 1), field: "YAML", "YAML error: \(error)")
        }
    }

    static func describe(_ type: Any.Type) -> String {
        switch type {
        case is String.Type: return "text"
        case is Int.Type: return "a whole number"
        case is Double.Type, is Float.Type: return "a number"
        case is Bool.Type: return "true or false"
        case is Date.Type: return "a date (YYYY-MM-DD)"
        default:
            let name = String(describing: type)
            if name.hasPrefix("Array") { return "a list" }
            if name.hasPrefix("Dictionary") || name.hasPrefix("Node.Mapping") { return "a mapping of keys to values" }
            if name.hasPrefix("Node.Scalar") { return "a single value" }
            if name.hasPrefix("Node.Sequence") { return "a list" }
            return name
        }
    }

    static func describe(_ node: Node) -> String {
        switch node {
        case .scalar(let s): return "'\(s.string)'"
        case .mapping: return "a mapping"
        case .sequence: return "a list"
        case .alias: return "an alias"
        }
    }

    /// Yams resolves an alias to the anchored node itself, so a document of a few lines can stand for billions of
    /// values ("billion laughs"). Walk it with aliases expanded, but stop as soon as the count passes the limit.
    static func aliasProblem(in root: Node, yaml: String, file: String, lineOffset: Int) -> Diagnostic? {
        // Aliases need anchors; without an "&" nothing can be shared.
        guard yaml.utf8.contains(UInt8(ascii: "&")) else { return nil }
        var count = 0
        var deepest: Node?
        func walk(_ node: Node) -> Bool {
            count += 1
            if count > maxNodes { deepest = deepest ?? node; return false }
            switch node {
            case .mapping(let m):
                for (k, v) in m where !walk(k) || !walk(v) { deepest = deepest ?? node; return false }
            case .sequence(let s):
                for item in s where !walk(item) { deepest = deepest ?? node; return false }
            case .scalar, .alias:
                break
            }
            return true
        }
        guard !walk(root) else { return nil }
        return .error(
            at: location(of: deepest, file: file, lineOffset: lineOffset), field: "YAML",
            "aliases expand this document to more than \(maxNodes) values", hint: "YAML alias bombs are refused; write the values out"
        )
    }
}
