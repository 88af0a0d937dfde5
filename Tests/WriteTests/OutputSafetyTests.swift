import Foundation
import Testing
@testable import TianshanWrite

/// A build never replaces a folder of someone's files: the output folder may not be or overlap the content or
/// templates folder (real paths), must be a folder, and must be empty, new, or written by Tianshan before,
/// unless forced.
@Suite struct OutputSafetyTests {
    struct Layout {
        let fixture: WriteFixture
        var content: URL { fixture.root.appendingPathComponent("site/Content") }
        var templates: URL { fixture.root.appendingPathComponent("site/Templates") }

        init() throws {
            fixture = try WriteFixture()
            for folder in [content, templates] {
                try FileManager.default.createDirectory(at: folder.appendingPathComponent("sub"), withIntermediateDirectories: true)
                try Data("x".utf8).write(to: folder.appendingPathComponent("sub/file.md"))
            }
        }

        func check(_ output: URL, force: Bool = false) throws(WriteError) {
            try OutputWriter(outputRoot: output).checkOutputFolder(content: content, templates: templates, force: force)
        }

        func refusal(_ output: URL, force: Bool = false) -> OutputSafety.Refusal? {
            do { try check(output, force: force) } catch {
                if case .refused(let refusal) = error { return refusal }
                Issue.record("unexpected error \(error)")
            }
            return nil
        }
    }

    @Test func refusesTheSourceFoldersTheirParentsAndWhatLiesInside() throws {
        let layout = try Layout()
        defer { layout.fixture.remove() }
        let site = layout.fixture.root.appendingPathComponent("site")
        let cases: [(URL, OutputSafety.Refusal.Relation, String)] = [
            (layout.content, .same, "content"),
            (site, .contains, "content"),
            (layout.fixture.root, .contains, "content"),
            (layout.content.appendingPathComponent("sub"), .inside, "content"),
            (layout.templates.appendingPathComponent("out"), .inside, "templates"),
            (layout.templates.appendingPathComponent("sub/../new"), .inside, "templates"),
            (URL(fileURLWithPath: "/"), .contains, "content"),
        ]
        for (output, relation, role) in cases {
            guard case .overlaps(let shown, _, let foundRole, let foundRelation)? = layout.refusal(output, force: true) else {
                Issue.record("\(output.path) was not refused")
                continue
            }
            #expect(foundRole == role && foundRelation == relation, "\(output.path)")
            #expect(shown.hasSuffix("/"))
        }
        // The same through a symbolic link: real paths are compared.
        let alias = layout.fixture.root.appendingPathComponent("alias")
        try FileManager.default.createSymbolicLink(at: alias, withDestinationURL: site)
        guard case .overlaps(_, _, "content", .same)? = layout.refusal(alias.appendingPathComponent("Content")) else {
            Issue.record("the content folder reached through a link was not refused")
            return
        }
        let message = WriteError.refused(layout.refusal(layout.content)!).description
        #expect(message.contains("Content/") && message.contains("choose an --output"), "\(message)")
    }

    @Test func refusesAFileAndALink() throws {
        let layout = try Layout()
        defer { layout.fixture.remove() }
        let file = layout.fixture.root.appendingPathComponent("notes.txt")
        try Data("my notes".utf8).write(to: file)
        #expect(layout.refusal(file, force: true) == .notAFolder(file.path))
        let link = layout.fixture.root.appendingPathComponent("Linked")
        try FileManager.default.createDirectory(at: layout.fixture.root.appendingPathComponent("real"), withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(at: link, withDestinationURL: layout.fixture.root.appendingPathComponent("real"))
        #expect(layout.refusal(link) == .symbolicLink(link.path))
        #expect(try String(contentsOf: file, encoding: .utf8) == "my notes")
    }

    @Test func refusesAFolderOfSomeonesFilesUnlessForced() async throws {
        let layout = try Layout()
        defer { layout.fixture.remove() }
        let docs = layout.fixture.root.appendingPathComponent("docs")
        try FileManager.default.createDirectory(at: docs, withIntermediateDirectories: true)
        try Data("thesis".utf8).write(to: docs.appendingPathComponent("thesis.tex"))
        guard case .foreignFolder(let shown, let state)? = layout.refusal(docs) else {
            Issue.record("a folder of someone's files was not refused")
            return
        }
        #expect(shown.hasSuffix("docs/") && state.hasSuffix(".docs.tianshan/"))
        #expect(WriteError.refused(.foreignFolder(output: shown, state: state)).description.contains("--force"))

        // Forced: the check passes and the build replaces the folder.
        try layout.check(docs, force: true)
        try await OutputWriter(outputRoot: docs).write(files: [OutputFile(path: "index.html", bytes: Data("site".utf8))], copies: [])
        #expect(WriteFixture.tree(docs) == ["index.html": "site"])
        // Now it is Tianshan's: no force needed any more.
        try layout.check(docs)
    }

    @Test func acceptsNewEmptyAndOwnFolders() async throws {
        let layout = try Layout()
        defer { layout.fixture.remove() }
        let output = layout.fixture.root.appendingPathComponent("Output")
        try layout.check(output)
        try FileManager.default.createDirectory(at: output, withIntermediateDirectories: true)
        try layout.check(output)
        try await OutputWriter(outputRoot: output).write(files: [OutputFile(path: "index.html", bytes: Data("site".utf8))], copies: [])
        try layout.check(output)
        try layout.check(layout.fixture.root.appendingPathComponent("deep/new/Output"))
    }
}
