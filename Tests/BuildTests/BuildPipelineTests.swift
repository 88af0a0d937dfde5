import Foundation
import Testing
import TianshanModel
@testable import TianshanBuild

/// Copies a fixture site into a fresh temporary folder so each test can edit and build it.
struct FixtureSite {
    let root: URL
    var content: URL { root.appendingPathComponent("Content") }
    var templates: URL { root.appendingPathComponent("Templates") }
    var output: URL { root.appendingPathComponent("Output") }

    init(_ name: String = "basic-site") throws {
        let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Fixtures")
        root = FileManager.default.temporaryDirectory.appendingPathComponent("tianshan-build-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: root.deletingLastPathComponent(), withIntermediateDirectories: true)
        try FileManager.default.copyItem(at: fixtures.appendingPathComponent(name), to: root)
    }

    func build(drafts: Bool = false, baseURL: String? = nil) async throws(DiagnosticsError) -> BuildReport {
        try await BuildPipeline.build(BuildOptions(content: content, templates: templates, output: output, baseURL: baseURL, drafts: drafts))
    }

    func page(_ path: String) throws -> String {
        try String(contentsOf: output.appendingPathComponent(path), encoding: .utf8)
    }

    func write(_ path: String, _ text: String) throws {
        let url = root.appendingPathComponent(path)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(text.utf8).write(to: url)
    }

    /// Every file under Output/ with its bytes, for before/after comparisons.
    func snapshot() throws -> [String: Data] {
        try Self.snapshot(of: output)
    }

    func remove() { try? FileManager.default.removeItem(at: root) }
}

@Suite struct BuildPipelineTests {
    @Test func buildsTheFixtureSite() async throws {
        let site = try FixtureSite()
        defer { site.remove() }
        let report = try await site.build()

        // index, about, 404-less fixture: a, b, generated cases listing, two tags, tag index
        #expect(report.pagesWritten == 8)
        #expect(report.dataFiles == 1)

        let a = try site.page("cases/a/index.html")
        #expect(a.contains("<title>案例甲 · 测试站点</title>"))
        #expect(a.contains("<h2 id=\"背景\">背景</h2>"))
        #expect(a.contains("<h2 id=\"成效\">成效</h2>"))
        #expect(a.contains("<h2 id=\"成效-1\">成效</h2>"))
        #expect(a.contains("新疆高新人才大厦自运营以来"))
        #expect(a.contains("<a href=\"/cases/b/\">案例乙</a>"))
        #expect(a.contains("<a href=\"/about/\">关于</a>"))
        #expect(a.contains("<img src=\"/cases/diagram.svg\" alt=\"示意图\" />"))
        #expect(!a.contains("<script"))
        #expect(a.contains("<a class=\"tag\" href=\"/tags/孵化器/\">孵化器</a>"))
        #expect(a.contains("<span class=\"fig\">投资47,722.2万元</span>"))
        #expect(a.contains("<a href=\"/cases/\" aria-current=\"page\">案例</a>"))

        let about = try site.page("about/index.html")
        #expect(about.contains("<h1>关于 测试 站点</h1>"))
        #expect(about.contains("<a href=\"/cases/a/#%E6%88%90%E6%95%88\">案例甲</a>"))

        #expect(try site.page("cases/b/index.html").contains("<h1 class=\"special\">案例乙</h1>"))
        let listing = try site.page("cases/index.html")
        // Newest first; the summary falls back to the first paragraph.
        #expect(listing.contains("<li><a href=\"/cases/b/\">案例乙</a> 乙的正文第一段，用于自动摘要。</li><li><a href=\"/cases/a/\">案例甲</a> 甲的摘要</li>"))
        #expect(try site.page("tags/孵化器/index.html").contains("案例乙"))
        #expect(try site.page("index.html").contains("<p class=\"count\">2</p>"))
        #expect(try site.page("index.html").contains("欢迎访问测试站点。"))
        #expect(try site.page("assets/site.css").contains("font-family"))
        #expect(try site.page("cases/diagram.svg").contains("<svg"))
        #expect(!FileManager.default.fileExists(atPath: site.output.appendingPathComponent("cases/draft/index.html").path))
    }

    @Test func draftsAndBaseURL() async throws {
        let site = try FixtureSite()
        defer { site.remove() }
        _ = try await site.build(drafts: true, baseURL: "https://example.gov.cn/report/")
        #expect(FileManager.default.fileExists(atPath: site.output.appendingPathComponent("cases/draft/index.html").path))
        let a = try site.page("cases/a/index.html")
        #expect(a.contains("<a href=\"/report/cases/b/\">案例乙</a>"))
        #expect(a.contains("href=\"/report/assets/site.css\""))
    }

    @Test func failedBuildLeavesOutputUntouchedAndReportsEveryProblem() async throws {
        let site = try FixtureSite()
        defer { site.remove() }
        _ = try await site.build()
        let before = try site.snapshot()

        try site.write("Content/cases/b.md", "---\ntitle: [坏\n---\n")
        try site.write("Content/about.md", "见[不存在](nowhere.md)。\n")
        try site.write("Content/data/items.yaml", "fields:\n  - {name: value, type: number}\nrows:\n  - {value: 很多}\n")
        try site.write("Content/cases/c.md", "---\nlayout: missing\n---\n")

        do {
            _ = try await site.build()
            Issue.record("the build should fail")
        } catch {
            let text = error.diagnostics.map(\.description)
            #expect(error.diagnostics.count == 3, "\(text)")
            #expect(text.contains { $0.contains("cases/b.md:3:1") && $0.contains("flow sequence at line 2") })
            #expect(text.contains { $0.contains("data/items.yaml:4:13") && $0.contains("[rows[0].value]") })
            #expect(text.contains { $0.contains("cases/c.md") && $0.contains("unknown layout 'missing'") })
            // The broken link is found only once the rest loads, so it is reported in a second pass.
        }
        #expect(try site.snapshot() == before)
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: site.root.path)
            .filter { $0.hasPrefix(".Output.staging") || $0.hasPrefix(".Output.old") }
        #expect(leftovers.isEmpty)
    }

    @Test func danglingLinkFailsTheBuildWithItsLocation() async throws {
        let site = try FixtureSite()
        defer { site.remove() }
        try site.write("Content/about.md", "# 关于\n\n第一段。\n\n见[不存在](nowhere.md)和![图](missing.png)。\n")
        do {
            _ = try await site.build()
            Issue.record("the build should fail")
        } catch {
            #expect(error.diagnostics.count == 2)
            #expect(error.diagnostics.allSatisfy { $0.location.file.hasSuffix("Content/about.md") && $0.location.line == 5 })
        }
        #expect(!FileManager.default.fileExists(atPath: site.output.path))
    }
}

@Suite struct StrictSpecTests {
    @Test func frontMatterTableSpecErrorsNameTheirOwnLine() async throws {
        let site = try FixtureSite()
        defer { site.remove() }
        try site.write("Content/about.md", "---\ntitle: 关于\ntables:\n  list:\n    data: items\n    totls: true\n---\n正文\n")
        do {
            _ = try await site.build()
            Issue.record("the build should fail")
        } catch {
            let problem = try #require(error.diagnostics.first)
            #expect(error.diagnostics.count == 1)
            #expect(problem.location.file.hasSuffix("Content/about.md") && problem.location.line == 6 && problem.location.column == 5)
            #expect(problem.field == "tables.list.totls" && problem.message == "unknown key 'totls'; did you mean 'totals'?")
        }
    }

    @Test func misspeltSiteKeyFailsTheBuildAndLeavesOutputAlone() async throws {
        let site = try FixtureSite()
        defer { site.remove() }
        _ = try await site.build()
        let before = try site.snapshot()
        try site.write("Content/site.yaml", "title: 测试站点\nbaseurl: /x/\n")
        do {
            _ = try await site.build()
            Issue.record("the build should fail")
        } catch {
            #expect(error.diagnostics.map(\.message) == ["unknown key 'baseurl'; did you mean 'base_url'?"])
            #expect(error.diagnostics.first?.location.line == 2)
        }
        #expect(try site.snapshot() == before)
    }
}

@Suite struct BrokenLinksLevelTests {
    @Test func warnListsEveryBrokenLinkAndAnchorAndBuilds() async throws {
        let site = try FixtureSite()
        defer { site.remove() }
        let config = try String(contentsOf: site.content.appendingPathComponent("site.yaml"), encoding: .utf8)
        try site.write("Content/site.yaml", config + "broken_links: warn\n")
        try site.write("Content/about.md", "# 关于\n\n见[不存在](nowhere.md)、[规范](/url)和![图](missing.png)。\n\n[锚点](#没有)\n")
        let report = try await site.build()
        let links = report.warnings.filter { $0.field == "link" || $0.field == "image" }
        #expect(links.count == 4, "\(report.warnings)")
        #expect(links.allSatisfy { $0.location.file.hasSuffix("Content/about.md") && $0.severity == .warning })
        #expect(links.map(\.location.line).sorted() == [3, 3, 3, 5])
        #expect(try site.page("about/index.html").contains("规范"))

        // Back to the default: the same links fail the build, and the output stays as the warn build left it.
        let before = try site.snapshot()
        try site.write("Content/site.yaml", config)
        do {
            _ = try await site.build()
            Issue.record("the build should fail")
        } catch {
            // The three links to missing files; anchors are checked once the pages render, which they do not now.
            #expect(error.diagnostics.filter { $0.severity == .error }.count == 3)
        }
        #expect(try site.snapshot() == before)
    }

    @Test func anUnknownLevelIsRefused() async throws {
        let site = try FixtureSite()
        defer { site.remove() }
        let config = try String(contentsOf: site.content.appendingPathComponent("site.yaml"), encoding: .utf8)
        try site.write("Content/site.yaml", config + "broken_links: ignore\n")
        do {
            _ = try await site.build()
            Issue.record("the build should fail")
        } catch {
            #expect(error.diagnostics.first?.field == "broken_links" && error.diagnostics.first?.message.contains("'ignore'") == true)
        }
    }
}

@Suite struct PaginationTests {
    @Test func listingsSplitIntoPagesWithAPager() async throws {
        let site = try FixtureSite()
        defer { site.remove() }
        try site.write("Content/site.yaml", "title: 测试站点\npaginate: 1\nnavigation:\n  - {title: 案例, url: /cases/}\n")
        try site.write("Templates/layouts/list.mustache",
            "{{<layouts.base}}{{$main}}<h1>{{page.title}}</h1>{{#pages}}<li>{{title}}</li>{{/pages}}"
            + "{{#pagination}}[{{current}}/{{total}}]{{#previous}}<a rel=prev href=\"{{previous}}\"></a>{{/previous}}"
            + "{{#next}}<a rel=next href=\"{{next}}\"></a>{{/next}}{{/pagination}}{{/main}}{{/layouts.base}}\n")
        _ = try await site.build()
        let first = try site.page("cases/index.html")
        #expect(first.contains("<li>案例乙</li>") && !first.contains("<li>案例甲</li>"))
        #expect(first.contains("[1/2]<a rel=next href=\"/cases/page/2/\"></a>"))
        let second = try site.page("cases/page/2/index.html")
        #expect(second.contains("<h1>案例（第2页）</h1><li>案例甲</li>"))
        #expect(second.contains("[2/2]<a rel=prev href=\"/cases/\"></a>"))
        #expect(try site.page("tags/孵化器/page/2/index.html").contains("<li>案例甲</li>"))
    }
}

@Suite struct ExternalLinkCollectionTests {
    @Test func checkListsEachExternalLinkOnceWithItsFirstPlace() async throws {
        let site = try FixtureSite()
        defer { site.remove() }
        try site.write("Content/about.md", "# 关于\n\n见[政府网](https://www.gov.cn/)与[再次](https://www.gov.cn/)、[邮件](mailto:a@b.cn)。\n")
        let report = try await BuildPipeline.build(BuildOptions(content: site.content, templates: site.templates, output: site.output, dryRun: true))
        #expect(report.externalLinks.map(\.url) == ["https://www.gov.cn/"])
        #expect(report.externalLinks.first?.location.file.hasSuffix("Content/about.md") == true)
        #expect(report.externalLinks.first?.location.line == 3)
    }
}

/// An Excel workbook as a data file, written by openpyxl (`Tests/Fixtures/xlsx/make_workbooks.py`), through a build.
@Suite struct SpreadsheetDataTests {
    /// Writes the fixture workbooks into `folder`; false when no Python with openpyxl is at hand (outside `make test`).
    static func writeWorkbooks(into folder: URL) -> Bool {
        let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Fixtures/xlsx/make_workbooks.py")
        let given = ProcessInfo.processInfo.environment["TIANSHAN_PYTHON"]
        let process = Process()
        process.executableURL = URL(fileURLWithPath: given ?? "/usr/bin/python3")
        process.arguments = [script.path, folder.path]
        guard (try? process.run()) != nil else { return given == nil ? false : { Issue.record("cannot run \(given!)"); return false }() }
        process.waitUntilExit()
        if process.terminationStatus != 0, given != nil { Issue.record("make_workbooks.py failed") }
        return process.terminationStatus == 0
    }

    @Test func aTableOfAWorkbookSheet() async throws {
        let site = try FixtureSite()
        defer { site.remove() }
        guard Self.writeWorkbooks(into: site.content.appendingPathComponent("data")) else { return }
        try? FileManager.default.removeItem(at: site.content.appendingPathComponent("data/broken.xlsx"))
        try site.write("Content/about.md", "---\ntitle: 关于\n---\n```table\ndata: indicators\ncolumns: [指标, 2020年, 数量]\n```\n")
        // Excel's lock file beside an open workbook is not a data file.
        try site.write("Content/data/~$indicators.xlsx", "lock")
        _ = try await site.build()
        let page = try site.page("about/index.html")
        #expect(page.contains("在孵企业营业收入") && page.contains("47,722.2") && page.contains("2,000余"))

        // The sheet named in site.yaml, and a misspelt workbook name there.
        let config = try String(contentsOf: site.content.appendingPathComponent("site.yaml"), encoding: .utf8)
        try site.write("Content/site.yaml", config + "sheets:\n  indicators.xlsx: 其他\n")
        try site.write("Content/about.md", "---\ntitle: 关于\n---\n```table\ndata: indicators\n```\n")
        _ = try await site.build()
        #expect(try site.page("about/index.html").contains("乙"))
        try site.write("Content/site.yaml", config + "sheets:\n  indicator.xlsx: 其他\n")
        do {
            _ = try await site.build()
            Issue.record("a sheet for a missing workbook built")
        } catch {
            #expect(error.diagnostics.count == 1 && error.diagnostics.first?.location.file.hasSuffix("Content/site.yaml") == true)
            #expect(error.diagnostics.first?.message == "no workbook 'indicator.xlsx' under data/")
            #expect(error.diagnostics.first?.hint == "did you mean 'indicators.xlsx'?")
        }
    }
}
