import Foundation
import Testing
@testable import TianshanMarkdown
import TianshanLoad
import TianshanModel
import TianshanRender
import TianshanSearch
@testable import TianshanBuild

/// The build state survives its trip to disk, and a damaged state is refused, never half-read.
@Suite struct StateCodingTests {
    static let when = Date(timeIntervalSince1970: 1_614_816_000.125)

    /// Every case of YAMLValue, nested, with an object whose order is not its keys sorted.
    static let everyYAML: [String: YAMLValue] = [
        "n": .int(-42), "big": .int(.min), "x": .double(47722.2), "negzero": .double(-0.0), "yes": .bool(true), "no": .bool(false),
        "none": .null, "text": .string("孵化器 \"引号\""), "empty": .string(""), "when": .date(when),
        "list": .array([.int(1), .string("二"), .array([]), .object([:], order: [])]),
        "map": .object(["b": .int(2), "a": .string("甲"), "c": .array([.null])], order: ["b", "c", "a"]),
    ]

    /// Every case of TemplateValue; deferred and tracked values come back as what they resolve to.
    static let everyTemplate: TemplateValue = .object([
        "title": .text("案例甲"), "half": .number(2.5), "count": .number(12), "negative": .number(-3), "huge": .number(1e300),
        "negzero": .number(-0.0), "nan": .number(.nan), "ok": .bool(false), "yes": .bool(true), "none": .null,
        "tags": .list([.text("孵化器"), .list([]), .object([:])]),
        "lazy": .lazy(LazyTemplateValue { .text("computed") }),
        "tracked": .tracked("data:items", 7, .list([.number(1), .lazy(LazyTemplateValue { .bool(true) })])),
    ])

    static func sampleRecord() -> PageRecord {
        let front = FrontMatter(title: "案例甲", date: when, summary: "摘要", tags: ["孵化器", "人才"], layout: "case", draft: true,
                                slug: "a", weight: 3, fields: ["organisation": .string("某园区"), "source": .string("年报"), "figures": .array([
                                    .object(["label": .string("专利"), "value": .int(8), "unit": .string("项")], order: ["label", "value", "unit"]),
                                    .object(["label": .string("比例"), "value": .double(0.5)], order: ["label", "value"])])],
                                params: everyYAML)
        let page = Page(sourcePath: "cases/a.md", frontMatter: front, body: "正文 body", bodyLine: 7, title: "案例甲",
                        outputPath: "cases/a/index.html", sitePath: "/cases/a/", section: "cases", kind: .page)
        var content = PageContent(html: "<p>正文</p>", headings: [Heading(level: 2, text: "背景", id: "背景"), Heading(level: 3, text: "B", id: "b")],
                                  summary: "摘要", characters: 12, readingMinutes: 1)
        content.tables = ["t": "<table></table>", "u": ""]
        var held = CaptionedBlock(kind: .table, id: "t", label: "表1", caption: "汇总")
        held.dataSet = "items"
        held.rows = [0, 2]
        content.captioned = [held, CaptionedBlock(kind: .figure, id: "c", label: "", caption: "")]
        content.mentions = ["乐天工业孵化基地", "a"]
        var record = PageRecord(stamp: FileStamp(size: 120, modified: 1_700_000_000_123_456_789), hash: .max, page: page)
        record.loadProblems = [.warning(at: SourceLocation(file: "Content/cases/a.md", line: 3, column: 5), field: "titel", "near miss", hint: "title")]
        record.markdownKey = 0x1234_5678_9ABC_DEF0
        record.markdownEnvironment = 0x8000_0000_0000_0001
        record.markdownReads = ["source:cases/b.md": 7, "data:items": .max - 1]
        record.content = content
        record.contentHash = 99
        record.hasHTML = true
        record.attachments = ["cases/a/t.csv", "cases/a/u.csv"]
        record.links = [LinkReference(url: "/cases/b/#成效", location: SourceLocation(file: "Content/cases/a.md", line: 9, column: 2), isImage: false),
                        LinkReference(url: "/img/a.png", location: SourceLocation(file: "Content/cases/a.md"), isImage: true)]
        record.problems = [.error(at: SourceLocation(file: "Content/cases/a.md", line: 12), "broken link")]
        record.viewKey = 1
        record.viewReads = ["config": 3, "source:cases/a.md": 0]
        record.view = everyTemplate
        record.viewHash = 5
        return record
    }

    static func sampleState() -> BuildState {
        var state = BuildState(identity: "tianshan-state-3\u{1F}/bin/tianshan", readAt: -1, fields: 0xFEDC_BA98_7654_3210)
        let home = Page(sourcePath: "_index.md", frontMatter: FrontMatter(), body: "", bodyLine: 1, title: "首页",
                        outputPath: "index.html", sitePath: "/", section: "", kind: .home)
        let section = Page(sourcePath: "cases/_index.md", frontMatter: FrontMatter(), body: "", bodyLine: 1, title: "案例",
                           outputPath: "cases/index.html", sitePath: "/cases/", section: "cases", kind: .section)
        state.pages = [
            "cases/a.md": sampleRecord(), "broken.md": PageRecord(stamp: nil, hash: 1, page: nil),
            "_index.md": PageRecord(stamp: FileStamp(size: 0, modified: -5), hash: 2, page: home),
            "cases/_index.md": PageRecord(stamp: FileStamp(size: 1, modified: 0), hash: 3, page: section),
        ]
        state.outputs = [
            "cases/a/index.html": OutputRecord(reads: ["job": 1, "view:cases/b.md": 2], ids: ["背景", "成效"],
                                               search: SearchEntry(url: "/cases/a/", title: "案例甲", text: "高新区 \"引号\"\n<b>", tokens: [])),
            "index.html": OutputRecord(reads: [:], ids: []),
        ]
        state.searchFiles = ["search/meta.json": 1, "search/t/0.json": .max]
        state.carried = sampleCarried()
        state.pdfs = ["report/report.pdf": PDFRecord(html: 7, environment: 8), "年报/2022/2022.pdf": PDFRecord(html: .max, environment: 0)]
        return state
    }

    /// A carried session with every field set, a data set with every kind of value among them.
    static func sampleCarried() -> CarriedSession {
        let qualifier = Qualifier(word: "余", position: .after, bound: .lower)
        let set = DataSet(
            name: "items", title: "指标", source: "年报", description: "说明",
            fields: [DataField(name: "name", label: "名称"), DataField(name: "value", type: .number, unit: "万元", required: true),
                     DataField(name: "actual_2021", type: .number, kind: .actual, year: 2021)],
            rows: [
                DataRow(values: ["name": .string("甲"), "value": .approximate(2000, qualifier), "ok": .bool(true), "when": .date(when), "none": .null],
                        location: SourceLocation(file: "Content/data/items.yaml", line: 4, column: 5), notes: ["value": "口径不同"]),
                DataRow(values: ["value": .number(-0.5)], location: SourceLocation(file: "Content/data/items.yaml", line: 6, column: 5)),
            ],
            sourcePath: "Content/data/items.yaml", series: SeriesShape(key: "name", year: "年份", kind: "kind", value: "value"),
            pages: RowPages(path: "items/all", slug: ["name", "年份"], layout: "row")
        )
        var listings = InputHashes()
        (listings.config, listings.tags, listings.navigation, listings.titles, listings.sectionNames, listings.dataNames) = (1, 2, 3, 4, 5, 6)
        listings.pdf = 10
        listings.sitemap = 11
        listings.sections = ["cases": 7]
        listings.data = ["items": 8]
        listings.rowUses = ["items": 12]
        let shape = CarriedSession.Shape(
            fileCount: 5, excludedProblems: [.warning(at: SourceLocation(file: "Content/broken.md", line: 2, column: 1), field: "date", "bad date")],
            order: ["_index.md", "cases/_index.md", "cases/a.md"], contentAssets: ["cases/a.png"], templateAssets: ["site.css"],
            sections: ["cases": [2], "": [0]], tags: [Tag(name: "孵化器", pages: [2])], recentPages: [2], modelKey: .max,
            jobs: [
                PageJob(kind: .content(0), outputPath: "index.html", sitePath: "/", layout: "layouts.home"),
                PageJob(kind: .content(1), outputPath: "cases/index.html", sitePath: "/cases/", layout: "layouts.list", pageCount: 2),
                PageJob(kind: .section("cases"), outputPath: "cases/page/2/index.html", sitePath: "/cases/page/2/", layout: "layouts.list",
                        page: 2, pageCount: 2, firstPagePath: "/cases/"),
                PageJob(kind: .tag(0), outputPath: "tags/孵化器/index.html", sitePath: "/tags/孵化器/", layout: "layouts.tag"),
                PageJob(kind: .tagIndex, outputPath: "tags/index.html", sitePath: "/tags/", layout: "layouts.tags"),
                PageJob(kind: .feed("cases"), outputPath: "cases/atom.xml", sitePath: "/cases/atom.xml", layout: "layouts.atom"),
                PageJob(kind: .sitemap, outputPath: "sitemap.xml", sitePath: "/sitemap.xml", layout: "layouts.sitemap"),
                PageJob(kind: .robots, outputPath: "robots.txt", sitePath: "/robots.txt", layout: "layouts.robots"),
                PageJob(kind: .row("items", 1), outputPath: "items/all/b/index.html", sitePath: "/items/all/b/", layout: "layouts.row"),
            ],
            identities: [10, 11, 12, 13, .max, 14, 15, 16, 17], layouts: ["layouts.home", "layouts.list"], listings: listings, places: 9,
            data: [CarriedSession.DataFile(path: "data/items.yaml", hash: 0xFEED, set: set)]
        )
        let commit = CarriedSession.Commit(
            markdownEnvironment: 20, markdownOptions: 21, globals: ["config": 1, "site.tags": 2], summaryTemplate: 22,
            views: [30, 31, 32], pages: [40, 41, 42], fragmentPages: [2], copies: ["assets/site.css", "cases/a.png"],
            readers: OutputReaders(views: [[], [0], [0, 1, 4]], pages: [[0], [1], [2, 3]], other: ["config": [0, 1, 2, 3, 4], "site.tags": [4]])
        )
        return CarriedSession(shape: shape, commit: commit)
    }

    @Test func sampleSetsEveryField() {
        // A field added to a record is caught here until the sample sets it, and then by the round trip until
        // the format writes it.
        let empty = Mirror(reflecting: PageRecord(stamp: nil, hash: 0, page: nil).storage).children.map(\.value)
        #expect(empty.count == 17)
        for (child, blank) in zip(Mirror(reflecting: Self.sampleRecord().storage).children, empty) {
            #expect(!Equality.same(child.value, blank), "sample record leaves \(child.label ?? "?") at its default")
        }
        let front = Self.sampleRecord().page!.frontMatter
        for (child, blank) in zip(Mirror(reflecting: front).children, Mirror(reflecting: FrontMatter()).children) {
            #expect(!Equality.same(child.value, blank.value), "sample front matter leaves \(child.label ?? "?") at its default")
        }
        #expect(Mirror(reflecting: BuildState()).children.count == 8)
        #expect(!Self.sampleState().pdfs.isEmpty)
        // The carried session: every field of its parts set apart from a blank one.
        let carried = Self.sampleCarried()
        #expect(Mirror(reflecting: carried.shape).children.count == 15 && Mirror(reflecting: carried.commit).children.count == 9)
        #expect(Mirror(reflecting: DataRow(values: [:], location: SourceLocation(file: ""))).children.count == 3)
        #expect(Mirror(reflecting: DataSet(name: "", title: "", fields: [], rows: [], sourcePath: "")).children.count == 9)
        for child in Array(Mirror(reflecting: carried.shape).children) + Array(Mirror(reflecting: carried.commit).children) {
            let value = child.value
            let blank = (value as? any Collection)?.isEmpty == true || (value as? UInt64) == 0 || (value as? Int) == 0
            #expect(!blank, "sample carried session leaves \(child.label ?? "?") empty")
        }
        #expect(Mirror(reflecting: OutputRecord(reads: [:], ids: [])).children.count == 3)
    }

    @Test func roundTripKeepsEveryField() throws {
        let state = Self.sampleState()
        let bytes = try #require(StateCoding.encode(state))
        let decoded = StateCoding.decode(bytes)
        let back = try #require(decoded)
        // Every field but the listing view, which the build that needs it makes again (its hash is kept).
        var expected = state
        for path in expected.pages.keys { expected.pages[path]!.view = .null }
        #expect(Equality.sameState(back, expected))
        let a = try #require(back.pages["cases/a.md"])
        #expect(a.page?.body == "正文 body" && a.page?.frontMatter.params["map"] == Self.everyYAML["map"])
        if case .object(_, let order)? = a.page?.frontMatter.params["map"] { #expect(order == ["b", "c", "a"]) }
        if case .null = a.view {} else { Issue.record("the view was saved") }
        #expect(a.viewHash == 5)
        // The decoded state encodes to a state equal to it again.
        let again = StateCoding.encode(back).flatMap { StateCoding.decode($0) }
        #expect(again.map { Equality.sameState($0, expected) } == true)
    }

    @Test func equalityCanTellStatesApart() throws {
        // The comparison the round trips rely on notices a change in any part.
        let state = Self.sampleState()
        var other = state
        other.pdfs["report/report.pdf"]?.html = 9
        #expect(!Equality.sameState(other, state))
        other = state
        other.pages["cases/a.md"]!.viewReads["config"] = 4
        #expect(!Equality.sameState(other, state))
        other = state
        other.pages["cases/a.md"]!.view = .object([:])
        #expect(!Equality.sameState(other, state))
        other = state
        other.outputs["index.html"] = OutputRecord(reads: [:], ids: ["x"])
        #expect(!Equality.sameState(other, state))
        other = state
        other.pages["cases/a.md"]!.content!.headings[1].id = "c"
        #expect(!Equality.sameState(other, state))
        other = state
        other.carried?.commit.readers.pages[2] = [2]
        #expect(!Equality.sameState(other, state))
        #expect(!Equality.sameTemplate(.number(0), .number(-0.0)) && Equality.sameTemplate(.number(.nan), .number(.nan)))
    }

    @Test func largeStateRoundTrips() throws {
        let state = Self.generatedState(pages: 2_000)
        let bytes = try #require(StateCoding.encode(state))
        let decoded = StateCoding.decode(bytes)
        let back = try #require(decoded)
        #expect(back.pages.count == 2_000 && back.outputs.count == 2_100)
        #expect(Equality.sameState(back, state))
        // A key read by many outputs is stored once per block.
        let key = Array("view:cases/case-00042.md".utf8)
        let outputBlocks = StateCoding.bucketCount(state.outputs.count, perBlock: StateCoding.outputsPerBlock, previous: nil)
        #expect(outputBlocks > 1 && Self.occurrences(of: key, in: bytes) <= outputBlocks)
    }

    @Test func savingAgainEncodesOnlyTheBlocksThatChanged() throws {
        let first = StateCoding.encode(Self.generatedState(pages: 2_000), reusing: nil)
        let read = try #require(StateCoding.decodeReusable(first.bytes))
        // Nothing changed: every block is copied.
        let same = StateCoding.encode(read.state, reusing: read.encoded)
        #expect(same.encoded.encodedAfresh == 0 && same.bytes == first.bytes)

        // One page and one output changed: their two blocks are encoded again, and the result reads back as
        // the changed state, as an encoding from nothing does.
        var edited = read.state
        edited.pages["cases/case-00007.md"]!.viewHash = 1
        edited.outputs["cases/case-7/index.html"] = OutputRecord(reads: ["job": 1], ids: ["新"])
        let next = StateCoding.encode(edited, reusing: read.encoded)
        #expect(next.encoded.encodedAfresh == 2)
        let back = try #require(StateCoding.decode(next.bytes))
        #expect(Equality.sameState(back, edited))
        #expect(Equality.sameState(try #require(StateCoding.decode(StateCoding.encode(edited, reusing: nil).bytes)), back))

        // A page removed and one added: the blocks they belong to change, no other.
        var moved = edited
        moved.pages["cases/case-00008.md"] = nil
        moved.pages["cases/new.md"] = PageRecord(stamp: nil, hash: 9, page: nil)
        let again = StateCoding.encode(moved, reusing: next.encoded)
        let touched = Set(["cases/case-00008.md", "cases/new.md"].map { StateCoding.bucket($0, of: next.encoded.pages.count) })
        #expect(again.encoded.encodedAfresh == touched.count)
        #expect(Equality.sameState(try #require(StateCoding.decode(again.bytes)), moved))

        // A record changed in place after it was encoded is a new object: its block is not copied stale.
        var record = try #require(moved.pages["cases/case-00009.md"])
        record.hash = 12345
        moved.pages["cases/case-00009.md"] = record
        let changed = StateCoding.encode(moved, reusing: again.encoded)
        #expect(changed.encoded.encodedAfresh == 1)
        #expect(StateCoding.decode(changed.bytes)?.pages["cases/case-00009.md"]?.hash == 12345)
    }

    @Test func everyTruncationIsRefused() throws {
        let bytes = try #require(StateCoding.encode(Self.sampleState()))
        #expect(Self.refused([]))
        for cut in 0..<bytes.count {
            let prefix = Array(bytes.prefix(cut))
            #expect(Self.refused(prefix), "cut at \(cut) of \(bytes.count)")
            // Without the checksum, the reader itself runs out of bytes.
            #expect(Self.refused(prefix, verifyingChecksum: false), "cut at \(cut) of \(bytes.count), unchecked")
        }
        #expect(Self.refused(bytes + [0], verifyingChecksum: false))
    }

    @Test func everyFlippedByteIsRefusedOrReadSafely() throws {
        let bytes = try #require(StateCoding.encode(Self.sampleState()))
        var random = SplitMix64(seed: 7)
        var readAnyway = 0
        for index in bytes.indices {
            var damaged = bytes
            damaged[index] ^= UInt8(truncatingIfNeeded: random.next() % 255 + 1)
            #expect(Self.refused(damaged), "byte \(index) changed, checksum still matched")
            // Past the checksum, the reader must refuse it or read some state, and never crash or hang.
            if StateCoding.decode(damaged, verifyingChecksum: false) != nil { readAnyway += 1 }
        }
        // Many bytes at once, and runs of random bytes.
        for _ in 0..<300 {
            var damaged = bytes
            for _ in 0..<(1 + Int(random.next() % 8)) {
                damaged[Int(random.next() % UInt64(bytes.count))] = UInt8(truncatingIfNeeded: random.next())
            }
            if random.next() % 4 == 0 {
                let start = Int(random.next() % UInt64(bytes.count))
                for i in start..<min(bytes.count, start + 32) { damaged[i] = UInt8(truncatingIfNeeded: random.next()) }
            }
            _ = StateCoding.decode(damaged, verifyingChecksum: false)
        }
        #expect(readAnyway < bytes.count)
    }

    @Test func foreignOrTooDeepStatesAreRefused() throws {
        var bytes = try #require(StateCoding.encode(Self.sampleState()))
        #expect(Self.refused(Array("tianshan-state-2 in a property list".utf8)))
        bytes[StateCoding.magic.count] += 1  // the format version
        #expect(Self.refused(bytes, verifyingChecksum: false))
        // A value nested deeper than the reader follows: written, then refused, not a stack overflow.
        var yaml = YAMLValue.null
        for _ in 0..<(BinaryReader.maximumDepth + 1) { yaml = .array([yaml]) }
        var state = Self.sampleState()
        state.pages["x.md"] = PageRecord(stamp: nil, hash: 0, page: Page(
            sourcePath: "x.md", frontMatter: FrontMatter(params: ["deep": yaml]), body: "", bodyLine: 1, title: "x",
            outputPath: "x/index.html", sitePath: "/x/", section: "", kind: .page))
        #expect(Self.refused(try #require(StateCoding.encode(state))))
    }

    // MARK: - A generated state

    /// Shaped like the state of a generated corpus: case pages with front matter, content, views and reads;
    /// listing outputs that read many views.
    static func generatedState(pages: Int) -> BuildState {
        var random = SplitMix64(seed: 42)
        var state = BuildState(identity: "generated", readAt: 1_700_000_000_000_000_000)
        func word() -> String { ["孵化器", "人才", "专利", "园区", "onboarding", "年报", "成效"][Int(random.next() % 7)] }
        for i in 0..<pages {
            let path = String(format: "cases/case-%05d.md", i)
            let title = "案例 \(i) \(word())"
            var params: [String: YAMLValue] = ["rank": .int(Int(random.next() % 1000)), "share": .double(Double(random.next() % 1000) / 7)]
            if i % 3 == 0 { params["meta"] = .object(["k": .string(word()), "d": .date(when)], order: ["k", "d"]) }
            let front = FrontMatter(title: title, date: when.addingTimeInterval(Double(i) * 86_400), summary: i % 2 == 0 ? nil : "摘要 \(i)",
                                    tags: [word(), word()], weight: i % 5 == 0 ? nil : i,
                                    fields: ["figures": .array([.object(["label": .string(word()), "value": .int(i), "unit": .string("项")],
                                                                                order: ["label", "value", "unit"])])], params: params)
            let page = Page(sourcePath: path, frontMatter: front, body: "", bodyLine: 6, title: title,
                            outputPath: "cases/case-\(i)/index.html", sitePath: "/cases/case-\(i)/", section: "cases", kind: .page)
            var record = PageRecord(stamp: FileStamp(size: Int64(4_000 + i), modified: 1_700_000_000_000_000_000 + Int64(i)),
                                    hash: random.next(), page: page)
            var content = PageContent(html: "", headings: (0..<4).map { Heading(level: 2, text: "\(word()) \($0)", id: "h-\($0)") },
                                      summary: "第 \(i) 个案例的摘要：\(word())\(word())", characters: 3_000 + i, readingMinutes: 8)
            if i % 10 == 0 { content.tables = ["data": "<table><tr><td>\(i)</td></tr></table>"] }
            record.markdownKey = random.next()
            record.markdownEnvironment = random.next()
            record.markdownReads = i % 4 == 0 ? ["source:cases/case-\(String(format: "%05d", (i + 1) % pages)).md": random.next()] : [:]
            record.content = content
            record.contentHash = random.next()
            record.links = [LinkReference(url: "/cases/case-\((i + 1) % pages)/#h-1", location: SourceLocation(file: "Content/" + path, line: 20, column: 3), isImage: false)]
            if i % 50 == 0 { record.problems = [.warning(at: SourceLocation(file: "Content/" + path, line: 2), field: "date", "odd date")] }
            record.viewKey = random.next()
            record.viewReads = ["config": 11, "source:" + path: record.hash]
            // No view: a state read from disk holds none (`ListingViews` makes them again).
            record.viewHash = random.next()
            state.pages[path] = record
            state.outputs[page.outputPath] = OutputRecord(reads: ["job": random.next(), "config": 11, "view:" + path: record.viewHash],
                                                          ids: Set(content.headings.map(\.id)))
        }
        for listing in 0..<100 {
            var reads: [String: UInt64] = ["job": UInt64(listing), "config": 11]
            for j in 0..<20 { reads[String(format: "view:cases/case-%05d.md", (listing * 20 + j) % pages)] = UInt64(j) }
            reads["view:cases/case-00042.md"] = 42
            state.outputs["cases/page/\(listing)/index.html"] = OutputRecord(reads: reads, ids: [])
        }
        return state
    }

    /// Whether the bytes decode to nil (a Bool, so that a failing expectation does not print the bytes).
    static func refused(_ bytes: [UInt8], verifyingChecksum: Bool = true) -> Bool {
        StateCoding.decode(bytes, verifyingChecksum: verifyingChecksum) == nil
    }

    static func occurrences(of needle: [UInt8], in haystack: [UInt8]) -> Int {
        guard needle.count <= haystack.count else { return 0 }
        var found = 0
        for start in 0...(haystack.count - needle.count) where haystack[start] == needle[0] {
            if haystack[start..<start + needle.count].elementsEqual(needle) { found += 1 }
        }
        return found
    }
}

/// Field-by-field equality for the state, which is not Equatable (template values are not): every stored
/// property is compared through reflection, so a new field is compared without being named here.
enum Equality {
    static func sameState(_ a: BuildState, _ b: BuildState) -> Bool {
        guard a.identity == b.identity, a.readAt == b.readAt, a.fields == b.fields, Set(a.pages.keys) == Set(b.pages.keys),
              Set(a.outputs.keys) == Set(b.outputs.keys) else { return false }
        for (path, record) in a.pages where !same(record, b.pages[path]!) { return false }
        for (path, output) in a.outputs where !same(output, b.outputs[path]!) { return false }
        return a.carried == b.carried && a.pdfs == b.pdfs
    }

    static func same(_ a: Any, _ b: Any) -> Bool {
        if let x = a as? TemplateValue {
            guard let y = b as? TemplateValue else { return false }
            return sameTemplate(x, y)
        }
        if let x = a as? any Equatable { return equal(x, b) }
        let ma = Mirror(reflecting: a), mb = Mirror(reflecting: b)
        guard ma.subjectType == mb.subjectType, !ma.children.isEmpty, ma.children.count == mb.children.count else { return false }
        return zip(ma.children, mb.children).allSatisfy { $0.label == $1.label && same($0.value, $1.value) }
    }

    private static func equal<T: Equatable>(_ a: T, _ b: Any) -> Bool {
        guard let b = b as? T else { return false }
        return a == b
    }

    /// As templates see them; numbers by their bits (so -0 and 0 differ, and NaN equals itself).
    static func sameTemplate(_ a: TemplateValue, _ b: TemplateValue) -> Bool {
        switch (a.resolved, b.resolved) {
        case (.null, .null): return true
        case (.bool(let x), .bool(let y)): return x == y
        case (.text(let x), .text(let y)): return x == y
        case (.number(let x), .number(let y)): return x.bitPattern == y.bitPattern
        case (.list(let x), .list(let y)): return x.count == y.count && zip(x, y).allSatisfy { sameTemplate($0, $1) }
        case (.object(let x), .object(let y)):
            return Set(x.keys) == Set(y.keys) && x.allSatisfy { sameTemplate($0.value, y[$0.key]!) }
        default: return false
        }
    }
}
