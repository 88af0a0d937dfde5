import Foundation
import TianshanLoad
import TianshanModel
import TianshanWrite

/// A hash of every input's name, size and modification time plus the build options, saved beside the output.
/// A command-line build whose fingerprint equals the last successful one, with the output intact, has nothing to
/// do: it stops after one pass of `stat` calls (make's rule, with git's guard against racy timestamps).
struct InputFingerprint: Equatable {
    var value: UInt64
    /// The newest modification time among the inputs (nanoseconds since 1970).
    var newest: Int64

    static let version = "tianshan-fingerprint-1"

    static func compute(_ options: BuildOptions) -> InputFingerprint {
        compute(options, listing: SourceReader(contentRoot: options.content, templatesRoot: options.templates).list())
    }

    static func compute(_ options: BuildOptions, listing: SourceReader.Listing) -> InputFingerprint {
        var hash = StableHash()
        hash.add(version)
        // A different tianshan binary may render differently, so it counts as an input too.
        if let stamp = ToolBinary.stamp {
            hash.add(ToolBinary.path)
            hash.add(UInt64(bitPattern: stamp.size))
            hash.add(UInt64(bitPattern: stamp.modified))
        }
        hash.add(options.baseURL ?? "")
        hash.add(options.drafts ? "drafts" : "")
        var newest: Int64 = 0
        for (files, label) in [(listing.content, "content"), (listing.templates, "templates")] {
            hash.add(label)
            for (path, stamp) in files {
                hash.add(path)
                hash.add(UInt64(bitPattern: stamp.size))
                hash.add(UInt64(bitPattern: stamp.modified))
                newest = max(newest, stamp.modified)
            }
        }
        return InputFingerprint(value: hash.value, newest: newest)
    }

    static func file(_ options: BuildOptions) -> URL {
        OutputWriter(outputRoot: options.output).stateFolder.appendingPathComponent("inputs")
    }

    /// The saved fingerprint and when the build that saved it read its inputs.
    static func load(_ options: BuildOptions) -> (fingerprint: UInt64, readAt: Int64)? {
        guard let text = try? String(contentsOf: file(options), encoding: .utf8) else { return nil }
        let parts = text.split(separator: " ")
        guard parts.count == 2, let value = UInt64(parts[0], radix: 16), let readAt = Int64(parts[1]) else { return nil }
        return (value, readAt)
    }

    static func save(_ fingerprint: InputFingerprint, readAt: Int64, options: BuildOptions) {
        let url = file(options)
        try? FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try? Data("\(String(fingerprint.value, radix: 16)) \(readAt)".utf8).write(to: url, options: .atomic)
    }

    static func forget(_ options: BuildOptions) {
        try? FileManager.default.removeItem(at: file(options))
    }

    /// Whether every file the last build recorded is still in the output folder.
    static func outputIntact(_ options: BuildOptions) -> Bool {
        OutputWriter(outputRoot: options.output).outputIntact()
    }
}
