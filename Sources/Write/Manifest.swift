/// What the output folder and the spare tree beside it hold after a commit: the record a build starts from.
///
/// The spare tree (`<state>/spare`) is the output of the build before last, kept so the next build only has to
/// bring it up to date and swap it in. Both trees are named by their folder's device and inode numbers, which a
/// swap carries along, so a record can tell whether it describes the folder actually in place.
public struct Manifest: Sendable, Equatable {
    /// Every file of the output folder, by path.
    var files: [String: File]
    /// Where the spare tree differs from the output folder; nil when what the spare holds is unknown.
    var spare: [String: SpareEntry]?
    /// Files and folders someone else put in the output folder; every new output carries them along, so both
    /// trees hold them.
    var foreign: [String: Foreign]
    var outputFolder: FolderID
    /// The spare tree's folder, when `spare` is known.
    var spareFolder: FolderID?
    /// When what this says of the output's folders dates from (`KnownFolders.now()`): the time the folder was
    /// last looked over, or written by a writer no one else touches. Nil: unknown, so a scan lists every folder.
    var examinedAt: Int64?

    /// A file Tianshan wrote: its signature (a hash of its bytes, or a copy's source size and time) and what
    /// `stat` said about it, to notice it was changed, replaced or removed behind the writer's back.
    struct File: Sendable, Equatable {
        var signature: String
        var size: Int64
        var modified: Int64
        /// Both trees share a file by hard link where their records have the same inode.
        var inode: UInt64

        /// Never matches a file on disk: for an entry whose file was found changed.
        static let unknown = File(signature: "", size: -1, modified: 0, inode: 0)

        init(signature: String, size: Int64, modified: Int64, inode: UInt64) {
            self.signature = signature
            self.size = size
            self.modified = modified
            self.inode = inode
        }

        init(signature: String, _ stamp: FileSystem.Stamp) {
            self.init(signature: signature, size: stamp.size, modified: stamp.modified, inode: stamp.inode)
        }

        func matches(_ stamp: FileSystem.Stamp?) -> Bool {
            guard let stamp, !stamp.isFolder else { return false }
            return stamp.size == size && stamp.modified == modified && stamp.inode == inode
        }
    }

    enum SpareEntry: Sendable, Equatable {
        case absent
        case file(File)
    }

    struct Foreign: Sendable, Equatable {
        var inode: UInt64
        var isFolder: Bool
    }

    /// A folder's identity: it survives renames and swaps, and a new folder at the same path has another.
    struct FolderID: Sendable, Equatable {
        var device: UInt64
        var inode: UInt64
    }

    /// What the spare tree holds at `path`, when the spare is known.
    func spareFile(_ path: String) -> File? {
        guard let spare else { return nil }
        switch spare[path] {
        case .absent?: return nil
        case .file(let file)?: return file
        case nil: return files[path]
        }
    }

    /// Whether what the spare tree holds is known (a commit then only brings it up to date).
    public var hasSpare: Bool { spare != nil }

    /// The signatures of the output's files, by path (for tests and callers comparing two records).
    var signatures: [String: String] { files.mapValues(\.signature) }
}
