import Foundation
import TianshanModel

#if canImport(Glibc)
import Glibc
#endif

extension SourceReader {
    /// The tree as it is after the named files changed, without walking the folders again: what a watcher that
    /// reports changed paths makes possible. Paths are relative to their root. Returns false, with `tree` in no
    /// useful state, when the change needs a full `read()` (a folder appeared, vanished or was named as a whole).
    public func update(_ tree: inout SourceTree, content: [String], templates: [String]) async -> Bool {
        tree.read = []
        var readMarkdown: [String] = []
        var readData: [String] = []
        var readTemplates: [String] = []
        var configChanged = false

        for path in Set(content) {
            guard let state = Self.fileState(contentRoot.path + "/" + path, relative: path) else { return false }
            // A folder moved away reports only its own name: everything that was below it must go too.
            if state == .gone, Self.holdsFolder(path, tree.markdown.map(\.path), tree.data.map(\.path), tree.contentAssets) { return false }
            tree.diagnostics.removeAll { $0.location.file == contentDisplay + path }
            let kind = Self.classify(contentPath: path)
            switch kind {
            case .config:
                configChanged = true
            case .data:
                Self.remove(path, from: &tree.data)
                if state == .file { readData.append(path) }
            case .markdown:
                Self.remove(path, from: &tree.markdown)
                tree.stamps[path] = nil
                if state == .file { readMarkdown.append(path) }
            case .asset:
                Self.remove(path, from: &tree.contentAssets)
                if state == .file { Self.insert(path, into: &tree.contentAssets) }
            }
        }
        for path in Set(templates) {
            guard let state = Self.fileState(templatesRoot.path + "/" + path, relative: path) else { return false }
            if state == .gone, Self.holdsFolder(path, tree.templates.map(\.path), tree.templateAssets.map { "assets/" + $0 }) { return false }
            tree.diagnostics.removeAll { $0.location.file == templatesDisplay + path }
            if path.hasPrefix(StringsLoader.folder) || path == FieldsLoader.fileName {
                // A strings file is read whole with its siblings: the simplest way to see one come or go. The
                // field declarations change how every page loads.
                return false
            } else if path.hasPrefix("assets/") {
                let asset = String(path.dropFirst("assets/".count))
                Self.remove(asset, from: &tree.templateAssets)
                if state == .file { Self.insert(asset, into: &tree.templateAssets) }
            } else if path.hasSuffix(".mustache") {
                Self.remove(path, from: &tree.templates)
                if state == .file { readTemplates.append(path) }
            }
        }
        if configChanged {
            for name in [Self.configName, "site.yml"] { tree.diagnostics.removeAll { $0.location.file == contentDisplay + name } }
            readConfig(into: &tree)
        }

        let (markdown, markdownProblems) = await Self.readAll(readMarkdown, root: contentRoot, displayPrefix: contentDisplay)
        for file in markdown {
            tree.stamps[file.path] = FileStamp(of: contentRoot.path + "/" + file.path)
            Self.insert(file, into: &tree.markdown)
        }
        let (data, dataProblems) = await Self.readAll(readData, root: contentRoot, displayPrefix: contentDisplay)
        for file in data { Self.insert(file, into: &tree.data) }
        let (templateFiles, templateProblems) = await Self.readAll(readTemplates, root: templatesRoot, displayPrefix: templatesDisplay)
        for file in templateFiles { Self.insert(file, into: &tree.templates) }
        tree.diagnostics += markdownProblems + dataProblems + templateProblems

        tree.read = Set(markdown.map(\.path))
        return true
    }

    enum FileState { case file, gone }

    /// A regular file, or nothing there (anything else is not content); nil for a folder, which needs a full read.
    static func fileState(_ absolute: String, relative: String) -> FileState? {
        if relative.isEmpty || relative.split(separator: "/").contains(where: { $0.hasPrefix(".") || $0.hasPrefix("~$") }) || relative.hasSuffix("~") {
            return .gone
        }
        var info = stat()
        guard lstat(absolute, &info) == 0 else { return .gone }
        switch info.st_mode & S_IFMT {
        case S_IFDIR: return nil
        case S_IFREG: return .file
        default: return .gone
        }
    }

    /// Whether any of the sorted path lists has a file below `folder`.
    static func holdsFolder(_ folder: String, _ lists: [String]...) -> Bool {
        let prefix = folder + "/"
        return lists.contains { paths in
            let at = paths.partitioningIndex { $0 >= prefix }
            return at < paths.count && paths[at].hasPrefix(prefix)
        }
    }

    static func insert(_ file: TextFile, into files: inout [TextFile]) {
        let at = files.partitioningIndex { $0.path >= file.path }
        files.insert(file, at: at)
    }

    static func insert(_ path: String, into paths: inout [String]) {
        let at = paths.partitioningIndex { $0 >= path }
        paths.insert(path, at: at)
    }

    static func remove(_ path: String, from files: inout [TextFile]) {
        let at = files.partitioningIndex { $0.path >= path }
        if at < files.count, files[at].path == path { files.remove(at: at) }
    }

    static func remove(_ path: String, from paths: inout [String]) {
        let at = paths.partitioningIndex { $0 >= path }
        if at < paths.count, paths[at] == path { paths.remove(at: at) }
    }
}

extension Array {
    /// The first index whose element satisfies `belongs` (which must be false then true along the array).
    func partitioningIndex(where belongs: (Element) -> Bool) -> Int {
        var low = 0
        var high = count
        while low < high {
            let mid = (low + high) / 2
            if belongs(self[mid]) { high = mid } else { low = mid + 1 }
        }
        return low
    }
}

extension SourceTree {
    /// The Markdown file at `path`, found in the sorted list.
    public func markdownFile(_ path: String) -> TextFile? {
        let at = markdown.partitioningIndex { $0.path >= path }
        return at < markdown.count && markdown[at].path == path ? markdown[at] : nil
    }
}
