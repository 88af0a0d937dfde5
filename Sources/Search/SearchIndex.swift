import Foundation
import TianshanModel

/// One page as the search finds it: its URL, title and text, and the hashes of its tokens (made from the title
/// and text when a page renders). An entry read back from the state holds the hash of its text, not the text:
/// the text is in the index's chunk in the output, read back (`chunkEntries`) when an edit needs it.
public struct SearchEntry: Sendable, Equatable {
    public var url: String
    public var title: String
    /// Empty unless `hasText`.
    public var text: String
    public var textHash: UInt64
    public var hasText: Bool
    public var tokens: [UInt32]

    /// The tokens, made again when they are not held. Only for an entry with its text.
    public var tokenHashes: [UInt32] {
        precondition(hasText, "search tokens of an entry without its text")
        return tokens.isEmpty ? SearchText.tokenHashes(of: title + " " + text) : tokens
    }

    public static func == (a: SearchEntry, b: SearchEntry) -> Bool {
        // Bytes, not Unicode equivalence: the index holds the bytes.
        a.textHash == b.textHash && a.url.utf8.elementsEqual(b.url.utf8) && a.title.utf8.elementsEqual(b.title.utf8)
    }

    public init(url: String, title: String, text: String) {
        self.init(url: url, title: title, text: text, tokens: SearchText.tokenHashes(of: title + " " + text))
    }

    public init(url: String, title: String, text: String, tokens: [UInt32]) {
        self.url = url
        self.title = title
        self.text = text
        self.tokens = tokens
        textHash = ContentHash.hash(text)
        hasText = true
    }

    /// An entry as the state keeps it: without its text.
    public init(url: String, title: String, textHash: UInt64) {
        self.url = url
        self.title = title
        text = ""
        self.textHash = textHash
        hasText = false
        tokens = []
    }

    /// The same entry with `text`, if that is the text it was made from.
    public func with(text: String) -> SearchEntry? {
        if hasText { return self }
        let full = SearchEntry(url: url, title: title, text: text, tokens: [])
        return full.textHash == textHash ? full : nil
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

    /// The same index (shape and ids) with `entries` for the same URLs, such as its entries with their texts.
    public func replacing(entries: [String: SearchEntry]) -> SearchIndex {
        precondition(entries.count == self.entries.count)
        return SearchIndex(shards: shards, chunks: chunks, ids: ids, entries: entries)
    }

    private init(shards: Int, chunks: Int, ids: [String: UInt32], entries: [String: SearchEntry]) {
        (self.shards, self.chunks, self.ids, self.entries) = (shards, chunks, ids, entries)
    }

    /// The index of `entries`, with `previous`'s ids when it holds the same pages (the ids depend on the URLs
    /// alone), which spares sorting them.
    public init(entries: [String: SearchEntry], reusingIDsOf previous: SearchIndex) {
        if entries.count == previous.entries.count, entries.keys.allSatisfy({ previous.ids[$0] != nil }) {
            self.init(shards: previous.shards, chunks: previous.chunks, ids: previous.ids, entries: entries)
        } else {
            self.init(entries: entries)
        }
    }

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
    /// Needs the texts of the entries that changed, before and after.
    /// - Parameter changed: the URLs whose entries changed (`changedURLs`), when known.
    public func changedPaths(since previous: SearchIndex, changed: [String]? = nil) -> Set<String>? {
        guard isLaidOut(like: previous) else { return nil }
        var paths = Set<String>()
        for url in changed ?? changedURLs(since: previous) {
            let now = entries[url], before = previous.entries[url]
            guard now != before else { continue }
            paths.insert(chunkPath(chunk(of: ids[url] ?? previous.ids[url]!)))
            let old = Set(before?.tokenHashes ?? []), new = Set(now?.tokenHashes ?? [])
            for token in old.symmetricDifference(new) { paths.insert(shardPath(shard(of: token))) }
        }
        if entries.count != previous.entries.count { paths.insert(Self.metaPath()) }
        return paths
    }

    /// Whether the index has `previous`'s shape, and every page in both has the same id: then an edit changes
    /// only the files of the pages it changes.
    public func isLaidOut(like previous: SearchIndex) -> Bool {
        previous.shards == shards && previous.chunks == chunks
            && previous.ids.allSatisfy({ ids[$0.key] == nil || ids[$0.key] == $0.value })
    }

    /// The URLs whose entries differ from `previous`'s (come, gone or changed).
    public func changedURLs(since previous: SearchIndex) -> [String] {
        var changed = entries.compactMap { url, entry in previous.entries[url] == entry ? nil : url }
        if entries.count != previous.entries.count || !changed.isEmpty {
            changed += previous.entries.keys.filter { entries[$0] == nil }
        }
        return changed.sorted()
    }

    /// The bytes of the files named (paths of `paths`; others are left out), the shards and chunks made on all cores.
    public func files(_ wanted: Set<String>) async -> [(path: String, bytes: Data)] {
        var files: [(path: String, bytes: Data)] = []
        await self.files(wanted) { files += $0 }
        return files
    }

    /// The same files handed to `emit` in `batches` parts as they are made, so that only one part's shards
    /// (their pairs and bytes) or chunks are held at once. Each part of the shards reads every page's tokens
    /// again, so the parts are few.
    public func files(_ wanted: Set<String>, batches: Int = 8, emit: ([(path: String, bytes: Data)]) async throws -> Void) async rethrows {
        if wanted.contains(Self.metaPath()) {
            try await emit([(Self.metaPath(), Data("{\"version\":\(Self.version),\"shards\":\(shards),\"chunks\":\(chunks),\"documents\":\(entries.count)}\n".utf8))])
        }
        let shardList = (0..<shards).filter { wanted.contains(shardPath($0)) }
        let chunkList = (0..<chunks).filter { wanted.contains(chunkPath($0)) }
        if !shardList.isEmpty {
            let batch = max(1, (shardList.count + batches - 1) / batches)
            let urls = Array(entries.keys)
            let tokenLists = await parallelMap(urls) { [entries] url in entries[url]!.tokenHashes }
            let pageIDs = urls.map { UInt64(ids[$0]!) }
            for start in stride(from: 0, to: shardList.count, by: batch) {
                let group = Array(shardList[start..<min(shardList.count, start + batch)])
                // (token, page) pairs packed in one integer, so that sorting them orders each shard's tokens and pages.
                var slot = [Int](repeating: -1, count: shards)
                for (position, shard) in group.enumerated() { slot[shard] = position }
                var pairs = [[UInt64]](repeating: [], count: group.count)
                for (id, tokens) in zip(pageIDs, tokenLists) {
                    for token in tokens {
                        let position = slot[shard(of: token)]
                        if position >= 0 { pairs[position].append(UInt64(token) << 32 | id) }
                    }
                }
                let encoded = await parallelMap(Array(pairs.indices)) { [pairs] position -> Data in Self.shardJSON(pairs[position]) }
                pairs = []
                try await emit(zip(group.map(shardPath), encoded).map { ($0, $1) })
            }
        }
        if !chunkList.isEmpty {
            var byChunk = [[(UInt32, SearchEntry)]](repeating: [], count: chunks)
            for (url, entry) in entries {
                let id = ids[url]!
                byChunk[chunk(of: id)].append((id, entry))
            }
            let batch = max(1, (chunkList.count + batches - 1) / batches)
            for start in stride(from: 0, to: chunkList.count, by: batch) {
                let group = Array(chunkList[start..<min(chunkList.count, start + batch)])
                let encoded = await parallelMap(group) { [byChunk] chunk -> Data in Self.chunkJSON(byChunk[chunk]) }
                try await emit(zip(group.map(chunkPath), encoded).map { ($0, $1) })
            }
        }
    }

    /// The shards at `paths` as they are after the pages that changed since `previous`, each made from the shard
    /// as `previous` wrote it (`read`) by taking out the pages' old tokens and putting in their new ones, so that an
    /// edit need not gather every page's tokens. Nil when a shard cannot be read back.
    public func patchedShards(_ paths: Set<String>, since previous: SearchIndex, changed: [String]? = nil,
                              read: (String) -> Data?) async -> [(path: String, bytes: Data)]? {
        var changes: [String: (old: [UInt32], new: [UInt32], oldID: UInt32?, newID: UInt32?)] = [:]
        for url in changed ?? changedURLs(since: previous) {
            let now = entries[url], before = previous.entries[url]
            guard now != before else { continue }
            changes[url] = (before?.tokenHashes ?? [], now?.tokenHashes ?? [], previous.ids[url], ids[url])
        }
        var files: [(path: String, bytes: Data)] = []
        for shard in (0..<shards) where paths.contains(shardPath(shard)) {
            guard let bytes = read(shardPath(shard)), var pairs = Self.shardPairs(bytes) else { return nil }
            var removed = Set<UInt64>()
            for change in changes.values {
                if let id = change.oldID { for token in change.old where self.shard(of: token) == shard { removed.insert(UInt64(token) << 32 | UInt64(id)) } }
            }
            if !removed.isEmpty { pairs.removeAll { removed.contains($0) } }
            for change in changes.values {
                if let id = change.newID { for token in change.new where self.shard(of: token) == shard { pairs.append(UInt64(token) << 32 | UInt64(id)) } }
            }
            files.append((shardPath(shard), Self.shardJSON(pairs)))
        }
        return files
    }

    /// The (token, page) pairs of a shard's JSON as `shardJSON` writes it, or nil for other bytes.
    static func shardPairs(_ data: Data) -> [UInt64]? {
        var pairs: [UInt64] = []
        var index = data.startIndex
        func number() -> UInt64? {
            var value: UInt64 = 0
            let start = index
            while index < data.endIndex, data[index] >= 0x30, data[index] <= 0x39 {
                value = value &* 10 &+ UInt64(data[index] - 0x30)
                index += 1
            }
            return index > start && value <= UInt64(UInt32.max) ? value : nil
        }
        func expect(_ byte: UInt8) -> Bool {
            guard index < data.endIndex, data[index] == byte else { return false }
            index += 1
            return true
        }
        guard expect(UInt8(ascii: "{")) else { return nil }
        if expect(UInt8(ascii: "}")) { return pairs }
        repeat {
            guard expect(UInt8(ascii: "\"")), let token = number(), expect(UInt8(ascii: "\"")), expect(UInt8(ascii: ":")),
                  expect(UInt8(ascii: "[")) else { return nil }
            repeat {
                guard let id = number() else { return nil }
                pairs.append(token << 32 | id)
            } while expect(UInt8(ascii: ","))
            guard expect(UInt8(ascii: "]")) else { return nil }
        } while expect(UInt8(ascii: ","))
        return expect(UInt8(ascii: "}")) ? pairs : nil
    }

    /// The entries of a chunk's JSON as `chunkJSON` writes it (`{"page":[url,title,text],…}`), by URL; nil for
    /// other bytes.
    public static func chunkEntries(_ data: Data) -> [String: (title: String, text: String)]? {
        guard let members = try? JSONDecoder().decode([String: [String]].self, from: data) else { return nil }
        var entries: [String: (title: String, text: String)] = [:]
        for member in members.values {
            guard member.count == 3 else { return nil }
            entries[member[0]] = (member[1], member[2])
        }
        return entries
    }

    /// One shard: `{"token":[page,…],…}` from its sorted (token, page) pairs.
    static func shardJSON(_ unsorted: [UInt64]) -> Data {
        let pairs = unsorted.sorted()
        var json: [UInt8] = [UInt8(ascii: "{")]
        json.reserveCapacity(pairs.count * 11 + 2)
        var current: UInt64 = .max
        for pair in pairs {
            let token = pair >> 32
            if token != current {
                if current != .max { json += [UInt8(ascii: "]"), UInt8(ascii: ",")] }
                json.append(UInt8(ascii: "\""))
                digits(token, into: &json)
                json += [UInt8(ascii: "\""), UInt8(ascii: ":"), UInt8(ascii: "[")]
                current = token
            } else {
                json.append(UInt8(ascii: ","))
            }
            digits(pair & 0xFFFF_FFFF, into: &json)
        }
        if current != .max { json.append(UInt8(ascii: "]")) }
        json += [UInt8(ascii: "}"), 0x0A]
        return Data(json)
    }

    /// One chunk: `{"page":[url,title,text],…}`.
    static func chunkJSON(_ members: [(UInt32, SearchEntry)]) -> Data {
        var json: [UInt8] = [UInt8(ascii: "{")]
        for (offset, (id, entry)) in members.sorted(by: { $0.0 < $1.0 }).enumerated() {
            if offset > 0 { json.append(UInt8(ascii: ",")) }
            json.append(UInt8(ascii: "\""))
            digits(UInt64(id), into: &json)
            json += Array("\":[".utf8)
            quote(entry.url, into: &json)
            json.append(UInt8(ascii: ","))
            quote(entry.title, into: &json)
            json.append(UInt8(ascii: ","))
            quote(entry.text, into: &json)
            json.append(UInt8(ascii: "]"))
        }
        json += [UInt8(ascii: "}"), 0x0A]
        return Data(json)
    }

    /// The decimal digits of `value`, appended without a string in between (made right to left on the stack).
    static func digits(_ value: UInt64, into out: inout [UInt8]) {
        if value < 10 {
            out.append(0x30 &+ UInt8(truncatingIfNeeded: value))
            return
        }
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 20) { buffer in
            var rest = value
            var index = 20
            repeat {
                index -= 1
                buffer[index] = 0x30 &+ UInt8(truncatingIfNeeded: rest % 10)
                rest /= 10
            } while rest > 0
            out.append(contentsOf: UnsafeBufferPointer(rebasing: buffer[index..<20]))
        }
    }

    /// A JSON string literal of `text`, appended to `out` (see `quoted`). Runs of bytes that need no escape
    /// are copied whole.
    static func quote(_ text: String, into out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        var text = text
        text.withUTF8 { bytes in
            var runStart = 0
            for index in 0..<bytes.count {
                let byte = bytes[index]
                guard byte < 0x20 || byte == UInt8(ascii: "\"") || byte == 0x5C || byte == UInt8(ascii: "<") else { continue }
                out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart..<index]))
                runStart = index + 1
                switch byte {
                case UInt8(ascii: "\""): out += [0x5C, 0x22]
                case 0x5C: out += [0x5C, 0x5C]
                case UInt8(ascii: "<"): out += Array("\\u003c".utf8)
                case 0x0A: out += [0x5C, UInt8(ascii: "n")]
                case 0x0D: out += [0x5C, UInt8(ascii: "r")]
                case 0x09: out += [0x5C, UInt8(ascii: "t")]
                default: out += Array(String(format: "\\u%04x", byte).utf8)
                }
            }
            out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart..<bytes.count]))
        }
        out.append(UInt8(ascii: "\""))
    }

    /// A JSON string literal; "<" is escaped too, so no text of a page can close a script element it were put in.
    static func quoted(_ text: String) -> String {
        var bytes: [UInt8] = []
        quote(text, into: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }
}
