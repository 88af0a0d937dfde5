import Foundation
import Testing
@testable import TianshanWrite

@Suite struct OutputWriterTests {
    func temporaryFolder() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("tianshan-write-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    @Test func replacesTheWholeFolderAndLeavesNoStaging() throws {
        let root = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: root) }
        let output = root.appendingPathComponent("Output")
        try FileManager.default.createDirectory(at: output, withIntermediateDirectories: true)
        try Data("stale".utf8).write(to: output.appendingPathComponent("old.html"))

        let writer = OutputWriter(outputRoot: output)
        try writer.write(files: [OutputFile(path: "案例/甲/index.html", bytes: Data("新".utf8))], copies: [])

        #expect(try String(contentsOf: output.appendingPathComponent("案例/甲/index.html"), encoding: .utf8) == "新")
        #expect(!FileManager.default.fileExists(atPath: output.appendingPathComponent("old.html").path))
        #expect(try FileManager.default.contentsOfDirectory(atPath: root.path) == ["Output"])
    }

    @Test func refusesPathsThatLeaveTheOutputFolder() throws {
        let root = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: root) }
        let output = root.appendingPathComponent("Output")
        for bad in ["../escape.html", "/etc/x", "a/../../b", "a//b", "a\\..\\b", ""] {
            #expect(throws: WriteError.self) {
                try OutputWriter(outputRoot: output).write(files: [OutputFile(path: bad, bytes: Data())], copies: [])
            }
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: root.path).isEmpty)
    }

    @Test func failedWriteKeepsThePreviousOutput() throws {
        let root = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: root) }
        let output = root.appendingPathComponent("Output")
        let writer = OutputWriter(outputRoot: output)
        try writer.write(files: [OutputFile(path: "index.html", bytes: Data("v1".utf8))], copies: [])
        let missing = OutputCopy(source: root.appendingPathComponent("does-not-exist.png"), path: "a.png")
        #expect(throws: WriteError.self) {
            try writer.write(files: [OutputFile(path: "index.html", bytes: Data("v2".utf8))], copies: [missing])
        }
        #expect(try String(contentsOf: output.appendingPathComponent("index.html"), encoding: .utf8) == "v1")
        #expect(try FileManager.default.contentsOfDirectory(atPath: root.path) == ["Output"])
    }
}
