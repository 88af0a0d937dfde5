import Testing
import TianshanModel
@testable import TianshanLoad

@Suite struct SitePlacementTests {
    @Test(arguments: [
        ("cases/notes.markdown", "/cases/notes/"), ("cases/notes.md", "/cases/notes/"), ("cases/Notes.MD", "/cases/notes/"),
        ("cases/v1.2.markdown", "/cases/v12/"), ("cases/_index.markdown", "/cases/"), ("index.markdown", "/"),
    ])
    func everyMarkdownExtensionIsLeftOutOfThePath(_ source: String, _ sitePath: String) throws {
        let page = try PageLoader.load(TextFile(path: source, text: "# 标题\n")).get()
        #expect(page.sitePath == sitePath)
    }

    @Test func onlyMarkdownFilesAreMarkdown() {
        #expect(SitePaths.isMarkdown("a/b.markdown") && SitePaths.isMarkdown("B.Md"))
        #expect(!SitePaths.isMarkdown("a/markdown") && !SitePaths.isMarkdown("a/.md") && !SitePaths.isMarkdown("notes.md.txt"))
        // Chinese names, a Chinese folder, and names whose end is not ASCII.
        #expect(SitePaths.isMarkdown("案例/双创基地.md") && SitePaths.isMarkdown("案例.MARKDOWN") && SitePaths.isMarkdown("é.md"))
        #expect(!SitePaths.isMarkdown("案例/说明.md文档") && !SitePaths.isMarkdown("案例/") && !SitePaths.isMarkdown("a\u{0E}md") && !SitePaths.isMarkdown("md"))
        #expect(SitePaths.isMarkdown("a/b.md") == (SitePaths.markdownStem("b.md") != nil))
    }
}
