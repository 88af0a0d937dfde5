import Testing
import TianshanModel
@testable import TianshanMarkdown

/// A block hook standing in for tables and charts: ```table and ```chart blocks whose text is their id, and
/// whose caption is "caption of <id>"; it takes the label the renderer offers, as the build's does.
private func context(numbering: NumberingSettings?, file: String = "t.md", lineOffset: Int = 0) -> MarkdownContext {
    MarkdownContext(file: file, lineOffset: lineOffset, numbering: numbering, renderBlock: { request in
        let kind: CaptionedBlock.Kind
        switch request.info {
        case "table": kind = .table
        case "chart": kind = .figure
        default: return nil
        }
        let id = request.literal.trimming(" \n")
        let label = request.labels.label(for: kind) ?? ""
        return .success(RenderedBlock(html: "<figure id=\"\(id)\">\(label)</figure>",
                                      captioned: CaptionedBlock(kind: kind, id: id, label: label, caption: "caption of \(id)")))
    })
}

private func render(_ markdown: String, _ numbering: NumberingSettings? = NumberingSettings(layouts: ["report"], tables: "表{n}", figures: "图{n}")) -> RenderedMarkdown {
    MarkdownRenderer.render(markdown, context: context(numbering: numbering))
}

private func fence(_ kind: String, _ id: String) -> String { "```\(kind)\n\(id)\n```\n\n" }

@Suite struct NumberingTests {
    @Test func tablesAndFiguresAreNumberedApartInDocumentOrder() {
        let result = render("## 甲\n\n" + fence("table", "t1") + fence("chart", "c1") + "## 乙\n\n" + fence("table", "t2") + fence("chart", "c2") + fence("table", "t3"))
        #expect(result.captioned.map(\.label) == ["表1", "图1", "表2", "图2", "表3"])
        #expect(result.captioned.map(\.id) == ["t1", "c1", "t2", "c2", "t3"])
        #expect(result.html.contains("<figure id=\"t3\">表3</figure>"))
    }

    @Test func byChapterNumbersRestartUnderEachTopHeading() {
        var numbering = NumberingSettings(layouts: ["report"], tables: "表{n}", figures: "图{n}", byChapter: true)
        numbering.tables = "Table {n}"
        let result = render(fence("table", "t0") + "## 甲\n\n" + fence("table", "t1") + "### 细目\n\n" + fence("table", "t2") + fence("chart", "c1")
            + "## 乙\n\n" + fence("table", "t3"), numbering)
        // Before the first chapter a table has a plain number.
        #expect(result.captioned.map(\.label) == ["Table 1", "Table 1-1", "Table 1-2", "图1-1", "Table 2-1"])
    }

    @Test func aPageThatNumbersNothingStillListsItsBlocks() {
        let result = render("## 甲\n\n" + fence("table", "t1") + "见[](#t1)。\n", nil)
        #expect(result.captioned.map(\.label) == [""])
        #expect(result.html.contains("<a class=\"xref\" href=\"#t1\">caption of t1</a>"))
        #expect(result.headings.map(\.text) == ["甲"])
    }

    @Test func referencesSayTheLabelAndLinkToTheBlock() {
        let result = render("见[](#t2)和[](#c1)，前文见[](#甲)。\n\n## 甲\n\n" + fence("table", "t1") + fence("chart", "c1") + fence("table", "t2"))
        #expect(result.diagnostics.isEmpty)
        #expect(result.html.contains("<p>见<a class=\"xref\" href=\"#t2\">表2</a>和<a class=\"xref\" href=\"#c1\">图1</a>，前文见<a class=\"xref\" href=\"#甲\">甲</a>。</p>"))
        // A link with text stays a link as written.
        #expect(render("见[表格](#t1)。\n\n" + fence("table", "t1")).html.contains("<a href=\"#t1\">表格</a>"))
    }

    @Test func aReferenceToAnUnknownIDIsAnErrorAtItsPosition() {
        let markdown = "## 甲\n\n" + fence("table", "report-indicators") + "正文。\n[](#report-indicator)所列。\n"
        let result = MarkdownRenderer.render(markdown, context: context(numbering: NumberingSettings(layouts: ["report"], tables: "表{n}", figures: "图{n}"), file: "Content/report.md", lineOffset: 6))
        #expect(result.diagnostics.count == 1)
        let problem = result.diagnostics[0]
        #expect(problem.severity == .error)
        #expect(problem.location.file == "Content/report.md")
        #expect(problem.location.line == 6 + 8)
        #expect(problem.location.column == 1)
        #expect(problem.message.contains("#report-indicator"))
        #expect(problem.hint == "did you mean '#report-indicators'?")
    }

    @Test func chineseHeadingNumbersFollowTheOfficialStyle() {
        let numbering = NumberingSettings(layouts: ["report"], tables: "表{n}", figures: "图{n}", headings: .chinese)
        let markdown = "## 概述 {-}\n\n## 基地概况\n\n### 区位\n\n#### 面积\n\n##### 细节\n\n#### 人口\n\n### 产业\n\n## 主要指标\n\n### 指标\n"
        let result = render(markdown, numbering)
        #expect(result.headings.map(\.text) == ["概述", "一、基地概况", "（一）区位", "1.面积", "（1）细节", "2.人口", "（二）产业", "二、主要指标", "（一）指标"])
        #expect(result.html.contains("<h2 id=\"基地概况\"><span class=\"heading-number\">一、</span>基地概况</h2>"))
        // The number is not part of the id: ids stay the same when numbering is switched on or off.
        #expect(result.headings.map(\.id).prefix(3) == ["概述", "基地概况", "区位"])
        #expect(result.html.contains("<h2 id=\"概述\">概述</h2>"))
    }

    @Test func decimalHeadingNumbersAndChapters() {
        var numbering = NumberingSettings(layouts: ["report"], tables: "表{n}", figures: "图{n}", byChapter: true, headings: .decimal)
        numbering.tables = "表{n}"
        let result = render("## 甲\n\n### 子\n\n## 乙\n\n### 子\n\n" + fence("table", "t") + "#### 孙\n", numbering)
        #expect(result.headings.map(\.text) == ["1 甲", "1.1 子", "2 乙", "2.1 子", "2.1.1 孙"])
        #expect(result.captioned.map(\.label) == ["表2-1"])
    }

    @Test func headingAttributesSetTheIDAndAreNotShown() {
        let result = render("## 主要指标 {#indicators}\n\n## 附录 {.unnumbered #annex}\n\n## 说明 {无关}\n", NumberingSettings(layouts: ["report"], tables: "表{n}", figures: "图{n}", headings: .chinese))
        #expect(result.headings.map(\.id) == ["indicators", "annex", "说明-无关"])
        #expect(result.headings.map(\.text) == ["一、主要指标", "附录", "二、说明 {无关}"])
        #expect(MarkdownRenderer.firstHeading("# 年度报告 {#report}\n") == "年度报告")
    }

    @Test func chineseNumerals() {
        let cases: [(Int, String)] = [(1, "一"), (9, "九"), (10, "十"), (11, "十一"), (20, "二十"), (21, "二十一"), (99, "九十九"),
                                      (100, "一百"), (105, "一百零五"), (110, "一百一十"), (1001, "一千零一"), (2024, "二千零二十四")]
        for (n, text) in cases { #expect(HeadingCounter.chinese(n) == text, "\(n)") }
    }

    @Test func labelFormatsMustHoldTheNumber() {
    }
}
