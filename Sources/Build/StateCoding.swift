import Foundation
import TianshanLoad
import TianshanMarkdown
import TianshanModel
import TianshanRender

/// The build state on disk, in a hand-written binary format: the library formats (property lists, JSON, a
/// generic Codable coder) took seconds to read the state of a 10,000-page site, and a rebuild after a small
/// edit has to start in milliseconds (README, "The state on disk").
///
/// Layout: the magic string and format version; a checksum (`ContentHash`) of everything after it; the table
/// of shared strings (`BinaryWriter.shared`: keys, paths and texts a state repeats thousands of times); then
/// the state, field by field, in the order the functions below write them. Numbers are varints (zigzagged
/// when signed) except hashes and doubles, which take eight bytes. A state that does not decode, for any
/// reason, is ignored and the build starts from nothing.
enum StateCoding {
    /// Part of the state's identity: a state written by another layout of `BuildState` is never decoded as this one.
    static let version = "tianshan-state-3"

    static let magic = Array("tianshan-state\0".utf8)
    /// Changes with the byte layout below.
    static let formatVersion: UInt64 = 3

    static let strings = ProcessInfo.processInfo.environment["TIANSHAN_STATE_STRINGS"] ?? "all"

    static func encode(_ state: BuildState) -> [UInt8]? {
        let t0 = ContinuousClock.now
        var body = BinaryWriter(capacity: (1 << 20) + state.pages.count * 1024 + state.outputs.count * 512)
        body.inlineShared = mode == 2
        body.state(state)
        note("encode body (\(body.bytes.count) bytes, \(body.table.count) shared strings)", since: t0)
        var header = BinaryWriter(capacity: 64)
        magic.withUnsafeBytes { header.raw($0) }
        header.varint(formatVersion)
        header.byte(mode)
        var bytes = body.finish(header: header.bytes + [UInt8](repeating: 0, count: 8))
        // The checksum covers the table and the body, which follow it.
        let start = header.bytes.count
        let checksum = bytes.withUnsafeBytes { ContentHash.hash(UnsafeRawBufferPointer(rebasing: $0[(start + 8)...])) }
        withUnsafeBytes(of: checksum.littleEndian) { bytes.replaceSubrange(start..<start + 8, with: $0) }
        note("encode total (\(bytes.count) bytes)", since: t0)
        return bytes
    }

    static func decode(_ bytes: [UInt8]) -> BuildState? { decode(bytes, verifyingChecksum: true) }

    /// Tests turn the checksum off to reach the reader's own checks with damaged bytes.
    static func decode(_ bytes: [UInt8], verifyingChecksum: Bool) -> BuildState? {
        bytes.withUnsafeBufferPointer { buffer -> BuildState? in
            var reader = BinaryReader(buffer)
            do throws(BinaryReader.Malformed) {
                let t0 = ContinuousClock.now
                try reader.expect(magic)
                guard try reader.varint() == formatVersion else { return nil }
                let mode = try reader.byte()
                reader.textsShared = mode == 1
                reader.inlineShared = mode == 2
                let checksum = try reader.u64()
                if verifyingChecksum,
                   ContentHash.hash(UnsafeRawBufferPointer(UnsafeBufferPointer(rebasing: buffer[reader.offset...]))) != checksum { return nil }
                note("decode checksum", since: t0)
                try reader.readTable()
                note("decode table", since: t0)
                let state = try reader.state()
                note("decode total", since: t0)
                return reader.isAtEnd ? state : nil
            } catch {
                return nil
            }
        }
    }

    static let mode: UInt8 = strings == "all" ? 1 : strings == "none" ? 2 : 0
    static let timing = ProcessInfo.processInfo.environment["TIANSHAN_STATE_TIMING"] != nil
    static func note(_ what: String, since start: ContinuousClock.Instant) {
        if timing { FileHandle.standardError.write(Data("state \(what): \(ContinuousClock.now - start)\n".utf8)) }
    }
}

// MARK: - Writing

extension BinaryWriter {
    /// A free text (summaries, titles, view texts): shared too, since a page's title and summary come back in
    /// its listing view.
    mutating func text(_ value: String) {
        if StateCoding.mode == 1 { shared(value) } else { string(value) }
    }

    mutating func state(_ state: BuildState) {
        string(state.identity)
        int64(state.readAt)
        count(state.pages.count)
        for (path, record) in state.pages {
            shared(path)
            pageRecord(record)
        }
        count(state.outputs.count)
        for (path, output) in state.outputs {
            shared(path)
            outputRecord(output)
        }
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
        template(r.view)
        u64(r.viewHash)
    }

    mutating func outputRecord(_ o: OutputRecord) {
        reads(o.reads)
        count(o.ids.count)
        for id in o.ids { shared(id) }
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
        text(p.title)
        shared(p.outputPath)
        shared(p.sitePath)
        shared(p.section)
        switch p.kind {
        case .home: byte(0)
        case .section: byte(1)
        case .page: byte(2)
        }
    }

    mutating func frontMatter(_ f: FrontMatter) {
        optionalText(f.title)
        if let date = f.date {
            bool(true)
            double(date.timeIntervalSinceReferenceDate)
        } else {
            bool(false)
        }
        optionalText(f.summary)
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
        optionalText(f.organisation)
        optionalText(f.source)
        count(f.figures.count)
        for figure in f.figures {
            text(figure.label)
            yaml(figure.value)
            optionalText(figure.unit)
        }
        count(f.params.count)
        for (key, value) in f.params {
            shared(key)
            yaml(value)
        }
    }

    mutating func optionalText(_ value: String?) {
        if let value {
            bool(true)
            text(value)
        } else {
            bool(false)
        }
    }

    mutating func yaml(_ value: YAMLValue) {
        switch value {
        case .null: byte(0)
        case .bool(let b): byte(b ? 2 : 1)
        case .int(let i): byte(3); int(i)
        case .double(let d): byte(4); double(d)
        case .string(let s): byte(5); text(s)
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
            text(d.message)
            optionalText(d.hint)
        }
    }

    mutating func pageContent(_ c: PageContent) {
        string(c.html)
        count(c.headings.count)
        for heading in c.headings {
            int(heading.level)
            text(heading.text)
            shared(heading.id)
        }
        text(c.summary)
        int(c.characters)
        int(c.readingMinutes)
        count(c.tables.count)
        for (name, html) in c.tables {
            shared(name)
            string(html)
        }
    }

    /// A template value as templates see it: deferred and tracked values are written as what they resolve to.
    mutating func template(_ value: TemplateValue) {
        switch value.resolved {
        case .null, .lazy, .tracked: byte(0)
        case .bool(let b): byte(b ? 2 : 1)
        case .text(let t): byte(3); text(t)
        case .number(let n):
            // Whole numbers (counts, years) as varints; anything else, -0 included, as its bits.
            if n.rounded(.towardZero) == n, n.magnitude < 0x1p53, n != 0 || n.sign == .plus {
                byte(4)
                int64(Int64(n))
            } else {
                byte(5)
                double(n)
            }
        case .list(let items):
            byte(6)
            count(items.count)
            for item in items { template(item) }
        case .object(let fields):
            byte(7)
            count(fields.count)
            for (key, field) in fields {
                shared(key)
                template(field)
            }
        }
    }
}

// MARK: - Reading

extension BinaryReader {
    /// Deeper YAML or template values are refused rather than read by ever deeper recursion.
    static let maximumDepth = 200

    /// `Heading` has no public initialiser: headings are made by copying this one and setting every field.
    static let heading = try? JSONDecoder().decode(Heading.self, from: Data(#"{"level":1,"text":"","id":""}"#.utf8))

    mutating func text() throws(Malformed) -> String { textsShared ? try shared() : try string() }

    mutating func state() throws(Malformed) -> BuildState {
        var state = BuildState()
        state.identity = try string()
        state.readAt = try int64()
        let pageCount = try count()
        state.pages.reserveCapacity(pageCount)
        for _ in 0..<pageCount {
            let path = try shared()
            state.pages[path] = try pageRecord()
        }
        let outputCount = try count()
        state.outputs.reserveCapacity(outputCount)
        for _ in 0..<outputCount {
            let path = try shared()
            state.outputs[path] = try outputRecord()
        }
        return state
    }

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
        r.view = try template(depth: 0)
        r.viewHash = try u64()
        return r
    }

    mutating func outputRecord() throws(Malformed) -> OutputRecord {
        let reads = try reads()
        let n = try count()
        var ids = Set<String>(minimumCapacity: n)
        for _ in 0..<n { ids.insert(try shared()) }
        return OutputRecord(reads: reads, ids: ids)
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
        let title = try text(), outputPath = try shared(), sitePath = try shared(), section = try shared()
        let kind: Page.Kind
        switch try byte() {
        case 0: kind = .home
        case 1: kind = .section
        case 2: kind = .page
        default: throw Malformed()
        }
        return Page(sourcePath: sourcePath, frontMatter: frontMatter, body: body, bodyLine: bodyLine, title: title,
                    outputPath: outputPath, sitePath: sitePath, section: section, kind: kind)
    }

    mutating func frontMatter() throws(Malformed) -> FrontMatter {
        var f = FrontMatter()
        f.title = try optionalText()
        f.date = try bool() ? Date(timeIntervalSinceReferenceDate: try double()) : nil
        f.summary = try optionalText()
        let tagCount = try count()
        f.tags.reserveCapacity(tagCount)
        for _ in 0..<tagCount { f.tags.append(try shared()) }
        f.layout = try optionalShared()
        f.draft = try bool()
        f.slug = try optionalShared()
        f.weight = try bool() ? try int() : nil
        f.organisation = try optionalText()
        f.source = try optionalText()
        let figureCount = try count()
        f.figures.reserveCapacity(figureCount)
        for _ in 0..<figureCount {
            f.figures.append(KeyFigure(label: try text(), value: try yaml(depth: 0), unit: try optionalText()))
        }
        let paramCount = try count()
        f.params.reserveCapacity(paramCount)
        for _ in 0..<paramCount {
            let key = try shared()
            f.params[key] = try yaml(depth: 0)
        }
        return f
    }

    mutating func optionalText() throws(Malformed) -> String? { try bool() ? try text() : nil }

    mutating func yaml(depth: Int) throws(Malformed) -> YAMLValue {
        guard depth < Self.maximumDepth else { throw Malformed() }
        switch try byte() {
        case 0: return .null
        case 1: return .bool(false)
        case 2: return .bool(true)
        case 3: return .int(try int())
        case 4: return .double(try double())
        case 5: return .string(try text())
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
            let location = try location(), field = try optionalShared(), message = try text(), hint = try optionalText()
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
            heading.text = try text()
            heading.id = try shared()
            headings.append(heading)
        }
        var content = PageContent(html: html, headings: headings, summary: try text(), characters: try int(), readingMinutes: try int())
        let tableCount = try count()
        content.tables.reserveCapacity(tableCount)
        for _ in 0..<tableCount {
            let name = try shared()
            content.tables[name] = try string()
        }
        return content
    }

    mutating func template(depth: Int) throws(Malformed) -> TemplateValue {
        guard depth < Self.maximumDepth else { throw Malformed() }
        switch try byte() {
        case 0: return .null
        case 1: return .bool(false)
        case 2: return .bool(true)
        case 3: return .text(try text())
        case 4: return .number(Double(try int64()))
        case 5: return .number(try double())
        case 6:
            let n = try count()
            var items: [TemplateValue] = []
            items.reserveCapacity(n)
            for _ in 0..<n { items.append(try template(depth: depth + 1)) }
            return .list(items)
        case 7:
            let n = try count()
            var fields = [String: TemplateValue](minimumCapacity: n)
            for _ in 0..<n {
                let key = try shared()
                fields[key] = try template(depth: depth + 1)
            }
            return .object(fields)
        default: throw Malformed()
        }
    }
}
