import Foundation
import TianshanModel

/// Everything a build reads, gathered in one pass over the content and template folders.
public struct SourceTree: Sendable {
    public var config: TextFile?
    public var markdown: [TextFile]
    public var data: [TextFile]
    /// Files beside the content (images of a case), copied as they are; paths relative to the content folder.
    public var contentAssets: [String]
    public var templates: [TextFile]
    /// The theme's strings files (`i18n/<language>.yaml`), paths relative to the templates folder.
    public var strings: [TextFile] = []
    /// The theme's field declarations (`fields.yaml` at the templates root), if it has them.
    public var fields: TextFile?
    /// Files under `Templates/assets/`, paths relative to that folder.
    public var templateAssets: [String]
    /// Problems met while reading (unreadable files, bad encodings).
    public var diagnostics: [Diagnostic]
    /// Size and modification time of each Markdown file, so the next build can skip reading unchanged ones.
    public var stamps: [String: FileStamp] = [:]
    /// Markdown files read from disk this time; the others were taken from `reuse` or the previous tree.
    public var read: Set<String> = []

    public init(
        config: TextFile? = nil, markdown: [TextFile] = [], data: [TextFile] = [], contentAssets: [String] = [],
        templates: [TextFile] = [], templateAssets: [String] = [], diagnostics: [Diagnostic] = []
    ) {
        self.config = config
        self.markdown = markdown
        self.data = data
        self.contentAssets = contentAssets
        self.templates = templates
        self.templateAssets = templateAssets
        self.diagnostics = diagnostics
    }
}

/// Reads the content and template folders from disk (the file-system edge of the Load stage).
public struct SourceReader: Sendable {
    public var contentRoot: URL
    public var templatesRoot: URL
    public static let configName = "site.yaml"
    public static let dataFolder = "data"

    /// How the two roots are named in diagnostics ("Content/", "Templates/").
    public var contentDisplay: String
    public var templatesDisplay: String

    public init(contentRoot: URL, templatesRoot: URL, contentDisplay: String = "", templatesDisplay: String = "Templates/") {
        self.contentRoot = contentRoot.standardizedFileURL
        self.templatesRoot = templatesRoot.standardizedFileURL
        self.contentDisplay = contentDisplay
        self.templatesDisplay = templatesDisplay
    }

    /// Every file under both folders with its stamp, as `listFiles` finds them.
    public struct Listing: Sendable {
        public var content: [(path: String, stamp: FileStamp)]
        public var templates: [(path: String, stamp: FileStamp)]
    }

    public func list() -> Listing {
        Listing(content: Self.listing(under: contentRoot), templates: Self.listing(under: templatesRoot))
    }

    /// Reads everything; Markdown files whose stamp matches `reuse` are taken from it instead of the disk.
    /// - Parameter listing: the folders' files as `list()` found them a moment ago, so they are not walked twice.
    public func read(reuse: [String: (stamp: FileStamp, text: String)] = [:], listing: Listing? = nil) async -> SourceTree {
        let listing = listing ?? list()
        var tree = SourceTree()
        var markdownPaths: [String] = []
        var markdownStamps: [FileStamp] = []
        var dataPaths: [String] = []
        if !isDirectory(contentRoot) {
            tree.diagnostics.append(.error(at: SourceLocation(file: contentDisplay), "content folder not found"))
        }
        for (path, stamp) in listing.content {
            switch Self.classify(contentPath: path) {
            case .config: continue
            case .data: dataPaths.append(path)
            case .markdown: markdownPaths.append(path); markdownStamps.append(stamp)
            case .asset: tree.contentAssets.append(path)
            }
        }
        readConfig(into: &tree)
        var reused = [TextFile?](repeating: nil, count: markdownPaths.count)
        var toRead: [String] = []
        tree.stamps.reserveCapacity(markdownPaths.count)
        for (index, path) in markdownPaths.enumerated() {
            let stamp = markdownStamps[index]
            tree.stamps[path] = stamp
            if let previous = reuse[path], previous.stamp == stamp {
                reused[index] = TextFile(path: path, text: previous.text)
            } else {
                toRead.append(path)
                tree.read.insert(path)
            }
        }
        let (fresh, mdProblems) = await Self.readAll(toRead, root: contentRoot, displayPrefix: contentDisplay)
        var freshByPath = Dictionary(fresh.map { ($0.path, $0) }, uniquingKeysWith: { a, _ in a })
        let markdown = markdownPaths.indices.compactMap { index in reused[index] ?? freshByPath.removeValue(forKey: markdownPaths[index]) }
        let (data, dataProblems) = await Self.readAll(dataPaths, root: contentRoot, displayPrefix: contentDisplay)
        tree.markdown = markdown
        tree.data = data
        tree.diagnostics += mdProblems + dataProblems

        if !isDirectory(templatesRoot) {
            tree.diagnostics.append(.error(at: SourceLocation(file: templatesDisplay), "templates folder not found"))
        }
        var templatePaths: [String] = []
        var stringsPaths: [String] = []
        for (path, _) in listing.templates {
            if path.hasPrefix(StringsLoader.folder), path.hasSuffix(".yaml"), !path.dropFirst(StringsLoader.folder.count).contains("/") {
                stringsPaths.append(path)
            } else if path.hasPrefix("assets/") {
                tree.templateAssets.append(String(path.dropFirst("assets/".count)))
            } else if path.hasSuffix(".mustache") {
                templatePaths.append(path)
            }
        }
        let (templates, templateProblems) = await Self.readAll(templatePaths, root: templatesRoot, displayPrefix: templatesDisplay)
        tree.templates = templates
        tree.diagnostics += templateProblems
        let (strings, stringsProblems) = await Self.readAll(stringsPaths, root: templatesRoot, displayPrefix: templatesDisplay)
        tree.strings = strings
        tree.diagnostics += stringsProblems
        if listing.templates.contains(where: { $0.path == FieldsLoader.fileName }) {
            let (fields, fieldsProblems) = await Self.readAll([FieldsLoader.fileName], root: templatesRoot, displayPrefix: templatesDisplay)
            tree.fields = fields.first
            tree.diagnostics += fieldsProblems
        }
        return tree
    }

    /// What a file under the content folder is to the build.
    enum ContentKind { case config, data, markdown, asset }

    static func classify(contentPath path: String) -> ContentKind {
        if path == configName || path == "site.yml" { return .config }
        // The whole path lowercased only where it can matter: most paths do not start with the data folder's name.
        if path.prefix(dataFolder.count + 1).lowercased() == dataFolder + "/", case let lower = path.lowercased(),
           let ext = lower.split(separator: ".").last,
           DataFileDecoder.supportedExtensions.contains(String(ext)) { return .data }
        if SitePaths.isMarkdown(path) { return .markdown }
        return .asset
    }

    /// `site.yaml`, or else `site.yml`.
    func readConfig(into tree: inout SourceTree) {
        tree.config = nil
        for name in [Self.configName, "site.yml"] {
            let url = contentRoot.appendingPathComponent(name)
            if FileManager.default.fileExists(atPath: url.path) {
                switch Self.readText(url, display: contentDisplay + name) {
                case .success(let text): tree.config = TextFile(path: name, text: text)
                case .failure(let problem): tree.diagnostics.append(problem)
                }
                break
            }
        }
    }

    private func isDirectory(_ url: URL) -> Bool {
        var isDir: ObjCBool = false
        return FileManager.default.fileExists(atPath: url.path, isDirectory: &isDir) && isDir.boolValue
    }

    /// Regular files below `root`, relative and sorted, skipping hidden names and backups, never following symbolic links
    /// (content must live inside its folder). Uses readdir and lstat directly: FileManager's attribute calls look
    /// up owner names for every file, which cost several system calls each.
    public static func listFiles(under root: URL) -> [String] {
        listing(under: root).map(\.path)
    }

    /// `listFiles` with each file's size and modification time, from the `fstatat` call that finds its kind.
    public static func listing(under root: URL) -> [(path: String, stamp: FileStamp)] {
        var paths: [(path: String, stamp: FileStamp)] = []
        // Each name is looked up in its open folder, so the kernel walks one component per file, not the path.
        func walk(_ folder: Int32, _ relative: String) {
            guard let dir = fdopendir(folder) else { close(folder); return }
            defer { closedir(dir) }
            let fd = dirfd(dir)
            while let entry = readdir(dir) {
                let name = withUnsafePointer(to: entry.pointee.d_name) {
                    $0.withMemoryRebound(to: CChar.self, capacity: Int(NAME_MAX) + 1) { String(cString: $0) }
                }
                // Hidden names, editors' backups ("case.md~") and the lock files Excel and WPS keep beside an open
                // workbook ("~$projects.xlsx") are not content; the preview's watcher skips them too.
                if name.hasPrefix(".") || name.hasSuffix("~") || name.hasPrefix("~$") { continue }
                let childRelative = relative.isEmpty ? name : relative + "/" + name
                var info = stat()
                guard fstatat(fd, name, &info, AT_SYMLINK_NOFOLLOW) == 0 else { continue }
                switch info.st_mode & S_IFMT {
                case S_IFDIR:
                    let child = openat(fd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
                    if child >= 0 { walk(child, childRelative) }
                case S_IFREG: paths.append((childRelative, FileStamp(info)))
                default: continue
                }
            }
        }
        let top = open(root.standardizedFileURL.path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        if top >= 0 { walk(top, "") }
        return paths.sorted { $0.path < $1.path }
    }

    public static func readText(_ url: URL, display: String) -> Result<String, Diagnostic> {
        guard let bytes = readBytes(url.path) else {
            return .failure(.error(at: SourceLocation(file: display), "cannot read file"))
        }
        return TextDecoding.decode(bytes, display: display)
    }

    /// The whole file, read straight into one buffer (FileManager's Data and then a String would copy twice).
    static func readBytes(_ path: String) -> [UInt8]? {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0, info.st_mode & S_IFMT == S_IFREG else { return nil }
        var bytes = [UInt8](repeating: 0, count: max(Int(info.st_size), 0) + 4096)
        var filled = 0
        while true {
            // The file may have grown since fstat.
            if filled == bytes.count { bytes.append(contentsOf: repeatElement(0, count: bytes.count)) }
            let n = bytes.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress! + filled, $0.count - filled) }
            if n < 0 {
                if errno == EINTR { continue }
                return nil
            }
            if n == 0 { break }
            filled += n
        }
        bytes.removeSubrange(filled...)
        return bytes
    }

    /// Reads files in parallel, returning them in the order given.
    static func readAll(_ paths: [String], root: URL, displayPrefix: String = "") async -> ([TextFile], [Diagnostic]) {
        let results = await parallelMap(paths) { path -> Result<TextFile, Diagnostic> in
            if TextFile.isBinary(path) {
                guard let bytes = readBytes(root.path + "/" + path) else {
                    return .failure(.error(at: SourceLocation(file: displayPrefix + path), "cannot read file"))
                }
                return .success(TextFile(path: path, text: "", bytes: bytes))
            }
            return readText(URL(fileURLWithPath: root.path + "/" + path), display: displayPrefix + path).map { TextFile(path: path, text: $0) }
        }
        var files: [TextFile] = []
        var problems: [Diagnostic] = []
        for result in results {
            switch result {
            case .success(let file): files.append(file)
            case .failure(let problem): problems.append(problem)
            }
        }
        return (files, problems)
    }
}

/// Size and modification time of a file: enough to tell that it did not change since the last build.
public struct FileStamp: Hashable, Sendable, Codable {
    public var size: Int64
    public var modified: Int64

    public init(size: Int64, modified: Int64) {
        self.size = size
        self.modified = modified
    }

    public init?(of path: String) {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        self.init(info)
    }

    init(_ info: stat) {
        size = Int64(info.st_size)
        modified = Int64(info.st_mtim.tv_sec) * 1_000_000_000 + Int64(info.st_mtim.tv_nsec)
    }
}

#if canImport(Glibc)
import Glibc
#endif

extension SourceTree {
    /// Reads from disk the Markdown files this tree took over from an earlier read (whose text it does not hold),
    /// for a build that must load every page again.
    public mutating func readMarkdownAgain(contentRoot: URL, contentDisplay: String) async {
        let unread = markdown.map(\.path).filter { !read.contains($0) }
        guard !unread.isEmpty else { return }
        let (files, problems) = await SourceReader.readAll(unread, root: contentRoot, displayPrefix: contentDisplay)
        var byPath = Dictionary(files.map { ($0.path, $0) }, uniquingKeysWith: { a, _ in a })
        markdown = markdown.compactMap { read.contains($0.path) ? $0 : byPath.removeValue(forKey: $0.path) }
        read.formUnion(unread)
        diagnostics += problems
    }
}
