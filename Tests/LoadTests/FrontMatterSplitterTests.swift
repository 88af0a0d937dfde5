import Testing
import TianshanModel
@testable import TianshanLoad

@Suite struct FrontMatterSplitterTests {
    @Test func splitsFencedYAMLAndCountsBodyLines() throws {
        let text = "---\ntitle: 你好\ntags: [a, b]\n---\n正文第一行\n"
        let parts = try FrontMatterSplitter.split(text, file: "a.md").get()
        #expect(parts.yaml == "title: 你好\ntags: [a, b]\n")
        #expect(parts.yamlLine == 2)
        #expect(parts.body == "正文第一行\n")
        #expect(parts.bodyLine == 5)
    }

    @Test func fileWithoutFrontMatterIsAllBody() throws {
        let parts = try FrontMatterSplitter.split("# 标题\n\n正文\n", file: "a.md").get()
        #expect(parts.yaml == nil)
        #expect(parts.bodyLine == 1)
        #expect(parts.body == "# 标题\n\n正文\n")
    }

    @Test func handlesByteOrderMarkAndCRLF() throws {
        let parts = try FrontMatterSplitter.split("\u{FEFF}---\r\ntitle: x\r\n---\r\nbody\r\n", file: "a.md").get()
        #expect(parts.yaml == "title: x\r\n")
        #expect(parts.body == "body\r\n")
        #expect(parts.bodyLine == 4)
    }

    @Test func unclosedFrontMatterIsAnErrorAtLineOne() {
        guard case .failure(let problem) = FrontMatterSplitter.split("---\ntitle: x\nbody\n", file: "Content/a.md") else {
            Issue.record("expected a failure")
            return
        }
        #expect(problem.location == SourceLocation(file: "Content/a.md", line: 1, column: 1))
        #expect(problem.message.contains("closing"))
    }
}

/// The default theme's declarations of a case's fields.
let caseFields = FieldsLoader.load(TextFile(path: "fields.yaml", text: """
    organisation: string
    source: string
    figures: [{label: string, value: number | string, unit: string?}]
    """), templatesDisplay: "Templates/").0

@Suite struct PageLoaderTests {
    @Test func decodesTypedFrontMatter() throws {
        let text = """
        ---
        title: 禾润鲜
        date: 2021-09-15
        tags: [孵化器, 农业]
        figures:
          - {label: 国家专利, value: 8, unit: 项}
        custom: 值
        ---
        正文
        """
        let page = try PageLoader.load(TextFile(path: "cases/hrx.md", text: text), fields: caseFields).get()
        #expect(page.title == "禾润鲜")
        #expect(page.frontMatter.tags == ["孵化器", "农业"])
        #expect(DateText.iso(page.frontMatter.date!) == "2021-09-15")
        #expect(page.frontMatter.fields["figures"] == .array([.object(["label": .string("国家专利"), "value": .int(8), "unit": .string("项")],
                                                                      order: ["label", "value", "unit"])]))
        #expect(page.frontMatter.params["figures"] == nil)
        #expect(page.frontMatter.params["custom"] == .string("值"))
        #expect(page.outputPath == "cases/hrx/index.html")
        #expect(page.sitePath == "/cases/hrx/")
        #expect(page.section == "cases")
        #expect(page.bodyLine == 9)
    }

    @Test func titleFallsBackToTheGivenHeadingThenTheFileName() throws {
        let page = try PageLoader.load(TextFile(path: "x.md", text: "正文"), firstHeading: { $0 == "正文" ? "标题" : nil }).get()
        #expect(page.title == "标题")
        #expect(try PageLoader.load(TextFile(path: "cases/notes.markdown", text: "正文")).get().title == "notes")
        #expect(try PageLoader.load(TextFile(path: "x.md", text: "---\ntitle: 前言\n---\n# 标题"), firstHeading: { _ in "标题" }).get().title == "前言")
    }

    @Test func yamlSyntaxErrorReportsFileLineColumn() {
        let text = "---\ntitle: ok\ntags: [a, b\n---\nbody\n"
        guard case .failure(let error) = PageLoader.load(TextFile(path: "cases/bad.md", text: text), displayRoot: "Content/") else {
            Issue.record("expected a failure")
            return
        }
        let problem = error.diagnostics[0]
        #expect(problem.location.file == "Content/cases/bad.md")
        // The flow sequence opened on file line 3 never closes; libyaml notices at the fence on line 4.
        #expect((3...5).contains(problem.location.line))
        #expect(problem.location.column > 0)
        #expect(problem.message.contains("YAML"))
    }

    @Test func wrongTypeNamesFieldAndPosition() {
        let text = "---\ntitle: ok\ndate: 下周\n---\nbody\n"
        guard case .failure(let error) = PageLoader.load(TextFile(path: "a.md", text: text)) else {
            Issue.record("expected a failure")
            return
        }
        let problem = error.diagnostics[0]
        #expect(problem.field == "date")
        #expect(problem.location.line == 3)
        #expect(problem.location.column == 7)
        #expect(problem.message.contains("date"))
        #expect(problem.message.contains("下周"))
    }

    @Test func wrongTypeInsideAListNamesTheElement() {
        let text = "---\ntitle: ok\nfigures:\n  - label: 专利\n    value: 8\n  - value: 3\n---\n"
        guard case .failure(let error) = PageLoader.load(TextFile(path: "a.md", text: text), fields: caseFields) else {
            Issue.record("expected a failure")
            return
        }
        let problem = error.diagnostics[0]
        #expect(problem.field == "figures[1].label")
        #expect(problem.message.contains("'figures[1]' has no 'label'"))
        #expect(problem.location.line == 6)
    }
}
