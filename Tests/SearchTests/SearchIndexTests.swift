import Foundation
import Testing
@testable import TianshanSearch

/// The index's files, and which of them an edit rewrites.
@Suite struct SearchIndexTests {
    static func entries(_ count: Int) -> [String: SearchEntry] {
        var entries: [String: SearchEntry] = [:]
        for n in 0..<count {
            let url = "/cases/\(n)/"
            entries[url] = SearchEntry(url: url, title: "案例\(n)", text: "第\(n)个案例：高新区孵化器 \(n * 7)")
        }
        return entries
    }

    static func json(_ data: Data) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    }

    @Test func shardsNameEveryPageHoldingAToken() async throws {
        let index = SearchIndex(entries: Self.entries(30))
        let files = Dictionary(uniqueKeysWithValues: await index.files(Set(index.paths)).map { ($0.path, $0.bytes) })
        #expect(files.count == index.paths.count)
        let meta = try Self.json(files["search/meta.json"]!)
        #expect(meta["documents"] as? Int == 30 && meta["shards"] as? Int == index.shards)
        // "孵化" is in every page; "第7" is not a token (an ideograph pair is), but "7" and "个案" are.
        let token = SearchText.hash("孵化")
        let shard = try Self.json(files[index.shardPath(index.shard(of: token))]!)
        #expect((shard[String(token)] as? [Int])?.count == 30)
        let id = try #require(index.ids["/cases/7/"])
        let chunk = try Self.json(files[index.chunkPath(index.chunk(of: id))]!)
        let doc = try #require(chunk[String(id)] as? [String])
        #expect(doc == ["/cases/7/", "案例7", "第7个案例：高新区孵化器 49"])
    }

    /// Made in parts, the index is the same files, and no part holds more than its share of the shards.
    @Test func filesMadeInPartsAreTheSameFiles() async throws {
        let index = SearchIndex(entries: Self.entries(400))
        let whole = Dictionary(uniqueKeysWithValues: await index.files(Set(index.paths)).map { ($0.path, $0.bytes) })
        for batches in [1, 3, 8, 1000] {
            var parts: [[String]] = []
            var made: [String: Data] = [:]
            await index.files(Set(index.paths), batches: batches) { part in
                parts.append(part.map(\.path))
                for (path, bytes) in part { made[path] = bytes }
            }
            #expect(made == whole)
            let shardParts = parts.filter { $0.contains { $0.hasPrefix("search/t/") } }
            #expect(shardParts.count == min(batches, index.shards))
            #expect(shardParts.allSatisfy { $0.count <= (index.shards + batches - 1) / batches })
        }
    }

    @Test func anEditRewritesItsChunkAndTheShardsOfTheTokensItChanged() async throws {
        let before = SearchIndex(entries: Self.entries(200))
        var edited = Self.entries(200)
        edited["/cases/5/"] = SearchEntry(url: "/cases/5/", title: "案例5", text: "第5个案例：高新区孵化器 35 人才大厦")
        let after = SearchIndex(entries: edited)
        let changed = try #require(after.changedPaths(since: before))
        let id = after.ids["/cases/5/"]!
        let expected = Set(["人才", "才大", "大厦"].map { after.shardPath(after.shard(of: SearchText.hash($0))) } + [after.chunkPath(after.chunk(of: id))])
        #expect(changed == expected)
        #expect(changed.count < after.paths.count / 4)
        // Nothing changed: nothing to write.
        #expect(after.changedPaths(since: after) == [])
        // A page more: its chunk, its tokens' shards, and the count in meta.json.
        var more = edited
        more["/cases/new/"] = SearchEntry(url: "/cases/new/", title: "新", text: "新页")
        let grown = SearchIndex(entries: more)
        #expect(grown.changedPaths(since: after)?.contains("search/meta.json") == true)
        // The files that changed are exactly those whose bytes differ.
        let old = Dictionary(uniqueKeysWithValues: await after.files(Set(after.paths)).map { ($0.path, $0.bytes) })
        let new = Dictionary(uniqueKeysWithValues: await grown.files(Set(grown.paths)).map { ($0.path, $0.bytes) })
        #expect(Set(new.keys.filter { old[$0] != new[$0] }) == grown.changedPaths(since: after))
    }

    /// Shards patched from the last build's bytes are the bytes a full build gives, with or without the tokens
    /// in memory (a state read from disk has none).
    @Test func patchedShardsAreTheShardsAFullBuildWrites() async throws {
        var entries = Self.entries(200)
        let before = SearchIndex(entries: entries)
        let written = Dictionary(uniqueKeysWithValues: await before.files(Set(before.paths)).map { ($0.path, $0.bytes) })
        for url in entries.keys { entries[url]!.tokens = [] }
        let reread = SearchIndex(entries: entries)
        entries["/cases/5/"] = SearchEntry(url: "/cases/5/", title: "案例5", text: "人才大厦")
        entries["/cases/9/"] = nil
        let after = SearchIndex(entries: entries)
        let changed = try #require(after.changedPaths(since: reread))
        let shards = changed.filter { $0.contains("/t/") }
        #expect(!shards.isEmpty)
        let patched = try #require(await after.patchedShards(shards, since: reread) { written[$0] })
        let full = Dictionary(uniqueKeysWithValues: await after.files(shards).map { ($0.path, $0.bytes) })
        #expect(patched.count == shards.count)
        for file in patched { #expect(full[file.path] == file.bytes, "\(file.path)") }
        // A shard that cannot be read back: nil, and the build writes the index whole.
        #expect(await after.patchedShards(shards, since: reread) { _ in Data("{\"1\":[".utf8) } == nil)
        #expect(SearchIndex.shardPairs(Data("{}\n".utf8)) == [])
    }

    @Test func textIsQuotedSoNothingClosesAScript() {
        #expect(SearchIndex.quoted("a\"b\\c</script>\n\u{1}高") == "\"a\\\"b\\\\c\\u003c/script>\\n\\u0001高\"")
    }
}
