import Foundation
import Logging
import ServiceLifecycle
import TianshanPreview

/// A copy of a fixture site in its own temporary folder, so a test can edit it while a preview watches it.
struct SiteCopy {
    let root: URL
    var content: URL { root.appendingPathComponent("Content") }
    var templates: URL { root.appendingPathComponent("Templates") }

    init(_ fixture: String = "basic-site") throws {
        let fixtures = URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Fixtures")
        root = FileManager.default.temporaryDirectory.appendingPathComponent("tianshan-preview-test-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        try FileManager.default.copyItem(at: fixtures.appendingPathComponent(fixture).appendingPathComponent("Content"), to: content)
        try FileManager.default.copyItem(at: fixtures.appendingPathComponent(fixture).appendingPathComponent("Templates"), to: templates)
    }

    /// Writes a file below the copy's root, creating folders as needed.
    func write(_ path: String, _ text: String) throws {
        try write(path, Data(text.utf8))
    }

    func write(_ path: String, _ data: Data) throws {
        let url = root.appendingPathComponent(path)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try data.write(to: url)
    }

    func read(_ path: String) throws -> String {
        try String(contentsOf: root.appendingPathComponent(path), encoding: .utf8)
    }

    func remove() { try? FileManager.default.removeItem(at: root) }
}

/// A preview server running in this process on a free loopback port.
final class RunningPreview: Sendable {
    let site: SiteCopy
    let endpoint: PreviewEndpoint
    private let group: ServiceGroup
    private let task: Task<Void, any Error>

    var port: Int { endpoint.port }
    /// The preview's private temporary folder (the parent of the built site).
    var workspace: URL { endpoint.output.deletingLastPathComponent() }

    private init(site: SiteCopy, endpoint: PreviewEndpoint, group: ServiceGroup, task: Task<Void, any Error>) {
        self.site = site
        self.endpoint = endpoint
        self.group = group
        self.task = task
    }

    /// Starts a preview of `site` on port 0 and returns once it listens.
    static func start(_ site: SiteCopy) async throws -> RunningPreview {
        let (events, continuation) = AsyncStream<PreviewEvent>.makeStream()
        let configuration = PreviewConfiguration(content: site.content, templates: site.templates, port: 0)
        let server = PreviewServer(configuration) { continuation.yield($0) }
        // The same kind of group `runUntilSignalled()` uses, minus the signals: `stop()` shuts it down gracefully.
        var logger = Logger(label: "preview-tests")
        logger.logLevel = .warning
        let group = ServiceGroup(services: [server], logger: logger)
        let task = Task {
            defer { continuation.finish() }
            try await group.run()
        }
        for await event in events {
            if case .ready(let endpoint) = event { return RunningPreview(site: site, endpoint: endpoint, group: group, task: task) }
        }
        // The stream ended without `ready`: surface the server's error.
        try await task.value
        throw PreviewTestError.didNotStart
    }

    func get(_ target: String, headers: [String: String] = [:]) async throws -> HTTPReply {
        try await RawHTTP.get(port: port, target, headers: headers)
    }

    /// Stops the server the way Ctrl-C does (graceful shutdown) and waits until `run()` has returned.
    func stop() async {
        await group.triggerGracefulShutdown()
        _ = try? await task.value
    }
}

enum PreviewTestError: Error {
    case didNotStart
}
