import Foundation
import Testing
import TianshanModel
@testable import TianshanBuild

/// Row pages declared in site.yaml (for a CSV file, which has no header of its own), what they list, how an
/// edit elsewhere reaches them, and the errors that name what is wrong.
@Suite struct RowPagesBuildTests {
    static let layout = "{{<layouts.base}}{{$main}}<h1>{{page.title}}</h1><dl>{{#page.fields}}<dt>{{label}}</dt><dd>{{value}}</dd>{{/page.fields}}</dl>"
        + "<ul class=\"held\">{{#page.heldIn}}<li><a href=\"{{url}}\">{{caption}}</a></li>{{/page.heldIn}}</ul>"
        + "<ul class=\"mentions\">{{#page.mentions}}<li><a href=\"{{url}}\">{{title}}</a></li>{{/page.mentions}}</ul>{{/main}}{{/layouts.base}}"

    func site(rowPages: String = "row_pages: {parks: {path: 园区, slug: name}}") throws -> FixtureSite {
        let site = try FixtureSite()
        let config = try String(contentsOf: site.content.appendingPathComponent("site.yaml"), encoding: .utf8)
        try site.write("Content/site.yaml", config + "\n" + rowPages + "\n")
        try site.write("Content/data/parks.csv", "name,area\n软件园,120\n孵化基地,35.5\n")
        try site.write("Templates/layouts/row.mustache", Self.layout)
        try site.write("Content/about.md", "---\ntitle: 关于\n---\n介绍。\n\n```table\nid: parks\ndata: parks\ncolumns: [name, area]\nlink: name\ncaption: 园区一览\n```\n")
        return site
    }

    @Test func rowsGetPagesThatFollowTheTextAndTablesOfTheSite() async throws {
        let site = try site()
        defer { site.remove() }
        _ = try await site.build()
        let park = try site.page("园区/软件园/index.html")
        #expect(park.contains("<h1>软件园</h1>") && park.contains("<dd>120</dd>"))
        #expect(park.contains("<ul class=\"held\"><li><a href=\"/about/#parks\">园区一览</a></li></ul>"))
        #expect(park.contains("<ul class=\"mentions\"></ul>"))
        #expect(try site.page("about/index.html").contains("<a href=\"/园区/软件园/\">软件园</a>"))

        // A page that comes to name the row: the row's page lists it, and the build equals a clean one.
        // (The name is split over two lines, which Chinese text joins.)
        let a = site.content.appendingPathComponent("cases/a.md")
        try site.write("Content/cases/a.md", try String(contentsOf: a, encoding: .utf8) + "\n企业入驻软\n件园三期。\n")
        let report = try await site.build()
        #expect(report.counts.markdownRendered == 1, "only the edited page's Markdown")
        #expect(try site.page("园区/软件园/index.html").contains("<ul class=\"mentions\"><li><a href=\"/cases/a/\">案例甲</a></li></ul>"))
        #expect(try site.page("园区/孵化基地/index.html").contains("<ul class=\"mentions\"></ul>"))
        let clean = site.root.appendingPathComponent("Clean")
        _ = try await BuildPipeline.build(BuildOptions(content: site.content, templates: site.templates, output: clean))
        #expect(try FixtureSite.snapshot(of: clean) == (try site.snapshot()))
    }

    /// An edit that changes nothing the rows' pages show renders none of them, in a build that starts from the
    /// saved state as a command-line run does: as many outputs as the same edit renders on a site without them.
    @Test func anEditElsewhereRendersNoRowPage() async throws {
        var rendered: [Int] = []
        for withRows in [true, false] {
            let site = try site(rowPages: withRows ? "row_pages: {parks: {path: 园区, slug: name}}" : "")
            defer { site.remove() }
            if !withRows { try site.write("Content/about.md", "---\ntitle: 关于\n---\n介绍。\n") }
            _ = try await site.build()
            let a = site.content.appendingPathComponent("cases/a.md")
            try site.write("Content/cases/a.md", try String(contentsOf: a, encoding: .utf8) + "\n又一段。\n")
            _ = try await site.build()
            try site.write("Content/cases/a.md", try String(contentsOf: a, encoding: .utf8) + "\n再一段。\n")
            rendered.append(try await site.build().counts.pagesRendered)
        }
        #expect(rendered[0] == rendered[1], "with row pages \(rendered[0]), without \(rendered[1])")
    }

    @Test func badDeclarationsAreErrorsNamingTheFileAndKey() async throws {
        let cases: [(String, String, String)] = [
            ("row_pages: {prks: {slug: name}}", "no data set 'prks'", "did you mean 'parks'?"),
            ("row_pages: {parks: {slug: nam}}", "has no field 'nam'", "did you mean 'name'?"),
            ("row_pages: {parks: {slug: name, layout: nosuch}}", "no layout for the pages of 'parks'", "layouts:"),
        ]
        for (config, message, hint) in cases {
            let site = try site(rowPages: config)
            defer { site.remove() }
            do {
                _ = try await site.build()
                Issue.record("\(config) built")
            } catch {
                #expect(error.diagnostics.contains { $0.message.contains(message) && $0.hint?.contains(hint) == true },
                        "\(config): \(error.diagnostics.map { "\($0.location.file) \($0.field ?? ""): \($0.message) (\($0.hint ?? ""))" })")
            }
            #expect(!FileManager.default.fileExists(atPath: site.output.path))
        }
        // Two rows with one name: the error is at the second row's line.
        let site = try site()
        defer { site.remove() }
        try site.write("Content/data/parks.csv", "name,area\n软件园,120\n软件园,35.5\n")
        do {
            _ = try await site.build()
            Issue.record("a repeated name built")
        } catch {
            #expect(error.diagnostics.contains { $0.location.file.hasSuffix("data/parks.csv") && $0.location.line == 3 && $0.message.contains("already has") })
        }
    }
}
