import Foundation
import Mustache
import TianshanModel

/// All Mustache templates of a site, compiled once and checked for missing partials and parents.
public struct TemplateLibrary: Sendable {
    let library: MustacheLibrary
    /// Template names: paths under `Templates/` without ".mustache", with dots for slashes ("layouts.case",
    /// "partials.header"), because Mustache closing tags (`{{/layouts.base}}`) cannot hold a slash.
    public let names: Set<String>

    public static func compile(_ files: [TextFile], displayRoot: String = "Templates/") -> Result<TemplateLibrary, DiagnosticsError> {
        var library = MustacheLibrary()
        var names = Set<String>()
        var problems: [Diagnostic] = []
        var references: [(file: String, name: String, location: SourceLocation)] = []
        for file in files {
            let name = String(file.path.dropLast(".mustache".count)).replacingOccurrences(of: "/", with: ".")
            let display = displayRoot + file.path
            do {
                library.register(try MustacheTemplate(string: file.text), named: name)
                names.insert(name)
                references += partialReferences(in: file.text, file: display)
            } catch let error as MustacheTemplate.ParserError {
                problems.append(.error(
                    at: SourceLocation(file: display, line: error.context.lineNumber, column: error.context.columnNumber),
                    field: "template", "template syntax error: \(error.error)"
                ))
            } catch {
                problems.append(.error(at: SourceLocation(file: display), field: "template", "template syntax error: \(error)"))
            }
        }
        for reference in references where !names.contains(reference.name) {
            problems.append(.error(
                at: reference.location, field: "template",
                "unknown partial or parent template '\(reference.name)'",
                hint: "known templates: \(names.sorted().joined(separator: ", "))"
            ))
        }
        guard problems.isEmpty else { return .failure(DiagnosticsError(problems)) }
        return .success(TemplateLibrary(library: library, names: names))
    }

    public func contains(_ name: String) -> Bool { names.contains(name) }

    public func render(_ name: String, _ context: TemplateValue) -> String? {
        library.render(context, withTemplate: name)
    }

    /// Names used in `{{> name}}` and `{{< name}}` tags, with where they stand.
    static func partialReferences(in text: String, file: String) -> [(file: String, name: String, location: SourceLocation)] {
        var found: [(String, String, SourceLocation)] = []
        for (lineIndex, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            var rest = line[...]
            while let open = rest.range(of: "{{") {
                let after = rest[open.upperBound...]
                guard let marker = after.first, marker == ">" || marker == "<" else {
                    rest = after
                    continue
                }
                guard let close = after.range(of: "}}") else { break }
                let name = after[after.index(after: after.startIndex)..<close.lowerBound].trimmingCharacters(in: " \t")
                // Dynamic names ("*name") are resolved at render time.
                if !name.hasPrefix("*") {
                    let column = line.distance(from: line.startIndex, to: open.lowerBound) + 1
                    found.append((file, name, SourceLocation(file: file, line: lineIndex + 1, column: column)))
                }
                rest = after[close.upperBound...]
            }
        }
        return found
    }
}

extension Substring {
    func trimmingCharacters(in set: String) -> String {
        var s = self
        while let first = s.first, set.contains(first) { s = s.dropFirst() }
        while let last = s.last, set.contains(last) { s = s.dropLast() }
        return String(s)
    }
}
