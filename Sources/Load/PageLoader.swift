import TianshanModel

/// Turns one Markdown file into a `Page` with typed front matter (pure: no disk).
public enum PageLoader {
    /// `displayRoot` prefixes paths in diagnostics ("Content/").
    public static func load(_ file: TextFile, displayRoot: String = "") -> Result<Page, DiagnosticsError> {
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
        let fileStem = String((file.path.split(separator: "/").last ?? "").split(separator: ".").first ?? "")
        let title = frontMatter.title ?? firstHeading(in: body) ?? fileStem
        return .success(Page(
            sourcePath: file.path, frontMatter: frontMatter, body: body, bodyLine: parts.bodyLine, title: title,
            outputPath: placement.outputPath, sitePath: placement.sitePath, section: placement.section, kind: placement.kind
        ))
    }

    /// Text of the first ATX heading outside code fences, with inline markers removed.
    public static func firstHeading(in body: String) -> String? {
        var fence: Substring?
        for rawLine in body.split(separator: "\n", omittingEmptySubsequences: false) {
            let line = rawLine.drop(while: { $0 == " " })
            if let open = fence {
                if line.hasPrefix(open) { fence = nil }
                continue
            }
            if line.hasPrefix("```") || line.hasPrefix("~~~") {
                fence = line.prefix(3)
                continue
            }
            guard line.hasPrefix("#") else { continue }
            let hashes = line.prefix(while: { $0 == "#" })
            guard hashes.count <= 6 else { continue }
            let rest = line.dropFirst(hashes.count)
            guard rest.isEmpty || rest.first == " " || rest.first == "\t" else { continue }
            var text = rest.trimming(" \t\r#")
            text.removeAll { "*_`".contains($0) }
            if !text.isEmpty { return text }
        }
        return nil
    }
}
