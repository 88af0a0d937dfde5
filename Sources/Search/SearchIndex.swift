import Foundation
import TianshanModel

/// One page as the search finds it: its URL, title and text, and the hashes of its tokens.
public struct SearchEntry: Sendable, Equatable {
    public var url: String
    public var title: String
    public var text: String
    public var tokens: [UInt32]

    public init(url: String, title: String, text: String) {
        self.url = url
        self.title = title
        self.text = text
        tokens = SearchText.tokenHashes(SearchText.normalized(title + " " + text))
    }

    public init(url: String, title: String, text: String, tokens: [UInt32]) {
        self.url = url
        self.title = title
        self.text = text
        self.tokens = tokens
    }
}

/// The static search index a site ships under `search/`, which the theme's script reads: token shards (which
/// pages hold each token, by token hash) and document chunks (each page's URL, title and text, for checking a
/// query against the text, ranking and excerpts). A query loads the shards of its tokens and the chunks of the
/// pages they name, not the whole index; an edit rewrites the shards of the tokens it adds or removes and the
/// chunk of the page, not the rest.
public struct SearchIndex: Sendable, Equatable {
    public static let folder = "search/"
    public static let version = 1

    public let shards: Int
    public let chunks: Int
    /// By URL: the page's id (its URL's hash, moved on past another page's), which names it in the shards.
    public let ids: [String: UInt32]
    public let entries: [String: SearchEntry]

    public init(entries: [String: SearchEntry]) {
        self.entries = entries
        (shards, chunks) = Self.shape(documents: entries.count)
        var ids: [String: UInt32] = [:]
        var taken = Set<UInt32>()
        for url in entries.keys.sorted() {
            var id = SearchText.hash(url) & 0x7FFF_FFFF
            while !taken.insert(id).inserted { id = (id &+ 1) & 0x7FFF_FFFF }
            ids[url] = id
        }
        self.ids = ids
    }

    /// Shards and chunks grow with the site in powers of two, so that a page more or less leaves the shape as it is.
    static func shape(documents: Int) -> (shards: Int, chunks: Int) {
        func power(atLeast value: Int, minimum: Int, maximum: Int) -> Int {
            var n = minimum
            while n < value && n < maximum { n *= 2 }
            return n
        }
        return (power(atLeast: documents / 4, minimum: 8, maximum: 8192), power(atLeast: documents / 12, minimum: 4, maximum: 8192))
    }

    public func shard(of token: UInt32) -> Int { Int(token % UInt32(shards)) }
    public func chunk(of id: UInt32) -> Int { Int(id % UInt32(chunks)) }

    public static func metaPath() -> String { folder + "meta.json" }
    public func shardPath(_ shard: Int) -> String { Self.folder + "t/\(shard).json" }
    public func chunkPath(_ chunk: Int) -> String { Self.folder + "d/\(chunk).json" }

    /// Every file of the index.
    public var paths: [String] { Self.paths(documents: entries.count) }

    /// Every file of an index of `documents` pages, known before the pages are: the same for any such index.
    public static func paths(documents: Int) -> [String] {
        let (shards, chunks) = shape(documents: documents)
        return [metaPath()] + (0..<shards).map { folder + "t/\($0).json" } + (0..<chunks).map { folder + "d/\($0).json" }
    }

    /// The files whose bytes differ from `previous`'s, or nil (all of them) when the shape or a page's id changed.
    public func changedPaths(since previous: SearchIndex) -> Set<String>? {
        guard previous.shards == shards, previous.chunks == chunks,
              previous.ids.allSatisfy({ ids[$0.key] == nil || ids[$0.key] == $0.value }) else { return nil }
        var paths = Set<String>()
        for url in Set(entries.keys).union(previous.entries.keys) {
            let now = entries[url], before = previous.entries[url]
            guard now != before else { continue }
            paths.insert(chunkPath(chunk(of: ids[url] ?? previous.ids[url]!)))
            let old = Set(before?.tokens ?? []), new = Set(now?.tokens ?? [])
            for token in old.symmetricDifference(new) { paths.insert(shardPath(shard(of: token))) }
        }
        if entries.count != previous.entries.count { paths.insert(Self.metaPath()) }
        return paths
    }

    /// The bytes of the files named (paths of `paths`; others are left out).
    public func files(_ wanted: Set<String>) -> [(path: String, bytes: Data)] {
        var files: [(path: String, bytes: Data)] = []
        if wanted.contains(Self.metaPath()) {
            files.append((Self.metaPath(), Data("{\"version\":\(Self.version),\"shards\":\(shards),\"chunks\":\(chunks),\"documents\":\(entries.count)}\n".utf8)))
        }
        let shardSet = Set((0..<shards).filter { wanted.contains(shardPath($0)) })
        let chunkSet = Set((0..<chunks).filter { wanted.contains(chunkPath($0)) })
        if !shardSet.isEmpty {
            var postings = [[UInt32: [UInt32]]](repeating: [:], count: shards)
            for (url, entry) in entries {
                let id = ids[url]!
                for token in entry.tokens {
                    let shard = shard(of: token)
                    if shardSet.contains(shard) { postings[shard][token, default: []].append(id) }
                }
            }
            for shard in shardSet.sorted() {
                var json = "{"
                for (offset, token) in postings[shard].keys.sorted().enumerated() {
                    if offset > 0 { json += "," }
                    json += "\"\(token)\":[" + postings[shard][token]!.sorted().map(String.init).joined(separator: ",") + "]"
                }
                files.append((shardPath(shard), Data((json + "}\n").utf8)))
            }
        }
        if !chunkSet.isEmpty {
            var members = [[(UInt32, SearchEntry)]](repeating: [], count: chunks)
            for (url, entry) in entries {
                let id = ids[url]!
                if chunkSet.contains(chunk(of: id)) { members[chunk(of: id)].append((id, entry)) }
            }
            for chunk in chunkSet.sorted() {
                var json = "{"
                for (offset, (id, entry)) in members[chunk].sorted(by: { $0.0 < $1.0 }).enumerated() {
                    if offset > 0 { json += "," }
                    json += "\"\(id)\":[\(Self.quoted(entry.url)),\(Self.quoted(entry.title)),\(Self.quoted(entry.text))]"
                }
                files.append((chunkPath(chunk), Data((json + "}\n").utf8)))
            }
        }
        return files
    }

    /// A JSON string literal; "<" is escaped too, so no text of a page can close a script element it were put in.
    static func quoted(_ text: String) -> String {
        var out = "\""
        out.reserveCapacity(text.utf8.count + 2)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "<": out += "\\u003c"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case "\u{2028}": out += "\\u2028"
            case "\u{2029}": out += "\\u2029"
            default:
                if scalar.value < 0x20 { out += String(format: "\\u%04x", scalar.value) } else { out.unicodeScalars.append(scalar) }
            }
        }
        return out + "\""
    }
}
