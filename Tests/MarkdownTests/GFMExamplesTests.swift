import Foundation
import Testing
import TianshanModel
@testable import TianshanMarkdown

/// The GFM extension examples of cmark-gfm's own tests (tables, strikethrough, autolinks, footnotes), each
/// rendered through libcmark and our transforms and compared with cmark-gfm's HTML, less what only our output
/// adds (the data-table wrapper, heading ids) and with alignment written as cmark-gfm writes it.
@Suite struct GFMExamplesTests {
    /// One example: where it comes from, its Markdown and cmark-gfm's HTML.
    struct Example: CustomTestStringConvertible, Sendable {
        var section: String
        var number: Int
        var markdown: String
        var html: String
        var testDescription: String { "\(section) #\(number)" }
    }

    /// Rendered differently on purpose, by section and number within it, with the reason.
    static let deliberate: [String: String] = [
        // Chinese writes ranges with one tilde (2021~2023年); only `~~` strikes (cmark-gfm's --strikethrough-double-tilde).
        "extensions.txt Strikethroughs #1": "single tildes do not strike",
        "extensions.txt Strikethroughs #2": "single tildes do not strike",
    ]

    static let examples: [Example] = {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Fixtures/gfm/examples.txt")
        let text = (try? String(contentsOf: url, encoding: .utf8)) ?? ""
        let fence = String(repeating: "`", count: 32)
        var examples: [Example] = []
        var file = ""
        var section = ""
        var counts: [String: Int] = [:]
        var lines = text.components(separatedBy: "\n")[...]
        while let line = lines.popFirst() {
            if line.hasPrefix("# ") { file = String(line.dropFirst(2)); continue }
            if line.hasPrefix("## ") { section = "\(file) \(line.dropFirst(3))"; continue }
            guard line.hasPrefix(fence + " example") else { continue }
            var markdown: [String] = []
            var html: [String] = []
            var inOutput = false
            while let body = lines.popFirst(), body != fence {
                if body == "." && !inOutput { inOutput = true; continue }
                if inOutput { html.append(body) } else { markdown.append(body) }
            }
            counts[section, default: 0] += 1
            func decoded(_ lines: [String]) -> String {
                lines.map { $0 + "\n" }.joined().replacingOccurrences(of: "→", with: "\t")
            }
            examples.append(Example(section: section, number: counts[section]!, markdown: decoded(markdown), html: decoded(html)))
        }
        return examples
    }()

    /// Our HTML as cmark-gfm would write it: no data-table wrapper, no heading ids, `align` attributes.
    static func normalized(_ html: String) -> String {
        var text = html
        text = text.replacingOccurrences(of: #"<div class="data-table"><div class="table-scroll"[^>]*>\n"#, with: "", options: .regularExpression)
        text = text.replacingOccurrences(of: "</table>\n</div></div>", with: "</table>")
        text = text.replacingOccurrences(of: #" class="align-(left|center|right)""#, with: #" align="$1""#, options: .regularExpression)
        text = text.replacingOccurrences(of: #"<(h[1-6]) id="[^"]*">"#, with: "<$1>", options: .regularExpression)
        return text
    }

    @Test func theFixtureHoldsEveryExtensionSection() {
        let sections = Set(Self.examples.map(\.section))
        #expect(Self.examples.count >= 40)
        for name in ["spec.txt Tables (extension)", "spec.txt Autolinks (extension)", "extensions.txt Footnotes", "extensions.txt Tables"] {
            #expect(sections.contains(name), "\(name)")
        }
    }

    @Test(arguments: examples)
    func rendersAsCmarkGFM(_ example: Example) {
        let rendered = MarkdownRenderer.render(example.markdown, options: MarkdownOptions(unsafe: true), context: MarkdownContext(file: "t.md")).html
        // cmark-gfm's own check that the input does not crash it: nothing to compare.
        if example.html == "<IGNORE>\n" { return }
        if let reason = Self.deliberate[example.testDescription] {
            #expect(Self.normalized(rendered) != example.html, "listed as different (\(reason)) but renders the same")
            return
        }
        #expect(Self.normalized(rendered) == example.html)
    }
}
