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
