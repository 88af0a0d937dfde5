import Foundation
import TianshanModel
import TianshanWrite

/// What to build and how: folders, base URL override, drafts.
public struct BuildOptions: Sendable {
    public var content: URL
    public var templates: URL
    public var output: URL
    /// Overrides `base_url` from site.yaml when set.
    public var baseURL: String?
    public var drafts: Bool
    /// Validate and render everything but write nothing (`tianshan check`).
    public var dryRun: Bool
    /// Replace an existing output folder that Tianshan did not write (`--force`).
    public var force: Bool = false

    public init(content: URL, templates: URL, output: URL, baseURL: String? = nil, drafts: Bool = false, dryRun: Bool = false) {
        self.dryRun = dryRun
        self.content = content
        self.templates = templates
        self.output = output
        self.baseURL = baseURL
        self.drafts = drafts
    }

    /// Refuses an output folder a build must not replace (see `OutputWriter.checkOutputFolder`).
    func checkOutputFolder() throws(DiagnosticsError) {
        do { try OutputWriter(outputRoot: output).checkOutputFolder(content: content, templates: templates, force: force) } catch {
            throw DiagnosticsError([.error(at: SourceLocation(file: String(display(output).dropLast())), field: "output", "\(error)")])
        }
    }

    /// How a file under the content folder is named in messages: relative to the working directory when possible.
    func display(_ root: URL) -> String {
        let cwd = FileManager.default.currentDirectoryPath
        let path = root.standardizedFileURL.path
        if path.hasPrefix(cwd + "/") { return String(path.dropFirst(cwd.count + 1)) + "/" }
        return path + "/"
    }
}

/// What a successful build did, for the one-line summary and `--verbose`.
public struct BuildReport: Sendable {
    /// How much work an incremental build actually did.
    public struct Counts: Sendable, Equatable {
        public var filesRead = 0
        public var markdownRendered = 0
        /// Outputs asked whether every input they read is unchanged: none when the last build's index of which
        /// outputs read what tells which are stale.
        public var outputsChecked = 0
        public var pagesRendered = 0
        /// Files of the search index written (the others kept from the last build).
        public var searchFilesWritten = 0
        public var filesWritten = 0
        public var filesRemoved = 0
        /// PDFs printed by WeasyPrint (the others were kept).
        public var pdfsPrinted = 0
    }

    /// Pages the site has (rendered now or kept from the last build).
    public var pagesWritten: Int
    public var dataFiles: Int
    public var filesCopied: Int
    public var counts: Counts
    /// Nothing had changed since the last successful build, so nothing was done.
    public var upToDate: Bool
    /// Links to other sites (http and https), each with its first location, for `check --external`.
    public var externalLinks: [(url: String, location: SourceLocation)] = []
    public var warnings: [Diagnostic]
    /// Milliseconds per phase, in order.
    public var phases: [(name: String, milliseconds: Double)]
    public var totalMilliseconds: Double
}

import TianshanModel
