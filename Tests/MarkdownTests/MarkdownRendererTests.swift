import Testing
import TianshanModel
@testable import TianshanMarkdown

private func html(_ markdown: String, unsafe: Bool = false) -> String {
    MarkdownRenderer.render(markdown, options: MarkdownOptions(unsafe: unsafe), context: MarkdownContext(file: "t.md")).html
}

@Suite struct CJKSoftBreakTests {
    @Test func chineseLinesJoinWithoutSpace() {
        #expect(html("乌鲁木齐高新区\n积极搭建双创载体") == "<p>乌鲁木齐高新区积极搭建双创载体</p>\n")
    }

    @Test func fullWidthPunctuationJoins() {
        #expect(html("完善服务模式，\n营造良好环境。") == "<p>完善服务模式，营造良好环境。</p>\n")
        #expect(html("称为“天山众创”\n行动") == "<p>称为“天山众创”行动</p>\n")
    }

    @Test func latinWordsKeepTheirSpace() {
        #expect(html("open\nsource") == "<p>open\nsource</p>\n")
    }

    @Test func mixedScriptsKeepTheBreak() {
        #expect(html("使用\nSwift 语言") == "<p>使用\nSwift 语言</p>\n")
        #expect(html("Swift\n语言") == "<p>Swift\n语言</p>\n")
        #expect(html("共 8\n项专利") == "<p>共 8\n项专利</p>\n")
    }

    @Test func joinsAcrossEmphasis() {
        #expect(html("**高新区**\n人才大厦") == "<p><strong>高新区</strong>人才大厦</p>\n")
    }

    @Test func hardBreaksStay() {
        #expect(html("第一行\\\n第二行") == "<p>第一行<br />\n第二行</p>\n")
    }
}

@Suite struct HeadingIDTests {
    @Test func chineseHeadingsKeepTheirLetters() {
        let result = MarkdownRenderer.render("## 一、现有工作基础\n\n### Open Source 平台\n", context: MarkdownContext(file: "t.md"))
        #expect(result.html == "<h2 id=\"一现有工作基础\">一、现有工作基础</h2>\n<h3 id=\"open-source-平台\">Open Source 平台</h3>\n")
        #expect(result.headings.map(\.id) == ["一现有工作基础", "open-source-平台"])
    }

    @Test func duplicatesGetNumberedSuffixes() {
        let result = MarkdownRenderer.render("## 成效\n\n## 成效\n\n## 成效\n", context: MarkdownContext(file: "t.md"))
        #expect(result.headings.map(\.id) == ["成效", "成效-1", "成效-2"])
    }

    @Test func inlineMarkupInsideHeadingsIsKept() {
        #expect(html("## 关于 *星创* 天地") == "<h2 id=\"关于-星创-天地\">关于 <em>星创</em> 天地</h2>\n")
    }

    @Test func hostileHeadingTextIsEscapedInTheID() {
        let out = html("## \"><script>alert(1)</script>")
        #expect(!out.contains("<script>"))
        #expect(out.hasPrefix("<h2 id=\"alert1\">&quot;&gt;alert(1)</h2>"))
    }
}

@Suite struct SafetyTests {
    @Test func rawHTMLIsDroppedByDefault() {
        let out = html("<script>alert(1)</script>\n\n段落<img src=x onerror=alert(1)>文字")
        #expect(!out.contains("<script"))
        #expect(!out.contains("onerror"))
        #expect(out.contains("段落"))
    }

    @Test func rawHTMLPassesWhenSiteOptsIn() {
        #expect(html("<div class=\"note\">注</div>", unsafe: true) == "<div class=\"note\">注</div>\n")
    }

    @Test func scriptURLsAreEmptiedEvenWhenUnsafe() {
        for unsafe in [false, true] {
            let out = html("[a](javascript:alert(1)) [b](JaVa%0Ascript:x) ![c](data:text/html;base64,xx) [d](vbscript:y)", unsafe: unsafe)
            #expect(!out.lowercased().contains("javascript:"))
            #expect(!out.contains("data:text"))
            #expect(!out.contains("vbscript:"))
        }
    }

    @Test func rasterDataImagesAreAllowed() {
        #expect(html("![x](data:image/png;base64,AAAA)").contains("src=\"data:image/png;base64,AAAA\""))
    }
}

@Suite struct LinkRewriteTests {
    @Test func linksGoThroughTheResolverAndBrokenOnesAreLocated() {
        let context = MarkdownContext(file: "Content/cases/a.md", lineOffset: 4, resolveLink: { url, _ in
            switch url {
            case "b.md#成效": return .replace("/cases/b/#成效")
            case "missing.md": return .broken("no such page")
            default: return .keep
            }
        })
        let result = MarkdownRenderer.render("见[乙](b.md#成效)。\n\n再见[丙](missing.md)和[外部](https://example.org)。\n", context: context)
        #expect(result.html.contains("<a href=\"/cases/b/#%E6%88%90%E6%95%88\">乙</a>"))
        #expect(result.html.contains("<a href=\"https://example.org\">外部</a>"))
        #expect(result.diagnostics.count == 1)
        #expect(result.diagnostics[0].location.file == "Content/cases/a.md")
        #expect(result.diagnostics[0].location.line == 7)
    }

    @Test func everythingElseRendersAsLibcmarkDoes() {
        let source = "- 一\n- 二\n\n> 引用\n\n```swift\nlet x = 1 < 2\n```\n\n1. a\n2. b\n\n---\n\n`code` *em*\n"
        #expect(html(source) == """
        <ul>
        <li>一</li>
        <li>二</li>
        </ul>
        <blockquote>
        <p>引用</p>
        </blockquote>
        <pre><code class="language-swift">let x = 1 &lt; 2
        </code></pre>
        <ol>
        <li>a</li>
        <li>b</li>
        </ol>
        <hr />
        <p><code>code</code> <em>em</em></p>

        """)
    }

    @Test func fencedBlocksCanBeClaimed() {
        let context = MarkdownContext(file: "t.md", renderBlock: { request in
            request.info == "table" ? .success(RenderedBlock(html: "<table><caption>\(request.literal.count)#\(request.ordinal)</caption></table>")) : nil
        })
        let out = MarkdownRenderer.render("```table\ndata: x\n```\n\n```yaml\nk: v\n```\n", context: context).html
        #expect(out.contains("<table><caption>8#1</caption></table>"))
        #expect(out.contains("<pre><code class=\"language-yaml\">k: v"))
    }
}

@Suite struct PlainTextTests {
    @Test func readingUnitsCountCharactersForChinese() {
        let units = CJKText.readingUnits("新疆高新区，open source 8 项")
        #expect(units.cjk == 6)
        #expect(units.words == 3)
    }
}

@Suite struct FirstHeadingTests {
    @Test func atxAndSetextHeadingsBothGiveTheTitle() {
        #expect(MarkdownRenderer.firstHeading("```\n# not this\n```\n\n## 新疆*高新*人才大厦 ##\n") == "新疆高新人才大厦")
        #expect(MarkdownRenderer.firstHeading("新疆高新区年度报告\n===\n\n正文") == "新疆高新区年度报告")
        #expect(MarkdownRenderer.firstHeading("前言\n\n第二章\n---\n") == "第二章")
    }

    @Test func onlyTopLevelHeadingsCount() {
        #expect(MarkdownRenderer.firstHeading("> # 引文标题\n\n正文") == nil)
        #expect(MarkdownRenderer.firstHeading("    # 代码\n") == nil)
        #expect(MarkdownRenderer.firstHeading("#\n\n# 标题") == "标题")
        #expect(MarkdownRenderer.firstHeading("") == nil)
    }
}
