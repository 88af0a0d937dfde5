import Foundation
import TianshanMarkdown
import TianshanModel
import TianshanRender

/// A plain little-endian byte format for the build cache: fixed-width numbers and length-prefixed UTF-8.
/// Hand-written rather than Codable because a cache read has to cost a few milliseconds for 10,000 pages.
struct BinaryWriter {
    private(set) var bytes: [UInt8] = []

    init() { bytes.reserveCapacity(1 << 20) }

    mutating func int(_ value: Int) { u64(UInt64(bitPattern: Int64(value))) }
    mutating func u64(_ value: UInt64) { withUnsafeBytes(of: value.littleEndian) { bytes.append(contentsOf: $0) } }
    mutating func double(_ value: Double) { u64(value.bitPattern) }
    mutating func bool(_ value: Bool) { bytes.append(value ? 1 : 0) }
    mutating func string(_ value: String) {
        var value = value
        value.withUTF8 { utf8 in
            int(utf8.count)
            bytes.append(contentsOf: utf8)
        }
    }
    mutating func optional(_ value: String?) {
        bool(value != nil)
        if let value { string(value) }
    }
    mutating func strings(_ values: [String]) {
        int(values.count)
        for value in values { string(value) }
    }
    mutating func ints(_ values: [Int]) {
        int(values.count)
        for value in values { int(value) }
    }
}

/// Reads what `BinaryWriter` wrote; every read checks bounds and a malformed file only makes the cache unusable.
struct BinaryReader {
    struct Malformed: Error {}
    let bytes: [UInt8]
    var offset = 0

    init(_ bytes: [UInt8]) { self.bytes = bytes }

    mutating func u64() throws -> UInt64 {
        guard offset + 8 <= bytes.count else { throw Malformed() }
        var value: UInt64 = 0
        withUnsafeMutableBytes(of: &value) { target in
            bytes.withUnsafeBytes { source in target.copyMemory(from: UnsafeRawBufferPointer(rebasing: source[offset..<offset + 8])) }
        }
        offset += 8
        return UInt64(littleEndian: value)
    }
    mutating func int() throws -> Int {
        let value = Int64(bitPattern: try u64())
        guard value >= Int64(Int.min), value <= Int64(Int.max) else { throw Malformed() }
        return Int(value)
    }
    /// A count of things still to read: never negative, never more than the bytes left.
    mutating func count() throws -> Int {
        let value = try int()
        guard value >= 0, value <= bytes.count - offset else { throw Malformed() }
        return value
    }
    mutating func double() throws -> Double { Double(bitPattern: try u64()) }
    mutating func bool() throws -> Bool {
        guard offset < bytes.count else { throw Malformed() }
        defer { offset += 1 }
        switch bytes[offset] {
        case 0: return false
        case 1: return true
        default: throw Malformed()
        }
    }
    mutating func string() throws -> String {
        let length = try count()
        defer { offset += length }
        return bytes.withUnsafeBufferPointer { String(decoding: UnsafeBufferPointer(rebasing: $0[offset..<offset + length]), as: UTF8.self) }
    }
    mutating func optional() throws -> String? { try bool() ? try string() : nil }
    /// A count, then that many elements.
    mutating func list<T>(_ element: (inout BinaryReader) throws -> T) throws -> [T] {
        let n = try count()
        var values: [T] = []
        values.reserveCapacity(n)
        for _ in 0..<n { values.append(try element(&self)) }
        return values
    }
    mutating func strings() throws -> [String] { try list { try $0.string() } }
    mutating func ints() throws -> [Int] { try list { try $0.int() } }
}

// MARK: - Model values

extension BinaryWriter {
    mutating func yaml(_ value: YAMLValue) {
        switch value {
        case .null: int(0)
        case .bool(let b): int(1); bool(b)
        case .int(let i): int(2); int(i)
        case .double(let d): int(3); double(d)
        case .string(let s): int(4); string(s)
        case .date(let d): int(5); double(d.timeIntervalSinceReferenceDate)
        case .array(let items): int(6); int(items.count); for item in items { yaml(item) }
        case .object(let values, let order):
            int(7); strings(order)
            int(values.count)
            for key in values.keys.sorted() { string(key); yaml(values[key]!) }
        }
    }

    mutating func frontMatter(_ f: FrontMatter) {
        optional(f.title)
        bool(f.date != nil); if let date = f.date { double(date.timeIntervalSinceReferenceDate) }
        optional(f.summary); strings(f.tags); optional(f.layout); bool(f.draft); optional(f.slug)
        bool(f.weight != nil); if let weight = f.weight { int(weight) }
        optional(f.organisation); optional(f.source)
        int(f.figures.count)
        for figure in f.figures { string(figure.label); yaml(figure.value); optional(figure.unit) }
        int(f.params.count)
        for key in f.params.keys.sorted() { string(key); yaml(f.params[key]!) }
    }

    /// A page without its body: the quick path never renders a page it did not read again.
    mutating func page(_ p: Page) {
        string(p.sourcePath); frontMatter(p.frontMatter); int(p.bodyLine); string(p.title)
        string(p.outputPath); string(p.sitePath); string(p.section); string(p.kind.rawValue)
    }

    mutating func location(_ l: SourceLocation) { string(l.file); int(l.line); int(l.column) }

    mutating func diagnostics(_ list: [Diagnostic]) {
        int(list.count)
        for d in list {
            string(d.severity.rawValue); location(d.location); optional(d.field); string(d.message); optional(d.hint)
        }
    }

    mutating func job(_ j: PageJob) {
        switch j.kind {
        case .content(let i): int(0); int(i)
        case .section(let name): int(1); string(name)
        case .tag(let i): int(2); int(i)
        case .tagIndex: int(3)
        }
        string(j.outputPath); string(j.sitePath); string(j.layout); int(j.page); int(j.pageCount); string(j.firstPagePath)
    }
}

extension BinaryReader {
    mutating func yaml(depth: Int = 0) throws -> YAMLValue {
        guard depth < 200 else { throw Malformed() }
        switch try int() {
        case 0: return .null
        case 1: return .bool(try bool())
        case 2: return .int(try int())
        case 3: return .double(try double())
        case 4: return .string(try string())
        case 5: return .date(Date(timeIntervalSinceReferenceDate: try double()))
        case 6:
            let n = try count()
            var items: [YAMLValue] = []
            for _ in 0..<n { items.append(try yaml(depth: depth + 1)) }
            return .array(items)
        case 7:
            let order = try strings()
            let n = try count()
            var values: [String: YAMLValue] = [:]
            for _ in 0..<n { let key = try string(); values[key] = try yaml(depth: depth + 1) }
            return .object(values, order: order)
        default: throw Malformed()
        }
    }

    mutating func frontMatter() throws -> FrontMatter {
        let title = try optional()
        let date = try bool() ? Date(timeIntervalSinceReferenceDate: try double()) : nil
        let summary = try optional(), tags = try strings(), layout = try optional(), draft = try bool(), slug = try optional()
        let weight = try bool() ? try int() : nil
        let organisation = try optional(), source = try optional()
        var figures: [KeyFigure] = []
        for _ in 0..<(try count()) { figures.append(KeyFigure(label: try string(), value: try yaml(), unit: try optional())) }
        var params: [String: YAMLValue] = [:]
        for _ in 0..<(try count()) { let key = try string(); params[key] = try yaml() }
        return FrontMatter(title: title, date: date, summary: summary, tags: tags, layout: layout, draft: draft, slug: slug,
                           weight: weight, organisation: organisation, source: source, figures: figures, params: params)
    }

    mutating func page() throws -> Page {
        let sourcePath = try string(), frontMatter = try frontMatter(), bodyLine = try int(), title = try string()
        let outputPath = try string(), sitePath = try string(), section = try string()
        guard let kind = Page.Kind(rawValue: try string()) else { throw Malformed() }
        return Page(sourcePath: sourcePath, frontMatter: frontMatter, body: "", bodyLine: bodyLine, title: title,
                    outputPath: outputPath, sitePath: sitePath, section: section, kind: kind)
    }

    mutating func location() throws -> SourceLocation { SourceLocation(file: try string(), line: try int(), column: try int()) }

    mutating func diagnostics() throws -> [Diagnostic] {
        var list: [Diagnostic] = []
        for _ in 0..<(try count()) {
            guard let severity = Diagnostic.Severity(rawValue: try string()) else { throw Malformed() }
            let location = try location(), field = try optional(), message = try string(), hint = try optional()
            list.append(Diagnostic(severity, at: location, field: field, message, hint: hint))
        }
        return list
    }

    mutating func job() throws -> PageJob {
        let kind: PageJob.Kind
        switch try int() {
        case 0: kind = .content(try int())
        case 1: kind = .section(try string())
        case 2: kind = .tag(try int())
        case 3: kind = .tagIndex
        default: throw Malformed()
        }
        let outputPath = try string(), sitePath = try string(), layout = try string()
        let page = try int(), pageCount = try int(), firstPagePath = try string()
        return PageJob(kind: kind, outputPath: outputPath, sitePath: sitePath, layout: layout, page: page, pageCount: pageCount, firstPagePath: firstPagePath)
    }
}
