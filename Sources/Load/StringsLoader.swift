import Foundation
import TianshanModel

/// Reads the theme's strings files (`i18n/<language>.yaml` under the templates folder), picks the site's
/// language and lays the site's own `strings:` over it. Every language file must hold every key any of them
/// holds and every key the engine reads, and every `strings.…` a template names must exist: a missing string
/// is an error naming the key and the file, so no page ever shows a key instead of a word.
public enum StringsLoader {
    public static let folder = "i18n/"

    /// The strings for `config.language`; the problems found in the files, the overrides and the templates.
    public static func load(
        _ files: [TextFile], config: SiteConfig, templates: [TextFile], templatesDisplay: String, contentDisplay: String
    ) -> (ThemeStrings, [Diagnostic]) {
        var problems: [Diagnostic] = []
        var byLanguage: [String: (file: String, values: [String: String])] = [:]
        for file in files.sorted(by: { $0.path < $1.path }) {
            let display = templatesDisplay + file.path
            let language = String(file.path.dropFirst(folder.count).split(separator: ".").dropLast().joined(separator: "."))
            switch YAMLDocument.decode(YAMLValue.self, from: file.text, file: display) {
            case .success(let document):
                var found: [(key: String, problem: String)] = []
                let values = ThemeStrings.flatten(document, problems: &found)
                for problem in found {
                    problems.append(.error(at: SourceLocation(file: display), field: problem.key, "string '\(problem.key)' \(problem.problem)"))
                }
                byLanguage[language] = (display, values)
            case .failure(let problem):
                problems.append(problem)
            }
        }
        let languages = byLanguage.keys.sorted()
        guard let chosen = pick(config.language, among: languages) else {
            problems.append(.error(
                at: SourceLocation(file: contentDisplay + SourceReader.configName), field: "language",
                "the theme has no strings for language '\(config.language)'",
                hint: languages.isEmpty ? "add \(templatesDisplay)\(folder)\(config.language).yaml"
                    : "the theme speaks \(languages.joined(separator: ", ")); add \(templatesDisplay)\(folder)\(config.language).yaml or choose one of them"))
            return (ThemeStrings(), problems)
        }
        // Every key some language has, and every key the engine reads, must be in each language's file.
        let allKeys = Set(byLanguage.values.flatMap(\.values.keys)).union(ThemeStrings.engineKeys)
        for language in languages {
            let (file, values) = byLanguage[language]!
            for key in allKeys.subtracting(values.keys).sorted() {
                let holder = languages.first { byLanguage[$0]!.values[key] != nil }
                problems.append(.error(at: SourceLocation(file: file), field: key, "missing string '\(key)'",
                                       hint: holder.map { "\(byLanguage[$0]!.file) has it" } ?? "the engine reads it"))
            }
        }
        var strings = ThemeStrings(byLanguage[chosen]!.values, file: byLanguage[chosen]!.file)
        for key in config.strings.values.keys.sorted() {
            guard strings.values[key] != nil else {
                problems.append(.error(
                    at: SourceLocation(file: contentDisplay + SourceReader.configName), field: "strings.\(key)",
                    "the theme has no string '\(key)'",
                    hint: Suggestion.closest(to: key, among: Array(strings.values.keys)).map { "did you mean '\($0)'?" }))
                continue
            }
            strings.values[key] = config.strings.values[key]
        }
        problems += templateReferences(templates, strings: strings, display: templatesDisplay)
        return (strings, problems)
    }

    /// `zh-CN` for `zh-CN`, `zh-cn` or `zh` (the first file of that language), else nil.
    static func pick(_ language: String, among languages: [String]) -> String? {
        if let exact = languages.first(where: { $0.lowercased() == language.lowercased() }) { return exact }
        let primary = language.lowercased().split(separator: "-").first.map(String.init) ?? language.lowercased()
        return languages.first { $0.lowercased().split(separator: "-").first.map(String.init) == primary }
    }

    /// A `{{strings.key}}` (or a section of it) that names no string, at its line and column.
    static func templateReferences(_ templates: [TextFile], strings: ThemeStrings, display: String) -> [Diagnostic] {
        var problems: [Diagnostic] = []
        let prefixes = Set(strings.values.keys.flatMap { key -> [String] in
            let parts = key.split(separator: ".")
            return (1..<parts.count).map { parts[..<$0].joined(separator: ".") }
        })
        for file in templates.sorted(by: { $0.path < $1.path }) {
            for (lineIndex, line) in file.text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
                var rest = line[...]
                while let open = rest.range(of: "{{") {
                    rest = rest[open.upperBound...]
                    guard let close = rest.range(of: "}}") else { break }
                    var tag = rest[..<close.lowerBound].trimmingCharacters(in: .whitespaces)
                    if let first = tag.first, "#^/{&".contains(first) { tag = String(tag.dropFirst()).trimmingCharacters(in: .whitespaces) }
                    if tag.hasSuffix("}") { tag = String(tag.dropLast()) }
                    if tag.hasPrefix("strings.") {
                        let key = String(tag.dropFirst("strings.".count))
                        if strings.values[key] == nil, !prefixes.contains(key) {
                            let column = line.distance(from: line.startIndex, to: open.lowerBound) + 1
                            problems.append(.error(
                                at: SourceLocation(file: display + file.path, line: lineIndex + 1, column: column), field: tag,
                                "no string '\(key)' in \(strings.file)",
                                hint: Suggestion.closest(to: key, among: Array(strings.values.keys)).map { "did you mean '\($0)'?" }))
                        }
                    }
                    rest = rest[close.upperBound...]
                }
            }
        }
        return problems
    }
}
