import Foundation
import Testing
@testable import TianshanWrite

/// A commit cut between any two of its steps, as a process killed there would leave it: the output folder is
/// one complete site (the old or the new), the state read back is the one committed with that site, and the
/// next build succeeds and is complete.
@Suite struct StateProtocolTests {
    typealias CrashPoint = OutputTransaction.CrashPoint

    // B and C differ in files of the same size, so only the protocol (not a size check) can tell which is where.
    static let siteA = ["index.html": "A-home", "cases/x/index.html": "A-x", "cases/y/index.html": "A-y", "old/index.html": "A-old"]
    static let siteB = ["index.html": "B-home", "cases/x/index.html": "A-x", "cases/y/index.html": "B-y", "new/index.html": "B-new"]
    static let siteC = ["index.html": "C-home", "cases/x/index.html": "C-x", "cases/y/index.html": "B-y", "cases/z/index.html": "C-z"]

    static let cuts: [(CrashPoint, Bool)] = CrashPoint.allCases.flatMap { point in
        [false, true].compactMap { fallback in point == .outputMovedAside && !fallback ? nil : (point, fallback) }
    }

    @Test(arguments: cuts)
    func killedIncrementalCommit(_ point: CrashPoint, _ exchangeRefused: Bool) async throws {
        let fixture = try WriteFixture()
        defer { fixture.remove() }
        try await fixture.build(Self.siteA, state: "A")
        try await fixture.build(Self.siteB, state: "B")

        let transaction = try fixture.writer.begin()
        await transaction.simulateCrash(at: point)
        if exchangeRefused { await transaction.refuseExchange() }
        try await transaction.put(WriteFixture.files(Self.siteC))
        await #expect(throws: WriteError.self) { _ = try await transaction.commit(state: StateBytes(Array("C".utf8))) }

        let writer = fixture.writer
        if point == .outputMovedAside {
            // The moment with no output folder that a file system without exchange has; the next build's begin
            // finishes the swap.
            #expect(!FileManager.default.fileExists(atPath: fixture.output.path))
            #expect(writer.loadState() == nil)
            await (try writer.begin()).abort()
        }
        try expectConsistent(fixture, sites: [("B", Self.siteB), ("C", Self.siteC)])
        try await expectNextBuildsComplete(fixture)
    }

    @Test(arguments: [CrashPoint.recordWritten, .swapped])
    func killedFirstCommit(_ point: CrashPoint) async throws {
        let fixture = try WriteFixture()
        defer { fixture.remove() }
        let transaction = try fixture.writer.begin()
        await transaction.simulateCrash(at: point)
        try await transaction.put(WriteFixture.files(Self.siteA))
        await #expect(throws: WriteError.self) { _ = try await transaction.commit(state: StateBytes(Array("A".utf8))) }

        if point == .recordWritten {
            #expect(!FileManager.default.fileExists(atPath: fixture.output.path))
            #expect(fixture.writer.loadState() == nil)
        } else {
            try expectConsistent(fixture, sites: [("A", Self.siteA)])
        }
        try await expectNextBuildsComplete(fixture)
    }

    /// A trusted caller keeps no record on disk; after a crash the state is unknown and the next build
    /// replaces the folder.
    @Test(arguments: [CrashPoint.recordWritten, .spareHalfUpdated, .swapped])
    func killedTrustedCommit(_ point: CrashPoint) async throws {
        let fixture = try WriteFixture()
        defer { fixture.remove() }
        var (_, known) = try await fixture.build(Self.siteA)
        (_, known) = try await fixture.build(Self.siteB, known: known, trust: true)
        let transaction = try fixture.writer.begin(known: known, trustOutput: true)
        await transaction.simulateCrash(at: point)
        try await transaction.put(WriteFixture.files(Self.siteC))
        await #expect(throws: WriteError.self) { _ = try await transaction.commit() }

        let tree = WriteFixture.tree(fixture.output)
        #expect(tree == Self.siteB || tree == Self.siteC)
        #expect(fixture.writer.loadState() == nil)
        #expect(fixture.writer.loadManifest() == nil)
        try await expectNextBuildsComplete(fixture)
    }

    @Test func recordsThatDoNotMatchAreIgnored() async throws {
        let fixture = try WriteFixture()
        defer { fixture.remove() }
        try await fixture.build(Self.siteA, state: "A")
        let record = fixture.writer.stateFolder.appendingPathComponent("record")
        let bytes = try Data(contentsOf: record)
        #expect(fixture.writer.loadState() == Array("A".utf8))
        // Cut short or damaged anywhere: no state, no manifest, and the next build is still complete.
        for cut in [0, 10, bytes.count / 2, bytes.count - 1] {
            try bytes.prefix(cut).write(to: record)
            #expect(fixture.writer.loadState() == nil)
            #expect(fixture.writer.loadManifest() == nil)
        }
        var damaged = bytes
        damaged[damaged.count / 3] ^= 0xFF
        try damaged.write(to: record)
        #expect(fixture.writer.loadManifest() == nil)
        try await fixture.build(Self.siteB, state: "B")
        // Without a record it can read, the writer cannot tell its own old files from someone else's: it keeps them.
        #expect(WriteFixture.tree(fixture.output) == Self.siteB.merging(["old/index.html": "A-old"]) { a, _ in a })
        #expect(fixture.writer.loadState() == Array("B".utf8))
    }

    /// The output in place is one of `sites` exactly, and the state and manifest read back are the ones
    /// committed with it.
    func expectConsistent(_ fixture: WriteFixture, sites: [(String, [String: String])], sourceLocation: Testing.SourceLocation = #_sourceLocation) throws {
        let tree = WriteFixture.tree(fixture.output)
        let match = try #require(sites.first { $0.1 == tree }, "the output is a mix: \(tree.sorted { $0.key < $1.key })", sourceLocation: sourceLocation)
        #expect(fixture.writer.loadState() == Array(match.0.utf8), "state read back is not \(match.0)'s", sourceLocation: sourceLocation)
        let manifest = try #require(fixture.writer.loadManifest(), sourceLocation: sourceLocation)
        #expect(manifest.signatures.keys.sorted() == match.1.keys.sorted(), sourceLocation: sourceLocation)
        fixture.expectDescribes(manifest, sourceLocation: sourceLocation)
    }

    /// Builds after the cut, trusting what the record on disk says (no `stat` checks), so that a record that
    /// wrongly vouched for a half-updated spare would show as a wrong output.
    func expectNextBuildsComplete(_ fixture: WriteFixture, sourceLocation: Testing.SourceLocation = #_sourceLocation) async throws {
        for (name, site) in [("D", Self.siteA), ("E", Self.siteB), ("F", Self.siteC), ("G", Self.siteA)] {
            let (_, manifest) = try await fixture.build(site, state: name, known: fixture.writer.loadManifest(), trust: true)
            #expect(WriteFixture.tree(fixture.output) == site, "build \(name)", sourceLocation: sourceLocation)
            #expect(fixture.writer.loadState() == Array(name.utf8), sourceLocation: sourceLocation)
            fixture.expectDescribes(try #require(manifest), sourceLocation: sourceLocation)
            #expect(fixture.stateLeftovers().isEmpty, "\(fixture.stateLeftovers())", sourceLocation: sourceLocation)
        }
    }
}
