import Dispatch
import Foundation
import TianshanLoad
import TianshanMarkdown
import TianshanModel
import TianshanWrite
import TianshanRender
import TianshanSearch

/// The build state on disk, in a hand-written binary format: the library formats (property lists, JSON, a
/// generic Codable coder) took seconds to read the state of a 10,000-page site, and a rebuild after a small
/// edit has to start in milliseconds (README, "The state on disk").
///
/// Layout: the magic string and the format version, then blocks, each its length, a `ContentHash` of its bytes
/// and the bytes. The first block holds the identity, the read time and how many blocks of each kind follow:
/// the page records, then the output records, each record in the block its path's hash picks (`bucket`), a
/// few hundred to a block, sorted by path. A block is self-contained: its string table (`BinaryWriter.shared`:
/// every key, path and text of the block, each stored once and written as its index), then its records. So
/// blocks are checked and read in parallel, and a save after an edit writes again only the blocks holding a
/// record that changed, copying the others' bytes (`EncodedState`). Within a block every value is written
/// field by field in the order the functions below write them; numbers are varints (zigzagged when signed)
/// except hashes and doubles, which take eight bytes. A state that does not decode, for any reason, is ignored
/// and the build starts from nothing.
enum StateCoding {
    /// Part of the state's identity: a state written by another layout of `BuildState` is never decoded as this one.
    static let version = "tianshan-state-9"

    static let magic = Array("tianshan-state\0".utf8)
    /// Changes with the byte layout.
    static let formatVersion: UInt64 = 13

    /// About this many records to a block: an edit re-encodes the blocks holding what it changed, and each
    /// block repeats the strings it shares with others.
    static let pagesPerBlock = 256
    static let outputsPerBlock = 1024

    static func encode(_ state: BuildState) -> [UInt8]? { encode(state, reusing: nil).bytes }

    /// The state's bytes, taking from `old` every block whose records are all the very objects it was encoded
    /// from (records are copy-on-write, so an unchanged record is the same object), and the blocks to reuse next time.
    static func encode(_ state: BuildState, reusing old: EncodedState?) -> (bytes: [UInt8], encoded: EncodedState) {
        let (parts, encoded) = encodeParts(state, reusing: old)
        return (parts.joined, encoded)
    }

    /// The same bytes as the parts they are made of (headers and the blocks' own buffers), for writing without
    /// copying them into one buffer first.
    static func encodeParts(_ state: BuildState, reusing old: EncodedState?) -> (state: StateBytes, encoded: EncodedState) {
        let pageBuckets = bucketCount(state.pages.count, perBlock: pagesPerBlock, previous: old?.pages.count)
        let outputBuckets = bucketCount(state.outputs.count, perBlock: outputsPerBlock, previous: old?.outputs.count)
        let pages = group(state.pages, into: pageBuckets)
        let outputs = group(state.outputs, into: outputBuckets)
        let oldPages = old?.pages.count == pageBuckets ? old?.pages : nil
        let oldOutputs = old?.outputs.count == outputBuckets ? old?.outputs : nil
        let pageParts = inParallel(pageBuckets) { bucket -> (EncodedBlock<PageRecord.Storage>, Bool)? in
            let entries = pages[bucket]
            if let reused = oldPages?[bucket], reused.holds(entries.map { ($0.0, $0.1.storage) }) { return (reused, false) }
            return (EncodedBlock(entries, object: \.storage) { $0.pageRecord($1) }, true)
        } ?? []
        let outputParts = inParallel(outputBuckets) { bucket -> (EncodedBlock<OutputRecord>, Bool)? in
            let entries = outputs[bucket]
            if let reused = oldOutputs?[bucket], reused.holds(entries) { return (reused, false) }
            return (EncodedBlock(entries, object: { $0 }) { $0.outputRecord($1) }, true)
        } ?? []
        let pageBlocks = pageParts.map(\.0)
        let outputBlocks = outputParts.map(\.0)
        let afresh = pageParts.filter(\.1).count + outputParts.filter(\.1).count

        var head = BinaryWriter(capacity: 256)
        head.string(state.identity)
        head.int64(state.readAt)
        head.u64(state.fields)
        head.count(pageBlocks.count)
        head.count(outputBlocks.count)
        head.count(state.pages.count)
        head.count(state.outputs.count)
        head.bool(state.carried != nil)
        head.count(state.pdfs.count)
        for (path, record) in state.pdfs.sorted(by: { $0.key < $1.key }) {
            head.string(path)
            head.u64(record.html)
            head.u64(record.environment)
        }
        head.count(state.searchFiles.count)
        for (path, hash) in state.searchFiles.sorted(by: { $0.key < $1.key }) {
            head.string(path)
            head.u64(hash)
        }
        var file = BinaryWriter(capacity: 64 + head.bytes.count)
        magic.withUnsafeBytes { file.raw($0) }
        file.varint(formatVersion)
        file.block(head.bytes[...])
        var parts: [ArraySlice<UInt8>] = [file.bytes[...]]
        parts.reserveCapacity(1 + 2 * (pageBlocks.count + outputBlocks.count))
        // The carried session: its shape, copied while it is the one last written, then its commit.
        var carriedBlocks: [(ArraySlice<UInt8>, UInt64)] = []
        var shape: (value: CarriedSession.Shape, payload: ArraySlice<UInt8>, hash: UInt64)?
        if let carried = state.carried {
            if let old = old?.shape, old.value == carried.shape {
                shape = old
            } else {
                let payload = selfContained { $0.shape(carried.shape) }
                shape = (carried.shape, payload, payload.withUnsafeBytes { ContentHash.hash($0) })
            }
            let commit = selfContained { $0.commit(carried.commit) }
            carriedBlocks = [(shape!.payload, shape!.hash), (commit, commit.withUnsafeBytes { ContentHash.hash($0) })]
        }
        for (payload, hash) in pageBlocks.map({ ($0.payload, $0.hash) }) + outputBlocks.map({ ($0.payload, $0.hash) }) + carriedBlocks {
            var frame = BinaryWriter(capacity: 24)
            frame.count(payload.count)
            frame.u64(hash)
            parts.append(frame.bytes[...])
            parts.append(payload)
        }
        return (StateBytes(parts: parts), EncodedState(pages: pageBlocks, outputs: outputBlocks, shape: shape, encodedAfresh: afresh))
    }

    /// A block's payload: the string table of what `write` writes, then what it writes.
    static func selfContained(_ write: (inout BinaryWriter) -> Void) -> ArraySlice<UInt8> {
        var body = BinaryWriter(capacity: 1 << 20)
        write(&body)
        var block = BinaryWriter(capacity: 16 + body.tableBytes.count + body.bytes.count)
        block.count(body.tableCount)
        body.tableBytes.withUnsafeBytes { block.raw($0) }
        body.bytes.withUnsafeBytes { block.raw($0) }
        return block.bytes[...]
    }

    /// How many blocks `count` records go into: the previous number while the count stays within a factor of
    /// two of what it was made for, so that records stay in their blocks.
    static func bucketCount(_ count: Int, perBlock: Int, previous: Int?) -> Int {
        let wanted = max(1, (count + perBlock - 1) / perBlock)
        if let previous, previous > 0, wanted <= previous * 2, wanted * 2 >= previous { return previous }
        return wanted
    }

    /// The block a record goes into: by a hash of its path, so that it stays there from build to build.
    static func bucket(_ path: String, of count: Int) -> Int {
        Int(ContentHash.hash(path) % UInt64(count))
    }

    private static func group<Record>(_ records: [String: Record], into count: Int) -> [[(String, Record)]] {
        var groups = [[(String, Record)]](repeating: [], count: count)
        for (path, record) in records { groups[bucket(path, of: count)].append((path, record)) }
        return groups
    }

    static func decode(_ bytes: [UInt8]) -> BuildState? { decodeReusable(bytes)?.state }

    /// The state, and its blocks for `encode(_:reusing:)`.
    static func decodeReusable(_ bytes: [UInt8]) -> (state: BuildState, encoded: EncodedState)? {
        decode(bytes, verifyingChecksum: true)
    }

    /// Tests turn the checksums off to reach the reader's own checks with damaged bytes.
    static func decode(_ bytes: [UInt8], verifyingChecksum: Bool) -> (state: BuildState, encoded: EncodedState)? {
        let parsed = bytes.withUnsafeBufferPointer { buffer -> (state: BuildState, blocks: [Block], parts: [Records])? in
            var state = BuildState()
            var blocks: [Block] = []
            let pageBlocks: Int, outputBlocks: Int, pageCount: Int, outputCount: Int, carriedBlocks: Int
            do throws(BinaryReader.Malformed) {
                var reader = BinaryReader(buffer)
                try reader.expect(magic)
                guard try reader.varint() == formatVersion else { return nil }
                while !reader.isAtEnd {
                    let length = try reader.count()
                    let hash = try reader.u64()
                    let start = reader.offset
                    blocks.append(Block(bytes: try reader.raw(length), range: start..<start + length, hash: hash))
                }
                guard let first = blocks.first, !verifyingChecksum || first.isIntact else { return nil }
                var head = BinaryReader(first.bytes)
                state.identity = try head.string()
                state.readAt = try head.int64()
                state.fields = try head.u64()
                // Counts of what follows the head, so bounded by the whole file rather than by the head's bytes.
                func count() throws(BinaryReader.Malformed) -> Int {
                    let value = try head.varint()
                    guard value <= UInt64(buffer.count) else { throw BinaryReader.Malformed() }
                    return Int(value)
                }
                pageBlocks = try count()
                outputBlocks = try count()
                pageCount = try count()
                outputCount = try count()
                carriedBlocks = try head.bool() ? 2 : 0
                for _ in 0..<(try count()) {
                    let path = try head.string()
                    state.pdfs[path] = PDFRecord(html: try head.u64(), environment: try head.u64())
                }
                for _ in 0..<(try count()) { state.searchFiles[try head.string()] = try head.u64() }
                guard head.isAtEnd, blocks.count == 1 + pageBlocks + outputBlocks + carriedBlocks else { return nil }
            } catch {
                return nil
            }

            guard let parts = inParallel(pageBlocks + outputBlocks + carriedBlocks, { [blocks] index -> Records? in
                let block = blocks[1 + index]
                guard !verifyingChecksum || block.isIntact else { return nil }
                var reader = BinaryReader(block.bytes)
                do throws(BinaryReader.Malformed) {
                    let table = try reader.strings(try reader.count())
                    reader = reader.continuing(with: table)
                    if index == pageBlocks + outputBlocks {
                        let shape = try reader.shape()
                        return reader.isAtEnd ? .shape(shape) : nil
                    }
                    if index > pageBlocks + outputBlocks {
                        let commit = try reader.commit()
                        return reader.isAtEnd ? .commit(commit) : nil
                    }
                    let n = try reader.count()
                    guard n <= reader.remaining else { return nil }
                    let records: Records
                    if index < pageBlocks {
                        let list = Decoded<PageRecord>(capacity: n)
                        for _ in 0..<n { list.items.append((try reader.shared(), try reader.pageRecord())) }
                        records = .pages(list)
                    } else {
                        let list = Decoded<OutputRecord>(capacity: n)
                        for _ in 0..<n { list.items.append((try reader.shared(), try reader.outputRecord())) }
                        records = .outputs(list)
                    }
                    return reader.isAtEnd ? records : nil
                } catch {
                    return nil
                }
            }) else { return nil }
            state.pages.reserveCapacity(pageCount)
            state.outputs.reserveCapacity(outputCount)
            for part in parts {
                switch part {
                case .pages(let list): for (path, record) in list.items { state.pages[path] = record }
                case .outputs(let list): for (path, record) in list.items { state.outputs[path] = record }
                case .shape, .commit: break
                }
            }
            if carriedBlocks == 2, case .shape(let shape) = parts[parts.count - 2], case .commit(let commit) = parts[parts.count - 1] {
                state.carried = CarriedSession(shape: shape, commit: commit)
            }
            // Each path once, as written.
            guard state.pages.count == pageCount, state.outputs.count == outputCount else { return nil }
            return (state, blocks, parts)
        }
        guard let parsed else { return nil }
        // The blocks as read, to be written again unchanged while their records are.
        var encoded = EncodedState(pages: [], outputs: [], shape: nil, encodedAfresh: 0)
        for (index, part) in parsed.parts.enumerated() {
            let block = parsed.blocks[1 + index]
            switch part {
            case .pages(let list):
                encoded.pages.append(EncodedBlock(payload: bytes[block.range], hash: block.hash,
                                                  members: Dictionary(list.items.map { ($0.0, $0.1.storage) }, uniquingKeysWith: { a, _ in a })))
            case .outputs(let list):
                encoded.outputs.append(EncodedBlock(payload: bytes[block.range], hash: block.hash,
                                                    members: Dictionary(list.items, uniquingKeysWith: { a, _ in a })))
            case .shape(let shape): encoded.shape = (shape, bytes[block.range], block.hash)
            case .commit: break
            }
        }
        return (parsed.state, encoded)
    }

    /// One block of the file, not yet checked.
    /// Unchecked: the bytes are only read, and only inside the `withUnsafeBufferPointer` that lent them.
    private struct Block: @unchecked Sendable {
        let bytes: UnsafeBufferPointer<UInt8>
        let range: Range<Int>
        let hash: UInt64
        var isIntact: Bool { ContentHash.hash(UnsafeRawBufferPointer(bytes)) == hash }
    }

    /// What a block of records holds.
    private enum Records: Sendable {
        case pages(Decoded<PageRecord>)
        case outputs(Decoded<OutputRecord>)
        case shape(CarriedSession.Shape)
        case commit(CarriedSession.Commit)
    }

    /// The records of one block, by path. Unchecked: filled by one thread, read by another after it is done.
    private final class Decoded<Record>: @unchecked Sendable {
        var items: [(String, Record)] = []
        init(capacity: Int) { items.reserveCapacity(capacity) }
    }

    /// `work(i)` for every `i` in `0..<n`, spread over the cores; nil if any of them is nil.
    private static func inParallel<T: Sendable>(_ n: Int, _ work: @Sendable (Int) -> T?) -> [T]? {
        if n == 0 { return [] }
        if n == 1 { return work(0).map { [$0] } }
        // Each index is written by one thread, and read after all of them are done.
        nonisolated(unsafe) let results = UnsafeMutableBufferPointer<T?>.allocate(capacity: n)
        results.initialize(repeating: nil)
        defer {
            results.deinitialize()
            results.deallocate()
        }
        DispatchQueue.concurrentPerform(iterations: n) { index in results[index] = work(index) }
        var list: [T] = []
        list.reserveCapacity(n)
        for result in results {
            guard let result else { return nil }
            list.append(result)
        }
        return list
    }
}

// MARK: - Writing

extension BinaryWriter {
    /// Its length, a hash of its bytes, and the bytes.
    mutating func block(_ payload: ArraySlice<UInt8>) {
        block(payload, hash: payload.withUnsafeBytes { ContentHash.hash($0) })
    }

    mutating func block(_ payload: ArraySlice<UInt8>, hash: UInt64) {
        count(payload.count)
        u64(hash)
        payload.withUnsafeBytes { raw($0) }
    }

    mutating func pageRecord(_ r: PageRecord) {
        if let stamp = r.stamp {
            bool(true)
            int64(stamp.size)
            int64(stamp.modified)
        } else {
            bool(false)
        }
        u64(r.hash)
        if let page = r.page {
            bool(true)
            self.page(page)
        } else {
            bool(false)
        }
        diagnostics(r.loadProblems)
        u64(r.markdownKey)
        u64(r.markdownEnvironment)
        reads(r.markdownReads)
        if let content = r.content {
            bool(true)
            pageContent(content)
        } else {
            bool(false)
        }
        u64(r.contentHash)
        bool(r.hasHTML)
        count(r.attachments.count)
        for attachment in r.attachments { shared(attachment) }
        count(r.links.count)
        for link in r.links {
            shared(link.url)
            location(link.location)
            bool(link.isImage)
        }
        diagnostics(r.problems)
        u64(r.viewKey)
        reads(r.viewReads)
        // Not the view itself: the build that needs it makes it again (`ListingViews`).
        u64(r.viewHash)
    }

    mutating func outputRecord(_ o: OutputRecord) {
        count(o.reads.count)
        for read in o.reads {
            shared(read.key)
            u64(read.hash)
        }
        count(o.ids.count)
        for id in o.ids { shared(id) }
        bool(o.search != nil)
        if let search = o.search {
            shared(search.url)
            string(search.title)
            u64(search.textHash)
        }
    }

    /// Input keys and the hashes they had.
    mutating func reads(_ reads: [String: UInt64]) {
        count(reads.count)
        for (key, hash) in reads {
            shared(key)
            u64(hash)
        }
    }

    mutating func page(_ p: Page) {
        shared(p.sourcePath)
        frontMatter(p.frontMatter)
        string(p.body)
        int(p.bodyLine)
        shared(p.title)
        shared(p.outputPath)
        shared(p.sitePath)
        shared(p.section)
        switch p.kind {
        case .home: byte(0)
        case .section: byte(1)
        case .page: byte(2)
        }
        string(p.frontMatterYAML)
        int(p.frontMatterLine)
    }

    mutating func frontMatter(_ f: FrontMatter) {
        optionalShared(f.title)
        if let date = f.date {
            bool(true)
            double(date.timeIntervalSinceReferenceDate)
        } else {
            bool(false)
        }
        optionalShared(f.summary)
        count(f.tags.count)
        for tag in f.tags { shared(tag) }
        optionalShared(f.layout)
        bool(f.draft)
        optionalShared(f.slug)
        if let weight = f.weight {
            bool(true)
            int(weight)
        } else {
            bool(false)
        }
        count(f.fields.count)
        for (key, value) in f.fields {
            shared(key)
            yaml(value)
        }
        count(f.params.count)
        for (key, value) in f.params {
            shared(key)
            yaml(value)
        }
    }

    mutating func yaml(_ value: YAMLValue) {
        switch value {
        case .null: byte(0)
        case .bool(let b): byte(b ? 2 : 1)
        case .int(let i): byte(3); int(i)
        case .double(let d): byte(4); double(d)
        case .string(let s): byte(5); shared(s)
        case .date(let d): byte(6); double(d.timeIntervalSinceReferenceDate)
        case .array(let items):
            byte(7)
            count(items.count)
            for item in items { yaml(item) }
        case .object(let values, let order):
            // The order and the values separately: they need not name the same keys.
            byte(8)
            count(order.count)
            for key in order { shared(key) }
            count(values.count)
            for (key, item) in values {
                shared(key)
                yaml(item)
            }
        }
    }

    mutating func location(_ l: SourceLocation) {
        shared(l.file)
        int(l.line)
        int(l.column)
    }

    mutating func diagnostics(_ list: [Diagnostic]) {
        count(list.count)
        for d in list {
            byte(d.severity == .error ? 1 : 0)
            location(d.location)
            optionalShared(d.field)
            shared(d.message)
            optionalShared(d.hint)
        }
    }

    mutating func pageContent(_ c: PageContent) {
        string(c.html)
        count(c.headings.count)
        for heading in c.headings {
            int(heading.level)
            shared(heading.text)
            shared(heading.id)
        }
        shared(c.summary)
        int(c.characters)
        int(c.readingMinutes)
        count(c.tables.count)
        for (name, html) in c.tables {
            shared(name)
            string(html)
        }
        count(c.captioned.count)
        for block in c.captioned {
            byte(block.kind == .table ? 0 : 1)
            shared(block.id)
            shared(block.label)
            shared(block.caption)
            shared(block.dataSet)
            indices(block.rows)
        }
        strings(c.mentions)
    }
}

// MARK: - Reading

extension BinaryReader {
    /// Deeper YAML or template values are refused rather than read by ever deeper recursion.
    static let maximumDepth = 200

    /// `Heading` has no public initialiser: headings are made by copying this one and setting every field.
    static let heading = try? JSONDecoder().decode(Heading.self, from: Data(#"{"level":1,"text":"","id":""}"#.utf8))

    mutating func pageRecord() throws(Malformed) -> PageRecord {
        let stamp = try bool() ? FileStamp(size: try int64(), modified: try int64()) : nil
        var r = PageRecord(stamp: stamp, hash: try u64(), page: try bool() ? try page() : nil)
        r.loadProblems = try diagnostics()
        r.markdownKey = try u64()
        r.markdownEnvironment = try u64()
        r.markdownReads = try reads()
        r.content = try bool() ? try pageContent() : nil
        r.contentHash = try u64()
        r.hasHTML = try bool()
        let attachmentCount = try count()
        r.attachments.reserveCapacity(attachmentCount)
        for _ in 0..<attachmentCount { r.attachments.append(try shared()) }
        let linkCount = try count()
        r.links.reserveCapacity(linkCount)
        for _ in 0..<linkCount {
            r.links.append(LinkReference(url: try shared(), location: try location(), isImage: try bool()))
        }
        r.problems = try diagnostics()
        r.viewKey = try u64()
        r.viewReads = try reads()
        r.viewHash = try u64()
        return r
    }

    mutating func outputRecord() throws(Malformed) -> OutputRecord {
        let readCount = try count()
        var reads: [OutputRecord.Read] = []
        reads.reserveCapacity(readCount)
        for _ in 0..<readCount { reads.append(OutputRecord.Read(key: try shared(), hash: try u64())) }
        let n = try count()
        var ids = Set<String>(minimumCapacity: n)
        for _ in 0..<n { ids.insert(try shared()) }
        var search: SearchEntry?
        if try bool() {
            // The text is the index's, in the output: read back from there when an edit needs it.
            search = SearchEntry(url: try shared(), title: try string(), textHash: try u64())
        }
        return OutputRecord(reads: reads, ids: ids, search: search)
    }

    mutating func reads() throws(Malformed) -> [String: UInt64] {
        let n = try count()
        var reads = [String: UInt64](minimumCapacity: n)
        for _ in 0..<n {
            let key = try shared()
            reads[key] = try u64()
        }
        return reads
    }

    mutating func page() throws(Malformed) -> Page {
        let sourcePath = try shared(), frontMatter = try frontMatter(), body = try string(), bodyLine = try int()
        let title = try shared(), outputPath = try shared(), sitePath = try shared(), section = try shared()
        let kind: Page.Kind
        switch try byte() {
        case 0: kind = .home
        case 1: kind = .section
        case 2: kind = .page
        default: throw Malformed()
        }
        let frontMatterYAML = try string(), frontMatterLine = try int()
        return Page(sourcePath: sourcePath, frontMatter: frontMatter, body: body, bodyLine: bodyLine, title: title,
                    outputPath: outputPath, sitePath: sitePath, section: section, kind: kind,
                    frontMatterYAML: frontMatterYAML, frontMatterLine: frontMatterLine)
    }

    mutating func frontMatter() throws(Malformed) -> FrontMatter {
        var f = FrontMatter()
        f.title = try optionalShared()
        f.date = try bool() ? Date(timeIntervalSinceReferenceDate: try double()) : nil
        f.summary = try optionalShared()
        let tagCount = try count()
        f.tags.reserveCapacity(tagCount)
        for _ in 0..<tagCount { f.tags.append(try shared()) }
        f.layout = try optionalShared()
        f.draft = try bool()
        f.slug = try optionalShared()
        f.weight = try bool() ? try int() : nil
        let fieldCount = try count()
        f.fields.reserveCapacity(fieldCount)
        for _ in 0..<fieldCount {
            let key = try shared()
            f.fields[key] = try yaml(depth: 0)
        }
        let paramCount = try count()
        f.params.reserveCapacity(paramCount)
        for _ in 0..<paramCount {
            let key = try shared()
            f.params[key] = try yaml(depth: 0)
        }
        return f
    }

    mutating func yaml(depth: Int) throws(Malformed) -> YAMLValue {
        guard depth < Self.maximumDepth else { throw Malformed() }
        switch try byte() {
        case 0: return .null
        case 1: return .bool(false)
        case 2: return .bool(true)
        case 3: return .int(try int())
        case 4: return .double(try double())
        case 5: return .string(try shared())
        case 6: return .date(Date(timeIntervalSinceReferenceDate: try double()))
        case 7:
            let n = try count()
            var items: [YAMLValue] = []
            items.reserveCapacity(n)
            for _ in 0..<n { items.append(try yaml(depth: depth + 1)) }
            return .array(items)
        case 8:
            let orderCount = try count()
            var order: [String] = []
            order.reserveCapacity(orderCount)
            for _ in 0..<orderCount { order.append(try shared()) }
            let n = try count()
            var values = [String: YAMLValue](minimumCapacity: n)
            for _ in 0..<n {
                let key = try shared()
                values[key] = try yaml(depth: depth + 1)
            }
            return .object(values, order: order)
        default: throw Malformed()
        }
    }

    mutating func location() throws(Malformed) -> SourceLocation {
        SourceLocation(file: try shared(), line: try int(), column: try int())
    }

    mutating func diagnostics() throws(Malformed) -> [Diagnostic] {
        let n = try count()
        var list: [Diagnostic] = []
        list.reserveCapacity(n)
        for _ in 0..<n {
            let severity: Diagnostic.Severity
            switch try byte() {
            case 0: severity = .warning
            case 1: severity = .error
            default: throw Malformed()
            }
            let location = try location(), field = try optionalShared(), message = try shared(), hint = try optionalShared()
            list.append(Diagnostic(severity, at: location, field: field, message, hint: hint))
        }
        return list
    }

    mutating func pageContent() throws(Malformed) -> PageContent {
        let html = try string()
        let headingCount = try count()
        var headings: [Heading] = []
        headings.reserveCapacity(headingCount)
        for _ in 0..<headingCount {
            guard var heading = Self.heading else { throw Malformed() }
            heading.level = try int()
            heading.text = try shared()
            heading.id = try shared()
            headings.append(heading)
        }
        var content = PageContent(html: html, headings: headings, summary: try shared(), characters: try int(), readingMinutes: try int())
        let tableCount = try count()
        content.tables.reserveCapacity(tableCount)
        for _ in 0..<tableCount {
            let name = try shared()
            content.tables[name] = try string()
        }
        let blockCount = try count()
        content.captioned.reserveCapacity(blockCount)
        for _ in 0..<blockCount {
            let kind: CaptionedBlock.Kind = try byte() == 0 ? .table : .figure
            var block = CaptionedBlock(kind: kind, id: try shared(), label: try shared(), caption: try shared())
            block.dataSet = try shared()
            block.rows = try indices()
            content.captioned.append(block)
        }
        content.mentions = try strings()
        return content
    }
}
