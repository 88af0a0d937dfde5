import Foundation
import Testing
import TianshanModel
@testable import TianshanBuild

/// Hostile strings in every field a site author controls must never become executable markup, and nothing may be
/// written outside the output folder.
@Suite struct HostileInputTests {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Fixtures")
    static let templates = ShippedSite.repository.appendingPathComponent("Templates")

    @Test func hostileSiteBuildsWithoutExecutableMarkup() async throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("tianshan-hostile-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: root) }
        let output = root.appendingPathComponent("Output")
        _ = try await BuildPipeline.build(BuildOptions(
            content: Self.fixtures.appendingPathComponent("hostile-site/Content"), templates: Self.templates, output: output
        ))
        // Only the output and the writer's record beside it.
        #expect(try FileManager.default.contentsOfDirectory(atPath: root.path).sorted() == [".Output.tianshan", "Output"])

        var pages = 0
        let enumerator = FileManager.default.enumerator(atPath: output.path)!
        while let path = enumerator.nextObject() as? String {
            let full = output.appendingPathComponent(path)
            #expect(full.resolvingSymlinksInPath().path.hasPrefix(output.resolvingSymlinksInPath().path))
            guard path.hasSuffix(".html") else { continue }
            pages += 1
            let html = try String(contentsOf: full, encoding: .utf8)
            // The theme's own table script is the one script element a page may have; nothing from content.
            let theme = "<script src=\"/assets/tables.js\" defer></script>"
            #expect(html.components(separatedBy: theme).count == 2, "\(path) does not load the theme's script once")
            let lower = html.replacingOccurrences(of: theme, with: "").lowercased()
            #expect(!lower.contains("<script"), "\(path) contains a script element")
            #expect(Self.eventHandlers(in: html).isEmpty, "\(path) contains an event-handler attribute")
            #expect(lower.firstMatch(of: /(href|src)\s*=\s*"\s*(javascript|vbscript|data:text)/) == nil, "\(path) contains a script URL")
            #expect(!lower.contains("<iframe") && !lower.contains("<object") && !lower.contains("<embed"))
            // Template syntax from content is printed, never evaluated.
            for canary in html.matches(of: /XSSTPL(.{0,3})/) {
                #expect(["{{s", "{{{", "{% "].contains(String(canary.output.1)), "\(path): XSSTPL followed by \(canary.output.1)")
            }
        }
        #expect(pages == 6)
        let home = try String(contentsOf: output.appendingPathComponent("index.html"), encoding: .utf8)
        #expect(home.contains("&lt;script&gt;alert(&quot;xss1&quot;)&lt;/script&gt;"))
        #expect(home.contains("XSSTPL{{site.title}}"))
        // Data cells that look like spreadsheet formulas are neutralised in downloads.
        let csv = try String(contentsOf: output.appendingPathComponent("table-1.csv"), encoding: .utf8)
        #expect(csv.contains("\"'=cmd|\"\" /c calc\"\"!A0\""))
        // File names with spaces, quotes and dots become safe URLs that keep their Chinese letters.
        #expect(FileManager.default.fileExists(atPath: output.appendingPathComponent("cases/名-称-q-x/index.html").path))
        #expect(FileManager.default.fileExists(atPath: output.appendingPathComponent("cases/ab/index.html").path))
    }

    /// Attribute names starting with "on" in any tag, reading quoted values as values (our output escapes ">" in them).
    static func eventHandlers(in html: String) -> [String] {
        var found: [String] = []
        for tag in html.matches(of: /<[a-zA-Z][a-zA-Z0-9]*(\s[^>]*)?>/) {
            guard let attributes = tag.output.1 else { continue }
            for attribute in attributes.matches(of: /([^\s"'=\/>]+)(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s"'>]+))?/) {
                let name = attribute.output.1.lowercased()
                if name.hasPrefix("on") { found.append(name) }
            }
        }
        return found
    }

    @Test func eventHandlerScanSeesRealAttributesOnly() {
        #expect(Self.eventHandlers(in: "<p title=\"x&quot; onload=&quot;y\">") .isEmpty)
        #expect(Self.eventHandlers(in: "<img src=x onerror=alert(1)>") == ["onerror"])
        #expect(Self.eventHandlers(in: "<svg><a xlink:href='#' onClick=\"x\"></a></svg>") == ["onclick"])
    }

    @Test func deeplyNestedYAMLIsAnErrorNotACrash() async throws {
        let site = try FixtureSite()
        defer { site.remove() }
        try site.write("Content/cases/deep.md", "---\ntitle: x\nextra: " + String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000) + "\n---\n")
        do {
            _ = try await site.build()
            Issue.record("the build should fail")
        } catch {
            #expect(error.diagnostics.count == 1)
            #expect(error.diagnostics[0].location.file.hasSuffix("cases/deep.md"))
            #expect(error.diagnostics[0].location.line == 3)
            #expect(error.diagnostics[0].message.contains("nesting"))
        }
    }

    @Test func aliasBombInFrontMatterIsRefused() async throws {
        let site = try FixtureSite()
        defer { site.remove() }
        var yaml = "a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n"
        for level in 1...9 { yaml += "a\(level): &a\(level) [" + Array(repeating: "*a\(level - 1)", count: 10).joined(separator: ", ") + "]\n" }
        try site.write("Content/cases/bomb.md", "---\ntitle: 炸弹\n\(yaml)---\n正文\n")
        do {
            _ = try await site.build()
            Issue.record("the build should fail")
        } catch {
            #expect(error.diagnostics.map(\.message).contains { $0.contains("aliases expand") })
        }
    }

    @Test func largeInputsComplete() async throws {
        let site = try FixtureSite()
        defer { site.remove() }
        // 100,000 data rows and a 50 MB Markdown page.
        var rows = "rows:\n"
        rows.reserveCapacity(4_000_000)
        for index in 0..<100_000 { rows += "  - {name: 行\(index), value: \(index)}\n" }
        try site.write("Content/data/many.yaml", rows)
        let paragraph = "新疆高新区持续建设创新创业载体，完善服务模式，营造良好环境。The base keeps growing.\n\n"
        let big = String(repeating: paragraph, count: 50_000_000 / paragraph.utf8.count)
        try site.write("Content/cases/big.md", "---\ntitle: 大文件\n---\n" + big)
        let report = try await site.build()
        #expect(report.dataFiles == 2)
        let attributes = try FileManager.default.attributesOfItem(atPath: site.output.appendingPathComponent("cases/big/index.html").path)
        #expect((attributes[.size] as? Int ?? 0) > 50_000_000)
    }

    @Test func brokenAnchorsAreReportedWithTheirLinks() async throws {
        let site = try FixtureSite()
        defer { site.remove() }
        try site.write("Content/about.md", "# 关于\n\n见[成效](cases/a.md#成效)、[无此节](cases/a.md#不存在)和[本页](#关于)、[本页错](#nope)。\n")
        do {
            _ = try await site.build()
            Issue.record("the build should fail")
        } catch {
            let messages = error.diagnostics.map(\.description)
            #expect(error.diagnostics.count == 2, "\(messages)")
            #expect(messages.contains { $0.contains("about.md:3:") && $0.contains("'#不存在'") && $0.contains("/cases/a/") })
            #expect(messages.contains { $0.contains("'#nope' on this page") })
        }
    }

    @Test func checkWritesNothing() async throws {
        let site = try FixtureSite()
        defer { site.remove() }
        let report = try await BuildPipeline.build(BuildOptions(content: site.content, templates: site.templates, output: site.output, dryRun: true))
        #expect(report.pagesWritten == 8)
        #expect(!FileManager.default.fileExists(atPath: site.output.path))
        #expect(try FileManager.default.contentsOfDirectory(atPath: site.root.path).sorted() == ["Content", "Templates"])
    }
}
