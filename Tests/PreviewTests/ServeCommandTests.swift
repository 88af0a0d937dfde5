import Foundation
import Testing

/// The real `tianshan serve` process: prints its address, serves, and on SIGINT or SIGTERM stops with
/// status 0 and leaves no temporary folder behind, even with a reload stream open.
@Suite(.serialized) struct ServeCommandTests {
    /// The tianshan executable built beside this test binary (`swift build` builds both).
    private static var executable: URL {
        URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent().appendingPathComponent("tianshan")
    }

    @Test(arguments: [SIGINT, SIGTERM])
    func stopsCleanlyOnSignal(_ signal: Int32) async throws {
        let executable = Self.executable
        try #require(FileManager.default.isExecutableFile(atPath: executable.path), "build the tianshan product first: \(executable.path)")
        let site = try SiteCopy()
        defer { site.remove() }
        // A private TMPDIR shows whether the preview's temporary folder is really gone afterwards.
        let temp = site.root.appendingPathComponent("tmp")
        try FileManager.default.createDirectory(at: temp, withIntermediateDirectories: true)

        let process = Process()
        process.executableURL = executable
        process.arguments = ["serve", "--content", site.content.path, "--templates", site.templates.path, "--port", "0"]
        var environment = ProcessInfo.processInfo.environment
        environment["TMPDIR"] = temp.path
        process.environment = environment
        let output = OutputCollector()
        process.standardOutput = output.pipe
        process.standardError = FileHandle.nullDevice
        try process.run()
        defer { if process.isRunning { process.terminate() } }

        let line = try #require(await poll { output.text.split(separator: "\n").first { $0.contains("serving http://127.0.0.1:") } })
        let port = try #require(Int(line.split(separator: ":").last?.split(separator: "/").first ?? ""))
        #expect(line.contains("tianshan: serving http://127.0.0.1:\(port)/"))
        #expect(output.text.contains("tianshan: built: 8 pages"))
        #expect(try await RawHTTP.get(port: port, "/").status == 200)
        let workspaces = try FileManager.default.contentsOfDirectory(atPath: temp.path)
        #expect(workspaces.count == 1)
        #expect(workspaces.first?.hasPrefix("tianshan-preview-") == true)

        let stream = try EventStreamClient(port: port)
        defer { stream.close() }
        _ = try #require(await stream.waitFor { $0.name == "hello" })

        kill(process.processIdentifier, signal)
        let exited = await poll { process.isRunning ? nil : true }
        #expect(exited == true)
        #expect(process.terminationReason == .exit)
        #expect(process.terminationStatus == 0)
        #expect(try FileManager.default.contentsOfDirectory(atPath: temp.path).isEmpty)
        #expect(!FileManager.default.fileExists(atPath: site.root.appendingPathComponent("Output").path))
    }
}

/// The real `tianshan build --watch` process: builds into the output folder, rebuilds a saved page through the
/// session's incremental path, stops on SIGINT with status 0, and leaves a state the next `tianshan build` starts from.
@Suite(.serialized) struct WatchCommandTests {
    private static var executable: URL {
        URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent().appendingPathComponent("tianshan")
    }

    @Test func rebuildsOnSaveAndStopsCleanly() async throws {
        let executable = Self.executable
        try #require(FileManager.default.isExecutableFile(atPath: executable.path), "build the tianshan product first: \(executable.path)")
        let site = try SiteCopy()
        defer { site.remove() }
        let outputFolder = site.root.appendingPathComponent("Output")
        let arguments = ["--content", site.content.path, "--templates", site.templates.path, "--output", outputFolder.path]

        let process = Process()
        process.executableURL = executable
        process.arguments = ["build", "--watch"] + arguments
        let output = OutputCollector()
        process.standardOutput = output.pipe
        process.standardError = FileHandle.nullDevice
        try process.run()
        defer { if process.isRunning { process.terminate() } }
        #expect(await poll { output.text.contains("tianshan: watching") ? true : nil } == true)
        let page = outputFolder.appendingPathComponent("cases/a/index.html")
        #expect(FileManager.default.fileExists(atPath: page.path))

        let a = try String(contentsOf: site.content.appendingPathComponent("cases/a.md"), encoding: .utf8)
        try site.write("Content/cases/a.md", a + "\n监视模式下追加的一段。\n")
        let shown = await poll { (try? String(contentsOf: page, encoding: .utf8))?.contains("监视模式下追加的一段") == true ? true : nil }
        #expect(shown == true)
        // One Markdown file and the one page that shows it (its listings show its front-matter summary).
        #expect(await poll { output.text.contains("(1 Markdown and 1 pages rendered, 1 files written)") ? true : nil } == true, "\(output.text)")

        kill(process.processIdentifier, SIGINT)
        #expect(await poll { process.isRunning ? nil : true } == true)
        #expect(process.terminationReason == .exit)
        #expect(process.terminationStatus == 0)
        #expect(output.text.contains("tianshan: stopped"))
        #expect(FileManager.default.fileExists(atPath: site.root.appendingPathComponent(".Output.tianshan").path))
        #expect(FileManager.default.fileExists(atPath: site.root.appendingPathComponent(".Output.tianshan/record").path))

        // The next one-off build starts from what the watcher left: nothing to render, nothing to write.
        let next = Process()
        next.executableURL = executable
        next.arguments = ["build", "--verbose"] + arguments
        let nextOutput = OutputCollector()
        next.standardOutput = nextOutput.pipe
        try next.run()
        next.waitUntilExit()
        #expect(next.terminationStatus == 0)
        let work = await poll { nextOutput.text.split(separator: "\n").first { $0.contains("work:") } }
        #expect(work?.contains("0 Markdown rendered, 0 pages rendered, 0 files written") == true, "\(nextOutput.text)")
    }
}

/// Collects a child process's standard output.
// @unchecked: `data` is only touched under `lock`.
private final class OutputCollector: @unchecked Sendable {
    let pipe = Pipe()
    private let lock = NSLock()
    private var data = Data()

    init() {
        pipe.fileHandleForReading.readabilityHandler = { [weak self] handle in
            let chunk = handle.availableData
            guard let self else { return }
            if chunk.isEmpty { handle.readabilityHandler = nil; return }
            lock.withLock { data.append(chunk) }
        }
    }

    var text: String { lock.withLock { String(decoding: data, as: UTF8.self) } }
}
