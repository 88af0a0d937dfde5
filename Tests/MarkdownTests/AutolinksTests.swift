import Testing
import TianshanModel
@testable import TianshanMarkdown

/// GFM's extended autolinks, as cmark-gfm renders the examples of the GFM spec's autolink extension, and the one
/// deliberate difference: a link also ends where Chinese text begins.
@Suite struct AutolinksTests {
    func html(_ markdown: String) -> String {
        MarkdownRenderer.render(markdown, context: MarkdownContext(file: "t.md")).html
    }

    @Test(arguments: [
        ("www.commonmark.org\n", "<p><a href=\"http://www.commonmark.org\">www.commonmark.org</a></p>\n"),
        ("Visit www.commonmark.org/help for more information.\n",
         "<p>Visit <a href=\"http://www.commonmark.org/help\">www.commonmark.org/help</a> for more information.</p>\n"),
        ("Visit www.commonmark.org.\n", "<p>Visit <a href=\"http://www.commonmark.org\">www.commonmark.org</a>.</p>\n"),
        ("Visit www.commonmark.org/a.b.\n", "<p>Visit <a href=\"http://www.commonmark.org/a.b\">www.commonmark.org/a.b</a>.</p>\n"),
        ("www.google.com/search?q=Markup+(business)\n",
         "<p><a href=\"http://www.google.com/search?q=Markup+(business)\">www.google.com/search?q=Markup+(business)</a></p>\n"),
        ("www.google.com/search?q=Markup+(business)))\n",
         "<p><a href=\"http://www.google.com/search?q=Markup+(business)\">www.google.com/search?q=Markup+(business)</a>))</p>\n"),
        ("(www.google.com/search?q=Markup+(business))\n",
         "<p>(<a href=\"http://www.google.com/search?q=Markup+(business)\">www.google.com/search?q=Markup+(business)</a>)</p>\n"),
        ("www.google.com/search?q=(business))+ok\n",
         "<p><a href=\"http://www.google.com/search?q=(business))+ok\">www.google.com/search?q=(business))+ok</a></p>\n"),
        ("www.google.com/search?q=commonmark&hl=en\n",
         "<p><a href=\"http://www.google.com/search?q=commonmark&amp;hl=en\">www.google.com/search?q=commonmark&amp;hl=en</a></p>\n"),
        ("www.google.com/search?q=commonmark&hl;\n",
         "<p><a href=\"http://www.google.com/search?q=commonmark\">www.google.com/search?q=commonmark</a>&amp;hl;</p>\n"),
        ("www.commonmark.org/he<lp\n", "<p><a href=\"http://www.commonmark.org/he\">www.commonmark.org/he</a>&lt;lp</p>\n"),
        ("http://commonmark.org\n\n(Visit https://encrypted.google.com/search?q=Markup+(business))\n",
         "<p><a href=\"http://commonmark.org\">http://commonmark.org</a></p>\n<p>(Visit <a href=\"https://encrypted.google.com/search?q=Markup+(business)\">https://encrypted.google.com/search?q=Markup+(business)</a>)</p>\n"),
        ("foo@bar.baz\n", "<p><a href=\"mailto:foo@bar.baz\">foo@bar.baz</a></p>\n"),
        ("hello@mail+xyz.example isn't valid, but hello+xyz@mail.example is.\n",
         "<p>hello@mail+xyz.example isn't valid, but <a href=\"mailto:hello+xyz@mail.example\">hello+xyz@mail.example</a> is.</p>\n"),
        ("a.b-c_d@a.b\n\na.b-c_d@a.b.\n\na.b-c_d@a.b-\n\na.b-c_d@a.b_\n",
         "<p><a href=\"mailto:a.b-c_d@a.b\">a.b-c_d@a.b</a></p>\n<p><a href=\"mailto:a.b-c_d@a.b\">a.b-c_d@a.b</a>.</p>\n<p>a.b-c_d@a.b-</p>\n<p>a.b-c_d@a.b_</p>\n"),
    ])
    func gfmSpecExamples(_ markdown: String, _ expected: String) {
        #expect(html(markdown) == expected)
    }

    @Test func chineseTextEndsALink() {
        #expect(html("访问www.example.org了解详情。\n") == "<p>访问<a href=\"http://www.example.org\">www.example.org</a>了解详情。</p>\n")
        #expect(html("网址：https://example.org/a（英文）\n") == "<p>网址：<a href=\"https://example.org/a\">https://example.org/a</a>（英文）</p>\n")
    }

    @Test func linksAndCodeAreLeftAlone() {
        #expect(html("[站点](https://example.org) `www.example.org`\n") == "<p><a href=\"https://example.org\">站点</a> <code>www.example.org</code></p>\n")
        #expect(html("<https://example.org>\n") == "<p><a href=\"https://example.org\">https://example.org</a></p>\n")
        #expect(html("version 1.2 and a.b\n") == "<p>version 1.2 and a.b</p>\n")
    }

    @Test func foundLinksAreReportedLikeWrittenOnes() {
        let rendered = MarkdownRenderer.render("见 www.example.org 和 https://example.com/x。\n", context: MarkdownContext(file: "t.md"))
        #expect(rendered.links.map(\.url) == ["http://www.example.org", "https://example.com/x"])
    }
}
