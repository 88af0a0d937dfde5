import Foundation
import Testing
import TianshanModel
@testable import TianshanBuild

/// The theme's words come from its strings files: an English site built with the shipped theme speaks English
/// only, a missing or misspelt string is an error naming it, and the site's `strings:` change a word.
@Suite struct ThemeStringsBuildTests {
    static let englishSite = ShippedSite.repository.appendingPathComponent("Tests/Fixtures/english-site/Content")

    /// A scratch folder with a copy of the shipped theme and of the English site, to edit.
    struct Scratch {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("tianshan-strings-\(UUID().uuidString)")
        var content: URL { root.appendingPathComponent("Content") }
        var templates: URL { root.appendingPathComponent("Templates") }

        init() throws {
            try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
            try FileManager.default.copyItem(at: ThemeStringsBuildTests.englishSite, to: content)
            try FileManager.default.copyItem(at: ShippedSite.repository.appendingPathComponent("Templates"), to: templates)
        }

        func edit(_ file: URL, _ change: (String) -> String) throws {
            let text = try String(contentsOf: file, encoding: .utf8)
            let changed = change(text)
            #expect(changed != text, "the edit of \(file.lastPathComponent) changed nothing")
            try Data(changed.utf8).write(to: file)
        }

        func build(into name: String = "Output") async -> (URL, DiagnosticsError?) {
            let output = root.appendingPathComponent(name)
            do {
                _ = try await BuildPipeline.build(BuildOptions(content: content, templates: templates, output: output))
                return (output, nil)
            } catch {
                return (output, error)
            }
        }
    }

    static func htmlFiles(under root: URL) -> [URL] {
        let walker = FileManager.default.enumerator(at: root, includingPropertiesForKeys: nil)!
        return walker.compactMap { $0 as? URL }.filter { $0.pathExtension == "html" }
    }

    /// CJK ideographs, CJK punctuation and full-width forms: what a Chinese word or sign in the theme would bring.
    static func chinese(in text: String) -> [String] {
        text.unicodeScalars.filter { (0x3000...0x303F).contains($0.value) || (0x3400...0x9FFF).contains($0.value) || (0xFF00...0xFFEF).contains($0.value) }
            .map { String($0) }
    }

    @Test func anEnglishSiteSpeaksEnglishOnly() async throws {
        let scratch = try Scratch()
        defer { try? FileManager.default.removeItem(at: scratch.root) }
        let (output, error) = await scratch.build()
        #expect(error == nil, "\(error?.description ?? "")")
        let files = Self.htmlFiles(under: output)
        #expect(files.count >= 45)
        for file in files {
            let found = Self.chinese(in: try String(contentsOf: file, encoding: .utf8))
            #expect(found.isEmpty, "\(file.path.dropFirst(output.path.count)) holds \(found.prefix(10).joined())")
        }
        // What the fixture covers, in English: tags, pagination, totals and subtotals, a chart, a TOC, breadcrumbs, 404.
        func page(_ path: String) throws -> String { try String(contentsOf: output.appendingPathComponent(path), encoding: .utf8) }
        let projects = try page("projects/index.html")
        #expect(projects.contains("<th scope=\"row\">Total</th>"))
        #expect(projects.contains("<th scope=\"row\">Subtotal: 2023</th>"))
        #expect(projects.contains("Cost (kUSD)"))
        #expect(projects.contains("<summary>Show the chart&#39;s data</summary>") || projects.contains("<summary>Show the chart's data</summary>"))
        #expect(projects.contains("Source: Park office, project register"))
        #expect(projects.contains("<html lang=\"en\">"))
        let note = try page("notes/note-3/index.html")
        #expect(note.contains(">4 April 2024</time>"))
        #expect(note.contains("aria-label=\"You are here\""))
        #expect(note.contains(">Home</a>"))
        #expect(note.contains(">Contents</h2>"))
        #expect(try page("notes/page/2/index.html").contains("<title>Notes (page 2) · "))
        #expect(try page("tags/index.html").contains("All tags"))
        #expect(try page("404.html").contains("Page not found"))
        #expect(try page("projects/north-lab/index.html").contains("In tables and figures"))
    }

    @Test func theSameSiteInChineseUsesTheChineseStrings() async throws {
        let scratch = try Scratch()
        defer { try? FileManager.default.removeItem(at: scratch.root) }
        try scratch.edit(scratch.content.appendingPathComponent("site.yaml")) { $0.replacingOccurrences(of: "language: en", with: "language: zh-CN") }
        let (output, error) = await scratch.build()
        #expect(error == nil, "\(error?.description ?? "")")
        let projects = try String(contentsOf: output.appendingPathComponent("projects/index.html"), encoding: .utf8)
        #expect(projects.contains("<th scope=\"row\">合计</th>"))
        #expect(projects.contains("<th scope=\"row\">小计：2023</th>"))
        #expect(projects.contains("Cost（kUSD）"))
        let note = try String(contentsOf: output.appendingPathComponent("notes/note-3/index.html"), encoding: .utf8)
        #expect(note.contains(">2024年4月4日</time>"))
    }

    @Test func aMissingStringNamesItsKeyAndFile() async throws {
        let scratch = try Scratch()
        defer { try? FileManager.default.removeItem(at: scratch.root) }
        try scratch.edit(scratch.templates.appendingPathComponent("i18n/en.yaml")) { $0.replacingOccurrences(of: "  subtotal: \"Subtotal: {name}\"\n", with: "") }
        let (output, error) = await scratch.build()
        let problem = try #require(error?.diagnostics.first { $0.field == "table.subtotal" })
        #expect(problem.location.file.hasSuffix("Templates/i18n/en.yaml"))
        #expect(problem.message.contains("missing string 'table.subtotal'"))
        #expect(problem.hint?.contains("zh-CN.yaml") == true)
        #expect(!FileManager.default.fileExists(atPath: output.path))
    }

    @Test func aTemplateNamingNoStringIsAnErrorAtItsLine() async throws {
        let scratch = try Scratch()
        defer { try? FileManager.default.removeItem(at: scratch.root) }
        try scratch.edit(scratch.templates.appendingPathComponent("partials/toc.mustache")) { $0.replacingOccurrences(of: "strings.page.toc", with: "strings.page.tocc") }
        let (_, error) = await scratch.build()
        let problem = try #require(error?.diagnostics.first { $0.message.contains("page.tocc") })
        #expect(problem.location.file.hasSuffix("partials/toc.mustache"))
        #expect(problem.location.line == 3)
        #expect(problem.hint == "did you mean 'page.toc'?")
    }

    @Test func aLanguageWithoutStringsNamesTheOnesThereAre() async throws {
        let scratch = try Scratch()
        defer { try? FileManager.default.removeItem(at: scratch.root) }
        try scratch.edit(scratch.content.appendingPathComponent("site.yaml")) { $0.replacingOccurrences(of: "language: en", with: "language: fr") }
        let (_, error) = await scratch.build()
        let problem = try #require(error?.diagnostics.first { $0.field == "language" })
        #expect(problem.location.file.hasSuffix("site.yaml"))
        #expect(problem.hint?.contains("en, zh-CN") == true)
    }

    @Test func theSiteOverridesAWordAndAMisspeltOneIsNamed() async throws {
        let scratch = try Scratch()
        defer { try? FileManager.default.removeItem(at: scratch.root) }
        try scratch.edit(scratch.content.appendingPathComponent("site.yaml")) { $0 + "strings:\n  table: {total: Grand total}\n" }
        let (output, error) = await scratch.build()
        #expect(error == nil, "\(error?.description ?? "")")
        let projects = try String(contentsOf: output.appendingPathComponent("projects/index.html"), encoding: .utf8)
        #expect(projects.contains("<th scope=\"row\">Grand total</th>"))
        #expect(!projects.contains("<th scope=\"row\">Total</th>"))

        try scratch.edit(scratch.content.appendingPathComponent("site.yaml")) { $0.replacingOccurrences(of: "{total: Grand total}", with: "{totl: Grand total}") }
        let (_, misspelt) = await scratch.build()
        let problem = try #require(misspelt?.diagnostics.first { $0.field == "strings.table.totl" })
        #expect(problem.hint == "did you mean 'table.total'?")
    }

    /// A change of the strings file reaches every page that shows the word, as a clean build of the same files.
    @Test func editingTheStringsRebuildsWhatShowsThem() async throws {
        let scratch = try Scratch()
        defer { try? FileManager.default.removeItem(at: scratch.root) }
        let (_, first) = await scratch.build()
        #expect(first == nil)
        try scratch.edit(scratch.templates.appendingPathComponent("i18n/en.yaml")) {
            $0.replacingOccurrences(of: "  home: Home\n", with: "  home: Start\n").replacingOccurrences(of: "  total: Total\n", with: "  total: Sum\n")
        }
        let (output, second) = await scratch.build()
        #expect(second == nil)
        let (clean, third) = await scratch.build(into: "Clean")
        #expect(third == nil)
        let files = Self.htmlFiles(under: clean).map { String($0.path.dropFirst(clean.path.count)) }.sorted()
        #expect(files == Self.htmlFiles(under: output).map { String($0.path.dropFirst(output.path.count)) }.sorted())
        for file in files {
            let incremental = try Data(contentsOf: URL(fileURLWithPath: output.path + file))
            #expect(incremental == (try Data(contentsOf: URL(fileURLWithPath: clean.path + file))), "\(file) differs from a clean build")
        }
        let note = try String(contentsOf: URL(fileURLWithPath: output.path + "/notes/note-3/index.html"), encoding: .utf8)
        #expect(note.contains(">Start</a>"))
        #expect(try String(contentsOf: URL(fileURLWithPath: output.path + "/projects/index.html"), encoding: .utf8).contains("<th scope=\"row\">Sum</th>"))
    }
}
