import Foundation
import Testing

/// The shipped site's data rows with pages (`pages:` in projects, platforms and policies): one page per row,
/// linked from the data pages' tables, each listing the tables it is in and the pages whose text names it.
@Suite(.serialized) struct RowPagesTests {
    static let sets: [(name: String, count: Int, table: String)] = [
        ("projects", 34, "projects-all"), ("platforms", 35, "platforms-national"), ("policies", 30, "policies"),
    ]

    /// The row pages under `Output/<set>/`, by URL path.
    static func rowPages(_ output: URL, set: String) throws -> [String: String] {
        let folder = output.appendingPathComponent(set)
        var pages: [String: String] = [:]
        for name in try FileManager.default.contentsOfDirectory(atPath: folder.path) {
            let file = folder.appendingPathComponent(name).appendingPathComponent("index.html")
            guard let html = try? String(contentsOf: file, encoding: .utf8) else { continue }
            pages["/\(set)/\(name)/"] = html
        }
        return pages
    }

    /// The hrefs (percent-decoded) of the links in `html` that go into `folder`, fragments left out.
    static func links(in html: String, into folder: String) -> Set<String> {
        var found = Set<String>()
        for match in html.matches(of: /href="([^"#]*)"/) {
            let href = String(match.1).removingPercentEncoding ?? String(match.1)
            if href.hasPrefix(folder), href.count > folder.count { found.insert(href) }
        }
        return found
    }

    /// The text of the paragraphs and list items of a page's `.prose`: what "mentions" a name, tables left out.
    static func proseText(_ html: String) -> String {
        guard let start = html.range(of: "<div class=\"prose\">"), let end = html.range(of: "</article>", range: start.upperBound..<html.endIndex) else { return "" }
        let prose = String(html[start.upperBound..<end.lowerBound])
        var text = ""
        // Paragraphs and list items (a tight list's items are paragraphs without <p>).
        for match in prose.matches(of: /<(p|li)>(.*?)<\/(p|li)>/.dotMatchesNewlines()) { text += String(match.2) + "\n" }
        return text.replacing(/<[^>]+>/, with: "").replacingOccurrences(of: "&amp;", with: "&")
    }

    /// The title (`<h1>`) of a page.
    static func title(_ html: String) -> String? {
        html.firstMatch(of: /<h1>(.*?)<\/h1>/).map { String($0.1) }
    }

    /// The section of a row page listing the pages that mention it.
    static func mentionLinks(_ html: String) -> Set<String> {
        guard let start = html.range(of: "id=\"mentioned-in\""), let end = html.range(of: "</section>", range: start.upperBound..<html.endIndex) else { return [] }
        return links(in: String(html[start.upperBound..<end.lowerBound]), into: "/")
    }

    @Test func everyRowHasAPageLinkedFromItsTableListingWhatMentionsIt() throws {
        let (root, build) = try ReportPDFTests.builtSite()
        defer { try? FileManager.default.removeItem(at: root) }
        let built = try build(false)
        try #require(built.status == 0, "\(built.output)")
        let output = root.appendingPathComponent("Output")

        // The articles and cases, whose text is what can mention a row.
        var articles: [String: String] = [:]
        for section in ["news", "cases"] {
            for name in try FileManager.default.contentsOfDirectory(atPath: output.appendingPathComponent(section).path) {
                let file = output.appendingPathComponent(section).appendingPathComponent(name).appendingPathComponent("index.html")
                if let html = try? String(contentsOf: file, encoding: .utf8) { articles["/\(section)/\(name)/"] = Self.proseText(html) }
            }
        }
        #expect(articles.count >= 10)

        var mentioned = 0
        for (set, count, table) in Self.sets {
            let pages = try Self.rowPages(output, set: set)
            #expect(pages.count == count, "\(set): \(pages.count) row pages")
            // Every row page is linked from the set's page, and every link into the folder is a row page.
            let listing = try String(contentsOf: output.appendingPathComponent(set).appendingPathComponent("index.html"), encoding: .utf8)
            #expect(Self.links(in: listing, into: "/\(set)/") == Set(pages.keys), "\(set)")
            #expect(listing.contains("id=\"\(table)\""))
            for (path, html) in pages {
                let name = try #require(Self.title(html), "\(path)")
                // Its page lists every article or case whose text names it, and nothing else of them.
                let expected = Set(articles.filter { $0.value.contains(name) }.keys)
                let listed = Self.mentionLinks(html).filter { $0.hasPrefix("/news/") || $0.hasPrefix("/cases/") }
                #expect(listed == expected, "\(path): lists \(listed.sorted()), text names it in \(expected.sorted())")
                if !expected.isEmpty { mentioned += 1 }
                // Its fields, its source and the tables that hold it.
                #expect(html.contains("class=\"row-fields\""), "\(path)")
                #expect(html.contains("资料来源："), "\(path)")
                #expect(html.contains("href=\"/\(set)/#"), "\(path): no table of /\(set)/ holds it")
            }
        }
        // The shipped articles name a good part of the projects; the test is void if they name none.
        #expect(mentioned >= 20, "\(mentioned) row pages have mentions")
    }

    /// Renaming a project in its data and in the article that names it: a rebuild of the same folder (its saved
    /// state) moves the page, the links and the mention with it, and gives what a clean build gives.
    @Test func renamingAProjectMovesItsPageLinksAndMentions() throws {
        let (root, build) = try ReportPDFTests.builtSite()
        defer { try? FileManager.default.removeItem(at: root) }
        try #require(try build(false).status == 0)
        let output = root.appendingPathComponent("Output")
        let old = "乐天工业孵化基地", new = "乐天新型工业孵化园"
        let before = try Self.rowPages(output, set: "projects")
        let oldPath = "/projects/\(old)/", newPath = "/projects/\(new)/"
        try #require(before[oldPath] != nil)
        #expect(Self.mentionLinks(before[oldPath]!).contains("/news/key-projects/"))

        for file in ["Content/data/projects.yaml", "Content/news/key-projects.md"] {
            let url = root.appendingPathComponent(file)
            let text = try String(contentsOf: url, encoding: .utf8)
            #expect(text.contains(old), "\(file)")
            try text.replacingOccurrences(of: old, with: new).write(to: url, atomically: true, encoding: .utf8)
        }
        let rebuilt = try build(true)
        try #require(rebuilt.status == 0, "\(rebuilt.output)")
        let after = try Self.rowPages(output, set: "projects")
        #expect(after.count == 34)
        #expect(after[oldPath] == nil, "the old page is gone")
        let page = try #require(after[newPath], "the renamed project's page")
        #expect(Self.title(page) == new)
        #expect(Self.mentionLinks(page).contains("/news/key-projects/"))
        let listing = try String(contentsOf: output.appendingPathComponent("projects/index.html"), encoding: .utf8)
        #expect(Self.links(in: listing, into: "/projects/").contains(newPath))
        #expect(!Self.links(in: listing, into: "/projects/").contains(oldPath))

        // The same bytes as a clean build of the edited sources.
        let clean = root.appendingPathComponent("Clean")
        let cleanBuild = try ReportPDFTests.run(KillTests.executable.path, [
            "build", "--content", root.appendingPathComponent("Content").path, "--templates", root.appendingPathComponent("Templates").path,
            "--output", clean.path,
        ])
        try #require(cleanBuild.status == 0, "\(cleanBuild.output)")
        let files = { (folder: URL) -> [String: Data] in
            var all: [String: Data] = [:]
            for case let path as String in FileManager.default.enumerator(atPath: folder.path)! where !path.hasSuffix(".pdf") {
                if let data = FileManager.default.contents(atPath: folder.appendingPathComponent(path).path) { all[path] = data }
            }
            return all
        }
        let incremental = files(output), fresh = files(clean)
        #expect(Set(incremental.keys) == Set(fresh.keys))
        let differing = incremental.keys.filter { fresh[$0] != nil && fresh[$0] != incremental[$0] }.sorted()
        #expect(differing.isEmpty, "differ from a clean build: \(differing)")
    }
}
