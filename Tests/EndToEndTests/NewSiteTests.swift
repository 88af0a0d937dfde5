import Foundation
import Testing

/// `tianshan new site` through the real command line, then `tianshan build` and `tianshan check` in the new
/// folder with no options; `tianshan new page|case|news` there; nothing is ever overwritten.
@Suite(.serialized) struct NewSiteTests {
    static func run(_ arguments: [String], in folder: URL) throws -> (status: Int32, output: String) {
        try ReportPDFTests.run(KillTests.executable.path, arguments, in: folder)
    }

    static func scratch() throws -> URL {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("tianshan-new-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        return root
    }

    static var year: Int { Calendar.current.component(.year, from: Date()) }

    @Test(arguments: ["zh-CN", "en"]) func aNewSiteBuildsAndChecksWithNoOptions(language: String) throws {
        let root = try Self.scratch()
        defer { try? FileManager.default.removeItem(at: root) }
        let made = try Self.run(["new", "site", "my-site", "--language", language], in: root)
        try #require(made.status == 0, "\(made.output)")
        let site = root.appendingPathComponent("my-site")
        for path in ["Content/site.yaml", "Content/index.md", "Content/news/_index.md", "Content/news/site-opened.md", "Content/news/how-to-write.md",
                     "Content/data/indicators.yaml", "Content/reports/\(Self.year).md", "Templates/layouts/base.mustache", "Templates/fields.yaml",
                     "Templates/archetypes/case.md"] {
            #expect(FileManager.default.fileExists(atPath: site.appendingPathComponent(path).path), "\(path) missing")
        }
        // The theme's starters stay in the theme it was copied from.
        #expect(!FileManager.default.fileExists(atPath: site.appendingPathComponent("Templates/starter").path))
        #expect(!((try? FileManager.default.contentsOfDirectory(atPath: root.path)) ?? []).contains { $0.hasPrefix(".") }, "a staging folder was left")

        let build = try Self.run(["build"], in: site)
        try #require(build.status == 0, "\(build.output)")
        let check = try Self.run(["check"], in: site)
        #expect(check.status == 0 && check.output.contains("no errors"), "\(check.output)")
        func page(_ path: String) throws -> String { try String(contentsOf: site.appendingPathComponent("Output/" + path), encoding: .utf8) }
        let report = try page("reports/\(Self.year)/index.html")
        #expect(report.contains("id=\"progress\""))
        // Resident firms: 150 against a target of 160, 93.75 %.
        #expect(report.contains("data-value=\"93.75\""))
        let indicators = try page("indicators/index.html")
        #expect(indicators.contains("<tr class=\"total\">") && indicators.contains("data-value=\"244\""))
        #expect(indicators.contains("<svg"))
        #expect(try page("news/index.html").contains("news/site-opened/"))
        #expect(FileManager.default.fileExists(atPath: site.appendingPathComponent("Output/404.html").path))
        if language == "en" {
            let walker = FileManager.default.enumerator(at: site.appendingPathComponent("Output"), includingPropertiesForKeys: nil)!
            for case let file as URL in walker where file.pathExtension == "html" {
                // CJK ideographs, CJK punctuation and full-width forms.
                let found = try String(contentsOf: file, encoding: .utf8).unicodeScalars.filter {
                    (0x3000...0x303F).contains($0.value) || (0x3400...0x9FFF).contains($0.value) || (0xFF00...0xFFEF).contains($0.value)
                }
                #expect(found.isEmpty, "\(file.lastPathComponent): \(String(String.UnicodeScalarView(found.prefix(5))))")
            }
        }
    }

    @Test func newPagesComeFromTheThemesArchetypesAndAreNeverOverwritten() throws {
        let root = try Self.scratch()
        defer { try? FileManager.default.removeItem(at: root) }
        try #require(try Self.run(["new", "site", "s"], in: root).status == 0)
        let site = root.appendingPathComponent("s")
        let today = { () -> String in
            let c = Calendar.current.dateComponents([.year, .month, .day], from: Date())
            return String(format: "%04d-%02d-%02d", c.year!, c.month!, c.day!)
        }()
        let news = try Self.run(["new", "news", "First news"], in: site)
        #expect(news.status == 0 && news.output.contains("wrote Content/news/first-news.md"), "\(news.output)")
        let item = try String(contentsOf: site.appendingPathComponent("Content/news/first-news.md"), encoding: .utf8)
        #expect(item.hasPrefix("---\ntitle: \"First news\"\ndate: \(today)\n"), "\(item)")
        let made = try Self.run(["new", "case", "北方实验室"], in: site)
        #expect(made.status == 0, "\(made.output)")
        let story = try String(contentsOf: site.appendingPathComponent("Content/cases/北方实验室.md"), encoding: .utf8)
        #expect(story.contains("title: \"北方实验室\"") && story.contains("organisation:") && !story.contains("section:"))
        #expect(try Self.run(["new", "page", "about/team"], in: site).status == 0)
        try Data("---\ntitle: Mine\n---\nMy words.\n".utf8).write(to: site.appendingPathComponent("Content/about/team.md"))
        let again = try Self.run(["new", "page", "about/team"], in: site)
        #expect(again.status == 1 && again.output.contains("exists already"), "\(again.output)")
        #expect(try String(contentsOf: site.appendingPathComponent("Content/about/team.md"), encoding: .utf8) == "---\ntitle: Mine\n---\nMy words.\n")
        // The new pages build as they are and show their titles.
        let build = try Self.run(["build"], in: site)
        #expect(build.status == 0, "\(build.output)")
        #expect(try String(contentsOf: site.appendingPathComponent("Output/cases/北方实验室/index.html"), encoding: .utf8).contains("<h1>北方实验室</h1>"))
        #expect(try Self.run(["check"], in: site).status == 0)
    }

    @Test func aFolderInUseOrALanguageTheThemeLacksIsRefused() throws {
        let root = try Self.scratch()
        defer { try? FileManager.default.removeItem(at: root) }
        let used = root.appendingPathComponent("used")
        try FileManager.default.createDirectory(at: used, withIntermediateDirectories: true)
        try Data("mine\n".utf8).write(to: used.appendingPathComponent("notes.txt"))
        let refused = try Self.run(["new", "site", "used"], in: root)
        #expect(refused.status == 1 && refused.output.contains("not an empty folder"), "\(refused.output)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: used.path) == ["notes.txt"])
        let french = try Self.run(["new", "site", "fr", "--language", "fr"], in: root)
        #expect(french.status == 1 && french.output.contains("no starter site for language 'fr'") && french.output.contains("en, zh-CN"), "\(french.output)")
        #expect(!FileManager.default.fileExists(atPath: root.appendingPathComponent("fr").path))
        // An empty folder is fine.
        try FileManager.default.createDirectory(at: root.appendingPathComponent("empty"), withIntermediateDirectories: true)
        #expect(try Self.run(["new", "site", "empty"], in: root).status == 0)
    }
}
