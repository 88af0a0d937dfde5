import Foundation

/// What a look at the output folder found against the record of the last commit: the files someone else
/// changed or removed, and the files and folders someone else put there. Taken by a long-running build while
/// it waits for the next change, so that build need not walk the whole output folder itself.
public struct OutputCheck: Sendable {
    /// The output folder the check looked at, which must still be the one in place when the check is used.
    let outputFolder: Manifest.FolderID
    /// Files of the record that are no longer in place as recorded, and those of them that are gone.
    let tampered: Set<String>
    let missing: Set<String>
    /// Entries no record says Tianshan wrote.
    let foreign: [String: Manifest.Foreign]
    /// `KnownFolders.now()` before the walk.
    let takenAt: Int64

    /// Walks the output folder (every folder listed, every file's `stat`) and compares it with `manifest`.
    static func take(of manifest: Manifest, outputPath: String) -> OutputCheck? {
        guard FileSystem.folderID(outputPath) == manifest.outputFolder else { return nil }
        let takenAt = KnownFolders.now()
        let scan = FileSystem.scan(outputPath, known: KnownFolders(manifest))
        var tampered = Set<String>()
        var missing = Set<String>()
        for (path, file) in manifest.files {
            let found = scan.files[path]
            guard !file.matches(found) else { continue }
            tampered.insert(path)
            if found == nil { missing.insert(path) }
        }
        return OutputCheck(
            outputFolder: manifest.outputFolder, tampered: tampered, missing: missing,
            foreign: Self.foreign(in: scan) { manifest.files[$0] != nil }, takenAt: takenAt
        )
    }

    /// Entries of a scan that `isSite` does not claim: files, and folders with no site file below.
    static func foreign(in scan: FileSystem.Scan, isSite: (String) -> Bool) -> [String: Manifest.Foreign] {
        var found: [String: Manifest.Foreign] = [:]
        for (path, stamp) in scan.files where !isSite(path) { found[path] = Manifest.Foreign(inode: stamp.inode, isFolder: false) }
        var holdsSite = [Bool](repeating: false, count: scan.folders.count)
        for (index, folder) in scan.folders.enumerated() where folder.files.contains(where: { found[$0] == nil }) {
            var current = index
            while current >= 0, !holdsSite[current] {
                holdsSite[current] = true
                current = scan.folders[current].parent
            }
        }
        for (index, folder) in scan.folders.enumerated() where !holdsSite[index] {
            found[folder.path] = Manifest.Foreign(inode: folder.inode, isFolder: true)
        }
        return found
    }
}
