import Foundation
import Testing
@testable import TianshanWrite

/// Incremental commits through the spare tree: after each one the output holds exactly what was put, files
/// whose bytes did not change keep their inode and modification time, the spare holds the output before, and
/// the record describes both trees.
@Suite struct CommitTests {
    /// How the Build module calls the writer: from the record on disk (the command line), with the manifest kept
    /// in memory, in memory with a check of the folder taken since the last commit (`build --watch`), or in
    /// memory and trusted (the preview's private folder).
    enum Caller: String, CaseIterable, Sendable {
        case disk, memory, checked, trusted
    }

    @Test(arguments: Caller.allCases)
    func incrementalSequenceLeavesExactlyWhatWasPut(_ caller: Caller) async throws {
        let fixture = try WriteFixture()
        defer { fixture.remove() }
        var random = SplitMix(seed: 20_240_611)
        let pool = (0..<48).map { i in i % 6 == 0 ? "page\(i).html" : "s\(i % 4)/d\(i % 3)/p\(i)/index.html" }
        var before: [String: String] = [:]
        var stampsBefore: [String: WriteFixture.Stamp] = [:]
        var known: Manifest?
        for build in 0..<16 {
            var site: [String: String] = [:]
            for path in pool where Int.random(in: 0..<10, using: &random) < 7 {
                // Most files keep their bytes from one build to the next; some change, some come and go.
                let keep = before[path] != nil && Int.random(in: 0..<3, using: &random) > 0
                site[path] = keep ? before[path]! : "\(path) build \(build) " + String(repeating: "x", count: Int.random(in: 0..<40, using: &random))
            }
            let check = caller == .checked ? known.flatMap(fixture.writer.check) : nil
            let (report, committed) = try await fixture.build(site, known: caller == .disk ? nil : known, trust: caller == .trusted, check: check)
            known = committed
            let manifest = try #require(committed)

            #expect(WriteFixture.tree(fixture.output) == site, "build \(build)")
            let stamps = WriteFixture.stamps(fixture.output)
            for (path, text) in site where before[path] == text {
                #expect(stamps[path] == stampsBefore[path], "build \(build): \(path) was rewritten though its bytes did not change")
            }
            #expect(report.written == site.filter { before[$0.key] != $0.value }.count)
            #expect(report.removed == (build == 0 ? 0 : before.keys.filter { site[$0] == nil }.count))
            if build > 0 {
                #expect(WriteFixture.tree(fixture.spare) == before, "build \(build): the spare is not the output before")
                #expect(manifest.spare != nil)
            }
            fixture.expectDescribes(manifest)
            if caller == .trusted && build > 0 {
                #expect(fixture.writer.loadManifest() == nil, "a trusted caller keeps the record in memory only")
            } else {
                #expect(fixture.writer.loadManifest() == manifest)
            }
            #expect(fixture.stateLeftovers().isEmpty, "\(fixture.stateLeftovers())")
            before = site
            stampsBefore = stamps
        }
    }

    @Test(arguments: Caller.allCases)
    func keepAllKeepsEveryOtherFile(_ caller: Caller) async throws {
        let fixture = try WriteFixture()
        defer { fixture.remove() }
        let site = ["a/index.html": "a", "b/index.html": "b", "c/index.html": "c", "d/x.csv": "d"]
        var (_, known) = try await fixture.build(site)
        (_, known) = try await fixture.build(site, known: caller == .disk ? nil : known, trust: caller == .trusted)
        let stamps = WriteFixture.stamps(fixture.output)

        for (round, changed) in ["b/index.html", "c/index.html", "b/index.html"].enumerated() {
            let check = caller == .checked ? known.flatMap(fixture.writer.check) : nil
            let transaction = try fixture.writer.begin(known: caller == .disk ? nil : known, trustOutput: caller == .trusted, check: check)
            #expect(await transaction.keepAll(expected: ["a/index.html", "b/index.html", "c/index.html"]) == [])
            try await transaction.put([OutputFile(path: changed, bytes: Data("\(changed) round \(round)".utf8))])
            let report = try await transaction.commit()
            known = await transaction.committed
            #expect(report == WriteReport(written: 1, unchanged: 2, removed: round == 0 ? 1 : 0, fullSwap: false))
            let tree = WriteFixture.tree(fixture.output)
            #expect(tree["a/index.html"] == "a")
            #expect(tree[changed] == "\(changed) round \(round)")
            #expect(tree["d/x.csv"] == nil)
            #expect(!FileManager.default.fileExists(atPath: fixture.output.appendingPathComponent("d").path))
            #expect(WriteFixture.stamps(fixture.output)["a/index.html"] == stamps["a/index.html"])
            fixture.expectDescribes(try #require(known))
        }
    }

    @Test func filesChangedBehindTheWritersBackAreNotKept() async throws {
        let fixture = try WriteFixture()
        defer { fixture.remove() }
        let site = ["a.html": "aaaa", "b.html": "bbbb", "c.html": "cccc"]
        try await fixture.build(site)
        try await fixture.build(site)

        // Deleted from the output: the spare still holds it as recorded, so it is kept and comes back.
        try FileManager.default.removeItem(at: fixture.output.appendingPathComponent("a.html"))
        var transaction = try fixture.writer.begin()
        #expect(await transaction.keep(["a.html", "b.html", "c.html"]) == ["a.html", "b.html", "c.html"])
        _ = try await transaction.commit()
        #expect(WriteFixture.tree(fixture.output) == site)

        // Edited in place: both trees share the file, so neither holds it as recorded; it must be rendered again.
        let handle = try FileHandle(forWritingTo: fixture.output.appendingPathComponent("b.html"))
        try handle.seekToEnd()
        try handle.write(contentsOf: Data("edited".utf8))
        try handle.close()
        transaction = try fixture.writer.begin()
        #expect(await transaction.keep(["a.html", "b.html", "c.html"]) == ["a.html", "c.html"])
        try await transaction.put([OutputFile(path: "b.html", bytes: Data("bbbb".utf8))])
        _ = try await transaction.commit()
        #expect(WriteFixture.tree(fixture.output) == site)

        // keepAll names the files no longer as recorded, which the caller must render again.
        try Data("other".utf8).write(to: fixture.output.appendingPathComponent("c.html"))
        try await fixture.build(["a.html": "aaaa", "b.html": "bbbb", "c.html": "cccc"])
        try Data("xx".utf8).write(to: fixture.output.appendingPathComponent("c.html"))
        transaction = try fixture.writer.begin()
        #expect(await transaction.keepAll(expected: ["a.html", "b.html", "c.html"]) == ["c.html"])
        await transaction.abort()
        #expect(fixture.stateLeftovers().isEmpty)
    }

    /// A long-running build checks the output folder while it waits; the check stands in for a walk at the
    /// next commit: files changed or removed since are rendered again, files someone put there are carried.
    @Test func aCheckTakenSinceTheLastCommitFindsWhatSomeoneElseChanged() async throws {
        let fixture = try WriteFixture()
        defer { fixture.remove() }
        let site = ["a.html": "aaaa", "b.html": "bbbb", "c/index.html": "cccc", "d/index.html": "dddd"]
        try await fixture.build(site)
        var (_, known) = try await fixture.build(site, known: nil)
        let output = fixture.output
        try FileManager.default.removeItem(at: output.appendingPathComponent("a.html"))
        try Data("edited".utf8).write(to: output.appendingPathComponent("c/index.html"))
        try Data("mine".utf8).write(to: output.appendingPathComponent("notes.txt"))
        try FileManager.default.createDirectory(at: output.appendingPathComponent("uploads"), withIntermediateDirectories: true)

        let manifest = try #require(known)
        let check = try #require(fixture.writer.check(manifest))
        #expect(check.tampered == ["a.html", "c/index.html"])
        #expect(Set(check.foreign.keys) == ["notes.txt", "uploads"])
        let transaction = try fixture.writer.begin(known: known, check: check)
        let lost = try #require(await transaction.keepAll(expected: Set(site.keys)))
        #expect(lost == ["a.html", "c/index.html"])
        try await transaction.put(WriteFixture.files(site.filter { lost.contains($0.key) }))
        _ = try await transaction.commit()
        known = await transaction.committed
        #expect(WriteFixture.tree(output) == site.merging(["notes.txt": "mine"]) { a, _ in a })
        #expect(WriteFixture.folders(output).contains("uploads"))
        let committed = try #require(known)
        fixture.expectDescribes(committed)

        // A check of a folder that has since been replaced is not used: the commit walks the folder itself.
        let stale = try #require(fixture.writer.check(committed))
        (_, known) = try await fixture.build(site, known: known)
        try Data("again".utf8).write(to: output.appendingPathComponent("b.html"))
        let later = try fixture.writer.begin(known: known, check: stale)
        let lostLater = try #require(await later.keepAll(expected: Set(site.keys)))
        #expect(lostLater == ["b.html"])
        await later.abort()
        #expect(fixture.stateLeftovers().isEmpty)
    }

    @Test func filesSomeoneElsePutInTheOutputAreCarriedAlong() async throws {
        let fixture = try WriteFixture()
        defer { fixture.remove() }
        var site = ["index.html": "home", "cases/a/index.html": "a", "cases/b/index.html": "b"]
        try await fixture.build(site)
        try await fixture.build(site)
        let output = fixture.output
        try Data("example.org".utf8).write(to: output.appendingPathComponent("CNAME"))
        try FileManager.default.createDirectory(at: output.appendingPathComponent(".git/refs"), withIntermediateDirectories: true)
        try Data("ref: refs/heads/gh-pages".utf8).write(to: output.appendingPathComponent(".git/HEAD"))
        try FileManager.default.createDirectory(at: output.appendingPathComponent("uploads"), withIntermediateDirectories: true)
        try Data("mine".utf8).write(to: output.appendingPathComponent("cases/notes.txt"))
        let theirs = ["CNAME": "example.org", ".git/HEAD": "ref: refs/heads/gh-pages", "cases/notes.txt": "mine"]

        for round in 0..<4 {
            site["cases/a/index.html"] = "a round \(round)"
            let (_, manifest) = try await fixture.build(site)
            #expect(WriteFixture.tree(output) == site.merging(theirs) { a, _ in a }, "round \(round)")
            #expect(WriteFixture.folders(output).isSuperset(of: [".git", ".git/refs", "uploads"]))
            #expect(Set(try #require(manifest).files.keys) == Set(site.keys), "someone else's files are not recorded as Tianshan's")
            fixture.expectDescribes(try #require(manifest))
        }

        // Deleted by its owner: gone for good, not brought back from the spare.
        try FileManager.default.removeItem(at: output.appendingPathComponent("CNAME"))
        for _ in 0..<3 { try await fixture.build(site) }
        #expect(!FileManager.default.fileExists(atPath: output.appendingPathComponent("CNAME").path))

        // Replaced by its owner (a new file renamed over it): the new one is carried.
        try Data("new head".utf8).write(to: output.appendingPathComponent(".git/HEAD"), options: .atomic)
        for _ in 0..<2 { try await fixture.build(site) }
        #expect(WriteFixture.tree(output)[".git/HEAD"] == "new head")

        // A file of theirs where the site now needs a folder stops the build, naming it; the output stays.
        try Data("blocker".utf8).write(to: output.appendingPathComponent("news"))
        let kept = WriteFixture.tree(output)
        var blocked = site
        blocked["news/index.html"] = "news"
        await #expect {
            try await fixture.build(blocked)
        } throws: { error in
            guard let error = error as? WriteError else { return false }
            return error.code == EEXIST && error.description.contains("Output/news")
        }
        #expect(WriteFixture.tree(output) == kept)
        #expect(fixture.stateLeftovers().isEmpty)
    }

    @Test func statePreviousVersionLeftIsIgnoredSafely() async throws {
        let fixture = try WriteFixture()
        defer { fixture.remove() }
        let output = fixture.output
        try FileManager.default.createDirectory(at: output.appendingPathComponent("old"), withIntermediateDirectories: true)
        try Data("v1".utf8).write(to: output.appendingPathComponent("index.html"))
        try Data("gone".utf8).write(to: output.appendingPathComponent("old/index.html"))
        try Data("mine".utf8).write(to: output.appendingPathComponent("notes.txt"))
        let state = fixture.writer.stateFolder
        try FileManager.default.createDirectory(at: state.appendingPathComponent("pending-99999999-2"), withIntermediateDirectories: true)
        try Data("h1\tindex.html\nh2\told/index.html\n".utf8).write(to: state.appendingPathComponent("manifest"))

        let (report, _) = try await fixture.build(["index.html": "v2", "new/index.html": "new"])
        #expect(report.fullSwap)
        // What the old record says it wrote is replaced; anything else is someone's and stays.
        #expect(WriteFixture.tree(output) == ["index.html": "v2", "new/index.html": "new", "notes.txt": "mine"])
        #expect(fixture.stateLeftovers().isEmpty, "\(fixture.stateLeftovers())")
        try await fixture.build(["index.html": "v3"])
        #expect(WriteFixture.tree(output) == ["index.html": "v3", "notes.txt": "mine"])
    }

    @Test func outputReplacedBehindTheWritersBackLosesNothing() async throws {
        let fixture = try WriteFixture()
        defer { fixture.remove() }
        let output = fixture.output
        try await fixture.build(["index.html": "v1", "a/index.html": "a"])
        try await fixture.build(["index.html": "v2", "a/index.html": "a"])
        // Restored from a copy: another folder than the record names, with a file of the user's in it.
        let copy = fixture.root.appendingPathComponent("copy")
        try FileManager.default.copyItem(at: output, to: copy)
        try FileManager.default.removeItem(at: output)
        try FileManager.default.moveItem(at: copy, to: output)
        try Data("mine".utf8).write(to: output.appendingPathComponent("notes.txt"))
        #expect(fixture.writer.loadManifest() == nil)

        let (report, _) = try await fixture.build(["index.html": "v3", "b/index.html": "b"])
        #expect(report.fullSwap)
        let tree = WriteFixture.tree(output)
        #expect(tree["index.html"] == "v3")
        #expect(tree["b/index.html"] == "b")
        #expect(tree["notes.txt"] == "mine")
        try await fixture.build(["index.html": "v4", "b/index.html": "b"])
        #expect(WriteFixture.tree(output)["notes.txt"] == "mine")
    }
}
