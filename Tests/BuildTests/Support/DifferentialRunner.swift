import Foundation
import TianshanModel
@testable import TianshanBuild

/// Runs one seed's edits through incremental builds, each on its own copy of the sources, and after every step
/// compares each output folder, file by file and byte for byte, with a clean build of the same sources into a
/// fresh folder. When the clean build fails, each incremental build must fail too, report the same problems and
/// leave its output as it was.
final class DifferentialRunner {
    enum Mode: String {
        /// One long-lived `BuildSession` told the changed paths, as `build --watch` keeps one: the real output
        /// folder, checked while the session waits for the next change.
        case watch
        /// The same with the preview's policy: a private output folder nobody else writes.
        case preview
        /// A one-off `BuildPipeline.build` per step, reusing the cache it saved beside the output the step before.
        case commandLine = "command line"
        /// A session told that nothing changed: always stale after a real edit. Only the harness's own test uses
        /// it, to show that the comparison catches staleness.
        case toldNothing = "session told nothing changed"
    }

    struct Mismatch: CustomStringConvertible {
        var step: Int
        var mode: Mode
        var edit: String
        var kind: SiteEdit.Kind
        var problem: String
        var seed: UInt64

        var description: String {
            "differential seed \(seed) step \(step) [\(mode.rawValue)] \(edit) — \(problem) "
                + "(replay: TIANSHAN_DIFF_SEED=\(seed) TIANSHAN_DIFF_STEPS=\(step) swift test --filter Differential)"
        }
    }

    /// Unchecked: each step builds the variants concurrently, one task per variant, and nothing else touches a
    /// variant until they are all done.
    final class Variant: @unchecked Sendable {
        let mode: Mode
        let sources: SourceFolder
        var output: URL { sources.root.appendingPathComponent("Output") }
        var options: BuildOptions { BuildOptions(content: sources.content, templates: sources.templates, output: output) }
        var session: BuildSession?
        /// The output after the last step, which a failed build must leave as it is.
        var tree = OutputTree(files: [:])

        init(mode: Mode, sources: SourceFolder) {
            self.mode = mode
            self.sources = sources
        }

        func build(changed: [String]?) async throws(DiagnosticsError) {
            switch mode {
            case .commandLine:
                _ = try await BuildPipeline.build(options)
            case .watch, .preview, .toldNothing:
                if session == nil { session = BuildSession(options: options, policy: mode == .watch ? .watch : .serve) }
                let session = session!
                // As the watcher and the preview do after every build, good or not.
                do { _ = try await session.build(changed: changed.map { mode == .toldNothing ? [] : $0 }) } catch {
                    await session.prepareNextBuild()
                    throw error
                }
                await session.prepareNextBuild()
            }
        }

        /// After a mismatch: start again from nothing, so later steps are judged on their own and one run can
        /// list every kind of edit that goes wrong.
        func reset() async {
            try? FileManager.default.removeItem(at: output)
            BuildPipeline.forgetSavedState(options)
            session = nil
            try? await build(changed: nil)
            tree = (try? OutputTree(of: output)) ?? OutputTree(files: [:])
        }
    }

    let seed: UInt64
    let steps: Int
    /// Prints every edit (TIANSHAN_DIFF_LOG=1), to see what led up to a failing step.
    let log = ProcessInfo.processInfo.environment["TIANSHAN_DIFF_LOG"] != nil
    let scratch: URL
    private(set) var generator: EditGenerator
    let variants: [Variant]
    private(set) var mismatches: [Mismatch] = []
    /// Steps where the checker's verdict on the sources differs from the clean build's: a gap in the harness,
    /// or a build that accepts what it should reject (or the reverse).
    private(set) var disagreements: [String] = []
    private(set) var failedSteps = 0
    private(set) var seconds = 0.0

    init(seed: UInt64, steps: Int, fixture: URL, modes: [Mode]) throws {
        self.seed = seed
        self.steps = steps
        scratch = FileManager.default.temporaryDirectory.appendingPathComponent("tianshan-differential-\(UUID().uuidString)")
        let model = try SiteModel.load(fixture)
        generator = EditGenerator(seed: seed, model: model)
        variants = try modes.map { mode in
            Variant(mode: mode, sources: try SourceFolder(root: FileManager.default.temporaryDirectory.appendingPathComponent("tianshan-differential-\(UUID().uuidString)-\(mode)"), model: model))
        }
    }

    deinit {
        try? FileManager.default.removeItem(at: scratch)
        for variant in variants { try? FileManager.default.removeItem(at: variant.sources.root) }
    }

    func run() async throws {
        let start = Date()
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        // Step 0: the first build of each variant.
        try await check(step: 0, edit: SiteEdit(kind: .resave, detail: "first build of the fixture", model: generator.model), changed: nil)
        for step in 1...max(1, steps) {
            let before = generator.model
            let edit = generator.next()
            var changed: [[String]] = []
            for variant in variants { changed.append(try variant.sources.apply(edit, from: before)) }
            if log { print("differential step \(step): \(edit.description)\(edit.problems.isEmpty ? "" : " — expected to fail: \(edit.problems.joined(separator: "; "))")") }
            try await check(step: step, edit: edit, changed: changed)
        }
        seconds = Date().timeIntervalSince(start)
    }

    /// Builds the step clean and incrementally, then compares. `changed` holds each variant's changed paths (nil
    /// for the first build).
    private func check(step: Int, edit: SiteEdit, changed: [[String]]?) async throws {
        // The clean build: a new session with no cache, into a folder that does not exist yet. It reads the first
        // variant's copy of the sources while the variants build, each in its own folders, at the same time:
        // the builds are independent, and a step costs the slowest of them instead of their sum.
        let reference = variants[0].sources
        let cleanOutput = scratch.appendingPathComponent("clean-\(step)")
        defer {
            // With the record a build keeps beside its output folder.
            try? FileManager.default.removeItem(at: cleanOutput)
            try? FileManager.default.removeItem(at: scratch.appendingPathComponent(".clean-\(step).tianshan"))
        }
        async let cleanBuild = Self.build(BuildSession(options: BuildOptions(content: reference.content, templates: reference.templates, output: cleanOutput)))
        let outcomes = await withTaskGroup(of: (Int, DiagnosticsError?).self) { group in
            for (index, variant) in variants.enumerated() {
                let paths = changed?[index]
                group.addTask {
                    do throws(DiagnosticsError) {
                        try await variant.build(changed: paths)
                        return (index, nil)
                    } catch {
                        return (index, error)
                    }
                }
            }
            var outcomes = [DiagnosticsError?](repeating: nil, count: variants.count)
            for await (index, outcome) in group { outcomes[index] = outcome }
            return outcomes
        }
        let clean: Result<OutputTree, DiagnosticsError>
        if let error = await cleanBuild { clean = .failure(error) } else { clean = .success(try OutputTree(of: cleanOutput)) }
        if case .failure = clean { failedSteps += 1 }

        switch clean {
        case .success where !edit.problems.isEmpty:
            disagreements.append("step \(step) \(edit.description): the checker expected \(edit.problems) but a clean build succeeds")
        case .failure(let error) where edit.problems.isEmpty:
            disagreements.append("step \(step) \(edit.description): a clean build fails: \(normalized(error).prefix(3).joined(separator: " | "))")
        default: break
        }

        for (variant, outcome) in zip(variants, outcomes) {
            func mismatch(_ problem: String) {
                mismatches.append(Mismatch(step: step, mode: variant.mode, edit: edit.description, kind: edit.kind, problem: problem, seed: seed))
            }
            let tree = try OutputTree(of: variant.output)
            var wrong = false
            switch (clean, outcome) {
            case (.success(let expected), nil):
                if let difference = tree.difference(from: expected) {
                    mismatch(difference)
                    wrong = true
                }
            case (.success, let error?):
                mismatch("fails where a clean build succeeds: \(normalized(error).prefix(3).joined(separator: " | "))")
                wrong = true
            case (.failure(let expected), nil):
                mismatch("succeeds where a clean build fails with \(normalized(expected).prefix(3).joined(separator: " | "))")
                wrong = true
            case (.failure(let expected), let error?):
                if let difference = tree.difference(from: variant.tree) {
                    mismatch("a failed build changed the output: \(difference.replacingOccurrences(of: "clean build", with: "the output before"))")
                    wrong = true
                }
                if normalized(error) != normalized(expected) {
                    mismatch("reports other problems than a clean build: clean \(normalized(expected)), incremental \(normalized(error))")
                    wrong = true
                }
            }
            if wrong {
                await variant.reset()
            } else {
                variant.tree = tree
            }
        }
    }

    private static func build(_ session: BuildSession) async -> DiagnosticsError? {
        do {
            _ = try await session.build()
            return nil
        } catch {
            return error
        }
    }

    /// Problems as text with each copy's folder replaced by one name, since every copy lives elsewhere.
    private func normalized(_ error: DiagnosticsError) -> [String] {
        error.diagnostics.map { diagnostic in
            var text = diagnostic.description
            for root in variants.map(\.sources.root.path) { text = text.replacingOccurrences(of: root + "/", with: "<site>/") }
            return text
        }.sorted()
    }

    var made: [SiteEdit.Kind: Int] { generator.made }
}
