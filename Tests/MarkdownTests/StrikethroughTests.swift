import Testing
import TianshanModel
@testable import TianshanMarkdown

/// GFM strikethrough as cmark-gfm renders the examples of the GFM spec's strikethrough extension (491–493) with
/// `--strikethrough-double-tilde`, and the cases Chinese text adds. The one deliberate difference from default
/// cmark-gfm: a single tilde (`~there~`) does not strike, because Chinese writes ranges with it (1~3).
@Suite struct StrikethroughTests {
    func html(_ markdown: String) -> String {
        MarkdownRenderer.render(markdown, context: MarkdownContext(file: "t.md")).html
    }

    @Test(arguments: [
        ("~~Hi~~ Hello, ~there~ world!\n", "<p><del>Hi</del> Hello, ~there~ world!</p>\n"),
        ("This ~~has a\n\nnew paragraph~~.\n", "<p>This ~~has a</p>\n<p>new paragraph~~.</p>\n"),
        ("This will ~~~not~~~ strike.\n", "<p>This will ~~~not~~~ strike.</p>\n"),
    ])
    func gfmSpecExamples(_ markdown: String, _ expected: String) {
        #expect(html(markdown) == expected)
    }

    @Test func chineseTextAndNestedInlines() {
        #expect(html("原计划~~2022年~~2023年完成。\n") == "<p>原计划<del>2022年</del>2023年完成。</p>\n")
        #expect(html("~~*强调*与`代码`~~\n") == "<p><del><em>强调</em>与<code>代码</code></del></p>\n")
        #expect(html("**~~加粗删除~~**\n") == "<p><strong><del>加粗删除</del></strong></p>\n")
        #expect(html("## 标题~~旧~~\n") == "<h2 id=\"标题旧\">标题<del>旧</del></h2>\n")
    }

    @Test func whatIsNotAStrikethrough() {
        // Inside code, tildes are code; a run with space inside its edges does not open or close; a lone run stays.
        #expect(html("`~~x~~`\n") == "<p><code>~~x~~</code></p>\n")
        #expect(html("a ~~ b ~~ c\n") == "<p>a ~~ b ~~ c</p>\n")
        #expect(html("约~5%，区间 1~3\n") == "<p>约~5%，区间 1~3</p>\n")
        #expect(html("~~不成对\n") == "<p>~~不成对</p>\n")
        // Mismatched lengths do not pair; single tildes are ranges, not strikethrough.
        #expect(html("~~a~ b\n") == "<p>~~a~ b</p>\n")
        #expect(html("2021~2023年，~单~\n") == "<p>2021~2023年，~单~</p>\n")
    }
}
