import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// The checks that keep a build from replacing a folder of someone's files: the output folder must not overlap
/// the sources, must be a folder, and must be empty or written by Tianshan before (its state folder beside it).
public enum OutputSafety {
    /// Why an output folder was refused; each names the path and what to do.
    public enum Refusal: Equatable, Sendable, CustomStringConvertible {
        /// The output folder is, contains or lies inside a source folder (`role`: "content" or "templates").
        case overlaps(output: String, source: String, role: String, relation: Relation)
        /// Something that is not a folder is at the output path.
        case notAFolder(String)
        /// The output path is a symbolic link, which a build would replace by a folder.
        case symbolicLink(String)
        /// A non-empty folder with no Tianshan state beside it.
        case foreignFolder(output: String, state: String)

        /// How the output folder lies against a source folder.
        public enum Relation: Equatable, Sendable {
            case same, inside, contains
        }

        public var description: String {
            switch self {
            case .overlaps(let output, let source, let role, let relation):
                let how: String
                switch relation {
                case .same: how = "it is the \(role) folder"
                case .inside: how = "it lies inside the \(role) folder \(source)"
                case .contains: how = "it contains the \(role) folder \(source)"
                }
                let advice = relation == .contains ? "that does not hold \(source)" : "outside \(source)"
                return "refusing to build into \(output): \(how), and a build replaces its output folder as a whole; "
                    + "choose an --output \(advice), such as Output"
            case .notAFolder(let output):
                return "refusing to build into \(output): it exists and is not a folder; move it away or choose another --output"
            case .symbolicLink(let output):
                return "refusing to build into \(output): it is a symbolic link, and a build replaces its output folder as a whole; "
                    + "give the folder it points to as --output"
            case .foreignFolder(let output, let state):
                return "refusing to build into \(output): it is a folder of files Tianshan did not write (there is no \(state) beside it); "
                    + "choose an empty or new --output, or pass --force to replace the folder and everything in it"
            }
        }
    }

    /// Throws when building into `output` could destroy files Tianshan did not write.
    static func check(output: URL, stateFolder: URL, content: URL, templates: URL, force: Bool) throws(WriteError) {
        let shown = display(output.path) + "/"
        let real = realPath(output.path)
        for (source, role) in [(content, "content"), (templates, "templates")] {
            let other = realPath(source.standardizedFileURL.path)
            let relation: Refusal.Relation?
            if real == other {
                relation = .same
            } else if real.hasPrefix(other == "/" ? "/" : other + "/") {
                relation = .inside
            } else if other.hasPrefix(real == "/" ? "/" : real + "/") {
                relation = .contains
            } else {
                relation = nil
            }
            if let relation {
                throw .refused(.overlaps(output: shown, source: display(source.standardizedFileURL.path) + "/", role: role, relation: relation))
            }
        }
        var info = stat()
        guard lstat(output.path, &info) == 0 else { return }  // nothing there yet: the first build creates it
        switch info.st_mode & S_IFMT {
        case S_IFDIR: break
        case S_IFLNK: throw .refused(.symbolicLink(display(output.path)))
        default: throw .refused(.notAFolder(display(output.path)))
        }
        var state = stat()
        if stat(stateFolder.path, &state) == 0, state.st_mode & S_IFMT == S_IFDIR { return }
        guard !force, !isEmptyFolder(output.path) else { return }
        throw .refused(.foreignFolder(output: shown, state: display(stateFolder.path) + "/"))
    }

    static func isEmptyFolder(_ path: String) -> Bool {
        guard let dir = opendir(path) else { return false }
        defer { closedir(dir) }
        while let entry = readdir(dir) {
            let name = FileSystem.name(of: entry)
            if name != "." && name != ".." { return false }
        }
        return true
    }

    /// The path with symbolic links and `..` resolved, also when its last components do not exist yet.
    static func realPath(_ path: String) -> String {
        var existing = path
        var rest: [String] = []
        while true {
            if let resolved = realpath(existing, nil) {
                defer { free(resolved) }
                var parts = String(cString: resolved).split(separator: "/").map(String.init)
                for part in rest.reversed() {
                    if part == ".." { if !parts.isEmpty { parts.removeLast() } } else if part != "." && !part.isEmpty { parts.append(part) }
                }
                return "/" + parts.joined(separator: "/")
            }
            let url = URL(fileURLWithPath: existing)
            let parent = url.deletingLastPathComponent().path
            if parent == existing || existing.isEmpty { return path }
            rest.append(url.lastPathComponent)
            existing = parent
        }
    }

    /// A path relative to the working directory when it lies inside it, as messages name folders.
    static func display(_ path: String) -> String {
        let cwd = FileManager.default.currentDirectoryPath
        if path.hasPrefix(cwd + "/") { return String(path.dropFirst(cwd.count + 1)) }
        if path == cwd { return "." }
        return path
    }
}
