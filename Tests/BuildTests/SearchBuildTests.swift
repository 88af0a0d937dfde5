import Foundation
import Testing
import TianshanModel
import TianshanSearch
@testable import TianshanBuild

/// The search index as the build writes it: the pages it holds, and an edit that rewrites only its share of it.
@Suite struct SearchBuildTests {
    static let layout = "{{<layouts.base}}{{$main}}<h1>{{page.title}}</h1><ol id=\"search-results\"></ol>{{/main}}{{/layouts.base}}"

    func site() throws -> FixtureSite {
        let site = try FixtureSite()
        try site.write("Templates/layouts/search.mustache", Self.layout)
        try site.write("Content/search.md", "---\ntitle: 搜索\nlayout: search\nsearch: false\n---\n")
        for n in 0..<40 {
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
}
