// Linux only: inotify is the whole point of this file.
import Foundation
import Glibc

/// A burst of file changes under the watched folders, reported once the folders have been quiet for a moment.
public struct FileChangeBatch: Sendable, Equatable {
    /// Absolute paths that changed, sorted; a folder stands for everything in it (new folders, overflows).
    public var paths: [String]
}

/// Watches folders recursively with Linux inotify and reports coalesced bursts of changes.
///
/// One background thread blocks in `poll(2)` on the inotify descriptor and on a pipe that `stop()` writes to,
/// so nothing runs while nothing changes. New subfolders get their own watch as soon as they appear.
// @unchecked: the only mutable state is `stopped`, guarded by `lock`.
public final class FileWatcher: @unchecked Sendable {
    /// The bursts, in order. Holds at most one undelivered batch, the union of every burst the consumer has not
    /// taken yet: a consumer busy rebuilding gets one batch naming everything that changed meanwhile.
    public let changes: AsyncStream<FileChangeBatch>

    private let stopPipe: (read: Int32, write: Int32)
    private let lock = NSLock()
    private var stopped = false

    /// - Parameters:
    ///   - roots: folders to watch with everything below them.
    ///   - quietWindow: a burst ends after this long without a new event (editors write, rename and chmod in a row).
    ///   - maximumDelay: a burst is reported after this long even if events keep coming, so a busy folder cannot starve rebuilds.
    public init(roots: [URL], quietWindow: Duration = .milliseconds(30), maximumDelay: Duration = .milliseconds(500)) throws {
        let fd = inotify_init1(Int32(IN_NONBLOCK | IN_CLOEXEC))
        guard fd >= 0 else { throw FileWatcherError.system("inotify_init1", errno) }
        var pipeEnds: [Int32] = [0, 0]
        guard pipe(&pipeEnds) == 0 else {
            let code = errno
            close(fd)
            throw FileWatcherError.system("pipe", code)
        }
        for end in pipeEnds {
            _ = fcntl(end, F_SETFD, FD_CLOEXEC)
            _ = fcntl(end, F_SETFL, fcntl(end, F_GETFL) | O_NONBLOCK)
        }
        stopPipe = (pipeEnds[0], pipeEnds[1])

        var table = WatchTable(inotify: fd)
        for root in roots {
            // The real path: a root given as a symbolic link must be watched as the folder it points to.
            let path = root.standardizedFileURL.resolvingSymlinksInPath().path
            guard table.addTree(path) else {
                let code = errno
                close(fd); close(pipeEnds[0]); close(pipeEnds[1])
                throw FileWatcherError.cannotWatch(path, code)
            }
        }

        let (stream, continuation) = AsyncStream<FileChangeBatch>.makeStream(bufferingPolicy: .bufferingNewest(1))
        changes = stream
        let loop = EventLoop(
            inotify: fd, stopFD: pipeEnds[0], table: table,
            quiet: quietWindow.nanoseconds, maximum: maximumDelay.nanoseconds, continuation: continuation
        )
        let thread = Thread { loop.run() }
        thread.name = "tianshan-file-watcher"
        thread.start()
    }

    /// Ends the stream; the thread closes its descriptors once it has left `poll`.
    public func stop() {
        // Only one byte is ever written, and the thread closes the read end only after reading it,
        // so this write can never hit a closed pipe (SIGPIPE).
        let first = lock.withLock { () -> Bool in
            defer { stopped = true }
            return !stopped
        }
        guard first else { return }
        var byte: UInt8 = 1
        _ = write(stopPipe.write, &byte, 1)
    }

    deinit {
        stop()
        close(stopPipe.write)
    }
}

/// Why a watcher could not start.
public enum FileWatcherError: Error, CustomStringConvertible {
    case system(String, Int32)
    case cannotWatch(String, Int32)

    public var description: String {
        switch self {
        case .system(let call, let code): return "\(call) failed: \(String(cString: strerror(code)))"
        case .cannotWatch(let path, let code): return "cannot watch \(path): \(String(cString: strerror(code)))"
        }
    }
}

/// Which folder each watch descriptor stands for; owned by the watcher thread once it runs.
struct WatchTable: @unchecked Sendable {
    let inotify: Int32
    var folders: [Int32: String] = [:]

    static let mask = UInt32(
        IN_MODIFY | IN_CLOSE_WRITE | IN_ATTRIB | IN_CREATE | IN_DELETE | IN_MOVED_FROM | IN_MOVED_TO
            | IN_DELETE_SELF | IN_MOVE_SELF
    ) | UInt32(IN_DONT_FOLLOW)

    /// Watches `path` and every folder below it, skipping hidden names like the build does.
    /// False only when `path` itself cannot be watched; vanished subfolders are skipped.
    mutating func addTree(_ path: String) -> Bool {
        let wd = inotify_add_watch(inotify, path, Self.mask)
        guard wd >= 0 else { return false }
        // The kernel hands back the same descriptor for a folder it already watches; the new path wins
        // because that is where a moved folder now lives.
        folders[wd] = path
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: path) else { return true }
        for name in names where !name.hasPrefix(".") {
            let child = path + "/" + name
            var info = stat()
            if lstat(child, &info) == 0, info.st_mode & S_IFMT == S_IFDIR {
                _ = addTree(child)
            }
        }
        return true
    }
}

/// The watcher thread: read events, collect paths, report a batch when the burst is over.
private struct EventLoop: @unchecked Sendable {
    let inotify: Int32
    let stopFD: Int32
    var table: WatchTable
    let quiet: UInt64
    let maximum: UInt64
    let continuation: AsyncStream<FileChangeBatch>.Continuation

    func run() {
        var state = self
        state.loop()
        continuation.finish()
        close(inotify)
        close(stopFD)
    }

    private mutating func loop() {
        var pending = Set<String>()
        var firstEvent: UInt64 = 0
        var lastEvent: UInt64 = 0
        var buffer = [UInt8](repeating: 0, count: 64 * 1024)
        while true {
            var timeout: Int32 = -1
            if !pending.isEmpty {
                let now = DispatchTime.now().uptimeNanoseconds
                let due = min(lastEvent + quiet, firstEvent + maximum)
                timeout = due > now ? Int32(clamping: (due - now + 999_999) / 1_000_000) : 0
            }
            var fds = [pollfd(fd: inotify, events: Int16(POLLIN), revents: 0), pollfd(fd: stopFD, events: Int16(POLLIN), revents: 0)]
            let ready = poll(&fds, 2, timeout)
            if ready < 0 {
                if errno == EINTR { continue }
                return
            }
            if fds[1].revents != 0 { return }
            if fds[0].revents & Int16(POLLIN) != 0 {
                let found = drain(into: &buffer)
                if !found.isEmpty {
                    let now = DispatchTime.now().uptimeNanoseconds
                    if pending.isEmpty { firstEvent = now }
                    lastEvent = now
                    pending.formUnion(found)
                }
                continue
            }
            if ready == 0, !pending.isEmpty {
                // The stream keeps one batch; one the consumer has not taken yet is merged in, never lost, because
                // the build trusts the batch to name every changed file.
                let batch = FileChangeBatch(paths: pending.sorted())
                if case .dropped(let older) = continuation.yield(batch) {
                    _ = continuation.yield(FileChangeBatch(paths: Set(older.paths).union(batch.paths).sorted()))
                }
                pending.removeAll()
            }
        }
    }

    /// Reads every queued event and returns the paths worth a rebuild.
    private mutating func drain(into buffer: inout [UInt8]) -> Set<String> {
        var paths = Set<String>()
        let headerSize = MemoryLayout<inotify_event>.size
        while true {
            let count = buffer.withUnsafeMutableBytes { read(inotify, $0.baseAddress, $0.count) }
            if count <= 0 { break }
            var offset = 0
            while offset + headerSize <= count {
                let (wd, mask, nameLength) = buffer.withUnsafeBytes { raw in
                    (raw.loadUnaligned(fromByteOffset: offset, as: Int32.self),
                     raw.loadUnaligned(fromByteOffset: offset + 4, as: UInt32.self),
                     Int(raw.loadUnaligned(fromByteOffset: offset + 12, as: UInt32.self)))
                }
                let nameBytes = buffer[(offset + headerSize)..<min(count, offset + headerSize + nameLength)]
                let name = String(decoding: nameBytes.prefix { $0 != 0 }, as: UTF8.self)
                offset += headerSize + nameLength
                handle(wd: wd, mask: mask, name: name, into: &paths)
            }
        }
        return paths
    }

    private mutating func handle(wd: Int32, mask: UInt32, name: String, into paths: inout Set<String>) {
        if mask & UInt32(IN_Q_OVERFLOW) != 0 {
            // Events were lost: say that everything changed, and pick up folders created meanwhile.
            for root in Set(table.folders.values) { paths.insert(root) }
            for folder in Array(table.folders.values) { _ = table.addTree(folder) }
            return
        }
        if mask & UInt32(IN_IGNORED) != 0 {
            table.folders[wd] = nil
            return
        }
        guard let folder = table.folders[wd] else { return }
        if name.isEmpty {
            // The watched folder itself was deleted or moved.
            if mask & UInt32(IN_DELETE_SELF | IN_MOVE_SELF) != 0 { paths.insert(folder) }
            return
        }
        // Editors' swap and backup files are not content; the build skips hidden names too.
        if name.hasPrefix(".") || name.hasSuffix("~") || name.hasPrefix("~$") { return }
        let path = folder + "/" + name
        if mask & UInt32(IN_ISDIR) != 0, mask & UInt32(IN_CREATE | IN_MOVED_TO) != 0 {
            _ = table.addTree(path)
        }
        paths.insert(path)
    }
}

extension Duration {
    var nanoseconds: UInt64 {
        let (seconds, attoseconds) = components
        return UInt64(max(0, seconds)) * 1_000_000_000 + UInt64(max(0, attoseconds) / 1_000_000_000)
    }
}
