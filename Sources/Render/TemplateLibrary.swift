import Foundation
import Mustache
import TianshanModel

/// All Mustache templates of a site, compiled once and checked for missing partials and parents.
public struct TemplateLibrary: Sendable {
    let library: MustacheLibrary
    /// The templates as written, for a context whose root is not an object (and so has no fragment values).
    let plain: MustacheLibrary
    /// Each template's text and the templates it includes, for `closureHash(of:)`.
    let texts: [String: String]
    let includes: [String: [String]]
    /// Templates holding a dynamic partial.
    let dynamic: Set<String>
    /// Fragment variable -> the partial it renders (`FragmentPlan`): values `render` adds to a context's root.
    let fragments: [String: String]
    /// Template names: paths under `Templates/` without ".mustache", with dots for slashes ("layouts.case",
    /// "partials.header"), because Mustache closing tags (`{{/layouts.base}}`) cannot hold a slash.
    public let names: Set<String>

    /// - Parameter fragments: whether partials that see only the root are rendered as reusable fragments
    ///   (`FragmentPlan`); the output is the same either way.
    public static func compile(_ files: [TextFile], displayRoot: String = "Templates/", fragments: Bool = true) -> Result<TemplateLibrary, DiagnosticsError> {
        HTMLEscaping.registered
        var library = MustacheLibrary()
        var names = Set<String>()
        var problems: [Diagnostic] = []
        var references: [(file: String, name: String, location: SourceLocation)] = []
        var texts: [String: String] = [:]
        var includes: [String: [String]] = [:]
        var dynamic = Set<String>()
        for file in files {
            let name = String(file.path.dropLast(".mustache".count)).replacingOccurrences(of: "/", with: ".")
            let display = displayRoot + file.path
            do {
                library.register(try MustacheTemplate(string: HTMLEscaping.pragma + file.text), named: name)
                names.insert(name)
                let found = partialReferences(in: file.text, file: display)
                references += found
                texts[name] = file.text
                includes[name] = found.filter { !$0.name.hasPrefix("*") }.map(\.name)
                // Changed delimiters hide the references that follow, which could then be to any template.
                if found.contains(where: { $0.name.hasPrefix("*") }) || file.text.contains("{{=") { dynamic.insert(name) }
            } catch let error as MustacheTemplate.ParserError {
                problems.append(.error(
                    // One line less: the escaping pragma was put in front.
                    at: SourceLocation(file: display, line: max(1, error.context.lineNumber - 1), column: error.context.columnNumber),
                    field: "template", "template syntax error: \(error.error)"
                ))
            } catch {
                problems.append(.error(at: SourceLocation(file: display), field: "template", "template syntax error: \(error)"))
            }
        }
        for reference in references where !reference.name.hasPrefix("*") && !names.contains(reference.name) {
            problems.append(.error(
                at: reference.location, field: "template",
                "unknown partial or parent template '\(reference.name)'",
                hint: "known templates: \(names.sorted().joined(separator: ", "))"
            ))
        }
        guard problems.isEmpty else { return .failure(DiagnosticsError(problems)) }
        let plain = library
        var plan = fragments ? FragmentPlan(texts: texts) : FragmentPlan()
        do {
            for (name, text) in plan.rewritten { library.register(try MustacheTemplate(string: HTMLEscaping.pragma + text), named: name) }
            // Each fragment is a partial of one line printing the value of the same name.
            for variable in plan.fragments.keys {
                library.register(try MustacheTemplate(string: HTMLEscaping.pragma + "{{{\(variable)}}}"), named: variable)
            }
        } catch {
            // The originals parsed, so these do too; should they not, every template stays as written.
            plan = FragmentPlan()
        }
        return .success(TemplateLibrary(library: plan.fragments.isEmpty ? plain : library, plain: plain, texts: texts, includes: includes,
                                        dynamic: dynamic, fragments: plan.fragments, names: names))
    }

    public func contains(_ name: String) -> Bool { names.contains(name) }

    /// A hash of a template and everything it includes, in a stable order: equal hashes, equal template code.
    public func closureHash(of name: String) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for member in closure(of: name).sorted() {
            hash = ContentHash.hash(member + "\u{1F}", seed: hash)
            hash = ContentHash.hash((texts[member] ?? "") + "\u{1F}", seed: hash)
        }
        return hash
    }

    /// A template and every template it can include. A dynamic partial (`{{>*name}}`) is resolved at render
    /// time and could include any template, so a closure holding one holds them all.
    func closure(of name: String) -> Set<String> {
        var seen = Set<String>()
        var stack = [name]
        while let next = stack.popLast() {
            guard seen.insert(next).inserted else { continue }
            stack += includes[next] ?? []
        }
        if seen.contains(where: { dynamic.contains($0) }) { return names }
        return seen
    }

    /// - Parameter fragments: reuses fragments across the outputs of one build; without it each is rendered.
    public func render(_ name: String, _ context: TemplateValue, fragments cache: FragmentCache? = nil) -> String? {
        guard !fragments.isEmpty else { return library.render(context, withTemplate: name) }
        guard case .object(var fields) = context else { return plain.render(context, withTemplate: name) }
        let root = fields
        let library = library
        for (variable, partial) in fragments {
            fields[variable] = .lazy(LazyTemplateValue {
                .text(cache?.html(partial, fields: root, library: library) ?? library.render(TemplateValue.object(root), withTemplate: partial) ?? "")
            })
        }
        return library.render(TemplateValue.object(fields), withTemplate: name)
    }

    /// Names used in `{{> name}}` and `{{< name}}` tags (dynamic ones as "*name"), with where they stand. Tags
    /// may span lines (`{{> name\n}}`), as the parser allows.
    static func partialReferences(in text: String, file: String) -> [(file: String, name: String, location: SourceLocation)] {
        FragmentPlan.tags(text).compactMap { tag in
            let name: String
            switch tag.kind {
            case .partial, .parent: name = tag.name
            case .dynamicPartial: name = "*" + tag.name
            default: return nil
            }
            let before = text[..<tag.range.lowerBound]
            let lineStart = before.lastIndex(where: { $0 == "\n" || $0 == "\r\n" }).map { text.index(after: $0) } ?? text.startIndex
            let line = before.reduce(1) { $1 == "\n" || $1 == "\r\n" ? $0 + 1 : $0 }
            let column = text.distance(from: lineStart, to: tag.range.lowerBound) + 1
            return (file, name, SourceLocation(file: file, line: line, column: column))
        }
    }
}
