import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// Puts a rendered site into the output folder, called only after the whole site rendered without error.
///
/// At every instant the output folder is one complete site, the previous one or the new one. The first build
/// writes a staging folder and renames it into place. Later builds keep a spare tree in the state folder beside
/// the output (the output of the build before last), bring it up to date with the changes of the last two builds
/// (hard links to unchanged files, new bytes for changed ones) and swap it with the output folder in one
/// `renameat2(RENAME_EXCHANGE)`. A record of what both trees hold, with the caller's state, is committed with the
/// swap: it names the folder it describes by device and inode, so what `loadState` returns always describes the
/// folder in place, whenever a build was killed. See `OutputTransaction.commit` for the steps.
public struct OutputWriter: Sendable {
    public var outputRoot: URL

    public init(outputRoot: URL) {
        self.outputRoot = outputRoot.standardizedFileURL
    }

    /// Where the record of the last write, the spare tree and the caller's files live: a hidden folder beside the
    /// output (so on the same file system), never inside it.
    public var stateFolder: URL {
        outputRoot.deletingLastPathComponent().appendingPathComponent(".\(outputRoot.lastPathComponent).tianshan")
    }

    var outputPath: String { outputRoot.path }
    var statePath: String { stateFolder.path }
    var recordPath: String { statePath + "/record" }
    var nextRecordPath: String { statePath + "/record.next" }
    var sparePath: String { statePath + "/spare" }
    /// Where the old output waits during a swap on a file system that cannot exchange two folders.
    var asidePath: String { statePath + "/aside" }
    /// The previous version's record: one "signature<TAB>path" line per file it wrote.
    var legacyManifestPath: String { statePath + "/manifest" }

    /// The output folder as messages name it ("Output/").
    var folderName: String { OutputSafety.display(outputPath) + "/" }
    var stateName: String { OutputSafety.display(statePath) + "/" }

    /// Refuses an output folder a build must not replace: one that is, contains or lies inside the content or
    /// templates folder (real paths compared), something that is not a folder, or a non-empty folder with no
    /// Tianshan state beside it unless `force`.
    public func checkOutputFolder(content: URL, templates: URL, force: Bool) throws(WriteError) {
        try OutputSafety.check(output: outputRoot, stateFolder: stateFolder, content: content, templates: templates, force: force)
    }

    /// The state committed with the output folder now in place (see `OutputTransaction.commit(state:)`), or nil
    /// when there is none or it cannot be known to describe this folder.
    public func loadState() -> [UInt8]? {
        guard let found = resolve().found, let frame = found.frame else { return nil }
        return RecordFile.readState(found.path, frame: frame)
    }

    /// The record of the output folder in place and the state committed with it, read once.
    public func loadRecord() -> (manifest: Manifest, state: [UInt8]?)? {
        guard let found = resolve().found else { return nil }
        return (found.manifest, found.frame.flatMap { RecordFile.readState(found.path, frame: $0) })
    }

    /// What the output folder holds by the record, when a record describes the folder in place.
    public func loadManifest() -> Manifest? {
        resolve().found?.manifest
    }

    /// Whether a record describes the folder in place and every file it names is still there as written.
    public func outputIntact() -> Bool {
        guard let manifest = resolve().found?.manifest else { return false }
        // Relative to the folder, so the kernel walks only the path inside it, on all cores.
        let root = open(outputPath, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard root >= 0 else { return false }
        defer { close(root) }
        let files = Array(manifest.files)
        let matched = Parallel.map(files) { path, file in file.matches(FileSystem.stamp(in: root, path)) }
        return !matched.contains(false)
    }

    /// Records what the output holds, for a caller that kept the manifest in memory (see `begin(known:)`).
    public func save(_ manifest: Manifest, state: StateBytes? = nil) throws(WriteError) {
        guard FileSystem.folderID(outputPath) == manifest.outputFolder else { return }
        var manifest = manifest
        // A record.next left by a failed commit means the spare may have been changed since.
        let dirty = FileSystem.stamp(nextRecordPath) != nil
        if dirty || manifest.spareFolder == nil || FileSystem.folderID(sparePath) != manifest.spareFolder {
            manifest.spare = nil
            manifest.spareFolder = nil
        }
        do {
            try RecordFile.save(manifest, state: state, to: recordPath)
            if dirty { try FileSystem.remove(nextRecordPath) }
        } catch {
            throw .system(.init(code: error.code, folder: folderName, path: nil, step: .savingRecord(stateName + "record")))
        }
    }

    @discardableResult
    public func write(files: [OutputFile], copies: [OutputCopy], state: StateBytes? = nil) async throws(WriteError) -> WriteReport {
        let transaction = try begin()
        do {
            try await transaction.put(files)
            try await transaction.copy(copies)
            return try await transaction.commit(state: state)
        } catch {
            await transaction.abort()
            throw error
        }
    }

    /// Starts a write. Nothing put into it is visible until `commit`, so a build that fails half-way leaves the
    /// output as it was.
    /// - Parameters:
    ///   - known: the manifest of the last commit, when the caller kept it, instead of reading it from disk.
    ///   - trustOutput: with `known`, skip checking that each kept file is still in place (a folder nobody else
    ///     touches, such as the preview's private one); the record on disk is then not kept up to date either.
    ///   - check: a look at the output folder taken since `known` was committed (`check(_:)`), used instead of
    ///     walking the folder when it is still the one in place.
    public func begin(known: Manifest? = nil, trustOutput: Bool = false, check: OutputCheck? = nil) throws(WriteError) -> OutputTransaction {
        recoverInterruptedSwap()
        let output = FileSystem.folderID(outputPath)
        var previous: Manifest?
        var situation: Resolution?
        var fromMemory = false
        if let known, let output, known.outputFolder == output {
            previous = known
            fromMemory = true
            if known.spareFolder == nil || FileSystem.folderID(sparePath) != known.spareFolder {
                previous?.spare = nil
                previous?.spareFolder = nil
            }
        } else {
            situation = resolve()
            previous = situation?.found?.manifest
        }
        let mode: OutputTransaction.Mode
        if output == nil {
            mode = .first
        } else if let previous {
            mode = .incremental(previous)
        } else {
            // No record describes the folder in place. If there was one (or the previous version's), files the
            // site does not produce may be someone else's, and are carried into the new output; with no record at
            // all the folder was checked to be empty, forced, or a private one, and is replaced.
            let legacy = legacyPaths()
            let recorded = legacy != nil || situation?.anyRecord == true
            mode = .unknown(carry: recorded, owned: legacy ?? [])
        }
        let trusted = trustOutput && fromMemory
        let usable = fromMemory && check?.outputFolder == output ? check : nil
        return OutputTransaction(writer: self, mode: mode, trusted: trusted, keptInMemory: known != nil, check: usable)
    }

    /// Looks at the output folder against the manifest of the last commit, for the next `begin`.
    public func check(_ manifest: Manifest) -> OutputCheck? {
        OutputCheck.take(of: manifest, outputPath: outputPath)
    }

    // MARK: Which record describes the folder in place

    /// A record found to describe the output folder in place.
    struct Found {
        var manifest: Manifest
        var path: String
        var frame: RecordFile.Frame?
    }

    struct Resolution {
        var found: Found?
        /// Some record (current, next or stale) exists, whether or not it matches.
        var anyRecord: Bool
    }

    /// Reads, without changing anything, which record describes the folder in place: `record.next` if the swap it
    /// was written for happened (the output folder is the one it names), else `record` if it names the folder,
    /// else none. A `record.next` whose swap did not happen means a commit stopped while changing the spare, so
    /// the spare is then unknown.
    func resolve() -> Resolution {
        let next = RecordFile.readManifest(nextRecordPath)
        let current = RecordFile.readManifest(recordPath)
        let anyRecord = next != nil || current != nil || FileSystem.stamp(nextRecordPath) != nil || FileSystem.stamp(recordPath) != nil
        guard let output = FileSystem.folderID(outputPath) else { return Resolution(found: nil, anyRecord: anyRecord) }
        let spare = FileSystem.folderID(sparePath)
        if let (manifest, frame) = next, manifest.outputFolder == output,
           manifest.spareFolder == nil || manifest.spareFolder == spare {
            var manifest = manifest
            if manifest.spareFolder == nil { manifest.spare = nil }
            return Resolution(found: Found(manifest: manifest, path: nextRecordPath, frame: frame), anyRecord: true)
        }
        if let (manifest, frame) = current, manifest.outputFolder == output {
            var manifest = manifest
            if FileSystem.stamp(nextRecordPath) != nil || manifest.spareFolder == nil || manifest.spareFolder != spare {
                manifest.spare = nil
                manifest.spareFolder = nil
            }
            return Resolution(found: Found(manifest: manifest, path: recordPath, frame: frame), anyRecord: true)
        }
        return Resolution(found: nil, anyRecord: anyRecord)
    }

    /// The paths the previous version's record says it wrote, if that record is there.
    func legacyPaths() -> Set<String>? {
        guard let data = FileManager.default.contents(atPath: legacyManifestPath) else { return nil }
        var paths = Set<String>()
        for line in String(decoding: data, as: UTF8.self).split(separator: "\n") {
            guard let tab = line.firstIndex(of: "\t") else { continue }
            let path = String(line[line.index(after: tab)...])
            if Self.isSafe(path) { paths.insert(path) }
        }
        return paths
    }

    /// Finishes or undoes a swap on a file system that cannot exchange folders, which renames the old output
    /// aside first: a build killed in between left no output folder, or the old one not yet in the spare's place.
    func recoverInterruptedSwap() {
        guard FileSystem.stamp(asidePath) != nil else { return }
        let output = FileSystem.folderID(outputPath)
        let spare = FileSystem.folderID(sparePath)
        if output == nil {
            if let spare, RecordFile.readManifest(nextRecordPath)?.0.outputFolder == spare {
                // The new site was complete and its record written: finish the swap.
                if rename(sparePath, outputPath) == 0 { _ = rename(asidePath, sparePath) }
            } else {
                _ = rename(asidePath, outputPath)
            }
        } else if spare == nil {
            _ = rename(asidePath, sparePath)
        } else {
            FileSystem.removeTree(asidePath)
        }
    }

    /// Removes what killed builds left in the state folder: scratch and staging folders and temporary records
    /// named with the pid of a process that is gone (also the previous version's `pending-` folders).
    func sweepLeftovers() {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: statePath) else { return }
        for name in names {
            let pid: Int32?
            if let prefix = ["scratch-", "staging-", "pending-"].first(where: name.hasPrefix) {
                pid = Int32(name.dropFirst(prefix.count).prefix { $0 != "-" })
            } else if let range = name.range(of: ".tmp-"), name.hasPrefix("record") {
                pid = Int32(name[range.upperBound...])
            } else {
                pid = nil
            }
            if let pid, FileSystem.isGone(pid, path: statePath + "/" + name) { FileSystem.removeTree(statePath + "/" + name) }
        }
    }

    /// Relative, no "..", no empty components: the path stays inside the output folder.
    public static func isSafe(_ path: String) -> Bool {
        guard !path.isEmpty, !path.hasPrefix("/"), !path.containsByte(UInt8(ascii: "\\")), !path.containsByte(0) else { return false }
        return !path.split(separator: "/", omittingEmptySubsequences: false).contains { $0 == ".." || $0 == "." || $0.isEmpty }
    }

    /// Copies are recognised by size and modification time, so unchanged images are not read at all.
    public static func copySignature(_ source: URL) -> String {
        var info = stat()
        guard stat(source.path, &info) == 0 else { return "missing" }
        return "c\(info.st_size)-\(info.st_mtim.tv_sec).\(info.st_mtim.tv_nsec)"
    }
}
