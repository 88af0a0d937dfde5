import Foundation
import Testing
@testable import TianshanWrite

/// Disk full, read-only, permission denied, a file in the way: one error per cause, naming the output folder and
/// a real path in it (never a scratch name), the output folder unchanged and nothing left behind.
/// These need root (to mount a tmpfs or set the immutable flag); elsewhere they print why they are skipped.
@Suite(.serialized) struct FileSystemErrorTests {
    static let base = ["index.html": "home", "cases/a/index.html": "a", "assets/site.css": "body{}"]

    /// A site far bigger than a 1 MB tmpfs.
    static func big(_ tag: String) -> [String: String] {
        var site = base
        for i in 0..<300 { site["cases/c\(i)/index.html"] = "\(tag) " + String(repeating: "案例", count: 2000) }
        return site
    }

    @Test func diskFullOnAFirstBuild() async throws {
        guard let fixture = try WriteFixture.onTmpfs(size: "1m") else { return }
        defer { fixture.remove() }
        let site = Self.big("first")
        let error = try await expectOneFailure(fixture, site)
        #expect(error.code == ENOSPC)
        #expect(!FileManager.default.fileExists(atPath: fixture.output.path))
        #expect(try FileManager.default.contentsOfDirectory(atPath: fixture.base.path).isEmpty, "a failed first build leaves nothing")
        expectNamesARealPath(error, in: site)
    }

    @Test func diskFullOnAnIncrementalBuild() async throws {
        guard let fixture = try WriteFixture.onTmpfs(size: "1m") else { return }
        defer { fixture.remove() }
        try await fixture.build(Self.base)
        try await fixture.build(Self.base)
        let site = Self.big("second")
        let error = try await expectOneFailure(fixture, site)
        #expect(error.code == ENOSPC)
        #expect(error.description.contains("no space left on the device holding") && error.description.contains("free some space"), "\(error)")
        expectNamesARealPath(error, in: site)
        #expect(WriteFixture.tree(fixture.output) == Self.base)
        #expect(fixture.stateLeftovers().isEmpty, "\(fixture.stateLeftovers())")
        // Once there is room again the next build is complete.
        try await fixture.build(Self.base.merging(["new.html": "new"]) { a, _ in a })
        #expect(WriteFixture.tree(fixture.output) == Self.base.merging(["new.html": "new"]) { a, _ in a })
    }

    @Test func readOnlyFileSystem() async throws {
        guard let fixture = try WriteFixture.onTmpfs(size: "4m") else { return }
        defer { fixture.remove() }
        try await fixture.build(Self.base)
        try await fixture.build(Self.base)
        try #require(WriteFixture.run("/bin/mount", "-o", "remount,ro", fixture.base.path) == 0)
        var site = Self.base
        site["cases/a/index.html"] = "changed"
        let error = try await expectOneFailure(fixture, site)
        #expect(error.code == EROFS)
        #expect(error.description.contains("read-only file system") && error.description.contains("Output/"), "\(error)")
        #expect(WriteFixture.tree(fixture.output) == Self.base)
        try #require(WriteFixture.run("/bin/mount", "-o", "remount,rw", fixture.base.path) == 0)
        #expect(fixture.stateLeftovers().isEmpty)
        try await fixture.build(site)
        #expect(WriteFixture.tree(fixture.output) == site)
    }

    @Test func permissionDenied() async throws {
        guard getuid() == 0 else {
            print("skipped: as another user than root, permission bits would do; as root only the immutable flag stops a write")
            return
        }
        let fixture = try WriteFixture()
        defer {
            WriteFixture.run("/usr/bin/chattr", "-i", fixture.output.path)
            fixture.remove()
        }
        try await fixture.build(Self.base)
        try await fixture.build(Self.base)
        guard WriteFixture.run("/usr/bin/chattr", "+i", fixture.output.path) == 0 else {
            print("skipped: this file system has no immutable flag")
            return
        }
        var site = Self.base
        site["cases/a/index.html"] = "changed"
        let error = try await expectOneFailure(fixture, site)
        #expect(error.code == EPERM || error.code == EACCES)
        #expect(error.description.contains("permission denied") && error.description.contains("Output/"), "\(error)")
        #expect(WriteFixture.tree(fixture.output) == Self.base)
        #expect(fixture.stateLeftovers().isEmpty, "\(fixture.stateLeftovers())")
        WriteFixture.run("/usr/bin/chattr", "-i", fixture.output.path)
        try await fixture.build(site)
        #expect(WriteFixture.tree(fixture.output) == site)
    }

    @Test func stateFolderInTheWay() async throws {
        let fixture = try WriteFixture()
        defer { fixture.remove() }
        // A file where the state folder should be.
        try Data("mine".utf8).write(to: fixture.writer.stateFolder)
        let error = try await expectOneFailure(fixture, Self.base)
        #expect(error.code == EEXIST || error.code == ENOTDIR)
        #expect(error.description.contains(".Output.tianshan"), "\(error)")
        #expect(try String(contentsOf: fixture.writer.stateFolder, encoding: .utf8) == "mine")
        #expect(!FileManager.default.fileExists(atPath: fixture.output.path))
    }

    /// Puts `site` in chunks, as the Build module does, and commits: the first failure stops the write, and every
    /// later call throws that same error, so it is reported once.
    func expectOneFailure(_ fixture: WriteFixture, _ site: [String: String]) async throws -> WriteError {
        let transaction = try fixture.writer.begin()
        let files = WriteFixture.files(site)
        var errors: [WriteError] = []
        for start in stride(from: 0, to: files.count, by: 16) {
            do { try await transaction.put(Array(files[start..<min(files.count, start + 16)])) } catch { errors.append(error) }
        }
        do { _ = try await transaction.commit() } catch { errors.append(error) }
        await transaction.abort()
        let first = try #require(errors.first, "the write did not fail")
        #expect(errors.allSatisfy { $0 == first }, "more than one cause: \(Set(errors.map(\.description)))")
        return first
    }

    func expectNamesARealPath(_ error: WriteError, in site: [String: String], sourceLocation: Testing.SourceLocation = #_sourceLocation) {
        guard case .system(let failure) = error else {
            Issue.record("not a system failure: \(error)", sourceLocation: sourceLocation)
            return
        }
        #expect(failure.folder.hasSuffix("Output/"), sourceLocation: sourceLocation)
        if let path = failure.path {
            #expect(site[path] != nil || site.keys.contains { $0.hasPrefix(path + "/") }, "names \(path), not a path of the site", sourceLocation: sourceLocation)
        }
        #expect(!error.description.contains("scratch-") && !error.description.contains("staging-"), "\(error)", sourceLocation: sourceLocation)
    }
}
