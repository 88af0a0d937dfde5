import TianshanModel
import Yams

/// Turns one Markdown file into a `Page` with typed front matter (pure: no disk).
public enum PageLoader {
    /// `displayRoot` prefixes paths in diagnostics ("Content/"). `firstHeading` gives the title of a page whose
    /// front matter has none (the Markdown stage's parser, `MarkdownRenderer.firstHeading`, so that a setext
    /// heading counts as one); without it such a page is titled by its file name.
    /// `fields` are the theme's declared fields, checked against their types and moved from `params` to `fields`.
    public static func load(_ file: TextFile, displayRoot: String = "", fields: ThemeFields = ThemeFields(),
                            firstHeading: (String) -> String? = { _ in nil }) -> Result<Page, DiagnosticsError> {
        loadReporting(file, displayRoot: displayRoot, fields: fields, firstHeading: firstHeading).page
    }

    /// Front-matter keys the engine reads besides `FrontMatter`'s own fields.
    static let engineKeys = ["tables"]
    /// What a near miss is compared with.
    static let knownKeys = FrontMatter.knownKeys.sorted() + engineKeys

    /// `load`, with the warnings of a page that loads: front-matter keys that look like misspelt fields
    /// (`titel`, `tag`, `dates`), which are kept in `params` but are probably not what the author meant.
    public static func loadReporting(_ file: TextFile, displayRoot: String = "", fields: ThemeFields = ThemeFields(),
                                     firstHeading: (String) -> String? = { _ in nil })
        -> (page: Result<Page, DiagnosticsError>, warnings: [Diagnostic]) {
        let display = displayRoot + file.path
        let parts: FrontMatterSplitter.Parts
        switch FrontMatterSplitter.split(file.text, file: display) {
        case .success(let p): parts = p
        case .failure(let problem): return (.failure(DiagnosticsError([problem])), [])
        }
        var frontMatter = FrontMatter()
        var warnings: [Diagnostic] = []
        if let yaml = parts.yaml {
            let lineOffset = parts.yamlLine - 1
            let node: Node
            switch YAMLDocument.compose(yaml, file: display, lineOffset: lineOffset) {
            case .success(let composed): node = composed
            case .failure(let problem): return (.failure(DiagnosticsError([problem])), [])
            }
            switch YAMLDocument.decode(FrontMatter.self, from: node, file: display, lineOffset: lineOffset) {
            case .success(let decoded): frontMatter = decoded
            case .failure(let problem): return (.failure(DiagnosticsError([problem])), [])
            }
            if !fields.types.isEmpty, let mapping = node.mapping {
                var problems: [Diagnostic] = []
                for (key, valueNode) in mapping {
                    guard let name = key.scalar?.string, let type = fields.types[name], let value = frontMatter.params[name] else { continue }
                    problems += FieldsLoader.check(value, node: valueNode, type: type, path: name, fields: fields, file: display,
                                                   lineOffset: lineOffset)
                    frontMatter.params[name] = nil
                    if case .null = value { continue }
                    frontMatter.fields[name] = value
                }
                if !problems.isEmpty { return (.failure(DiagnosticsError(problems)), []) }
            }
            if !frontMatter.params.isEmpty, let mapping = node.mapping {
                let known = knownKeys + fields.names
                for key in mapping.keys {
                    guard let name = key.scalar?.string, frontMatter.params[name] != nil, !engineKeys.contains(name),
                          let meant = Suggestion.closest(to: name, among: known) else { continue }
                    warnings.append(.warning(
                        at: YAMLDocument.location(of: key, file: display, lineOffset: lineOffset), field: name,
                        "'\(name)' is not a front-matter field, so it is kept for templates only; did you mean '\(meant)'?",
                        hint: "rename it to '\(meant)', or to a name further from the fields if it is meant for templates"
                    ))
                }
            }
        }
        let body = String(parts.body)
        let placement = SitePaths.place(sourcePath: file.path, slug: frontMatter.slug)
        let fileName = String(file.path.split(separator: "/").last ?? "")
        let fileStem = SitePaths.markdownStem(fileName) ?? fileName
        let title = frontMatter.title ?? firstHeading(body) ?? fileStem
        // Specs decoded after loading keep the text they came from, for their errors' positions.
        let keepsYAML = frontMatter.params["tables"] != nil
        return (.success(Page(
            sourcePath: file.path, frontMatter: frontMatter, body: body, bodyLine: parts.bodyLine, title: title,
            outputPath: placement.outputPath, sitePath: placement.sitePath, section: placement.section, kind: placement.kind,
            frontMatterYAML: keepsYAML ? parts.yaml ?? "" : "", frontMatterLine: parts.yamlLine
        )), warnings)
    }
}
