import Foundation
import TianshanModel

#if canImport(Glibc)
import Glibc
#endif

/// The record file beside the output (`<state>/record`, and `record.next` during a commit): a manifest and the
/// caller's state, committed together.
///
/// Layout: magic, manifest length, manifest, its hash, state flag and length, state, magic. The manifest comes
/// first so a build can read it without the state, which may be large; a file cut short or damaged anywhere
/// fails its lengths, hash or closing magic and is ignored.
enum RecordFile {
    static let magic = Array("tianshan-record2".utf8)
    static let version: UInt64 = 1

    /// The whole file for `manifest` and `state`.
    static func encode(_ manifest: Manifest, state: StateBytes?) -> [UInt8] {
        let (head, tail) = frame(manifest, stateCount: state?.count)
        return head + (state?.joined ?? []) + tail
    }

    /// What goes before and after the state's bytes in the file, which are written between them as they are:
    /// a large state is not copied into a second buffer.
    static func frame(_ manifest: Manifest, stateCount: Int?) -> (head: [UInt8], tail: [UInt8]) {
        var body = Writer()
        // Paths and signatures are short: a guess that spares most regrowths of a large manifest.
        body.bytes.reserveCapacity((manifest.files.count + (manifest.spare?.count ?? 0)) * 112 + 64)
        body.u64(version)
        body.folder(manifest.outputFolder)
        if let spareFolder = manifest.spareFolder, let spare = manifest.spare {
            body.u8(1)
            body.folder(spareFolder)
            body.u64(UInt64(spare.count))
            for (path, entry) in spare {
                body.string(path)
                switch entry {
                case .absent: body.u8(0)
                case .file(let file): body.u8(1); body.file(file)
                }
            }
        } else {
            body.u8(0)
        }
        body.u64(UInt64(manifest.files.count))
        for (path, file) in manifest.files {
            body.string(path)
            body.file(file)
        }
        body.u64(UInt64(manifest.foreign.count))
        for (path, foreign) in manifest.foreign {
            body.string(path)
            body.u64(foreign.inode)
            body.u8(foreign.isFolder ? 1 : 0)
        }
        // Last and optional, so a record written before it existed still reads.
        if let examinedAt = manifest.examinedAt { body.u64(UInt64(bitPattern: examinedAt)) }
        var out = Writer()
        out.bytes.reserveCapacity(body.bytes.count + 64)
        out.bytes += magic
        out.fixed(UInt64(body.bytes.count))
        out.bytes += body.bytes
        out.fixed(body.bytes.withUnsafeBytes { ContentHash.hash($0) })
        out.u8(stateCount == nil ? 0 : 1)
        out.fixed(UInt64(stateCount ?? 0))
        return (out.bytes, magic)
    }

    static func decodeManifest(_ bytes: ArraySlice<UInt8>) -> Manifest? {
        var r = Reader(bytes: bytes)
        guard r.u64() == version, let output = r.folder(), let hasSpare = r.u8() else { return nil }
        var spare: [String: Manifest.SpareEntry]?
        var spareFolder: Manifest.FolderID?
        if hasSpare == 1 {
            guard let folder = r.folder(), let count = r.count() else { return nil }
            var entries: [String: Manifest.SpareEntry] = [:]
            entries.reserveCapacity(count)
            for _ in 0..<count {
                guard let path = r.string(), let present = r.u8() else { return nil }
                if present == 1 {
                    guard let file = r.file() else { return nil }
                    entries[path] = .file(file)
                } else {
                    entries[path] = .absent
                }
            }
            spare = entries
            spareFolder = folder
        }
        guard let count = r.count() else { return nil }
        var files: [String: Manifest.File] = [:]
        files.reserveCapacity(count)
        for _ in 0..<count {
            guard let path = r.string(), let file = r.file() else { return nil }
            files[path] = file
        }
        guard let foreignCount = r.count() else { return nil }
        var foreign: [String: Manifest.Foreign] = [:]
        for _ in 0..<foreignCount {
            guard let path = r.string(), let inode = r.u64(), let folder = r.u8() else { return nil }
            foreign[path] = Manifest.Foreign(inode: inode, isFolder: folder == 1)
        }
        var examinedAt: Int64?
        if !r.atEnd {
            guard let time = r.u64() else { return nil }
            examinedAt = Int64(bitPattern: time)
        }
        guard r.atEnd else { return nil }
        return Manifest(files: files, spare: spare, foreign: foreign, outputFolder: output, spareFolder: spareFolder, examinedAt: examinedAt)
    }

    /// Where the parts of a record file lie, after checking its frame.
    struct Frame {
        var manifest: Range<Int>
        var state: Range<Int>?
    }

    /// Reads the frame and the manifest (not the state) of the record at `path`.
    static func readManifest(_ path: String) -> (Manifest, Frame)? {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else { return nil }
        let total = Int(info.st_size)
        guard let head = readExactly(fd, at: 0, count: magic.count + 8), Array(head.prefix(magic.count)) == magic else { return nil }
        let length = Int(littleEndian(head.suffix(8)))
        let stateHeader = magic.count + 8 + length + 8
        guard length >= 0, stateHeader + 9 + magic.count <= total,
              let body = readExactly(fd, at: magic.count + 8, count: length + 8 + 9) else { return nil }
        let manifestBytes = body.prefix(length)
        let hash = manifestBytes.withUnsafeBytes { ContentHash.hash($0) }
        guard littleEndian(body[length..<(length + 8)]) == hash else { return nil }
        let hasState = body[length + 8] == 1
        let stateLength = Int(littleEndian(body[(length + 9)..<(length + 17)]))
        let stateStart = stateHeader + 9
        guard stateLength >= 0, stateStart + stateLength + magic.count == total,
              let tail = readExactly(fd, at: total - magic.count, count: magic.count), tail == magic,
              let manifest = decodeManifest(manifestBytes) else { return nil }
        let frame = Frame(manifest: (magic.count + 8)..<(magic.count + 8 + length), state: hasState ? stateStart..<(stateStart + stateLength) : nil)
        return (manifest, frame)
    }

    /// The state bytes of a record whose frame `readManifest` checked.
    static func readState(_ path: String, frame: Frame) -> [UInt8]? {
        guard let range = frame.state else { return nil }
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        return readExactly(fd, at: range.lowerBound, count: range.count)
    }

    /// Writes the record through a temporary file and a rename, so `path` holds either the old or the new record.
    /// No fsync: the record must survive the process being killed, which the page cache already ensures.
    static func save(_ manifest: Manifest, state: StateBytes?, to path: String) throws(FileSystem.Failure) {
        let (head, tail) = frame(manifest, stateCount: state?.count)
        try save([head[...]] + (state?.parts ?? []) + [tail[...]], to: path)
    }

    static func save(_ parts: [ArraySlice<UInt8>], to path: String) throws(FileSystem.Failure) {
        let temporary = path + ".tmp-\(getpid())"
        do throws(FileSystem.Failure) {
            _ = try FileSystem.write(parts, to: temporary)
            try FileSystem.rename(temporary, path)
        } catch {
            unlink(temporary)
            throw error
        }
    }

    static func readExactly(_ fd: Int32, at offset: Int, count: Int) -> [UInt8]? {
        guard count >= 0 else { return nil }
        var bytes = [UInt8](repeating: 0, count: count)
        var done = 0
        while done < count {
            let n = bytes.withUnsafeMutableBytes { pread(fd, $0.baseAddress! + done, count - done, off_t(offset + done)) }
            if n < 0, errno == EINTR { continue }
            guard n > 0 else { return nil }
            done += n
        }
        return bytes
    }

    static func littleEndian<C: Collection>(_ bytes: C) -> UInt64 where C.Element == UInt8 {
        var value: UInt64 = 0
        for (shift, byte) in bytes.enumerated() { value |= UInt64(byte) << (8 * UInt64(shift)) }
        return value
    }

    /// Appends variable-length numbers and length-prefixed strings.
    struct Writer {
        var bytes: [UInt8] = []

        mutating func u8(_ value: UInt8) { bytes.append(value) }

        mutating func u64(_ value: UInt64) {
            var v = value
            while v >= 0x80 {
                bytes.append(UInt8(v & 0x7F) | 0x80)
                v >>= 7
            }
            bytes.append(UInt8(v))
        }

        mutating func fixed(_ value: UInt64) {
            for shift in 0..<8 { bytes.append(UInt8(truncatingIfNeeded: value >> (8 * UInt64(shift)))) }
        }

        mutating func string(_ text: String) {
            var text = text
            text.withUTF8 { utf8 in
                u64(UInt64(utf8.count))
                bytes.append(contentsOf: utf8)
            }
        }

        mutating func folder(_ id: Manifest.FolderID) {
            u64(id.device)
            u64(id.inode)
        }

        mutating func file(_ file: Manifest.File) {
            string(file.signature)
            u64(UInt64(bitPattern: file.size))
            u64(UInt64(bitPattern: file.modified))
            u64(file.inode)
        }
    }

    /// Reads what `Writer` wrote; nil for anything cut short or out of range.
    struct Reader {
        let bytes: ArraySlice<UInt8>
        var offset: Int

        init(bytes: ArraySlice<UInt8>) {
            self.bytes = bytes
            offset = bytes.startIndex
        }

        var atEnd: Bool { offset == bytes.endIndex }

        mutating func u8() -> UInt8? {
            guard offset < bytes.endIndex else { return nil }
            defer { offset += 1 }
            return bytes[offset]
        }

        mutating func u64() -> UInt64? {
            var value: UInt64 = 0
            var shift: UInt64 = 0
            while let byte = u8() {
                guard shift < 64 else { return nil }
                value |= UInt64(byte & 0x7F) << shift
                if byte < 0x80 { return value }
                shift += 7
            }
            return nil
        }

        mutating func count() -> Int? {
            guard let value = u64(), value <= UInt64(bytes.count) else { return nil }
            return Int(value)
        }

        mutating func string() -> String? {
            guard let length = count(), offset + length <= bytes.endIndex else { return nil }
            defer { offset += length }
            return String(decoding: bytes[offset..<(offset + length)], as: UTF8.self)
        }

        mutating func folder() -> Manifest.FolderID? {
            guard let device = u64(), let inode = u64() else { return nil }
            return Manifest.FolderID(device: device, inode: inode)
        }

        mutating func file() -> Manifest.File? {
            guard let signature = string(), let size = u64(), let modified = u64(), let inode = u64() else { return nil }
            return Manifest.File(signature: signature, size: Int64(bitPattern: size), modified: Int64(bitPattern: modified), inode: inode)
        }
    }
}
