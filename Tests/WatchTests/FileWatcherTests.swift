import Foundation
import Testing
@testable import TianshanWatch

/// Collects batches from a watcher on a task, so a test can wait for a path to show up.
private final class BatchCollector: @unchecked Sendable {
    private let lock = NSLock()
    private var batches: [FileChangeBatch] = []
    private var task: Task<Void, Never>?

    init(_ watcher: FileWatcher) {
        task = Task { [weak self] in
            for await batch in watcher.changes { self?.lock.withLock { self?.batches.append(batch) } }
        }
    }

    var all: [FileChangeBatch] { lock.withLock { batches } }

    /// Waits (bounded) until some batch holds `path`; returns the batches up to and including it.
    func waitFor(_ path: String) async -> [FileChangeBatch]? {
        await poll {
            let batches = self.all
            guard let index = batches.firstIndex(where: { $0.paths.contains(path) }) else { return nil }
            return Array(batches[...index])
        }
    }

    func cancel() { task?.cancel() }
}

@Suite(.serialized) struct FileWatcherTests {
    private func makeFolder() throws -> URL {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("tianshan-watch-test-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: root.appendingPathComponent("cases/deep"), withIntermediateDirectories: true)
        try Data("a".utf8).write(to: root.appendingPathComponent("cases/deep/a.md"))
        return root.resolvingSymlinksInPath()
    }

    @Test func reportsEditsInNestedFolders() async throws {
        let root = try makeFolder()
        defer { try? FileManager.default.removeItem(at: root) }
        let watcher = try FileWatcher(roots: [root])
        let collector = BatchCollector(watcher)
        defer { watcher.stop(); collector.cancel() }

        let file = root.appendingPathComponent("cases/deep/a.md")
        try Data("changed".utf8).write(to: file)
        #expect(await collector.waitFor(file.path) != nil)
    }

    /// A consumer busy with a long build must still learn about every file changed meanwhile: the build trusts
    /// the batch to name them all.
    @Test func burstsNotYetTakenAreMergedNotDropped() async throws {
        let root = try makeFolder()
        defer { try? FileManager.default.removeItem(at: root) }
        let watcher = try FileWatcher(roots: [root], quietWindow: .milliseconds(20))
        defer { watcher.stop() }
        let first = root.appendingPathComponent("cases/first.md")
        let second = root.appendingPathComponent("cases/deep/second.md")
        try Data("1".utf8).write(to: first)
        try await Task.sleep(for: .milliseconds(400))  // first burst reported, not taken
        try Data("2".utf8).write(to: second)
        try await Task.sleep(for: .milliseconds(400))  // second burst reported on top of it
        var iterator = watcher.changes.makeAsyncIterator()
        let batch = await iterator.next()
        #expect(batch?.paths.contains(first.path) == true)
        #expect(batch?.paths.contains(second.path) == true)
    }

    @Test func watchesFoldersCreatedAfterStart() async throws {
        let root = try makeFolder()
        defer { try? FileManager.default.removeItem(at: root) }
        let watcher = try FileWatcher(roots: [root])
        let collector = BatchCollector(watcher)
        defer { watcher.stop(); collector.cancel() }

        let folder = root.appendingPathComponent("news")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        #expect(await collector.waitFor(folder.path) != nil)
        // Once the new folder was reported, its watch exists: a later edit inside it must be seen.
        let file = folder.appendingPathComponent("n.md")
        try Data("new".utf8).write(to: file)
        #expect(await collector.waitFor(file.path) != nil)
    }

    @Test func coalescesABurstAndSkipsHiddenFiles() async throws {
        let root = try makeFolder()
        defer { try? FileManager.default.removeItem(at: root) }
        // A long quiet window makes one batch for the whole burst without depending on how fast this test runs.
        let watcher = try FileWatcher(roots: [root], quietWindow: .seconds(3), maximumDelay: .seconds(30))
        let collector = BatchCollector(watcher)
        defer { watcher.stop(); collector.cancel() }

        try Data("swap".utf8).write(to: root.appendingPathComponent("cases/.a.md.swp"))
        try Data("backup".utf8).write(to: root.appendingPathComponent("cases/a.md~"))
        var written: [String] = []
        for index in 0..<20 {
            let file = root.appendingPathComponent("cases/file-\(index).md")
            try Data("\(index)".utf8).write(to: file)
            written.append(file.path)
        }
        let batches = try #require(await collector.waitFor(written.last!))
        let seen = Set(batches.flatMap(\.paths))
        #expect(Set(written).isSubset(of: seen))
        #expect(!seen.contains { $0.hasSuffix(".swp") || $0.hasSuffix("~") })
        #expect(batches.count == 1)
    }

    @Test func stopEndsTheStream() async throws {
        let root = try makeFolder()
        defer { try? FileManager.default.removeItem(at: root) }
        let watcher = try FileWatcher(roots: [root])
        watcher.stop()
        watcher.stop()
        var count = 0
        for await _ in watcher.changes { count += 1 }
        #expect(count == 0)
    }

    @Test func refusesAMissingFolder() {
        #expect(throws: FileWatcherError.self) {
            try FileWatcher(roots: [URL(fileURLWithPath: "/nonexistent-\(UUID().uuidString)")])
        }
    }
}
