import ArgumentParser
import Foundation
import TianshanLoad
import TianshanModel
import TianshanScaffold

/// `tianshan new …`: files written from the site's own, for the author to fill in.
struct New: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Start a new site, page or report edition.",
        subcommands: [NewSite.self, NewPage.self, NewCase.self, NewNews.self, NewReport.self]
    )
}

/// Where the default theme is, for a new site: `--theme`, `$TIANSHAN_THEME`, `share/tianshan/Templates` beside
/// an installed binary's folder, or the checkout the binary was built from.
enum DefaultTheme {
    static func locate(_ option: String?) -> URL? {
        let cwd = URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
        if let option { return URL(fileURLWithPath: option, relativeTo: cwd).standardizedFileURL }
        if let variable = ProcessInfo.processInfo.environment["TIANSHAN_THEME"], !variable.isEmpty {
            return URL(fileURLWithPath: variable, relativeTo: cwd).standardizedFileURL
        }
        let executable = URL(fileURLWithPath: CommandLine.arguments[0], relativeTo: cwd).resolvingSymlinksInPath()
        let installed = executable.deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("share/tianshan/Templates")
        // Sources/CLI/New.swift → the checkout's Templates/.
        let checkout = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Templates")
        return [installed, checkout].first { FileManager.default.fileExists(atPath: $0.appendingPathComponent("layouts/base.mustache").path) }
    }
}

/// Today as the author's clock has it (a date written at 07:00 in Urumqi is that day, not yesterday in UTC).
/// Given as that day's midnight in UTC, the zone every date of a site is read in.
func localToday() -> Date {
    let parts = Calendar.current.dateComponents([.year, .month, .day], from: Date())
    var utc = Calendar(identifier: .gregorian)
    utc.timeZone = TimeZone(identifier: "UTC")!
    return utc.date(from: DateComponents(year: parts.year, month: parts.month, day: parts.day)) ?? Date()
}

struct NewSite: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "site",
        abstract: "Write a small working site into a new folder.",
        discussion: """
        DIR gets Content/ (site.yaml, a home page, a news section with two pages, a data file with a table and \
        a chart, a report edition for this year, search and 404 pages) from the theme's starter for the language, \
        and Templates/, a copy of the default theme to make your own. In DIR, `tianshan build`, `tianshan check` \
        and `tianshan serve` then work with no options. DIR must not exist or be empty; nothing is overwritten.
        """
    )

    @Argument(help: "The folder to create.")
    var directory: String

    @Option(help: "The language of the site and of its starter pages (the theme has starter/<language>/).")
    var language = "zh-CN"

    @Option(help: "The theme to copy (default: the theme shipped with Tianshan).")
    var theme: String?

    func run() throws {
        let files = FileManager.default
        guard let theme = DefaultTheme.locate(theme), files.fileExists(atPath: theme.appendingPathComponent("layouts/base.mustache").path) else {
            printError("tianshan new site: error: cannot find the default theme; pass --theme PATH (a folder with layouts/base.mustache) or set TIANSHAN_THEME")
            throw ExitCode(1)
        }
        let starterRoot = theme.appendingPathComponent(Starter.folder)
        let languages = ((try? files.contentsOfDirectory(atPath: starterRoot.path)) ?? []).filter { !$0.hasPrefix(".") }.sorted()
        guard languages.contains(language) else {
            printError("tianshan new site: error: the theme at \(theme.path) has no starter site for language '\(language)'"
                       + (languages.isEmpty ? "" : "; it has \(languages.joined(separator: ", "))"))
            throw ExitCode(1)
        }
        let target = URL(fileURLWithPath: directory, relativeTo: URL(fileURLWithPath: files.currentDirectoryPath)).standardizedFileURL
        var isFolder: ObjCBool = false
        if files.fileExists(atPath: target.path, isDirectory: &isFolder) {
            guard isFolder.boolValue, ((try? files.contentsOfDirectory(atPath: target.path)) ?? ["?"]).isEmpty else {
                printError("tianshan new site: error: \(directory) exists and is not an empty folder; nothing was written")
                throw ExitCode(1)
            }
        }
        // Made beside the target and moved into place whole: an interrupted run leaves no half site.
        let staging = target.deletingLastPathComponent().appendingPathComponent(".\(target.lastPathComponent).tianshan-new-\(getpid())")
        try? files.removeItem(at: staging)
        do {
            try files.createDirectory(at: staging, withIntermediateDirectories: true)
            let today = localToday()
            for path in SourceReader.listFiles(under: theme) where !path.hasPrefix(Starter.folder) && !path.split(separator: "/").contains(where: { $0.hasPrefix(".") }) {
                let destination = staging.appendingPathComponent("Templates/" + path)
                try files.createDirectory(at: destination.deletingLastPathComponent(), withIntermediateDirectories: true)
                try files.copyItem(at: theme.appendingPathComponent(path), to: destination)
            }
            let starter = starterRoot.appendingPathComponent(language)
            for path in SourceReader.listFiles(under: starter) {
                let text = try String(contentsOf: starter.appendingPathComponent(path), encoding: .utf8)
                let destination = staging.appendingPathComponent("Content/" + Starter.fill(path, today: today))
                try files.createDirectory(at: destination.deletingLastPathComponent(), withIntermediateDirectories: true)
                try Data(Starter.fill(text, today: today).utf8).write(to: destination)
            }
            if files.fileExists(atPath: target.path) { try files.removeItem(at: target) }
            try files.createDirectory(at: target.deletingLastPathComponent(), withIntermediateDirectories: true)
            guard rename(staging.path, target.path) == 0 else {
                throw CocoaError(.fileWriteUnknown, userInfo: [NSLocalizedDescriptionKey: String(cString: strerror(errno))])
            }
        } catch {
            try? files.removeItem(at: staging)
            printError("tianshan new site: error: cannot write \(directory): \(error.localizedDescription)")
            throw ExitCode(1)
        }
        print("tianshan new site: wrote \(directory) (Content/ from the \(language) starter, Templates/ from \(theme.path))")
        print("Next: cd \(directory) && tianshan serve")
    }
}

/// `tianshan new page|case|news NAME`: one page from the theme's archetype for its kind.
protocol NewContent: ParsableCommand {
    static var kind: String { get }
    var folders: NewContentFolders { get }
}

/// The page `tianshan new page|case|news` writes, and the folders it reads the archetype from and writes into.
struct NewContentFolders: ParsableArguments {
    @Argument(help: "The page's name, or its path under the content folder.")
    var name: String

    @Option(help: "Folder with site.yaml, Markdown pages and data/.")
    var content = "Content"

    @Option(help: "Folder with the theme, whose archetypes/<kind>.md gives the new page's front matter.")
    var templates = "Templates"
}

extension NewContent {
    static func discussion(_ example: String) -> String {
        """
        Writes a Markdown page with its front matter filled in: the title from NAME, today's date, and the other \
        fields of the theme's archetypes/\(kind).md. NAME may hold a folder (\(example)); without one the page goes \
        where the archetype's `section:` says. The file name is NAME's slug (Chinese kept). Nothing is overwritten.
        """
    }

    func run() throws {
        let cwd = URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
        let content = URL(fileURLWithPath: folders.content, relativeTo: cwd).standardizedFileURL
        let display = folders.content.hasSuffix("/") ? folders.content : folders.content + "/"
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: content.path, isDirectory: &isFolder), isFolder.boolValue else {
            printError("tianshan new \(Self.kind): error: no content folder at \(folders.content)")
            throw ExitCode(1)
        }
        let archetypeURL = URL(fileURLWithPath: folders.templates, relativeTo: cwd).standardizedFileURL
            .appendingPathComponent(Starter.archetypes + Self.kind + ".md")
        let archetype = try? String(contentsOf: archetypeURL, encoding: .utf8)
        if archetype == nil && Self.kind != "page" {
            printError("tianshan new \(Self.kind): error: the theme has no \(folders.templates)/\(Starter.archetypes)\(Self.kind).md")
            throw ExitCode(1)
        }
        let page = Starter.page(archetype: archetype, name: folders.name, today: localToday())
        let url = content.appendingPathComponent(page.path)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        // Written whole under another name, then linked to its own: link fails rather than replace a page.
        let temporary = url.deletingLastPathComponent().appendingPathComponent(".\(url.lastPathComponent).tianshan-new")
        try Data(page.text.utf8).write(to: temporary)
        defer { try? FileManager.default.removeItem(at: temporary) }
        guard link(temporary.path, url.path) == 0 else {
            printError("\(display + page.path): error: " + (errno == EEXIST ? "the page exists already; nothing was written" : String(cString: strerror(errno))))
            throw ExitCode(1)
        }
        print("tianshan new \(Self.kind): wrote \(display + page.path)")
    }
}

struct NewPage: NewContent {
    static let kind = "page"
    static let configuration = CommandConfiguration(commandName: "page", abstract: "Write a new page.", discussion: discussion("about/team"))
    @OptionGroup var folders: NewContentFolders
}

struct NewCase: NewContent {
    static let kind = "case"
    static let configuration = CommandConfiguration(commandName: "case", abstract: "Write a new case study.", discussion: discussion("cases/north-lab"))
    @OptionGroup var folders: NewContentFolders
}

struct NewNews: NewContent {
    static let kind = "news"
    static let configuration = CommandConfiguration(commandName: "news", abstract: "Write a new news item.", discussion: discussion("news/2026/opening"))
    @OptionGroup var folders: NewContentFolders
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
