import Foundation
import Testing
import TianshanModel
import TianshanWrite
@testable import TianshanBuild

/// An incremental build after any edit must produce exactly the bytes a clean build produces, while doing only
/// the work the edit touches.
@Suite struct IncrementalBuildTests {
    /// Builds the fixture's current state from scratch into a separate folder and compares it with the session's output.
    func expectSameAsCleanBuild(_ site: FixtureSite, _ step: String) async throws {
        let clean = site.root.appendingPathComponent("Clean-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: clean) }
        _ = try await BuildPipeline.build(BuildOptions(content: site.content, templates: site.templates, output: clean))
        let incremental = try site.snapshot()
        let fresh = try FixtureSite.snapshot(of: clean)
        #expect(incremental.keys.sorted() == fresh.keys.sorted(), "\(step): different files")
        for (path, bytes) in fresh where incremental[path] != bytes {
            Issue.record("\(step): \(path) differs from a clean build")
        }
    }

    @Test func seriesOfEditsMatchesCleanBuildsByteForByte() async throws {
        let site = try FixtureSite()
        defer { site.remove() }
        let session = BuildSession(options: BuildOptions(content: site.content, templates: site.templates, output: site.output))
        var report = try await session.build()
        #expect(report.counts.pagesRendered == 8)

        // Nothing changed: nothing is parsed, rendered or written.
        report = try await session.build()
        #expect(report.counts.markdownRendered == 0)
        #expect(report.counts.pagesRendered == 0)
        #expect(report.counts.filesWritten == 0)
        try await expectSameAsCleanBuild(site, "no change")

        let edits: [(String, () throws -> Void)] = [
            ("body edit", { try site.write("Content/cases/a.md", try String(contentsOf: site.content.appendingPathComponent("cases/a.md"), encoding: .utf8) + "\n新增一段文字。\n") }),
            ("title edit", { try site.write("Content/cases/b.md", "---\ntitle: 案例乙（修订）\ndate: 2022-01-01\ntags: [孵化器, 新标签]\nlayout: special\n---\n乙的正文第一段，用于自动摘要。\n") }),
            ("new page", { try site.write("Content/cases/c.md", "---\ntitle: 案例丙\ndate: 2023-05-01\ntags: [人才]\n---\n丙的正文，链接到[甲](a.md#背景)。\n") }),
            ("template edit", { try site.write("Templates/layouts/special.mustache", "{{<layouts.base}}{{$main}}<h1 class=\"special v2\">{{page.title}}</h1>{{{page.content}}}{{/main}}{{/layouts.base}}\n") }),
            ("partial edit", { try site.write("Templates/partials/nav.mustache", "<nav class=\"v2\">{{#navigation}}<a href=\"{{url}}\">{{title}}</a>{{/navigation}}</nav>\n") }),
            ("data edit", { try site.write("Content/data/items.yaml", "title: 项目\nfields:\n  - {name: name}\n  - {name: value, type: number}\nrows:\n  - {name: 甲, value: 1.5}\n") }),
            ("config edit", { try site.write("Content/site.yaml", "title: 测试站点二\nbase_url: /\nnavigation:\n  - {title: 首页, url: /}\n") }),
            ("page deleted", { try FileManager.default.removeItem(at: site.content.appendingPathComponent("cases/c.md")) }),
            ("asset added", { try site.write("Content/cases/photo.svg", "<svg xmlns=\"http://www.w3.org/2000/svg\"/>\n") }),
            // The theme's declarations change how every page loads: figures' values shown as text, then as nothing.
            ("fields edit", { try site.write("Templates/fields.yaml", "figures: [{label: string, value: string, unit: string?}]\n") }),
            ("fields removed", { try FileManager.default.removeItem(at: site.templates.appendingPathComponent("fields.yaml")) }),
        ]
        for (step, edit) in edits {
            try edit()
            _ = try await session.build()
            try await expectSameAsCleanBuild(site, step)
            let a = try String(contentsOf: site.output.appendingPathComponent("cases/a/index.html"), encoding: .utf8)
            switch step {
            case "fields edit": #expect(a.contains(">投资47722.2万元<"), "a string-typed value is shown as written")
            case "fields removed": #expect(!a.contains("class=\"fig\""), "an undeclared field is not a page's field")
            default: #expect(a.contains(">投资47,722.2万元<"), "\(step): a number-typed value is grouped")
            }
        }
        #expect(!FileManager.default.fileExists(atPath: site.output.appendingPathComponent("cases/c/index.html").path))
    }

    /// The preview's path: the watcher names the changed files, the session looks at only those and redoes only
    /// what read them. Every step must still equal a clean build.
    @Test func watcherNamedEditsMatchCleanBuildsByteForByte() async throws {
        let site = try FixtureSite()
        defer { site.remove() }
        let session = BuildSession(options: BuildOptions(content: site.content, templates: site.templates, output: site.output))
        _ = try await session.build(changed: nil)
        let content = site.content.resolvingSymlinksInPath().path
        let templates = site.templates.resolvingSymlinksInPath().path
        let outside = site.root.appendingPathComponent("moved-away")
        let a = try String(contentsOf: site.content.appendingPathComponent("cases/a.md"), encoding: .utf8)

        let edits: [(String, [String], () throws -> Void)] = [
            ("body edit", ["cases/a.md"], { try site.write("Content/cases/a.md", a + "\n新增一段文字。\n") }),
            ("same bytes saved again", ["cases/a.md"], { try site.write("Content/cases/a.md", a + "\n新增一段文字。\n") }),
            ("editor backup", ["cases/a.md~"], { try site.write("Content/cases/a.md~", "旧版本\n") }),
            ("summary edit", ["cases/b.md"], { try site.write("Content/cases/b.md", "---\ntitle: 案例乙\ndate: 2022-01-01\ntags: [孵化器]\nlayout: special\nsummary: 新的摘要。\n---\n乙的正文。\n") }),
            ("title edit", ["cases/b.md"], { try site.write("Content/cases/b.md", "---\ntitle: 案例乙（修订）\ndate: 2022-01-01\ntags: [孵化器, 新标签]\nlayout: special\n---\n乙的正文。\n") }),
            ("new folder", ["news", "news/n.md"], { try site.write("Content/news/n.md", "---\ntitle: 动态\ndate: 2023-01-01\n---\n正文，见[甲](../cases/a.md#背景)。\n") }),
            ("body edit in new folder", ["news/n.md"], { try site.write("Content/news/n.md", "---\ntitle: 动态\ndate: 2023-01-01\n---\n改过的正文。\n") }),
            ("folder moved away", ["news"], { try FileManager.default.moveItem(at: site.content.appendingPathComponent("news"), to: outside) }),
            ("template edit", ["T:layouts/special.mustache"], { try site.write("Templates/layouts/special.mustache", "{{<layouts.base}}{{$main}}<h1 class=\"v3\">{{page.title}}</h1>{{{page.content}}}{{/main}}{{/layouts.base}}\n") }),
            ("data edit", ["data/items.yaml"], { try site.write("Content/data/items.yaml", "title: 项目\nfields:\n  - {name: name}\n  - {name: value, type: number}\nrows:\n  - {name: 乙, value: 2.5}\n") }),
            ("config edit", ["site.yaml"], { try site.write("Content/site.yaml", "title: 测试站点三\nbase_url: /\nnavigation:\n  - {title: 首页, url: /}\n") }),
            ("asset added", ["cases/photo.svg"], { try site.write("Content/cases/photo.svg", "<svg xmlns=\"http://www.w3.org/2000/svg\"/>\n") }),
            ("asset edited", ["cases/photo.svg"], { try site.write("Content/cases/photo.svg", "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"2\"/>\n") }),
            ("new page", ["cases/d.md"], { try site.write("Content/cases/d.md", "---\ntitle: 案例丁\ndate: 2020-02-02\n---\n丁的正文。\n") }),
            ("page deleted", ["cases/d.md"], { try FileManager.default.removeItem(at: site.content.appendingPathComponent("cases/d.md")) }),
            ("fields edit", ["T:fields.yaml"], { try site.write("Templates/fields.yaml", "figures: [{label: string, value: string, unit: string?}]\n") }),
            ("fields removed", ["T:fields.yaml"], { try FileManager.default.removeItem(at: site.templates.appendingPathComponent("fields.yaml")) }),
        ]
        for (step, paths, edit) in edits {
            try edit()
            let changed = paths.map { $0.hasPrefix("T:") ? templates + "/" + $0.dropFirst(2) : content + "/" + $0 }
            let report = try await session.build(changed: changed)
            try await expectSameAsCleanBuild(site, step)
            switch step {
            case "body edit", "body edit in new folder":
                #expect(report.counts.filesRead == 1)
                #expect(report.counts.markdownRendered == 1)
                // a.md's listings show its front-matter summary; n.md has none, so its section listing changes too.
                #expect(report.counts.filesWritten == (step == "body edit" ? 1 : 2))
            case "same bytes saved again", "asset edited":
                #expect(report.counts.markdownRendered == 0)
                #expect(report.counts.pagesRendered == 0)
                #expect(report.counts.filesWritten == (step == "asset edited" ? 1 : 0))
            case "template edit":
                // The layout one page uses: that page only, and its Markdown is not rendered again.
                #expect(report.counts.markdownRendered == 0)
                #expect(report.counts.pagesRendered == 1)
            case "summary edit":
                #expect(report.counts.markdownRendered == 1)
                #expect(report.counts.pagesRendered >= 2, "the page and the listings showing its summary")
            default: break
            }
        }
        #expect(!FileManager.default.fileExists(atPath: site.output.appendingPathComponent("news/n/index.html").path))
        #expect(!FileManager.default.fileExists(atPath: site.output.appendingPathComponent("cases/d/index.html").path))
        #expect(!FileManager.default.fileExists(atPath: site.output.appendingPathComponent("cases/a.md~").path))
    }

    /// Separate command-line runs share work through the state committed beside the output: the next process
    /// redoes only what an edit touches, and every run equals a clean build.
    @Test func commandLineRunsReuseTheSavedState() async throws {
        let site = try FixtureSite()
        defer { site.remove() }
        let options = BuildOptions(content: site.content, templates: site.templates, output: site.output)
        // Files modified within two seconds of a build are read again by the next one; age them instead of sleeping.
        try site.ageSources()
        _ = try await BuildPipeline.build(options)
        #expect(BuildPipeline.loadState(options) != nil)
        let a = try String(contentsOf: site.content.appendingPathComponent("cases/a.md"), encoding: .utf8)

        try site.write("Content/cases/a.md", a + "\n新增一段文字。\n")
        var report = try await BuildPipeline.build(options)
        #expect(report.counts.filesRead == 1)
        #expect(report.counts.markdownRendered == 1)
        #expect(report.counts.pagesRendered == 1)
        #expect(report.counts.filesWritten == 1)
        try await expectSameAsCleanBuild(site, "body edit, next process")

        // A summary edit re-renders listings whose other members' views come from the saved cache.
        try site.write("Content/cases/b.md", "---\ntitle: 案例乙\ndate: 2022-01-01\ntags: [孵化器]\nlayout: special\nsummary: 另一个摘要。\n---\n乙的正文。\n")
        report = try await BuildPipeline.build(options)
        // b.md, and the home page's own Markdown: it shows b's new summary, and a state from disk holds no HTML.
        #expect(report.counts.markdownRendered == 2)
        try await expectSameAsCleanBuild(site, "summary edit, next process")

        try site.write("Content/cases/b.md", "---\ntitle: 案例乙（新）\ndate: 2022-01-01\ntags: [孵化器]\nlayout: special\n---\n乙的正文。\n")
        report = try await BuildPipeline.build(options)
        try await expectSameAsCleanBuild(site, "title edit, next process")
        try site.write("Content/cases/a.md", a)
        report = try await BuildPipeline.build(options)
        #expect(report.counts.markdownRendered == 1)
        try await expectSameAsCleanBuild(site, "body edit after a title edit")

        // Other field declarations: every page is loaded again, here showing figures' values as written.
        let fields = try String(contentsOf: site.templates.appendingPathComponent("fields.yaml"), encoding: .utf8)
        try site.write("Templates/fields.yaml", "figures: [{label: string, value: string, unit: string?}]\n")
        report = try await BuildPipeline.build(options)
        try await expectSameAsCleanBuild(site, "fields edit, next process")
        #expect(try String(contentsOf: site.output.appendingPathComponent("cases/a/index.html"), encoding: .utf8).contains(">投资47722.2万元<"))
        try site.write("Templates/fields.yaml", fields)
        report = try await BuildPipeline.build(options)
        try await expectSameAsCleanBuild(site, "fields restored, next process")

        // A failed build leaves the output, and so the saved cache, as they were.
        try site.write("Content/cases/a.md", "---\ntitle: [坏\n---\n")
        await #expect(throws: DiagnosticsError.self) { try await BuildPipeline.build(options) }
        try site.write("Content/cases/a.md", a + "\n修好了。\n")
        report = try await BuildPipeline.build(options)
        #expect(report.counts.markdownRendered == 1)
        try await expectSameAsCleanBuild(site, "after a failed build")

        // A damaged state is ignored, never trusted: the build starts from nothing.
        let writer = OutputWriter(outputRoot: options.output)
        let bytes = try #require(writer.loadState())
        for damaged in [Array(bytes.prefix(bytes.count / 2)), Array(bytes.reversed()), []] {
            try writer.save(try #require(writer.loadManifest()), state: StateBytes(damaged))
            #expect(BuildPipeline.loadState(options) == nil)
            try site.write("Content/cases/a.md", a + "\n又一段。\(damaged.count)\n")
            report = try await BuildPipeline.build(options)
            #expect(report.counts.pagesRendered == 8, "a build without state renders every page")
            try await expectSameAsCleanBuild(site, "damaged state (\(damaged.count) bytes)")
        }

        // Other options (here the base URL) make the saved state unusable.
        var other = options
        other.baseURL = "/report/"
        #expect(BuildPipeline.loadState(other) == nil)
        try site.write("Content/cases/a.md", a)
        report = try await BuildPipeline.build(other)
        #expect(report.counts.pagesRendered == 8)
    }

    /// A long-running build makes the spare tree while it waits after its first build, so the first rebuild
    /// after a change only brings the spare up to date; the output stays what a clean build gives.
    @Test(arguments: [BuildPolicy.watch, .serve])
    func theSpareIsMadeWhileTheSessionWaits(_ policy: BuildPolicy) async throws {
        let site = try FixtureSite()
        defer { site.remove() }
        let session = BuildSession(options: BuildOptions(content: site.content, templates: site.templates, output: site.output), policy: policy)
        _ = try await session.build()
        #expect(await session.manifest?.hasSpare == false, "a first build has no spare")
        let before = try OutputTree(of: site.output)
        await session.prepareNextBuild()
        #expect(await session.manifest?.hasSpare == true)
        #expect(try OutputTree(of: site.output) == before, "making the spare leaves the output as it was")
        let spare = site.output.deletingLastPathComponent().appendingPathComponent(".\(site.output.lastPathComponent).tianshan/spare")
        #expect(try OutputTree(of: spare) == before, "the spare holds the output")

        let a = try String(contentsOf: site.content.appendingPathComponent("cases/a.md"), encoding: .utf8)
        try site.write("Content/cases/a.md", a.replacingOccurrences(of: "获得多项称号", with: "获得了多项称号"))
        let report = try await session.build(changed: [site.content.resolvingSymlinksInPath().path + "/cases/a.md"])
        #expect(report.counts.filesWritten == 1)
        try await expectSameAsCleanBuild(site, "first edit after the spare was made")
    }

    @Test func editsRenderOnlyWhatTheyTouch() async throws {
        let site = try FixtureSite()
        defer { site.remove() }
        let session = BuildSession(options: BuildOptions(content: site.content, templates: site.templates, output: site.output))
        _ = try await session.build()

        // A template used by one page re-renders exactly that page.
        try site.write("Templates/layouts/special.mustache", "{{<layouts.base}}{{$main}}<h1>{{page.title}}!</h1>{{{page.content}}}{{/main}}{{/layouts.base}}\n")
        var report = try await session.build()
        #expect(report.counts.markdownRendered == 0)
        #expect(report.counts.pagesRendered == 1)
        #expect(report.counts.filesWritten == 1)

        // A body edit that leaves the page's listing view alone (its summary comes from front matter) re-renders
        // the page only: no listing shows anything that changed.
        let a = try String(contentsOf: site.content.appendingPathComponent("cases/a.md"), encoding: .utf8)
        try site.write("Content/cases/a.md", a.replacingOccurrences(of: "获得多项称号", with: "获得了多项称号"))
        report = try await session.build()
        #expect(report.counts.markdownRendered == 1)
        #expect(report.counts.pagesRendered == 1)
        #expect(report.counts.filesWritten == 1)

        // A new summary re-renders the page and every listing that shows its view (its section, its tags, the
        // home page); those whose bytes stay the same are not written.
        let edited = try String(contentsOf: site.content.appendingPathComponent("cases/a.md"), encoding: .utf8)
        let summary = try #require(edited.split(separator: "\n").first { $0.hasPrefix("summary:") })
        try site.write("Content/cases/a.md", edited.replacingOccurrences(of: String(summary), with: "summary: 换了一个摘要。"))
        report = try await session.build()
        #expect(report.counts.markdownRendered == 1)
        #expect(report.counts.pagesRendered > 1)
        #expect(report.counts.filesWritten > 1, "the page and at least its section listing show the new summary")
        try await expectSameAsCleanBuild(site, "summary changed")
    }

    @Test func failedIncrementalBuildKeepsOutputAndRecovers() async throws {
        let site = try FixtureSite()
        defer { site.remove() }
        let session = BuildSession(options: BuildOptions(content: site.content, templates: site.templates, output: site.output))
        _ = try await session.build()
        let before = try site.snapshot()
        try site.write("Content/cases/a.md", "---\ntitle: [坏\n---\n")
        await #expect(throws: DiagnosticsError.self) { try await session.build() }
        #expect(try site.snapshot() == before)
        try site.write("Content/cases/a.md", "---\ntitle: 案例甲\ndate: 2021-03-04\ntags: [孵化器, 人才]\n---\n\n## 背景\n\n修好了。\n\n## 成效\n")
        _ = try await session.build()
        try await expectSameAsCleanBuild(site, "after recovery")
    }
}

extension FixtureSite {
    /// Sets every source's modification time a minute back, so a build trusts their stamps at once.
    func ageSources() throws {
        let old = Date(timeIntervalSinceNow: -60)
        for folder in [content, templates] {
            let enumerator = FileManager.default.enumerator(atPath: folder.path)!
            while let path = enumerator.nextObject() as? String {
                try FileManager.default.setAttributes([.modificationDate: old], ofItemAtPath: folder.appendingPathComponent(path).path)
            }
        }
    }

    static func snapshot(of folder: URL) throws -> [String: Data] {
        var files: [String: Data] = [:]
        let enumerator = FileManager.default.enumerator(atPath: folder.path)
        while let path = enumerator?.nextObject() as? String {
            var isDir: ObjCBool = false
            let full = folder.appendingPathComponent(path).path
            if FileManager.default.fileExists(atPath: full, isDirectory: &isDir), !isDir.boolValue {
                files[path] = FileManager.default.contents(atPath: full)
            }
        }
        return files
    }
}

@Suite struct UpToDateTests {
    @Test func secondCommandLineBuildWithNoChangesDoesNothing() async throws {
        let site = try FixtureSite()
        defer { site.remove() }
        _ = try await site.build()
        // Inputs touched within two seconds of the read are not trusted; age them instead of sleeping.
        try site.ageSources()
        _ = try await site.build()
        var report = try await site.build()
        #expect(report.upToDate)

        // Any change, or a file missing from the output, means a real build again.
        try FileManager.default.removeItem(at: site.output.appendingPathComponent("cases/a/index.html"))
        report = try await site.build()
        #expect(!report.upToDate)
        #expect(FileManager.default.fileExists(atPath: site.output.appendingPathComponent("cases/a/index.html").path))
        try site.write("Content/cases/a.md", "## 成效\n\n改了\n")
        report = try await site.build()
        #expect(!report.upToDate)
        #expect(try site.page("cases/a/index.html").contains("改了"))

        // An output changed in place (its folder's listing unchanged) is written again too.
        try site.ageSources()
        _ = try await site.build()
        #expect(try await site.build().upToDate)
        let page = site.output.appendingPathComponent("cases/a/index.html")
        let built = try Data(contentsOf: page)
        try Data("别人改过".utf8).write(to: page)
        #expect(!(try await site.build().upToDate))
        #expect(try Data(contentsOf: page) == built)

        // A new file in a new folder two levels down is an input.
        try site.ageSources()
        _ = try await site.build()
        #expect(try await site.build().upToDate)
        try site.write("Content/cases/more/deep/c.md", "---\ntitle: 深处\n---\n\n深处的案例\n")
        #expect(!(try await site.build().upToDate))
    }
}
