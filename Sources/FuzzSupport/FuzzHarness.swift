import Foundation
import TianshanLoad
import TianshanMarkdown
import TianshanModel

/// Feeds arbitrary bytes through every stage that reads author input: front matter, YAML, JSON, CSV, Markdown.
/// Used by the libFuzzer target and by the regression tests that replay the inputs it found.
public enum FuzzHarness {
    public static func exercise(_ data: Data) {
        let text = String(decoding: data, as: UTF8.self)
        if case .success(let parts) = FrontMatterSplitter.split(text, file: "fuzz.md"), let yaml = parts.yaml {
            _ = YAMLDocument.decode(FrontMatter.self, from: yaml, file: "fuzz.md", lineOffset: parts.yamlLine - 1)
        }
        _ = PageLoader.load(TextFile(path: "cases/fuzz.md", text: text), firstHeading: MarkdownRenderer.firstHeading)
        _ = DataFileDecoder.decode(text, path: "data/fuzz.yaml")
        _ = DataFileDecoder.decode(text, path: "data/fuzz.csv")
        let context = MarkdownContext(file: "fuzz.md", resolveLink: { url, _ in url.hasSuffix(".md") ? .replace("/x/") : .keep })
        _ = MarkdownRenderer.render(text, context: context)
        _ = MarkdownRenderer.render(text, options: MarkdownOptions(unsafe: true, smart: true), context: context)
    }
}
