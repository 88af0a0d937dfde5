import Foundation
import Glibc
import TianshanBuild
import TianshanModel

/// A private temporary folder for preview builds, so `serve` never touches the user's output folder.
public struct PreviewWorkspace: Sendable {
    /// `<temp>/tianshan-preview-XXXXXX`, created with mkdtemp (mode 0700, unique).
    public let root: URL

    /// The built site. It sits one level down because a build stages beside its output folder,
    /// and the staging folder has to stay inside the workspace too.
    public var output: URL { root.appendingPathComponent("site") }

    public static func create() throws -> PreviewWorkspace {
        var template = Array((FileManager.default.temporaryDirectory.path + "/tianshan-preview-XXXXXX").utf8CString)
        let made = template.withUnsafeMutableBufferPointer { mkdtemp($0.baseAddress!) }
        guard made != nil else {
            throw CocoaError(.fileWriteUnknown, userInfo: [NSLocalizedDescriptionKey: "cannot create a temporary folder: \(String(cString: strerror(errno)))"])
        }
        let path = template.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
        return PreviewWorkspace(root: URL(fileURLWithPath: path, isDirectory: true))
    }

    public func remove() {
        try? FileManager.default.removeItem(at: root)
    }
}

/// The result of the latest preview build, as the server needs it for every request.
public struct BuildState: Sendable {
    /// Counts finished builds, good or bad; pages carry it so the reload client can tell it is stale.
    public var build: Int
    /// The problems of the latest build when it failed; empty after a good build.
    public var failure: [Diagnostic]

    public var ok: Bool { failure.isEmpty }
}

/// What one rebuild did.
public enum BuildOutcome: Sendable {
    case built(BuildReport)
    case failed([Diagnostic])
}

/// Owns the preview build and its state; `rebuild()` is the one place a rebuild happens. It keeps one
/// `BuildSession` for the life of the server, so each rebuild redoes only what the saved files touch.
public actor PreviewBuilder {
    public let options: BuildOptions
    let session: BuildSession
    public private(set) var state = BuildState(build: 0, failure: [])

    public init(options: BuildOptions) {
        self.options = options
        session = BuildSession(options: options, policy: .serve)
    }

    /// Work for the next rebuild while the preview waits for a change (see `BuildSession.prepareNextBuild`).
    public func prepareNextBuild() async {
        await session.prepareNextBuild()
    }

    /// Builds the site into `options.output` incrementally; on failure the last good output stays in place.
    /// - Parameter changed: absolute paths the watcher saw change, or nil to check every file.
    public func rebuild(changed: [String]? = nil) async -> (state: BuildState, outcome: BuildOutcome) {
        let outcome: BuildOutcome
        do {
            outcome = .built(try await session.build(changed: changed))
        } catch {
            // A failed build with no error-level diagnostic would look like success; make sure it cannot.
            let problems = error.diagnostics.hasErrors
                ? error.diagnostics
                : error.diagnostics + [.error(at: SourceLocation(file: options.content.path), "build failed")]
            outcome = .failed(problems)
        }
        var next = state
        next.build += 1
        if case .failed(let problems) = outcome { next.failure = problems } else { next.failure = [] }
        state = next
        return (next, outcome)
    }
}
