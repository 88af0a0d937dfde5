import Foundation

/// One copy of the differential site's sources on disk. It turns each edit into file-system operations and
/// returns the absolute paths a file watcher (the preview's inotify watcher) would report for them: every file
/// written, created or deleted, every folder created or removed, and for a folder renamed as a whole only its
/// old and new names.
struct SourceFolder {
    /// With symbolic links resolved, as the watcher reports paths and as `BuildSession` compares them.
    let root: URL
    var content: URL { root.appendingPathComponent("Content") }
    var templates: URL { root.appendingPathComponent("Templates") }

    init(root: URL, model: SiteModel) throws {
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        self.root = root.resolvingSymlinksInPath()
        for key in model.files.keys.sorted() { _ = try write(key, model.files[key]!) }
    }

    /// Applies `edit` to sources that hold `old`; returns the changed paths, sorted like a watcher batch.
    func apply(_ edit: SiteEdit, from old: SiteModel) throws -> [String] {
        var changed = Set<String>()
        var before = old.files
        for move in edit.folderMoves {
            // Outside the site: beside Content/ and Templates/, where no watcher looks.
            let outside = root.appendingPathComponent("Outside/\(UUID().uuidString)")
            let from = move.from.map(url) ?? outside
            let to = move.to.map(url) ?? outside
            if let target = move.to, move.from == nil {
                // Moved in: made elsewhere first, with the bytes the edit gives the folder's files.
                for (key, bytes) in edit.model.files where key.hasPrefix(target + "/") {
                    let file = outside.appendingPathComponent(String(key.dropFirst(target.count + 1)))
                    try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
                    try bytes.write(to: file)
                    before[key] = bytes
                }
            }
            try FileManager.default.createDirectory(at: to.deletingLastPathComponent(), withIntermediateDirectories: true)
            try FileManager.default.moveItem(at: from, to: to)
            if move.from != nil { changed.insert(from.path) }
            if move.to != nil { changed.insert(to.path) }
            guard let source = move.from else { continue }
            var moved: [String: Data] = [:]
            for (key, bytes) in before {
                if key.hasPrefix(source + "/") {
                    if let target = move.to { moved[target + key.dropFirst(source.count)] = bytes }
                } else {
                    moved[key] = bytes
                }
            }
            before = moved
        }
        for key in edit.model.files.keys.sorted() where before[key] != edit.model.files[key] {
            changed.formUnion(try write(key, edit.model.files[key]!))
        }
        for key in edit.resaved where edit.model.files[key] != nil {
            try edit.model.files[key]!.write(to: url(key))
            changed.insert(url(key).path)
        }
        for key in before.keys.sorted() where edit.model.files[key] == nil {
            try FileManager.default.removeItem(at: url(key))
            changed.insert(url(key).path)
            // Folders left empty go too, as `git rm` or a file manager leaves no empty folder behind.
            var folder = url(key).deletingLastPathComponent()
            while folder.path != content.path, folder.path != templates.path,
                  (try? FileManager.default.contentsOfDirectory(atPath: folder.path))?.isEmpty == true {
                try FileManager.default.removeItem(at: folder)
                changed.insert(folder.path)
                folder.deleteLastPathComponent()
            }
        }
        // The watcher skips hidden names and editors' backups, as the build does.
        return changed.filter { !SiteModel.isIgnored(String($0.dropFirst(root.path.count + 1))) }.sorted()
    }

    func url(_ key: String) -> URL { root.appendingPathComponent(key) }

    /// Writes one file (creating its folders) and returns the paths a watcher reports: the file and each new folder.
    ///
    /// Builds recognise unchanged files by size and modification time. A rewrite of the same size within one tick
    /// of the file-system clock would keep both, and no stamp-based tool (make, git, this build) could see it; the
    /// build's two-second rule covers Markdown read just after a save, but not two saves within one tick. An
    /// editor cannot save twice that fast, so such a write is made again until the time moves on, instead of
    /// sleeping before every write.
    private func write(_ key: String, _ bytes: Data) throws -> [String] {
        let target = url(key)
        var created: [String] = []
        var folder = target.deletingLastPathComponent()
        while !FileManager.default.fileExists(atPath: folder.path) {
            created.insert(folder.path, at: 0)
            folder.deleteLastPathComponent()
        }
        if !created.isEmpty { try FileManager.default.createDirectory(at: target.deletingLastPathComponent(), withIntermediateDirectories: true) }
        let stampBefore = Self.stamp(target.path)
        try bytes.write(to: target)
        var attempts = 0
        while let stampBefore, Self.stamp(target.path) == stampBefore, attempts < 1000 {
            usleep(1000)
            try bytes.write(to: target)
            attempts += 1
        }
        return created + [target.path]
    }

    static func stamp(_ path: String) -> [Int]? {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        return [Int(info.st_size), info.st_mtim.tv_sec, info.st_mtim.tv_nsec]
    }
}
