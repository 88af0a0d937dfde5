import Testing
import TianshanModel
@testable import TianshanMarkdown

/// Pipe tables as Chinese reports write them, beyond the GFM examples (`GFMExamplesTests`): the data-table look,
/// alignment classes, inline content, the paragraph before a table, containers, and positions of what is in cells.
@Suite struct PipeTablesTests {
    func render(_ markdown: String, broken: Set<String> = []) -> RenderedMarkdown {
        MarkdownRenderer.render(markdown, context: MarkdownContext(file: "t.md", lineOffset: 10, resolveLink: { url, _ in
            broken.contains(url) ? .broken("no such page") : .keep
        }))
    }

    @Test func aReportTableWithAlignmentAndInlineContent() {
        let html = render("| 指标 | 2020年 | 2023年 |\n| :--- | ---: | :---: |\n| 在孵企业 | 2000余家 | **2,300** |\n| 备注 | `a\\|b` | [年报](/report/) |\n").html
        #expect(html == """
        <div class="data-table"><div class="table-scroll" tabindex="0" role="region" aria-label="指标 / 2020年 / 2023年">
        <table>
        <thead>
        <tr>
        <th class="align-left">指标</th>
        <th class="align-right">2020年</th>
        <th class="align-center">2023年</th>
        </tr>
        </thead>
        <tbody>
        <tr>
        <td class="align-left">在孵企业</td>
        <td class="align-right">2000余家</td>
        <td class="align-center"><strong>2,300</strong></td>
        </tr>
        <tr>
        <td class="align-left">备注</td>
        <td class="align-right"><code>a|b</code></td>
        <td class="align-center"><a href="/report/">年报</a></td>
        </tr>
        </tbody>
        </table>
        </div></div>

        """)
    }

    @Test func theLinesBeforeTheHeaderStayAParagraph() {
        let html = render("下表列出主要指标：\n| 指标 | 数值 |\n| --- | --- |\n| 平台 | 近120家 |\n").html
        #expect(html.hasPrefix("<p>下表列出主要指标：</p>\n<div class=\"data-table\">"))
        #expect(html.contains("<td>近120家</td>"))
    }

    @Test func whatIsNotATable() {
        // No delimiter row, a delimiter row with another number of cells, a pipe in prose.
        #expect(render("| a | b |\n| c | d |\n").html == "<p>| a | b |\n| c | d |</p>\n")
        #expect(render("| a | b |\n| --- |\n").html == "<p>| a | b |\n| --- |</p>\n")
        #expect(render("增长率 | 同比\n").html == "<p>增长率 | 同比</p>\n")
        #expect(render("```\n| a |\n| - |\n```\n").html == "<pre><code>| a |\n| - |\n</code></pre>\n")
    }

    @Test func tablesInQuotesAndListItems() {
        let quoted = render("> | 年份 | 数 |\n> | --- | --- |\n> | 2021 | 3 |\n").html
        #expect(quoted.hasPrefix("<blockquote>\n<div class=\"data-table\">") && quoted.contains("<td>2021</td>\n<td>3</td>"))
        let listed = render("- 项目\n\n  | 年份 | 数 |\n  | --- | --- |\n  | 2021 | 3 |\n").html
        #expect(listed.contains("<li>\n<p>项目</p>\n<div class=\"data-table\">") && listed.contains("<td>2021</td>\n<td>3</td>"))
    }

    @Test func aBrokenLinkInACellNamesTheCellsLine() {
        let rendered = render("正文。\n\n| 项目 | 链接 |\n| --- | --- |\n| 甲 | [详情](missing.md) |\n", broken: ["missing.md"])
        #expect(rendered.diagnostics.map(\.location.line) == [15])
        #expect(rendered.links.isEmpty)
    }

    @Test func referenceLinksAndCJKLineBreaksInCells() {
        let html = render("| 来源 |\n| --- |\n| [年报][] |\n\n[年报]: /report/\n").html
        #expect(html.contains("<td><a href=\"/report/\">年报</a></td>"))
    }
}
