import ArgumentParser
import Foundation
import TianshanLoad
import TianshanModel
import TianshanScaffold

/// `tianshan new …`: files written from the site's own, for the author to fill in.
struct New: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Start new content from the site's own.",
        subcommands: [NewReport.self]
    )
}

struct NewReport: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Write the next edition of a report series from the latest one.",
        discussion: """
        An edition is a page with 'year:' in its front matter. The new one is written beside the latest \
        edition before YEAR (reports/2021.md → reports/2022.md) with its front matter, captions and edition \
        years moved on and the same tables; every data set its edition tables read gets an empty column for \
        YEAR's actual values. Nothing is overwritten. Lists what to fill in and which lines of text to review.
        """
    )

    @Argument(help: "The year the new edition reports on.")
    var year: Int

    @Option(help: "Folder with site.yaml, Markdown pages and data/.")
    var content = "Content"

    func run() throws {
        let root = URL(fileURLWithPath: content, relativeTo: URL(fileURLWithPath: FileManager.default.currentDirectoryPath)).standardizedFileURL
        let display = content.hasSuffix("/") ? content : content + "/"
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: root.path, isDirectory: &isFolder), isFolder.boolValue else {
            printError("tianshan new report: no content folder at \(content)")
            throw ExitCode(1)
        }
        var files: [TextFile] = []
        for path in SourceReader.listFiles(under: root) where path.hasSuffix(".md") || ReportEdition.dataName(path) != nil {
            let url = root.appendingPathComponent(path)
            if TextFile.isBinary(path) {
                files.append(TextFile(path: path, text: "", bytes: [UInt8]((try? Data(contentsOf: url)) ?? Data())))
            } else if case .success(let text) = SourceReader.readText(url, display: display + path) {
                files.append(TextFile(path: path, text: text))
            }
        }
        let plan: ReportEdition.Plan
        switch ReportEdition.plan(year: year, files: files, today: Date(), display: display) {
        case .success(let made): plan = made
        case .failure(let problem):
            printError(problem.description)
            throw ExitCode(1)
        }
        for (path, text) in plan.files {
            // Written whole or not at all: a new name for the edition, a rename over the data file it grows.
            let url = root.appendingPathComponent(path)
            let temporary = url.deletingLastPathComponent().appendingPathComponent(".\(url.lastPathComponent).tianshan-new")
            try Data(text.utf8).write(to: temporary)
            if path == plan.files[0].path {
                guard link(temporary.path, url.path) == 0 else {
                    try? FileManager.default.removeItem(at: temporary)
                    printError("\(display + path): error: cannot write the new edition (\(String(cString: strerror(errno))))")
                    throw ExitCode(1)
                }
                try FileManager.default.removeItem(at: temporary)
            } else {
                guard rename(temporary.path, url.path) == 0 else {
                    try? FileManager.default.removeItem(at: temporary)
                    printError("\(display + path): error: cannot write (\(String(cString: strerror(errno))))")
                    throw ExitCode(1)
                }
            }
        }
        print("tianshan new report: wrote \(display + plan.files[0].path) from \(display + plan.source)"
              + (plan.files.count > 1 ? "; added a column for \(year) to " + plan.files.dropFirst().map { display + $0.path }.joined(separator: ", ") : ""))
        if !plan.todo.isEmpty {
            print("To fill in and review:")
            for item in plan.todo { print("  - " + item) }
        }
    }
}
