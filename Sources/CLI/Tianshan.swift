import ArgumentParser
import Foundation
import TianshanBuild
import TianshanLinkCheck
import TianshanModel

/// The `tianshan` command: its subcommands and shared options (started by `main.swift`).
struct Tianshan: AsyncParsableCommand {
    /// Printed by `tianshan --version`.
    static let version = "0.5.0"

    static let configuration = CommandConfiguration(
        commandName: "tianshan",
        abstract: "A static site and report generator: Markdown, YAML and data tables in, static HTML out.",
        discussion: """
        Content/ holds Markdown pages with YAML front matter, data tables under Content/data/ \
        (YAML, JSON or CSV) and site.yaml; Templates/ holds Mustache layouts, partials and assets. \
        A build writes static HTML into Output/ only when every file rendered without error. \
        Start a site with `tianshan new site DIR`; in a folder holding Content/ and Templates/ every command \
        works with no options.
        """,
        version: Tianshan.version,
        subcommands: [Build.self, Check.self, Serve.self, New.self],
        defaultSubcommand: Build.self
    )
}

/// Options shared by the commands that read a site.
struct SiteFolders: ParsableArguments {
    @Option(help: "Folder with site.yaml, Markdown pages and data/.")
    var content = "Content"

    @Option(help: "Folder with layouts/, partials/ and assets/.")
    var templates = "Templates"

    @Option(help: "Folder the site is written to (replaced as a whole on success).")
    var output = "Output"

    @Option(name: .customLong("base-url"), help: "Overrides base_url from site.yaml, e.g. / or https://example.gov.cn/.")
    var baseURL: String?

    @Flag(help: "Include pages marked 'draft: true'.")
    var drafts = false

    @Flag(help: "Replace an existing output folder that Tianshan did not write.")
    var force = false

    func buildOptions(dryRun: Bool = false) -> BuildOptions {
        let cwd = URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
        func url(_ path: String) -> URL { URL(fileURLWithPath: path, relativeTo: cwd).standardizedFileURL }
        var options = BuildOptions(content: url(content), templates: url(templates), output: url(output), baseURL: baseURL, drafts: drafts, dryRun: dryRun)
        options.force = force
        return options
    }
}

struct Build: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Build the site into the output folder.",
        discussion: "Prints one summary line. On any error it lists every problem (file:line:column) and leaves the output folder as it was."
    )

    @OptionGroup var folders: SiteFolders

    @Flag(name: .shortAndLong, help: "Print nothing but errors.")
    var quiet = false

    @Flag(name: .shortAndLong, help: "Also print the time of each phase and every warning.")
    var verbose = false

    @Flag(name: .shortAndLong, help: "Keep running and rebuild into the output folder after every change (Ctrl-C to stop).")
    var watch = false

    func run() async throws {
        if watch {
            // Each line goes out at once: a watcher's output is read while it runs, often through a pipe.
            try await WatchLoop.run(folders.buildOptions(), quiet: quiet, verbose: verbose) { FileHandle.standardOutput.write(Data(($0 + "\n").utf8)) }
            return
        }
        do {
            let report = try await BuildPipeline.build(folders.buildOptions(), processEndsAfter: true)
            if verbose || !report.warnings.isEmpty && !quiet {
                for warning in report.warnings { printError(warning.description) }
            }
            if verbose {
                print(ReportText.work(report))
                for line in ReportText.phases(report) { print(line) }
            }
            if !quiet { print(ReportText.built(report, output: folders.output)) }
        } catch {
            for line in ReportText.failed(error.diagnostics, outcome: "\(folders.output)/ was not changed") { printError(line) }
            throw ExitCode(1)
        }
    }
}

struct Check: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Validate the whole site without writing anything.",
        discussion: """
        Runs every check of a build — YAML and data types, required fields, layouts and partials, duplicate \
        output paths, internal links and #anchors, images, table and chart specs — and lists all problems \
        (file:line:column, field, hint). Exits 1 when there is any error. The output folder is not touched.
        """
    )

    @OptionGroup var folders: SiteFolders

    @Flag(help: "Also fetch every external http(s) link (HEAD, then GET) and report failures.")
    var external = false

    @Option(help: "Seconds allowed for each external request.")
    var timeout: Double = 10

    @Option(help: "External requests under way at once.")
    var concurrency = 8

    func run() async throws {
        let report: BuildReport
        do {
            report = try await BuildPipeline.build(folders.buildOptions(dryRun: true))
        } catch {
            for diagnostic in error.diagnostics { printError(diagnostic.description) }
            let count = error.diagnostics.errors.count
            printError("tianshan check: \(count) error\(count == 1 ? "" : "s")")
            throw ExitCode(1)
        }
        for warning in report.warnings { printError(warning.description) }
        if external {
            let links = report.externalLinks.map { ExternalLink(url: $0.url, location: $0.location) }
            let problems = await ExternalLinkChecker(timeout: timeout, concurrency: concurrency).check(links)
            for problem in problems { printError(problem.description) }
            guard problems.isEmpty else {
                printError("tianshan check: \(problems.count) of \(links.count) external links failed")
                throw ExitCode(1)
            }
            print("tianshan check: \(links.count) external links fetched, all answered")
        }
        print("tianshan check: \(report.pagesWritten) pages and \(report.dataFiles) data files checked, no errors")
    }
}

func printError(_ line: String) {
    FileHandle.standardError.write(Data((line + "\n").utf8))
}
