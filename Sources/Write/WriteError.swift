#if canImport(Glibc)
import Glibc
#endif

/// Why writing the output failed. Equal errors have one cause, so a caller can report each once.
public enum WriteError: Error, Equatable, Sendable, CustomStringConvertible {
    /// A path the site asked for would leave the output folder.
    case unsafePath(String)
    /// Two outputs of one build have the same path.
    case duplicatePath(String)
    /// The output folder may not be written or replaced (see `OutputWriter.checkOutputFolder`).
    case refused(OutputSafety.Refusal)
    /// A system call failed.
    case system(SystemFailure)

    /// A failed system call: its errno, the output folder as the user named it, the output path it concerned and
    /// what the writer was doing.
    public struct SystemFailure: Equatable, Sendable {
        /// What the writer was doing when the call failed.
        public enum Step: Equatable, Sendable {
            case writing
            /// Copying a source file (named here) into the output.
            case copying(String)
            /// Reading the source file (named here) of a copy.
            case reading(String)
            case makingFolder
            /// Putting the new site in place of the old one.
            case replacing
            /// Saving the record of the output beside it (the file named here).
            case savingRecord(String)
            /// Preparing the state folder beside the output (named here).
            case preparing(String)
        }
        public var code: Int32
        /// The output folder as shown to the user, with a trailing slash ("Output/").
        public var folder: String
        /// The file or folder under the output folder the failure concerns, when there is one.
        public var path: String?
        public var step: Step

        public init(code: Int32, folder: String, path: String?, step: Step) {
            self.code = code
            self.folder = folder
            self.path = path
            self.step = step
        }
    }

    public var description: String {
        switch self {
        case .unsafePath(let path): return "refusing to write outside the output folder: \(path)"
        case .duplicatePath(let path): return "two outputs have the same path: \(path)"
        case .refused(let refusal): return refusal.description
        case .system(let failure): return failure.description
        }
    }

    /// The errno of a system failure, nil for the other cases.
    public var code: Int32? {
        if case .system(let failure) = self { return failure.code }
        return nil
    }
}

extension WriteError.SystemFailure: CustomStringConvertible {
    public var description: String {
        let target: String
        let doing: String
        switch step {
        case .writing: target = folder + (path ?? ""); doing = "writing \(target)"
        case .copying(let source): target = folder + (path ?? ""); doing = "copying \(source) to \(target)"
        case .reading(let source):
            return "cannot read \(source) to copy it to \(folder)\(path ?? ""): \(String(cString: strerror(code))); check the file and build again"
        case .makingFolder: target = folder + (path ?? ""); doing = "making the folder \(target)"
        case .replacing: target = folder; doing = "putting the new site in place of \(folder)"
        case .savingRecord(let file): target = file; doing = "saving the record of \(folder) in \(file)"
        case .preparing(let state): target = state; doing = "preparing \(state), the state folder beside \(folder)"
        }
        switch code {
        case ENOSPC, EDQUOT:
            return "no space left on the device holding \(folder) while \(doing); free some space and build again (\(folder) is unchanged)"
        case EACCES, EPERM:
            return "permission denied while \(doing); make \(folder), the state folder beside it and the folder holding both writable "
                + "for this user (and not immutable), or choose another --output (\(folder) is unchanged)"
        case EROFS:
            return "\(folder) is on a read-only file system (while \(doing)); remount it read-write or choose another --output"
        case ENOTDIR, EEXIST:
            return "\(target) is a file where a folder should be (while \(doing)); move it away and build again"
        case EISDIR, ENOTEMPTY:
            return "\(target) is a folder where the site writes a file (while \(doing)); move it away and build again"
        case EXDEV, EBUSY:
            return "cannot replace \(folder): it is a mount point, or on another file system than the state folder beside it; "
                + "build into a folder inside it instead"
        case EMFILE, ENFILE:
            return "too many open files while \(doing); raise the limit (ulimit -n) and build again"
        default:
            return "cannot finish \(doing): \(String(cString: strerror(code)))"
        }
    }
}
