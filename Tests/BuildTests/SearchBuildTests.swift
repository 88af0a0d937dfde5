import Foundation
import Testing
import TianshanModel
import TianshanSearch
import TianshanWrite
@testable import TianshanBuild

/// The search index as the build writes it: the pages it holds, and an edit that rewrites only its share of it.
@Suite struct SearchBuildTests {
    static let layout = "{{<layouts.base}}{{$main}}<h1>{{page.title}}</h1><ol id=\"search-results\"></ol>{{/main}}{{/layouts.base}}"

    func site(cases: Int = 40) throws -> FixtureSite {
        let site = try FixtureSite()
        try site.write("Templates/layouts/search.mustache", Self.layout)
        try site.write("Content/search.md", "---\ntitle: 搜索\nlayout: search\nsearch: false\n---\n")
        for n in 0..<cases {
            try site.write("Content/cases/p\(n).md", "---\ntitle: 案例\(n)\ndate: 2022-01-\(String(format: "%02d", n % 28 + 1))\n---\n第\(n)个案例讲述高新区的孵化器与众创空间，共\(n * 3)家企业入驻。\n")
        }
        return site
    }

    func documents(_ site: FixtureSite) throws -> [String: [String]] {
        var documents: [String: [String]] = [:]
        let folder = site.output.appendingPathComponent("search/d")
        for name in try FileManager.default.contentsOfDirectory(atPath: folder.path) {
            let chunk = try JSONSerialization.jsonObject(with: Data(contentsOf: folder.appendingPathComponent(name))) as? [String: [String]] ?? [:]
            for doc in chunk.values { documents[doc[0]] = doc }
        }
        return documents
    }

    @Test func theIndexHoldsThePagesAndAnEditRewritesItsShare() async throws {
        let site = try site()
        defer { site.remove() }
        var report = try await site.build()
        let all = report.counts.searchFilesWritten
        var documents = try self.documents(site)
        // The pages, not the home page, the listings or the search page itself.
        #expect(documents["/cases/p7/"]?[1] == "案例7")
        #expect(documents["/cases/p7/"]?[2].contains("第7个案例讲述高新区的孵化器与众创空间，共21家企业入驻。") == true)
        #expect(documents["/search/"] == nil && documents["/"] == nil && documents["/cases/"] == nil)
        #expect(documents.count == 43, "\(documents.keys.sorted())")
        #expect(all == SearchIndex.paths(documents: documents.count).count)

        // Three words more on one page: its chunk and the shards of those words' tokens (人才, 才大, 大厦), not the index.
        try site.write("Content/cases/p7.md", "---\ntitle: 案例7\ndate: 2022-01-08\n---\n第7个案例讲述高新区的孵化器与众创空间，共21家企业入驻。人才大厦\n")
        report = try await site.build()
        #expect((1...4).contains(report.counts.searchFilesWritten), "\(report.counts.searchFilesWritten) of \(all)")
        documents = try self.documents(site)
        #expect(documents["/cases/p7/"]?[2].contains("人才大厦") == true)
        // Nothing changed: nothing written.
        report = try await site.build()
        #expect(report.counts.searchFilesWritten == 0)

        let clean = site.root.appendingPathComponent("Clean")
        _ = try await BuildPipeline.build(BuildOptions(content: site.content, templates: site.templates, output: clean))
        #expect(try FixtureSite.snapshot(of: clean) == (try site.snapshot()))

        // A file of the index deleted behind the build's back is written again.
        try FileManager.default.removeItem(at: site.output.appendingPathComponent("search/meta.json"))
        _ = try await site.build()
        #expect(FileManager.default.fileExists(atPath: site.output.appendingPathComponent("search/meta.json").path))

        // `search: false` in site.yaml: no index.
        let config = try String(contentsOf: site.content.appendingPathComponent("site.yaml"), encoding: .utf8)
        try site.write("Content/site.yaml", config + "\nsearch: false\n")
        _ = try await site.build()
        #expect(!FileManager.default.fileExists(atPath: site.output.appendingPathComponent("search/meta.json").path))
    }

    /// A watching session reuses its plan, and what the search finds with it, while the listings stay the same:
    /// a page that comes to say `search: false` (same title and date) leaves the index, and comes back.
    @Test func aPageLeavesTheIndexInAWatchingSession() async throws {
        let site = try site()
        defer { site.remove() }
        let session = BuildSession(options: BuildOptions(content: site.content, templates: site.templates, output: site.output), policy: .watch)
        _ = try await session.build()
        await session.prepareNextBuild()
        #expect(try self.documents(site)["/cases/p5/"] != nil)
        let path = site.content.appendingPathComponent("cases/p5.md").path
        try site.write("Content/cases/p5.md", "---\ntitle: 案例5\ndate: 2022-01-06\nsearch: false\n---\n第5个案例。\n")
        _ = try await session.build(changed: [path])
        #expect(await session.model?.lists?.searched.values.contains { $0.url == "/cases/p5/" } == false)
        #expect(try self.documents(site)["/cases/p5/"] == nil)
        #expect(try site.snapshot() == (try await cleanSnapshot(site)))
        await session.prepareNextBuild()
        try site.write("Content/cases/p5.md", "---\ntitle: 案例5\ndate: 2022-01-06\n---\n第5个案例。\n")
        _ = try await session.build(changed: [path])
        #expect(try self.documents(site)["/cases/p5/"]?[2].contains("第5个案例。") == true)
        #expect(try site.snapshot() == (try await cleanSnapshot(site)))
    }

    func cleanSnapshot(_ site: FixtureSite) async throws -> [String: Data] {
        let clean = site.root.appendingPathComponent("Clean-\(UUID().uuidString)")
        _ = try await BuildPipeline.build(BuildOptions(content: site.content, templates: site.templates, output: clean))
        return try FixtureSite.snapshot(of: clean)
    }

    /// The state beside the output keeps a page's text hash, not its text: the index's chunk holds the text,
    /// and an edit in a new process reads it back from there.
    @Test func theStateHoldsNoPageTextAndAnEditReadsItBack() async throws {
        let site = try site()
        defer { site.remove() }
        // The phrase after the first paragraph, which the page's summary (kept in the state) is made from.
        try site.write("Content/cases/p3.md", "---\ntitle: 案例3\ndate: 2022-01-04\n---\n第3个案例。\n\n独一无二的句子：天山南北好地方。\n")
        _ = try await site.build()
        let record = try Data(contentsOf: OutputWriter(outputRoot: site.output).stateFolder.appendingPathComponent("record"))
        #expect(record.range(of: Data("天山南北好地方".utf8)) == nil)
        #expect(try self.documents(site)["/cases/p3/"]?[2].contains("天山南北好地方") == true)

        // p3's neighbours in its chunk keep their texts; p3's old words leave the shards.
        try site.write("Content/cases/p3.md", "---\ntitle: 案例3\ndate: 2022-01-04\n---\n换了一句话。\n")
        let report = try await site.build()
        let all = SearchIndex.paths(documents: 43).count
        #expect((1..<all).contains(report.counts.searchFilesWritten), "\(report.counts.searchFilesWritten) of \(all)")
        #expect(try site.snapshot() == (try await cleanSnapshot(site)))
    }

    /// Pages enough to change the index's shape: every chunk is made again, the texts of the pages not rendered
    /// read back from the chunks as the output holds them.
    @Test func aNewShapeIsMadeFromTheTextsInTheOutput() async throws {
        let site = try site()
        defer { site.remove() }
        _ = try await site.build()
        let before = try FileManager.default.contentsOfDirectory(atPath: site.output.appendingPathComponent("search/d").path).count
        for n in 40..<80 {
            try site.write("Content/cases/p\(n).md", "---\ntitle: 案例\(n)\ndate: 2022-02-01\n---\n新增的第\(n)个案例。\n")
        }
        let report = try await site.build()
        let after = try FileManager.default.contentsOfDirectory(atPath: site.output.appendingPathComponent("search/d").path).count
        #expect(after > before)
        #expect(report.counts.pagesRendered < 83 + 40, "\(report.counts.pagesRendered)")
        #expect(try site.snapshot() == (try await cleanSnapshot(site)))
    }

    /// A chunk changed behind the build's back, keeping its size: its pages' texts cannot be read back, so
    /// the build renders those pages again, and the index is as a clean build makes it.
    @Test func aChunkChangedBehindTheBuildsBackIsMadeAgain() async throws {
        let site = try site()
        defer { site.remove() }
        _ = try await site.build()
        let chunk = site.output.appendingPathComponent("search/d/0.json")
        var bytes = try Data(contentsOf: chunk)
        let at = try #require(bytes.range(of: Data("案例".utf8)))
        bytes.replaceSubrange(at, with: Data("实例".utf8))
        let attributes = try FileManager.default.attributesOfItem(atPath: chunk.path)
        try bytes.write(to: chunk)
        try FileManager.default.setAttributes([.modificationDate: attributes[.modificationDate]!], ofItemAtPath: chunk.path)
        // An edit elsewhere, then one that grows the index: both need texts of chunk 0's pages.
        try site.write("Content/cases/p1.md", "---\ntitle: 案例1\ndate: 2022-01-02\n---\n改过的第一个案例。\n")
        _ = try await site.build()
        for n in 40..<80 {
            try site.write("Content/cases/p\(n).md", "---\ntitle: 案例\(n)\ndate: 2022-02-01\n---\n新增的第\(n)个案例。\n")
        }
        _ = try await site.build()
        #expect(try site.snapshot() == (try await cleanSnapshot(site)))
    }

    /// The same on a site so small that its index keeps its shape when pages leave it: the build made again
    /// writes the whole index, not shards patched against pages the output still holds.
    @Test func aChunkDeletedFromASmallIndexIsMadeAgain() async throws {
        let site = try site(cases: 2)
        defer { site.remove() }
        _ = try await site.build()
        let chunks = site.output.appendingPathComponent("search/d")
        let nonEmpty = try FileManager.default.contentsOfDirectory(atPath: chunks.path).sorted().first { name in
            (try? Data(contentsOf: chunks.appendingPathComponent(name)).count) ?? 0 > 3
        }
        try FileManager.default.removeItem(at: chunks.appendingPathComponent(try #require(nonEmpty)))
        _ = try await site.build()
        #expect(try site.snapshot() == (try await cleanSnapshot(site)))
        try site.write("Content/cases/p1.md", "---\ntitle: 案例1\ndate: 2022-01-02\n---\n改过的第一个案例。\n")
        _ = try await site.build()
        #expect(try site.snapshot() == (try await cleanSnapshot(site)))
    }
}
