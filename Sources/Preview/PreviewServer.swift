import Foundation
import Hummingbird
import Logging
import ServiceLifecycle
import TianshanBuild
import TianshanModel
import TianshanWatch

/// How to run a preview: the site to build and where to listen.
public struct PreviewConfiguration: Sendable {
    public var content: URL
    public var templates: URL
    /// Overrides `base_url`; the preview serves the site at `/`, so the default is `/`.
    public var baseURL: String
    public var drafts: Bool
    /// Loopback unless told otherwise: a preview is not meant to be reachable from the network.
    public var host: String
    /// 0 picks a free port; the `ready` event says which.
    public var port: Int
    /// How long the watched folders must be quiet before a rebuild starts.
    public var quietWindow: Duration

    public init(
        content: URL, templates: URL, baseURL: String = "/", drafts: Bool = false,
        host: String = "127.0.0.1", port: Int = 8080, quietWindow: Duration = .milliseconds(30)
    ) {
        self.content = content
        self.templates = templates
        self.baseURL = baseURL
        self.drafts = drafts
        self.host = host
        self.port = port
        self.quietWindow = quietWindow
    }
}

/// Where a running preview can be reached and where it builds.
public struct PreviewEndpoint: Sendable {
    public var url: String
    public var port: Int
    /// The temporary folder holding the built site; gone once the preview stops.
    public var output: URL
}

/// What the preview reports while it runs; the command line decides how to show it.
public enum PreviewEvent: Sendable {
    case ready(PreviewEndpoint)
    case built(build: Int, report: BuildReport, changed: [String])
    case failed(build: Int, diagnostics: [Diagnostic], changed: [String])
    /// Shutdown has begun; a build in progress still finishes first (it writes into the folder about to go).
    case stopping
    /// The server has stopped listening; the temporary folder goes next.
    case stopped
}

/// Builds a site into a temporary folder, serves it over HTTP, and rebuilds and reloads open pages on every change.
///
/// A ServiceLifecycle `Service`: it stops on its group's graceful shutdown (open reload streams end, the build
/// in progress finishes, the temporary folder goes). `runUntilSignalled()` is that group for the command line.
public struct PreviewServer: Service {
    public var configuration: PreviewConfiguration
    private let onEvent: @Sendable (PreviewEvent) -> Void

    public init(_ configuration: PreviewConfiguration, onEvent: @escaping @Sendable (PreviewEvent) -> Void = { _ in }) {
        self.configuration = configuration
        self.onEvent = onEvent
    }

    /// Runs until SIGINT or SIGTERM, then shuts down gracefully; a shutdown stuck for 5 s is cancelled.
    public func runUntilSignalled() async throws {
        var configuration = ServiceGroupConfiguration(
            services: [self], gracefulShutdownSignals: [.sigint, .sigterm], logger: Self.logger
        )
        configuration.maximumGracefulShutdownDuration = .seconds(5)
        try await ServiceGroup(configuration: configuration).run()
    }

    /// Hummingbird logs every start at info level; the preview prints its own lines and wants only trouble.
    static var logger: Logger {
        var logger = Logger(label: "tianshan.preview")
        logger.logLevel = .warning
        return logger
    }

    /// Runs until graceful shutdown of the surrounding service group, or until the calling task is cancelled.
    /// The temporary folder is removed before this returns, also when it throws.
    public func run() async throws {
        let workspace = try PreviewWorkspace.create()
        defer { workspace.remove() }
        // Watch before the first build, so an edit made while it runs is not missed.
        let watcher = try FileWatcher(roots: [configuration.content, configuration.templates], quietWindow: configuration.quietWindow)
        defer { watcher.stop() }

        let builder = PreviewBuilder(options: BuildOptions(
            content: configuration.content, templates: configuration.templates, output: workspace.output,
            baseURL: configuration.baseURL, drafts: configuration.drafts
        ))
        let hub = ReloadHub()
        let rebuilds = RebuildService(watcher: watcher, builder: builder, hub: hub, onEvent: onEvent)
        await rebuilds.rebuild(changed: nil)

        let host = configuration.host
        let output = workspace.output
        let onEvent = self.onEvent
        let app = Application(
            responder: PreviewResponder(builder: builder, hub: hub, siteRoot: workspace.output),
            configuration: ApplicationConfiguration(address: .hostname(host, port: configuration.port)),
            services: [rebuilds],
            onServerRunning: { channel in
                let port = channel.localAddress?.port ?? 0
                let shownHost = host.contains(":") ? "[\(host)]" : host
                onEvent(.ready(PreviewEndpoint(url: "http://\(shownHost):\(port)/", port: port, output: output)))
            },
            logger: Self.logger
        )
        try await app.run()
        onEvent(.stopped)
        await hub.closeAll()
    }
}

/// Turns bursts of file changes into rebuilds and reload events, one build at a time.
struct RebuildService: Service {
    let watcher: FileWatcher
    let builder: PreviewBuilder
    let hub: ReloadHub
    let onEvent: @Sendable (PreviewEvent) -> Void

    func run() async throws {
        let onEvent = self.onEvent
        await withGracefulShutdownHandler {
            // The watcher keeps at most one burst waiting, so edits made during a long build cause exactly one more build.
            for await batch in watcher.changes.cancelOnGracefulShutdown() {
                await rebuild(changed: batch.paths)
            }
        } onGracefulShutdown: {
            onEvent(.stopping)
        }
        // A watcher that ended on its own must not end the server; wait for the real shutdown.
        try? await gracefulShutdown()
    }

    /// The one rebuild: build, remember the outcome, tell open pages (after a failed build too, to show the errors).
    func rebuild(changed: [String]?) async {
        let (state, outcome) = await builder.rebuild(changed: changed)
        switch outcome {
        case .built(let report): onEvent(.built(build: state.build, report: report, changed: changed ?? []))
        case .failed(let diagnostics): onEvent(.failed(build: state.build, diagnostics: diagnostics, changed: changed ?? []))
        }
        await hub.publish(build: state.build, ok: state.ok)
        await builder.prepareNextBuild()
    }
}
