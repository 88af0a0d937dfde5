#if canImport(Glibc)
import Glibc
#endif

/// What a record says each folder of the output holds (site files, carried files and folders, subfolders), and
/// the time the record's knowledge of the folders dates from. A folder whose status-change time is before
/// that has had no entry added, removed or renamed since, so a scan can `stat` the entries it should hold
/// instead of listing it (a file changed in place still shows in its own `stat`).
struct KnownFolders: Sendable {
    /// By folder (relative path, not the root, which is always listed): the relative paths of its entries.
    var entries: [String: [String]]
    /// Real time in nanoseconds, in the file system's own coarse clock.
    var unchangedBefore: Int64

    /// From the record's own time; nil when it does not say when its knowledge dates from.
    init?(_ manifest: Manifest) {
        guard let examinedAt = manifest.examinedAt else { return nil }
        self.init(manifest, unchangedBefore: examinedAt)
    }

    init(_ manifest: Manifest, unchangedBefore: Int64) {
        self.unchangedBefore = unchangedBefore
        var entries: [String: [String]] = [:]
        entries.reserveCapacity(manifest.files.count)
        func add(_ path: String) {
            guard let slash = path.utf8.lastIndex(of: UInt8(ascii: "/")) else { return }
            let folder = String(path[..<slash])
            let count = entries.count
            entries[folder, default: []].append(path)
            // A folder met for the first time is an entry of its own parent.
            if entries.count != count { add(folder) }
        }
        for path in manifest.files.keys { add(path) }
        for path in manifest.foreign.keys { add(path) }
        self.entries = entries
    }

    /// Now, in the clock the file system stamps changes with: any change from now on gets a later or equal time.
    static func now() -> Int64 {
        var time = timespec()
        clock_gettime(CLOCK_REALTIME_COARSE, &time)
        return Int64(time.tv_sec) * 1_000_000_000 + Int64(time.tv_nsec)
    }
}
