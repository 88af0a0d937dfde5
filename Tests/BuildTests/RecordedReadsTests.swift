import Foundation
import Testing
import TianshanModel
@testable import TianshanBuild

/// Outputs depend on what they read while rendering, not on what their template's text seems to mention.
@Suite struct RecordedReadsTests {
    /// The case from the issue: a plain page showing the tag cloud must follow a case gaining a tag, in a
    /// long-lived session told only which file changed.
    @Test func plainPageShowingTheTagCloudFollowsTagChanges() async throws {
        let site = try FixtureSite()
        defer { site.remove() }
        try site.write("Templates/layouts/page.mustache", "{{<layouts.base}}{{$main}}<h1>{{page.title}}</h1><p class=\"cloud\">{{#site}}{{#tags}}{{name}} {{count}};{{/tags}}{{/site}}</p>{{{page.content}}}{{/main}}{{/layouts.base}}\n")
        let session = BuildSession(options: BuildOptions(content: site.content, templates: site.templates, output: site.output), policy: .watch)
        _ = try await session.build()
        #expect(!(try site.page("about/index.html")).contains("新标签"))

        let b = try String(contentsOf: site.content.appendingPathComponent("cases/b.md"), encoding: .utf8)
        try site.write("Content/cases/b.md", b.replacingOccurrences(of: "tags: [", with: "tags: [新标签, "))
        let changed = site.content.resolvingSymlinksInPath().path + "/cases/b.md"
        let report = try await session.build(changed: [changed])
        #expect(try site.page("about/index.html").contains("新标签 1;"))
        // Only b's Markdown: no other page's text or link targets changed.
        #expect(report.counts.markdownRendered == 1)
        try await IncrementalBuildTests().expectSameAsCleanBuild(site, "tag added")
    }

    /// A page reading a data set depends on that data set only: editing another leaves it alone.
    @Test func dataReadsAreRecordedPerDataSet() async throws {
        let site = try FixtureSite()
        defer { site.remove() }
        try site.write("Templates/layouts/page.mustache", "{{<layouts.base}}{{$main}}<h1>{{page.title}}</h1><ul>{{#data.items.rows}}<li>{{name}}</li>{{/data.items.rows}}</ul>{{{page.content}}}{{/main}}{{/layouts.base}}\n")
        let session = BuildSession(options: BuildOptions(content: site.content, templates: site.templates, output: site.output), policy: .watch)
        _ = try await session.build()

        try site.write("Content/data/other.yaml", "title: 其他\nrows:\n  - {name: 丙}\n")
        var report = try await session.build()
        try await IncrementalBuildTests().expectSameAsCleanBuild(site, "data set added")
        let pagesAfterAdd = report.counts.pagesRendered
        try site.write("Content/data/other.yaml", "title: 其他\nrows:\n  - {name: 丁}\n")
        report = try await session.build()
        #expect(report.counts.pagesRendered == 0, "no page reads data.other (after \(pagesAfterAdd) rendered when the set appeared)")
        try await IncrementalBuildTests().expectSameAsCleanBuild(site, "other data set edited")

        try site.write("Content/data/items.yaml", "title: 项目\nfields:\n  - {name: name}\n  - {name: value, type: number}\nrows:\n  - {name: 新行, value: 3}\n")
        report = try await session.build()
        #expect(try site.page("about/index.html").contains("<li>新行</li>"))
        try await IncrementalBuildTests().expectSameAsCleanBuild(site, "items edited")
    }
}
