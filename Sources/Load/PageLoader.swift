import TianshanModel

/// Turns one Markdown file into a `Page` with typed front matter (pure: no disk).
public enum PageLoader {
    /// `displayRoot` prefixes paths in diagnostics ("Content/"). `firstHeading` gives the title of a page whose
    /// front matter has none (the Markdown stage's parser, `MarkdownRenderer.firstHeading`, so that a setext
    /// heading counts as one); without it such a page is titled by its file name.
    public static func load(_ file: TextFile, displayRoot: String = "", firstHeading: (String) -> String? = { _ in nil }) -> Result<Page, DiagnosticsError> {
        let display = displayRoot + file.path
        let parts: FrontMatterSplitter.Parts
        switch FrontMatterSplitter.split(file.text, file: display) {
        case .success(let p): parts = p
        case .failure(let problem): return .failure(DiagnosticsError([problem]))
        }
        var frontMatter = FrontMatter()
        if let yaml = parts.yaml {
            switch YAMLDocument.decode(FrontMatter.self, from: yaml, file: display, lineOffset: parts.yamlLine - 1) {
            case .success(let decoded): frontMatter = decoded
            case .failure(let problem): return .failure(DiagnosticsError([problem]))
            }
        }
        let body = String(parts.body)
        let placement = SitePaths.place(sourcePath: file.path, slug: frontMatter.slug)
        let fileName = String(file.path.split(separator: "/").last ?? "")
        let fileStem = SitePaths.markdownStem(fileName) ?? fileName
        let title = frontMatter.title ?? firstHeading(body) ?? fileStem
        return .success(Page(
            sourcePath: file.path, frontMatter: frontMatter, body: body, bodyLine: parts.bodyLine, title: title,
            outputPath: placement.outputPath, sitePath: placement.sitePath, section: placement.section, kind: placement.kind
        ))
    }
}
