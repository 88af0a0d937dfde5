import CTianshanSystem
import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// The system calls the writer is made of, each failing with its errno and the path it was about, so the writer
/// can name the real output path in its message instead of a scratch name.
enum FileSystem {
    /// A failed call: errno, and which side's path it concerned when a call takes two.
    struct Failure: Error, Equatable, Sendable {
        var code: Int32
        /// The failure is about the source of a copy or link, not its target.
        var onSource = false
        init(_ code: Int32 = errno, onSource: Bool = false) {
            self.code = code
            self.onSource = onSource
        }
    }

    /// What `lstat` says about a path.
    struct Stamp: Equatable, Sendable {
        var size: Int64
        /// Modification time, nanoseconds since 1970.
        var modified: Int64
        var device: UInt64
        var inode: UInt64
        var isFolder: Bool
        var isLink: Bool

        init(_ info: stat) {
            size = Int64(info.st_size)
            modified = Int64(info.st_mtim.tv_sec) * 1_000_000_000 + Int64(info.st_mtim.tv_nsec)
            device = UInt64(info.st_dev)
            inode = UInt64(info.st_ino)
            isFolder = info.st_mode & S_IFMT == S_IFDIR
            isLink = info.st_mode & S_IFMT == S_IFLNK
        }
    }

    static func stamp(_ path: String) -> Stamp? {
        var info = stat()
        return lstat(path, &info) == 0 ? Stamp(info) : nil
    }

    /// The stamp of a path inside the folder open as `folder`.
    static func stamp(in folder: Int32, _ path: String) -> Stamp? {
        var info = stat()
        return fstatat(folder, path, &info, AT_SYMLINK_NOFOLLOW) == 0 ? Stamp(info) : nil
    }

    /// The permission bits of a path.
    static func mode(_ path: String) -> mode_t? {
        var info = stat()
        return lstat(path, &info) == 0 ? info.st_mode & 0o7777 : nil
    }

    static func folderID(_ path: String) -> Manifest.FolderID? {
        guard let stamp = stamp(path), stamp.isFolder else { return nil }
        return Manifest.FolderID(device: stamp.device, inode: stamp.inode)
    }

    /// Creates a folder; one that is already there is fine.
    static func makeFolder(_ path: String) throws(Failure) {
        if mkdir(path, 0o755) == 0 { return }
        let code = errno
        if code == EEXIST, stamp(path)?.isFolder == true { return }
        throw Failure(code)
    }

    /// Creates a folder and any missing parents (`mkdir -p`).
    static func makeFolders(_ path: String) throws(Failure) {
        do { try makeFolder(path) } catch where error.code == ENOENT {
            let parent = (path as NSString).deletingLastPathComponent
            guard !parent.isEmpty, parent != path else { throw error }
            try makeFolders(parent)
            try makeFolder(path)
        }
    }

    static func write(_ data: Data, to path: String) throws(Failure) -> Stamp {
        try data.withUnsafeBytes { raw in Result { () throws(Failure) in try write(raw, to: path) } }.get()
    }

    static func write(_ bytes: [UInt8], to path: String) throws(Failure) -> Stamp {
        try bytes.withUnsafeBytes { raw in Result { () throws(Failure) in try write(raw, to: path) } }.get()
    }

    /// Writes the parts one after the other to a new file at `path` and returns its stamp.
    static func write(_ parts: [ArraySlice<UInt8>], to path: String) throws(Failure) -> Stamp {
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw Failure() }
        for part in parts {
            try part.withUnsafeBytes { raw in Result { () throws(Failure) in if let base = raw.baseAddress { try writeAll(fd, base, raw.count) } } }.get()
        }
        return try finish(fd)
    }

    /// Writes `bytes` to a new file at `path` and returns its stamp.
    static func write(_ bytes: UnsafeRawBufferPointer, to path: String) throws(Failure) -> Stamp {
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw Failure() }
        if let base = bytes.baseAddress { try writeAll(fd, base, bytes.count) }
        return try finish(fd)
    }

    /// Writes `count` bytes to `fd`, retrying short writes; closes `fd` when it fails.
    private static func writeAll(_ fd: Int32, _ start: UnsafeRawPointer, _ count: Int) throws(Failure) {
        var offset = 0
        while offset < count {
            let n = Glibc.write(fd, start + offset, count - offset)
            if n < 0 {
                if errno == EINTR { continue }
                let code = errno
                close(fd)
                throw Failure(code)
            }
            offset += n
        }
    }

    /// Copies the file at `source` to a new file at `path` and returns the copy's stamp.
    static func copy(_ source: String, to path: String) throws(Failure) -> Stamp {
        let input = open(source, O_RDONLY | O_CLOEXEC)
        guard input >= 0 else { throw Failure(onSource: true) }
        defer { close(input) }
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw Failure() }
        let size = 1 << 17
        let buffer = UnsafeMutableRawPointer.allocate(byteCount: size, alignment: 16)
        defer { buffer.deallocate() }
        while true {
            let got = read(input, buffer, size)
            if got < 0 {
                if errno == EINTR { continue }
                let code = errno
                close(fd)
                throw Failure(code, onSource: true)
            }
            if got == 0 { break }
            try writeAll(fd, buffer, got)
        }
        return try finish(fd)
    }

    /// The stamp of a file just written, then closes it; a late error (a full disk reported on close) counts.
    private static func finish(_ fd: Int32) throws(Failure) -> Stamp {
        var info = stat()
        let statted = fstat(fd, &info) == 0
        let statCode = errno
        if close(fd) != 0, errno != EINTR { throw Failure() }
        guard statted else { throw Failure(statCode) }
        return Stamp(info)
    }

    static func link(_ source: String, _ target: String) throws(Failure) {
        if Glibc.link(source, target) != 0 {
            let code = errno
            throw Failure(code, onSource: code == ENOENT)
        }
    }

    static func rename(_ source: String, _ target: String) throws(Failure) {
        if Glibc.rename(source, target) != 0 { throw Failure() }
    }

    /// Swaps two directory entries in one step; EINVAL or ENOSYS where the file system cannot.
    static func exchange(_ a: String, _ b: String) throws(Failure) {
        if tianshan_exchange(a, b) != 0 { throw Failure() }
    }

    /// Deletes a file; one already gone is fine.
    static func remove(_ path: String) throws(Failure) {
        if unlink(path) != 0, errno != ENOENT { throw Failure() }
    }

    /// Deletes a whole tree, as far as it can (`rm -rf`), for folders only the writer ever fills.
    static func removeTree(_ path: String) {
        guard let top = stamp(path) else { return }
        guard top.isFolder else { unlink(path); return }
        var folders: [String] = [path]
        walk(path) { relative, kind, _ in
            if kind == .folder { folders.append(path + "/" + relative) } else { unlink(path + "/" + relative) }
            return true
        }
        for folder in folders.reversed() { rmdir(folder) }
    }

    enum Kind: Sendable {
        case file, folder, other
    }

    /// What a folder holds: the stamp of every file (and link), and every folder below it with its inode, the
    /// folder it is in (an index into `folders`, -1 for the top) and the files directly in it.
    struct Scan: Sendable {
        struct Folder: Sendable {
            var path: String
            var inode: UInt64
            var parent: Int
            var files: [String] = []
        }
        var files: [String: Stamp] = [:]
        var folders: [Folder] = []
    }

    /// Reads every folder below `root` with one `stat` per file, a level at a time with the folders of a level
    /// spread over all cores: a site keeps most pages in folders of their own.
    /// - Parameter known: what a record says the folders hold: a folder unchanged since is not listed, its
    ///   entries are only looked at (`KnownFolders`).
    static func scan(_ root: String, known: KnownFolders? = nil) -> Scan {
        var scan = Scan()
        if let known { scan.files.reserveCapacity(known.entries.count * 2) }
        var level: [Int] = [-1]
        let rootFolder = known == nil ? -1 : open(root, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        defer { if rootFolder >= 0 { close(rootFolder) } }
        while !level.isEmpty {
            let paths = level.map { $0 < 0 ? "" : scan.folders[$0].path }
            let listed = Parallel.map(paths, serialBelow: 64) { relative in
                guard let known, rootFolder >= 0, !relative.isEmpty, let entries = known.entries[relative] else { return list(root, relative) }
                return look(rootFolder, relative, entries: entries, unchangedBefore: known.unchangedBefore) ?? list(root, relative)
            }
            var next: [Int] = []
            for (parent, (files, folders)) in zip(level, listed) {
                for (path, stamp) in files { scan.files[path] = stamp }
                if parent >= 0 { scan.folders[parent].files = files.map(\.0) }
                for (path, inode) in folders {
                    next.append(scan.folders.count)
                    scan.folders.append(Scan.Folder(path: path, inode: inode, parent: parent))
                }
            }
            level = next
        }
        return scan
    }

    /// The files (with their stamps) and folders of one folder, `relative` to `root`.
    static func list(_ root: String, _ relative: String) -> (files: [(String, Stamp)], folders: [(String, UInt64)]) {
        guard let dir = opendir(relative.isEmpty ? root : root + "/" + relative) else { return ([], []) }
        defer { closedir(dir) }
        let fd = dirfd(dir)
        var files: [(String, Stamp)] = []
        var folders: [(String, UInt64)] = []
        var info = stat()
        while let entry = readdir(dir) {
            let name = self.name(of: entry)
            if name == "." || name == ".." { continue }
            let path = relative.isEmpty ? name : relative + "/" + name
            if Int32(entry.pointee.d_type) == Int32(DT_DIR) {
                folders.append((path, UInt64(entry.pointee.d_ino)))
                continue
            }
            guard fstatat(fd, name, &info, AT_SYMLINK_NOFOLLOW) == 0 else { continue }
            let stamp = Stamp(info)
            if stamp.isFolder { folders.append((path, stamp.inode)) } else { files.append((path, stamp)) }
        }
        return (files, folders)
    }

    /// The files and folders of one folder as `list` gives them, found by a `stat` of each of `entries` (paths
    /// relative to `root`) instead of a listing; nil when the folder changed (its status-change time, which a
    /// new, removed or renamed entry moves and nothing can set back, is not before `unchangedBefore`).
    /// - Parameter root: an open descriptor of the folder the paths are relative to.
    static func look(_ root: Int32, _ relative: String, entries: [String], unchangedBefore: Int64) -> (files: [(String, Stamp)], folders: [(String, UInt64)])? {
        var info = stat()
        guard fstatat(root, relative, &info, AT_SYMLINK_NOFOLLOW) == 0, info.st_mode & S_IFMT == S_IFDIR else { return nil }
        let changed = Int64(info.st_ctim.tv_sec) * 1_000_000_000 + Int64(info.st_ctim.tv_nsec)
        guard changed < unchangedBefore else { return nil }
        var files: [(String, Stamp)] = []
        var folders: [(String, UInt64)] = []
        for path in entries {
            guard let stamp = stamp(in: root, path) else { continue }
            if stamp.isFolder { folders.append((path, stamp.inode)) } else { files.append((path, stamp)) }
        }
        return (files, folders)
    }

    /// Visits every entry below `root` (folders before what they hold) with its relative path, kind and inode
    /// number; `visit` returns false to skip what a folder holds. Symbolic links are entries, not followed.
    static func walk(_ root: String, _ visit: (String, Kind, UInt64) -> Bool) {
        func descend(_ relative: String) {
            guard let dir = opendir(relative.isEmpty ? root : root + "/" + relative) else { return }
            defer { closedir(dir) }
            while let entry = readdir(dir) {
                let name = self.name(of: entry)
                if name == "." || name == ".." { continue }
                let path = relative.isEmpty ? name : relative + "/" + name
                var kind: Kind
                switch Int32(entry.pointee.d_type) {
                case Int32(DT_DIR): kind = .folder
                case Int32(DT_REG), Int32(DT_LNK): kind = .file
                case Int32(DT_UNKNOWN):
                    let stamp = stamp(root + "/" + path)
                    kind = stamp?.isFolder == true ? .folder : .file
                default: kind = .other
                }
                if visit(path, kind, UInt64(entry.pointee.d_ino)), kind == .folder { descend(path) }
            }
        }
        descend("")
    }

    static func name(of entry: UnsafeMutablePointer<dirent>) -> String {
        withUnsafePointer(to: &entry.pointee.d_name) { pointer in
            pointer.withMemoryRebound(to: CChar.self, capacity: MemoryLayout.size(ofValue: entry.pointee.d_name)) { String(cString: $0) }
        }
    }

    /// Whether the process that made a scratch folder named with its pid is gone, or is this one and no longer
    /// uses it.
    static func isGone(_ pid: Int32, path: String) -> Bool {
        if pid == getpid() { return !ScratchRegistry.shared.contains(path) }
        return kill(pid, 0) != 0 && errno == ESRCH
    }

    /// The scratch folders this process's transactions are using, so that sweeping leftovers spares them.
    // @unchecked: `paths` is only touched under `lock`.
    final class ScratchRegistry: @unchecked Sendable {
        static let shared = ScratchRegistry()
        private let lock = NSLock()
        private var paths = Set<String>()
        func insert(_ path: String) { lock.withLock { _ = paths.insert(path) } }
        func remove(_ path: String) { lock.withLock { _ = paths.remove(path) } }
        func contains(_ path: String) -> Bool { lock.withLock { paths.contains(path) } }
    }
}
