import ArgumentParser
import Foundation
import TianshanBuild
import TianshanModel
import TianshanPreview

struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Build the site, serve it locally and rebuild and reload open pages on every change.",
        discussion: """
        The preview builds into a private temporary folder (never into --output, which it ignores) and removes \
        it on Ctrl-C. It watches the content and templates folders, rebuilds after a burst of changes and \
        reloads open pages through /__tianshan/events. While a build is broken, pages show its errors.
        """
    )

    @OptionGroup var folders: SiteFolders

    @Option(help: "Address to listen on; the default keeps the preview on this machine.")
    var host = "127.0.0.1"

    @Option(help: "Port to listen on (0 picks a free one).")
    var port = 8080

    @Flag(name: .shortAndLong, help: "Print only the address and errors, not every rebuild.")
    var quiet = false

    @Flag(name: .shortAndLong, help: "Also print the time of each build phase.")
    var verbose = false

    func validate() throws {
        guard (0...65535).contains(port) else { throw ValidationError("--port must be between 0 and 65535") }
    }

    func run() async throws {
        let options = folders.buildOptions()
        let configuration = PreviewConfiguration(
            content: options.content, templates: options.templates,
            baseURL: folders.baseURL ?? "/", drafts: folders.drafts,
            host: host, port: port
        )
        let quiet = self.quiet
        let verbose = self.verbose
        let server = PreviewServer(configuration) { event in
            switch event {
            case .ready(let endpoint):
                Self.say("tianshan: serving \(endpoint.url) (Ctrl-C to stop)")
            case .built(let build, let report, let changed):
                for warning in report.warnings where !quiet { printError(warning.description) }
                if !quiet {
                    Self.say(ReportText.rebuilt(report, what: build == 1 ? "built" : "rebuilt" + Self.describe(changed)))
                    if verbose { for line in ReportText.phases(report, compact: true) { Self.say(line) } }
                }
            case .failed(_, let diagnostics, _):
                for line in ReportText.failed(diagnostics, outcome: "the browser shows them until the next good build") { printError(line) }
            case .stopping:
                if !quiet { Self.say("tianshan: stopping") }
            case .stopped:
                if !quiet { Self.say("tianshan: stopped") }
            }
        }
        do {
            try await server.runUntilSignalled()
        } catch {
            printError("tianshan: serve failed: \(error)")
            throw ExitCode(1)
        }
    }

    /// Unbuffered, so piped output (make, scripts waiting for the address) sees each line as it happens.
    private static func say(_ line: String) {
        FileHandle.standardOutput.write(Data((line + "\n").utf8))
    }

    private static func describe(_ changed: [String]) -> String {
        guard let first = changed.first else { return "" }
        let name = URL(fileURLWithPath: first).lastPathComponent
        return changed.count == 1 ? " (\(name) changed)" : " (\(name) and \(changed.count - 1) more changed)"
    }
}
