import Foundation
import Testing
@testable import TianshanWrite

@Suite struct OutputWriterTests {
    func temporaryFolder() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("tianshan-write-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    @Test func replacesTheWholeFolderAndLeavesNoStaging() async throws {
        let root = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: root) }
        let output = root.appendingPathComponent("Output")
        try FileManager.default.createDirectory(at: output, withIntermediateDirectories: true)
        try Data("stale".utf8).write(to: output.appendingPathComponent("old.html"))

        let writer = OutputWriter(outputRoot: output)
        try await writer.write(files: [OutputFile(path: "案例/甲/index.html", bytes: Data("新".utf8))], copies: [])

        #expect(try String(contentsOf: output.appendingPathComponent("案例/甲/index.html"), encoding: .utf8) == "新")
        #expect(!FileManager.default.fileExists(atPath: output.appendingPathComponent("old.html").path))
        #expect(try FileManager.default.contentsOfDirectory(atPath: root.path).sorted() == [".Output.tianshan", "Output"])
    }

    @Test func refusesPathsThatLeaveTheOutputFolder() async throws {
        let root = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: root) }
        let output = root.appendingPathComponent("Output")
        for bad in ["../escape.html", "/etc/x", "a/../../b", "a//b", "a\\..\\b", ""] {
            await #expect(throws: WriteError.self) {
                try await OutputWriter(outputRoot: output).write(files: [OutputFile(path: bad, bytes: Data())], copies: [])
            }
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: root.path).isEmpty)
    }

    @Test func failedWriteKeepsThePreviousOutput() async throws {
        let root = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: root) }
        let output = root.appendingPathComponent("Output")
        let writer = OutputWriter(outputRoot: output)
        try await writer.write(files: [OutputFile(path: "index.html", bytes: Data("v1".utf8))], copies: [])
        // Without a record of the last write the writer swaps a whole staging folder, so a failure changes nothing.
        try FileManager.default.removeItem(at: writer.stateFolder)
        let missing = OutputCopy(source: root.appendingPathComponent("does-not-exist.png"), path: "a.png")
        await #expect(throws: WriteError.self) {
            try await writer.write(files: [OutputFile(path: "index.html", bytes: Data("v2".utf8))], copies: [missing])
        }
        #expect(try String(contentsOf: output.appendingPathComponent("index.html"), encoding: .utf8) == "v1")
        #expect(try FileManager.default.contentsOfDirectory(atPath: root.path) == ["Output"])
    }

    @Test func laterWritesReplaceOnlyChangedFilesAndRemoveStaleOnes() async throws {
        let root = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: root) }
        let output = root.appendingPathComponent("Output")
        let writer = OutputWriter(outputRoot: output)
        let first = try await writer.write(files: [
            OutputFile(path: "a/index.html", bytes: Data("a1".utf8)),
            OutputFile(path: "b/index.html", bytes: Data("b1".utf8)),
            OutputFile(path: "old/deep/index.html", bytes: Data("o".utf8)),
        ], copies: [])
        #expect(first.fullSwap)
        let untouched = try FileManager.default.attributesOfItem(atPath: output.appendingPathComponent("a/index.html").path)[.modificationDate] as? Date

        let second = try await writer.write(files: [
            OutputFile(path: "a/index.html", bytes: Data("a1".utf8)),
            OutputFile(path: "b/index.html", bytes: Data("b2".utf8)),
            OutputFile(path: "c/index.html", bytes: Data("c1".utf8)),
        ], copies: [])
        #expect(second == WriteReport(written: 2, unchanged: 1, removed: 1, fullSwap: false))
        #expect(try String(contentsOf: output.appendingPathComponent("b/index.html"), encoding: .utf8) == "b2")
        #expect(try String(contentsOf: output.appendingPathComponent("c/index.html"), encoding: .utf8) == "c1")
        #expect(!FileManager.default.fileExists(atPath: output.appendingPathComponent("old").path))
        let after = try FileManager.default.attributesOfItem(atPath: output.appendingPathComponent("a/index.html").path)[.modificationDate] as? Date
        #expect(untouched == after)

        // A file deleted behind the writer's back is back after the next write: the spare still holds it.
        try FileManager.default.removeItem(at: output.appendingPathComponent("a/index.html"))
        let third = try await writer.write(files: [
            OutputFile(path: "a/index.html", bytes: Data("a1".utf8)),
            OutputFile(path: "b/index.html", bytes: Data("b2".utf8)),
            OutputFile(path: "c/index.html", bytes: Data("c1".utf8)),
        ], copies: [])
        #expect(third == WriteReport(written: 0, unchanged: 3, removed: 0, fullSwap: false))
        #expect(try String(contentsOf: output.appendingPathComponent("a/index.html"), encoding: .utf8) == "a1")
        #expect(try FileManager.default.contentsOfDirectory(atPath: output.path).sorted() == ["a", "b", "c"])
    }
}
