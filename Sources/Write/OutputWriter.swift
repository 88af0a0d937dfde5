import Foundation
import TianshanModel

#if canImport(Glibc)
import Glibc
#endif

/// A finished output file: its path under the output folder and its bytes.
public struct OutputFile: Sendable, Equatable {
    public var path: String
    public var bytes: Data
    public init(path: String, bytes: Data) {
        self.path = path
        self.bytes = bytes
    }
}

/// A file copied unchanged into the output (a template asset, an image beside a case).
public struct OutputCopy: Sendable, Equatable {
    public var source: URL
    public var path: String
    public init(source: URL, path: String) {
        self.source = source
        self.path = path
    }
}

/// Why writing the output failed.
public enum WriteError: Error, CustomStringConvertible {
    case unsafePath(String)
    case io(path: String, underlying: String)

    public var description: String {
        switch self {
        case .unsafePath(let path): return "refusing to write outside the output folder: \(path)"
        case .io(let path, let underlying): return "cannot write \(path): \(underlying)"
        }
    }
}

/// One build's writes into the output folder, committed all at once (see `OutputWriter.begin`).
public actor OutputTransaction {
    let writer: OutputWriter
    let previous: Manifest?
    /// The output holds what `previous` says (a private preview folder): no need to check each file is there.
    let trustOutput: Bool
    /// The caller passed the last manifest from memory (and will again): it need not be read back from disk.
    let keptInMemory: Bool
    let scratch: URL
    /// What the output holds after `commit`.
    public private(set) var committed: Manifest?
    /// Signatures of every path the committed output will hold.
    var signatures: [String: String] = [:]
    /// Paths whose new bytes wait in `scratch` (incremental mode) under a numbered name.
    var pending: [(path: String, scratchName: String)] = []
    var counter = 0
    var unchanged = 0
    /// After `keepAll(except:)`, the only paths the commit may have to delete.
    var removalCandidates: Set<String>?

    init(writer: OutputWriter, previous: Manifest?, trustOutput: Bool, keptInMemory: Bool = false, scratch: URL) {
        self.writer = writer
        self.previous = previous
        self.trustOutput = trustOutput
        self.keptInMemory = keptInMemory
        self.scratch = scratch
    }

    /// Keeps files the build did not render again because none of their inputs changed; returns those still
    /// in place (a file deleted behind the build's back must be rendered again).
    public func keep(_ paths: [String]) -> Set<String> {
        let base = writer.outputRoot.path + "/"
        var kept = Set<String>()
        for path in paths {
            guard let signature = previous?.signatures[path], trustOutput || OutputWriter.exists(base + path) else { continue }
            signatures[path] = signature
            unchanged += 1
            kept.insert(path)
        }
        return kept
    }

    /// Keeps every file of the last write except `paths` (and reports whether they are all still in place):
    /// for a build that knows exactly which few outputs it renders again.
    public func keepAll(except paths: Set<String>) -> Bool {
        guard let previous else { return false }
        let base = writer.outputRoot.path + "/"
        var kept = previous.signatures
        for path in paths { kept[path] = nil }
        if !trustOutput, !OutputWriter.allExist(Array(kept.keys), under: base) { return false }
        unchanged += kept.count
        if signatures.isEmpty { signatures = kept } else { signatures.merge(kept) { current, _ in current } }
        removalCandidates = paths
        return true
    }

    /// Adds rendered files (hashing them; files whose content the output already holds are not written).
    public func put(_ files: [OutputFile]) async throws {
        var entries: [OutputWriter.Entry] = []
        for file in files {
            guard OutputWriter.isSafe(file.path) else { throw WriteError.unsafePath(file.path) }
            entries.append(OutputWriter.Entry(path: file.path, signature: "h" + String(ContentHash.hash(file.bytes), radix: 16), source: .bytes(file.bytes)))
        }
        try await stage(entries)
    }

    public func copy(_ copies: [OutputCopy]) async throws {
        var entries: [OutputWriter.Entry] = []
        for copy in copies {
            guard OutputWriter.isSafe(copy.path) else { throw WriteError.unsafePath(copy.path) }
            entries.append(OutputWriter.Entry(path: copy.path, signature: OutputWriter.copySignature(copy.source), source: .file(copy.source)))
        }
        try await stage(entries)
    }

    func stage(_ entries: [OutputWriter.Entry]) async throws {
        var toWrite: [OutputWriter.Entry] = []
        for entry in entries {
            if let duplicate = signatures[entry.path], duplicate != entry.signature || pending.contains(where: { $0.path == entry.path }) {
                throw WriteError.io(path: entry.path, underlying: "two outputs have the same path")
            }
            signatures[entry.path] = entry.signature
            if let previous, previous.signatures[entry.path] == entry.signature,
               trustOutput || OutputWriter.exists(writer.outputRoot.path + "/" + entry.path) {
                unchanged += 1
                continue
            }
            if previous == nil {
                toWrite.append(entry)
            } else {
                counter += 1
                let name = String(counter)
                pending.append((entry.path, name))
                var staged = entry
                staged.path = name
                toWrite.append(staged)
            }
        }
        if previous == nil { try OutputWriter.makeFolders(for: toWrite.map(\.path), under: scratch) }
        try await OutputWriter.writeAll(toWrite, under: scratch)
    }

    /// Makes everything visible: swaps the staging folder in, or renames each changed file into place and
    /// deletes files the build no longer produces. Then records what the output holds.
    public func commit() async throws -> WriteReport {
        let root = writer.outputRoot
        let report: WriteReport
        if let previous {
            try OutputWriter.makeFolders(for: pending.map(\.path), under: root)
            for item in pending {
                if rename(scratch.appendingPathComponent(item.scratchName).path, root.appendingPathComponent(item.path).path) != 0 {
                    throw WriteError.io(path: item.path, underlying: String(cString: strerror(errno)))
                }
            }
            try? FileManager.default.removeItem(at: scratch)
            var removed = 0
            var folders = Set<String>()
            let candidates = removalCandidates.map(Array.init) ?? Array(previous.signatures.keys)
            for path in candidates where previous.signatures[path] != nil && signatures[path] == nil {
                if unlink(root.appendingPathComponent(path).path) == 0 { removed += 1 }
                var folder = (path as NSString).deletingLastPathComponent
                while !folder.isEmpty { folders.insert(folder); folder = (folder as NSString).deletingLastPathComponent }
            }
            // Deepest first, so a folder emptied by its children goes too; rmdir refuses folders that are not empty.
            for folder in folders.sorted(by: { $0.count > $1.count }) { rmdir(root.appendingPathComponent(folder).path) }
            report = WriteReport(written: pending.count, unchanged: unchanged, removed: removed, fullSwap: false)
        } else {
            try writer.swapIn(scratch)
            report = WriteReport(written: signatures.count, unchanged: 0, removed: 0, fullSwap: true)
        }
        let manifest = Manifest(signatures: signatures)
        if keptInMemory {
            // The caller keeps the manifest in memory: saving 10,000 lines after every edit would cost more than
            // the edit. A stale record on disk would mislead a later build, so it goes (`save(_:)` puts it back).
            if previous != nil { unlink(writer.manifestURL.path) }
        } else if manifest != previous {
            try manifest.save(writer.manifestURL)
        }
        committed = manifest
        return report
    }

    /// Throws away everything staged; the output folder is untouched.
    public func abort() {
        try? FileManager.default.removeItem(at: scratch)
    }
}

/// What a write did.
public struct WriteReport: Sendable, Equatable {
    public var written: Int
    public var unchanged: Int
    public var removed: Int
    /// True when the whole folder was written fresh and swapped in.
    public var fullSwap: Bool
}

/// Puts a rendered site into the output folder, called only after the whole site rendered without error.
///
/// The first build (or one whose record of the folder is missing) writes a staging folder beside the output and
/// swaps it in, so a reader never sees a half-written site. Later builds compare each file's hash with the record
/// of what they wrote last time and replace only changed files, each through a temporary file and a rename, and
/// delete files that are no longer produced.
public struct OutputWriter: Sendable {
    public var outputRoot: URL

    public init(outputRoot: URL) {
        self.outputRoot = outputRoot.standardizedFileURL
    }

    /// Records what the output holds, for a caller that kept the manifest in memory (see `begin(known:)`).
    public func save(_ manifest: Manifest) throws {
        try manifest.save(manifestURL)
    }

    /// Where the record of the last write lives: a hidden folder beside the output, never inside it.
    public var stateFolder: URL {
        outputRoot.deletingLastPathComponent().appendingPathComponent(".\(outputRoot.lastPathComponent).tianshan")
    }

    var manifestURL: URL { stateFolder.appendingPathComponent("manifest") }

    @discardableResult
    public func write(files: [OutputFile], copies: [OutputCopy]) async throws -> WriteReport {
        let transaction = try begin()
        do {
            try await transaction.put(files)
            try await transaction.copy(copies)
            return try await transaction.commit()
        } catch {
            await transaction.abort()
            throw error
        }
    }

    /// Starts a write. Files put into it land in a staging folder (first build) or in temporary files (later
    /// builds); only `commit` makes them visible, so a build that fails half-way leaves the output as it was.
    /// - Parameters:
    ///   - known: the manifest of the last commit, when the caller kept it, instead of reading it from disk.
    ///   - trustOutput: skip checking that each unchanged file is still in place (a folder nobody else touches).
    public func begin(known: Manifest? = nil, trustOutput: Bool = false) throws -> OutputTransaction {
        let fm = FileManager.default
        let exists = fm.fileExists(atPath: outputRoot.path)
        let previous = exists ? (known ?? Manifest.load(manifestURL)) : nil
        let token = "\(ProcessInfo.processInfo.processIdentifier)-\(UInt32.random(in: 0...UInt32.max))"
        let parent = outputRoot.deletingLastPathComponent()
        let scratch: URL
        if previous == nil {
            scratch = parent.appendingPathComponent(".\(outputRoot.lastPathComponent).staging-\(token)")
        } else {
            scratch = stateFolder.appendingPathComponent("pending-\(token)")
        }
        do {
            try fm.createDirectory(at: scratch, withIntermediateDirectories: true)
        } catch {
            throw WriteError.io(path: scratch.path, underlying: "\(error)")
        }
        return OutputTransaction(writer: self, previous: previous, trustOutput: trustOutput && known != nil, keptInMemory: known != nil, scratch: scratch)
    }

    struct Entry: Sendable {
        enum Source: Sendable {
            case bytes(Data)
            case file(URL)
        }
        var path: String
        var signature: String
        var source: Source
    }

    /// Replaces the output folder with `staging`; the old folder is renamed aside first and deleted last.
    func swapIn(_ staging: URL) throws {
        let fm = FileManager.default
        var old: URL?
        if fm.fileExists(atPath: outputRoot.path) {
            let aside = staging.deletingLastPathComponent()
                .appendingPathComponent(".\(outputRoot.lastPathComponent).old-\(UInt32.random(in: 0...UInt32.max))")
            do { try fm.moveItem(at: outputRoot, to: aside) } catch {
                throw WriteError.io(path: outputRoot.path, underlying: "\(error)")
            }
            old = aside
        }
        do {
            try fm.moveItem(at: staging, to: outputRoot)
        } catch {
            if let old { try? fm.moveItem(at: old, to: outputRoot) }
            throw WriteError.io(path: outputRoot.path, underlying: "\(error)")
        }
        if let old { try? fm.removeItem(at: old) }
    }

    // MARK: File system helpers

    /// Creates every folder the paths need, parents first, with plain mkdir (FileManager's is several times slower).
    static func makeFolders(for paths: [String], under root: URL) throws {
        var folders = Set<String>()
        for path in paths {
            var end = path.lastIndex(of: "/")
            while let cut = end {
                let folder = String(path[..<cut])
                guard folders.insert(folder).inserted else { break }
                end = folder.lastIndex(of: "/")
            }
        }
        let base = root.path
        for folder in folders.sorted(by: { $0.count < $1.count }) {
            let full = base + "/" + folder
            if mkdir(full, 0o755) != 0, errno != EEXIST {
                throw WriteError.io(path: folder, underlying: String(cString: strerror(errno)))
            }
        }
    }

    /// Writes entries on all cores into a scratch folder nobody reads (the transaction makes them visible).
    static func writeAll(_ entries: [Entry], under root: URL) async throws {
        guard !entries.isEmpty else { return }
        let workers = min(entries.count, max(1, ProcessInfo.processInfo.activeProcessorCount) * 2)
        let size = (entries.count + workers - 1) / workers
        let failures = await withTaskGroup(of: WriteError?.self) { group in
            for start in stride(from: 0, to: entries.count, by: size) {
                let slice = entries[start..<min(entries.count, start + size)]
                group.addTask {
                    for entry in slice {
                        do { try write(entry, to: root.appendingPathComponent(entry.path).path) } catch let error as WriteError { return error } catch {
                            return WriteError.io(path: entry.path, underlying: "\(error)")
                        }
                    }
                    return nil
                }
            }
            var failures: [WriteError] = []
            for await failure in group { if let failure { failures.append(failure) } }
            return failures
        }
        if let first = failures.first { throw first }
    }

    static func write(_ entry: Entry, to target: String) throws {
        switch entry.source {
        case .bytes(let data):
            let fd = open(target, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
            guard fd >= 0 else { throw WriteError.io(path: entry.path, underlying: String(cString: strerror(errno))) }
            defer { close(fd) }
            try data.withUnsafeBytes { raw in
                var offset = 0
                while offset < raw.count {
                    let n = Glibc.write(fd, raw.baseAddress! + offset, raw.count - offset)
                    if n < 0 {
                        if errno == EINTR { continue }
                        throw WriteError.io(path: entry.path, underlying: String(cString: strerror(errno)))
                    }
                    offset += n
                }
            }
        case .file(let source):
            let fm = FileManager.default
            if fm.fileExists(atPath: target) { try? fm.removeItem(atPath: target) }
            do { try fm.copyItem(atPath: source.path, toPath: target) } catch {
                throw WriteError.io(path: entry.path, underlying: "cannot copy \(source.path): \(error.localizedDescription)")
            }
        }
    }

    /// `exists` for many paths, on all cores: 12,000 `stat` calls are most of a one-page rebuild.
    static func allExist(_ paths: [String], under base: String) -> Bool {
        let chunks = max(1, min(paths.count / 1024, ProcessInfo.processInfo.activeProcessorCount * 2))
        let size = (paths.count + chunks - 1) / chunks
        let missing = SharedFlag()
        DispatchQueue.concurrentPerform(iterations: chunks) { chunk in
            for path in paths[min(paths.count, chunk * size)..<min(paths.count, (chunk + 1) * size)] where !missing.isSet {
                if !exists(base + path) { missing.set() }
            }
        }
        return !missing.isSet
    }

    static func exists(_ path: String) -> Bool {
        var info = stat()
        return stat(path, &info) == 0
    }

    /// Copies are recognised by size and modification time, so unchanged images are not read at all.
    static func copySignature(_ source: URL) -> String {
        var info = stat()
        guard stat(source.path, &info) == 0 else { return "missing" }
        return "c\(info.st_size)-\(info.st_mtim.tv_sec).\(info.st_mtim.tv_nsec)"
    }

    /// Relative, no "..", no empty components: the path stays inside the output folder.
    public static func isSafe(_ path: String) -> Bool {
        guard !path.isEmpty, !path.hasPrefix("/"), !path.contains("\\"), !path.contains("\0") else { return false }
        return !path.split(separator: "/", omittingEmptySubsequences: false).contains { $0 == ".." || $0 == "." || $0.isEmpty }
    }
}

/// The record of what the last write put in the output folder: one "signature<TAB>path" line per file.
public struct Manifest: Sendable, Equatable {
    var signatures: [String: String]

    init(_ pairs: [(String, String)]) {
        signatures = Dictionary(pairs, uniquingKeysWith: { _, b in b })
    }

    init(signatures: [String: String]) {
        self.signatures = signatures
    }

    static func load(_ url: URL) -> Manifest? {
        guard let data = FileManager.default.contents(atPath: url.path) else { return nil }
        var pairs: [(String, String)] = []
        for line in String(decoding: data, as: UTF8.self).split(separator: "\n") {
            guard let tab = line.firstIndex(of: "\t") else { return nil }
            pairs.append((String(line[line.index(after: tab)...]), String(line[..<tab])))
        }
        return Manifest(pairs)
    }

    func save(_ url: URL) throws {
        let fm = FileManager.default
        try fm.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        var text = ""
        for path in signatures.keys.sorted() { text += signatures[path]! + "\t" + path + "\n" }
        let temporary = url.path + ".tmp-\(getpid())"
        guard fm.createFile(atPath: temporary, contents: Data(text.utf8)), rename(temporary, url.path) == 0 else {
            throw WriteError.io(path: url.path, underlying: "cannot save the output record")
        }
    }
}


/// A flag set from several threads at once.
// @unchecked: `value` is only touched under `lock`.
final class SharedFlag: @unchecked Sendable {
    private let lock = NSLock()
    private var value = false
    var isSet: Bool { lock.withLock { value } }
    func set() { lock.withLock { value = true } }
}
