import Testing
import TianshanModel
@testable import TianshanMarkdown

/// Footnotes as reports use them for sources, beyond the GFM example (`GFMExamplesTests`).
@Suite struct FootnotesTests {
    func render(_ markdown: String, broken: Set<String> = []) -> RenderedMarkdown {
        MarkdownRenderer.render(markdown, context: MarkdownContext(file: "t.md", lineOffset: 4, resolveLink: { url, _ in
            broken.contains(url) ? .broken("no such page") : .keep
        }))
    }

    @Test func aSourceNoteInChinese() {
        let html = render("在孵企业2000余家[^年报]，其中高新技术企业近120家[^统计]。\n\n[^年报]: 《2023年工作报告》。\n[^统计]: 区统计局发布，\n    数据截至年底。\n").html
        #expect(html == """
        <p>在孵企业2000余家<sup class="footnote-ref"><a href="#fn1" id="fnref1">1</a></sup>，其中高新技术企业近120家<sup class="footnote-ref"><a href="#fn2" id="fnref2">2</a></sup>。</p>
        <section class="footnotes">
        <ol>
        <li id="fn1">
        <p>《2023年工作报告》。 <a href="#fnref1" class="footnote-backref">↩</a></p>
        </li>
        <li id="fn2">
        <p>区统计局发布，数据截至年底。 <a href="#fnref2" class="footnote-backref">↩</a></p>
        </li>
        </ol>
        </section>

        """)
    }

    @Test func repeatedUndefinedAndUnusedNotes() {
        let html = render("甲[^a]，乙[^A]，丙[^无]。\n\n[^a]: 注释。\n\n[^unused]: 未引用。\n").html
        // The label's case does not matter; a second reference gets an id of its own; the unused note is left out.
        #expect(html.contains("<a href=\"#fn1\" id=\"fnref1\">1</a>") && html.contains("<a href=\"#fn1\" id=\"fnref1-2\">1</a>"))
        #expect(html.contains("丙[^无]。") && !html.contains("未引用") && !html.contains("id=\"fn2\""))
    }

    @Test func aDefinitionInCodeIsCode() {
        let html = render("```\n[^1]: 不是注释\n```\n\n文字[^1]\n").html
        #expect(html == "<pre><code>[^1]: 不是注释\n</code></pre>\n<p>文字[^1]</p>\n")
    }

    @Test func aBrokenLinkInANoteNamesItsLine() {
        let rendered = render("正文[^1]。\n\n[^1]: 见[说明](missing.md)。\n", broken: ["missing.md"])
        #expect(rendered.diagnostics.map(\.location.line) == [7])
    }
}
