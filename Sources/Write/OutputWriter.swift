import Foundation
import TianshanModel

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

/// Writes a whole site into a fresh staging folder beside the output folder and swaps it in only when everything was written.
public struct OutputWriter: Sendable {
    public var outputRoot: URL

    public init(outputRoot: URL) {
        self.outputRoot = outputRoot.standardizedFileURL
    }

    /// Returns the number of files written and copied.
    @discardableResult
    public func write(files: [OutputFile], copies: [OutputCopy]) throws -> Int {
        for path in files.map(\.path) + copies.map(\.path) where !Self.isSafe(path) {
            throw WriteError.unsafePath(path)
        }
        let fm = FileManager.default
        let parent = outputRoot.deletingLastPathComponent()
        let token = "\(ProcessInfo.processInfo.processIdentifier)-\(UInt32.random(in: 0...UInt32.max))"
        let staging = parent.appendingPathComponent(".\(outputRoot.lastPathComponent).staging-\(token)")
        do {
            try fm.createDirectory(at: staging, withIntermediateDirectories: true)
            var made = Set<String>()
            func ensureFolder(of path: String) throws {
                guard let slash = path.lastIndex(of: "/") else { return }
                let folder = String(path[..<slash])
                if made.insert(folder).inserted {
                    try fm.createDirectory(at: staging.appendingPathComponent(folder), withIntermediateDirectories: true)
                }
            }
            for file in files {
                try ensureFolder(of: file.path)
                try file.bytes.write(to: staging.appendingPathComponent(file.path))
            }
            for copy in copies {
                try ensureFolder(of: copy.path)
                let target = staging.appendingPathComponent(copy.path)
                if fm.fileExists(atPath: target.path) { try fm.removeItem(at: target) }
                try fm.copyItem(at: copy.source, to: target)
            }
            try swapIn(staging)
        } catch let error as WriteError {
            try? fm.removeItem(at: staging)
            throw error
        } catch {
            try? fm.removeItem(at: staging)
            throw WriteError.io(path: outputRoot.path, underlying: "\(error)")
        }
        return files.count + copies.count
    }

    /// Replaces the output folder with `staging`; the old folder is renamed aside first and deleted last.
    func swapIn(_ staging: URL) throws {
        let fm = FileManager.default
        var old: URL?
        if fm.fileExists(atPath: outputRoot.path) {
            let aside = staging.deletingLastPathComponent()
                .appendingPathComponent(".\(outputRoot.lastPathComponent).old-\(UInt32.random(in: 0...UInt32.max))")
            try fm.moveItem(at: outputRoot, to: aside)
            old = aside
        }
        do {
            try fm.moveItem(at: staging, to: outputRoot)
        } catch {
            if let old { try? fm.moveItem(at: old, to: outputRoot) }
            throw error
        }
        if let old { try? fm.removeItem(at: old) }
    }

    /// Relative, no "..", no empty components: the path stays inside the output folder.
    public static func isSafe(_ path: String) -> Bool {
        guard !path.isEmpty, !path.hasPrefix("/"), !path.contains("\\"), !path.contains("\0") else { return false }
        return !path.split(separator: "/", omittingEmptySubsequences: false).contains { $0 == ".." || $0 == "." || $0.isEmpty }
    }
}
