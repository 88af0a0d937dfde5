import Foundation
import Testing
import TianshanModel
@testable import TianshanBuild

/// `aliases:` in front matter: a page's old paths keep working, each a page that sends the reader on.
@Suite struct AliasTests {
    static let layout = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Templates/layouts/alias.mustache")

    func site(aliases: String, themeHasLayout: Bool = true) throws -> FixtureSite {
        let site = try FixtureSite()
        if themeHasLayout { try site.write("Templates/layouts/alias.mustache", try String(contentsOf: Self.layout, encoding: .utf8)) }
        try site.write("Content/about.md", "---\ntitle: 关于\naliases: \(aliases)\n---\n正文。\n")
        return site
    }

    @Test func eachOldPathSendsTheReaderToThePage() async throws {
        let site = try site(aliases: "[/old/about/, /关于.html, /legacy]")
        defer { site.remove() }
        _ = try await site.build()
        for path in ["old/about/index.html", "关于.html", "legacy/index.html"] {
            let html = try site.page(path)
            #expect(html.contains("<meta http-equiv=\"refresh\" content=\"0; url=/about/\">"), "\(path)")
            #expect(html.contains("<a href=\"/about/\">关于</a>"), "\(path)")
            #expect(html.contains("<meta name=\"robots\" content=\"noindex\">"))
        }
        // A renamed page: the alias follows its title.
        try site.write("Content/about.md", "---\ntitle: 关于本站\naliases: [/old/about/]\n---\n正文。\n")
        _ = try await site.build()
        #expect(try site.page("old/about/index.html").contains("<a href=\"/about/\">关于本站</a>"))
        #expect(!FileManager.default.fileExists(atPath: site.output.appendingPathComponent("legacy/index.html").path))
    }

    @Test func aBadAliasIsAnErrorNamingTheFile() async throws {
        for (aliases, message) in [("[old/about/]", "is not a site path"), ("[/a/../b/]", "is not a site path"), ("[/cases/a/]", "is also written by")] {
            let site = try site(aliases: aliases)
            defer { site.remove() }
            do {
                _ = try await site.build()
                Issue.record("\(aliases) built")
            } catch {
                #expect(error.diagnostics.contains { $0.message.contains(message) && $0.location.file.contains("about.md") },
                        "\(aliases): \(error.diagnostics.map { "\($0.location.file): \($0.message)" })")
            }
        }
        let bare = try site(aliases: "[/old/]", themeHasLayout: false)
        defer { bare.remove() }
        await #expect(throws: DiagnosticsError.self) { _ = try await bare.build() }
    }
}
