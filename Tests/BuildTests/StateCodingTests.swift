import Foundation
import Testing
import TianshanLoad
import TianshanMarkdown
import TianshanModel
import TianshanRender
@testable import TianshanBuild

/// The build state survives its trip to disk, and a damaged state is refused, never half-read.
@Suite struct StateCodingTests {
    static func sampleState() -> BuildState {
        let params: [String: YAMLValue] = [
            "n": .int(-42), "x": .double(47722.2), "flag": .bool(true), "none": .null, "text": .string("孵化器 \"引号\""),
            "when": .date(Date(timeIntervalSince1970: 1_614_816_000)), "list": .array([.int(1), .string("二")]),
            "map": .object(["b": .int(2), "a": .string("甲")], order: ["b", "a"]),
        ]
        let front = FrontMatter(title: "案例甲", date: Date(timeIntervalSince1970: 1_614_816_000), summary: nil, tags: ["孵化器", "人才"],
                                weight: 3, figures: [KeyFigure(label: "专利", value: .int(8), unit: "项")], params: params)
        let page = Page(sourcePath: "cases/a.md", frontMatter: front, body: "", bodyLine: 7, title: "案例甲",
                        outputPath: "cases/a/index.html", sitePath: "/cases/a/", section: "cases", kind: .page)
        var content = PageContent(html: "<p>正文</p>", headings: [Heading(level: 2, text: "背景", id: "背景")], summary: "摘要", characters: 12, readingMinutes: 1)
        content.tables = ["t": "<table></table>"]
        var record = PageRecord(stamp: FileStamp(size: 120, modified: 1_700_000_000_123_456_789), hash: .max, page: page)
        record.loadProblems = [.warning(at: SourceLocation(file: "Content/cases/a.md", line: 3, column: 5), field: "titel", "near miss", hint: "title")]
        record.markdownKey = 0x1234_5678_9ABC_DEF0
        record.markdownReads = ["source:cases/b.md": 7, "data:items": .max - 1]
        record.content = content
        record.contentHash = 99
        record.attachments = ["cases/a/t.csv"]
        record.links = [LinkReference(url: "/cases/b/#成效", location: SourceLocation(file: "Content/cases/a.md", line: 9, column: 2), isImage: false)]
        record.view = .object(["title": .text("案例甲"), "n": .number(2.5), "ok": .bool(false), "none": .null, "tags": .list([.text("孵化器")])])
        record.viewHash = 5
        var state = BuildState(identity: "id", readAt: -1)
        state.pages = ["cases/a.md": record, "broken.md": PageRecord(stamp: nil, hash: 1, page: nil)]
        state.outputs = ["cases/a/index.html": OutputRecord(reads: ["job": 1, "view:cases/b.md": 2], ids: ["背景", "成效"])]
        return state
    }

    @Test func roundTripKeepsEveryField() throws {
        let state = Self.sampleState()
        let bytes = try #require(StateCoding.encode(state))
        let back = try #require(StateCoding.decode(bytes))
        #expect(back.identity == state.identity && back.readAt == state.readAt)
        let a = try #require(back.pages["cases/a.md"])
        let original = state.pages["cases/a.md"]!
        #expect(a.page == original.page)
        #expect(a.stamp == original.stamp && a.hash == original.hash && a.markdownKey == original.markdownKey)
        #expect(a.loadProblems == original.loadProblems && a.links == original.links && a.attachments == original.attachments)
        #expect(a.markdownReads == original.markdownReads && a.content == original.content && a.contentHash == 99)
        #expect(a.view.stableHash == original.view.stableHash)
        #expect(back.pages["broken.md"]?.page == nil)
        #expect(back.outputs["cases/a/index.html"]?.reads == ["job": 1, "view:cases/b.md": 2])
        #expect(back.outputs["cases/a/index.html"]?.ids == ["背景", "成效"])
        // Encoding is deterministic enough that a second trip gives the same bytes.
        #expect(StateCoding.decode(try #require(StateCoding.encode(back))) != nil)
    }

    @Test func damagedStateIsRefused() throws {
        let bytes = try #require(StateCoding.encode(Self.sampleState()))
        #expect(StateCoding.decode(Array(bytes.prefix(bytes.count / 2))) == nil)
        #expect(StateCoding.decode([]) == nil)
        // Every single-byte truncation and a few flipped bytes: refused or decoded, never a crash.
        for cut in stride(from: 0, to: bytes.count, by: max(1, bytes.count / 64)) { _ = StateCoding.decode(Array(bytes.prefix(cut))) }
        var flipped = bytes
        for index in stride(from: 0, to: flipped.count, by: 7) { flipped[index] ^= 0xFF }
        _ = StateCoding.decode(flipped)
    }
}
