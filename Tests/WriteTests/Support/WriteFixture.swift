import Foundation
import Testing
import TianshanModel
@testable import TianshanWrite

/// A temporary folder holding an output folder, with readers for what the output, the spare and the state
/// folder hold.
struct WriteFixture {
    let root: URL
    /// A tmpfs mounted at `root/mnt`, when the fixture was made on one.
    let mounted: Bool

    init() throws {
        root = FileManager.default.temporaryDirectory.appendingPathComponent("tianshan-write-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        mounted = false
    }

    /// A fixture whose output lies on a fresh tmpfs of `size` (root only: mounting needs it); nil otherwise.
    static func onTmpfs(size: String) throws -> WriteFixture? {
        guard getuid() == 0 else {
            print("skipped: mounting a tmpfs needs root")
            return nil
        }
        let plain = try WriteFixture()
        let mount = plain.root.appendingPathComponent("mnt")
        try FileManager.default.createDirectory(at: mount, withIntermediateDirectories: true)
        guard run("/bin/mount", "-t", "tmpfs", "-o", "size=\(size)", "tmpfs", mount.path) == 0 else {
            print("skipped: cannot mount a tmpfs here")
            plain.remove()
            return nil
        }
        return WriteFixture(root: plain.root, mounted: true)
    }

    private init(root: URL, mounted: Bool) {
        self.root = root
        self.mounted = mounted
    }

    var base: URL { mounted ? root.appendingPathComponent("mnt") : root }
    var output: URL { base.appendingPathComponent("Output") }
    var writer: OutputWriter { OutputWriter(outputRoot: output) }
    var spare: URL { writer.stateFolder.appendingPathComponent("spare") }

    func remove() {
        if mounted {
            _ = Self.run("/bin/mount", "-o", "remount,rw", base.path)
            _ = Self.run("/bin/umount", base.path)
        }
        try? FileManager.default.removeItem(at: root)
    }

    /// One write through a transaction, the way the Build module calls it.
    @discardableResult
    func build(
        _ site: [String: String], state: String? = nil, known: Manifest? = nil, trust: Bool = false, check: OutputCheck? = nil
    ) async throws -> (WriteReport, Manifest?) {
        let transaction = try writer.begin(known: known, trustOutput: trust, check: check)
        do {
            try await transaction.put(Self.files(site))
            let report = try await transaction.commit(state: state.map { StateBytes(Array($0.utf8)) })
            return (report, await transaction.committed)
        } catch {
            await transaction.abort()
            throw error
        }
    }

    static func files(_ site: [String: String]) -> [OutputFile] {
        site.sorted { $0.key < $1.key }.map { OutputFile(path: $0.key, bytes: Data($0.value.utf8)) }
    }

    /// Every file under `folder` (symbolic links included), by relative path, with its text.
    static func tree(_ folder: URL) -> [String: String] {
        var files: [String: String] = [:]
        FileSystem.walk(folder.path) { path, kind, _ in
            if kind != .folder {
                files[path] = FileManager.default.contents(atPath: folder.path + "/" + path).map { String(decoding: $0, as: UTF8.self) } ?? "<unreadable>"
            }
            return true
        }
        return files
    }

    /// Every folder under `folder`, by relative path.
    static func folders(_ folder: URL) -> Set<String> {
        var folders = Set<String>()
        FileSystem.walk(folder.path) { path, kind, _ in
            if kind == .folder { folders.insert(path) }
            return true
        }
        return folders
    }

    struct Stamp: Equatable {
        var inode: UInt64
        var modified: Int64
    }

    static func stamps(_ folder: URL) -> [String: Stamp] {
        var stamps: [String: Stamp] = [:]
        FileSystem.walk(folder.path) { path, kind, _ in
            if kind != .folder, let stamp = FileSystem.stamp(folder.path + "/" + path) {
                stamps[path] = Stamp(inode: stamp.inode, modified: stamp.modified)
            }
            return true
        }
        return stamps
    }

    /// What the state folder holds besides the record and the spare (and the caller's files).
    func stateLeftovers() -> [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: writer.stateFolder.path)) ?? []
        return names.filter { !["record", "spare", "cache", "inputs"].contains($0) }.sorted()
    }

    /// The manifest describes the folder in place and the spare: every tree holds exactly the files it names
    /// (plus the foreign ones), each with the bytes its signature hashes.
    func expectDescribes(_ manifest: Manifest, sourceLocation: Testing.SourceLocation = #_sourceLocation) {
        #expect(FileSystem.folderID(output.path) == manifest.outputFolder, "the record names another folder", sourceLocation: sourceLocation)
        let foreignFiles = Set(manifest.foreign.filter { !$0.value.isFolder }.keys)
        check(Self.tree(output), manifest.files, foreignFiles, "output", sourceLocation)
        guard let spareFolder = manifest.spareFolder, manifest.spare != nil else { return }
        #expect(FileSystem.folderID(spare.path) == spareFolder, "the record names another spare", sourceLocation: sourceLocation)
        var held: [String: Manifest.File] = [:]
        for path in Set(manifest.files.keys).union(manifest.spare!.keys) {
            if let file = manifest.spareFile(path) { held[path] = file }
        }
        check(Self.tree(spare), held, foreignFiles, "spare", sourceLocation)
    }

    private func check(_ tree: [String: String], _ files: [String: Manifest.File], _ foreign: Set<String>, _ name: String, _ sourceLocation: Testing.SourceLocation) {
        #expect(Set(tree.keys) == Set(files.keys).union(foreign), "the \(name) holds other files than recorded", sourceLocation: sourceLocation)
        for (path, file) in files where file.signature.hasPrefix("h") {
            guard let text = tree[path] else { continue }
            #expect(file.signature == "h" + String(ContentHash.hash(Data(text.utf8)), radix: 16), "\(name)/\(path) holds other bytes than recorded",
                    sourceLocation: sourceLocation)
        }
    }

    @discardableResult
    static func run(_ arguments: String...) -> Int32 {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: arguments[0])
        process.arguments = Array(arguments.dropFirst())
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        do { try process.run() } catch { return -1 }
        process.waitUntilExit()
        return process.terminationStatus
    }
}

/// A seeded generator, so a failing sequence can be replayed.
struct SplitMix: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
