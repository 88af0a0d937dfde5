import Foundation
import TianshanModel
import TianshanSearch

/// Which of the search index's files a build makes, and the texts they are made from. The state keeps no page's
/// text, only its hash: a page not rendered now has its text read back from the index's chunk in the output
/// (checked against the hash the commit wrote it with, and the text against the state's hash). So an edit reads
/// the chunks and shards of the pages it changes, not the whole site's text.
struct SearchStage {
    /// Every file of the index this build makes (`SearchIndex.paths`).
    let paths: [String]
    /// Whether the output holds the last commit's index files.
    let inPlace: Bool
    /// The hash of each index file the last commit wrote.
    let written: [String: UInt64]
    let output: URL

    /// Texts of pages the index needs that are neither rendered now nor readable from the output: the build is
    /// made again with those pages rendered.
    struct TextsLost: Error {}

    /// The index with the texts its files need, the shards patched from the output, and the files left to make
    /// with `SearchIndex.files`.
    struct Plan {
        var index: SearchIndex
        var patched: [(path: String, bytes: Data)]
        var rest: Set<String>
    }

    /// A file of the index as the last commit wrote it, or nil.
    func readBack(_ path: String) -> Data? {
        guard let hash = written[path], let data = FileManager.default.contents(atPath: output.appendingPathComponent(path).path),
              ContentHash.hash(data) == hash else { return nil }
        return data
    }

    /// - Parameters:
    ///   - index: the index of this build's pages; those not rendered now lack their text.
    ///   - before: the index the output holds, as the state describes it.
    ///   - candidates: the URLs whose entries may differ from `before`'s, when known (else every one may).
    ///   - keep: for a transaction that does not know the last commit's files, keeps those named and says which it kept.
    func plan(index: SearchIndex, before: SearchIndex, candidates: [String]? = nil, keep: (([String]) async -> Set<String>)?) async throws(TextsLost) -> Plan {
        var index = index
        var texts = ReadTexts(stage: self)
        var nowEntries = index.entries
        var patch = inPlace && index.isLaidOut(like: before)
        var wanted = Set(paths)
        var previous = before
        var changed: [String] = []
        if patch {
            // The chunks of the pages that changed hold their old texts (for the tokens they drop).
            changed = candidates.map { $0.filter { index.entries[$0] != before.entries[$0] }.sorted() } ?? index.changedURLs(since: before)
            await texts.read(changed.compactMap { url in (index.ids[url] ?? before.ids[url]).map { index.chunkPath(index.chunk(of: $0)) } })
            var beforeEntries = before.entries
            if texts.fill(&beforeEntries, changed), texts.fill(&nowEntries, changed) {
                previous = before.replacing(entries: beforeEntries)
                index = index.replacing(entries: nowEntries)
                wanted = index.changedPaths(since: previous, changed: changed) ?? wanted
            } else {
                patch = false
            }
        }
        if let keep {
            let kept = await keep(paths.filter { !wanted.contains($0) })
            wanted.formUnion(paths.filter { !kept.contains($0) })
        }
        let shardFolder = SearchIndex.folder + "t/"
        let shards = wanted.filter { $0.hasPrefix(shardFolder) }
        var patched: [(path: String, bytes: Data)] = []
        if patch, wanted.count < paths.count, !shards.isEmpty {
            patched = await index.patchedShards(shards, since: previous, changed: changed, read: readBack) ?? []
            if patched.count != shards.count { patched = [] }
        }
        let rest = patched.isEmpty ? wanted : wanted.subtracting(shards)
        // Making a shard reads every page's tokens; making a chunk, the texts of its pages.
        let makesShards = rest.contains { $0.hasPrefix(shardFolder) }
        let needed = makesShards ? Array(nowEntries.keys) : nowEntries.keys.filter { url in
            index.ids[url].map { rest.contains(index.chunkPath(index.chunk(of: $0))) } ?? false
        }
        if needed.contains(where: { nowEntries[$0]?.hasText == false }) {
            // In the same layout a chunk's pages are those of the chunk as written; else any chunk may hold them.
            let chunkFolder = SearchIndex.folder + "d/"
            await texts.read(patch && !makesShards ? rest.filter { $0.hasPrefix(chunkFolder) }.sorted() : written.keys.filter { $0.hasPrefix(chunkFolder) }.sorted())
            guard texts.fill(&nowEntries, needed) else { throw TextsLost() }
        }
        index = index.replacing(entries: nowEntries)
        return Plan(index: index, patched: patched, rest: rest)
    }

    /// The pages' titles and texts read back from the index's chunks in the output, by URL.
    struct ReadTexts {
        let stage: SearchStage
        var byURL: [String: (title: String, text: String)] = [:]
        var readPaths = Set<String>()

        mutating func read(_ paths: [String]) async {
            let new = paths.filter { readPaths.insert($0).inserted }
            let stage = self.stage
            for members in await parallelMap(new, { path in stage.readBack(path).flatMap(SearchIndex.chunkEntries) }) {
                byURL.merge(members ?? [:]) { kept, _ in kept }
            }
        }

        /// Gives the entries at `urls` that lack their text the text read back, where it is theirs; whether
        /// every one of them now has it.
        func fill(_ entries: inout [String: SearchEntry], _ urls: some Sequence<String>) -> Bool {
            var complete = true
            for url in urls {
                guard let entry = entries[url], !entry.hasText else { continue }
                if let member = byURL[url], member.title.utf8.elementsEqual(entry.title.utf8), let full = entry.with(text: member.text) {
                    entries[url] = full
                } else {
                    complete = false
                }
            }
            return complete
        }
    }
}
