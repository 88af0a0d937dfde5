import Foundation
import Testing
import TianshanModel
@testable import TianshanBuild

/// A seeded random series of edits of every kind, built incrementally the two ways Tianshan builds (a watcher's
/// long-lived session, and command-line runs sharing the cache file) and compared after every step with a clean
/// build. `make differential` runs it with a fresh seed and more steps; a failure names the seed and step that
/// replay it (TIANSHAN_DIFF_SEED, TIANSHAN_DIFF_STEPS; TIANSHAN_DIFF_LOG=1 prints every edit on the way).
@Suite struct DifferentialBuildTests {
    /// Fixed, so `make test` runs the same edits every time; chosen among the first seeds tried because its 320
    /// steps reach both kinds of staleness the first issue reported (the tag cloud, a listing's order by weight).
    static let defaultSeed: UInt64 = 12
    static let defaultSteps = 320
    /// Individual failures recorded as issues; the rest are summed up, so a badly broken build does not bury the report.
    static let reportedIndividually = 40

    static var fixture: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Fixtures/differential-site")
    }

    static func seed(from environment: [String: String]) -> UInt64 {
        guard let text = environment["TIANSHAN_DIFF_SEED"]?.trimmingCharacters(in: .whitespaces), !text.isEmpty else { return defaultSeed }
        if text.lowercased().hasPrefix("0x") { return UInt64(text.dropFirst(2).replacingOccurrences(of: "_", with: ""), radix: 16) ?? defaultSeed }
        return UInt64(text) ?? defaultSeed
    }

    @Test func randomEditsMatchCleanBuilds() async throws {
        let environment = ProcessInfo.processInfo.environment
        let seed = Self.seed(from: environment)
        let steps = environment["TIANSHAN_DIFF_STEPS"].flatMap { Int($0) } ?? Self.defaultSteps
        let runner = try DifferentialRunner(seed: seed, steps: steps, fixture: Self.fixture, modes: [.watch, .preview, .commandLine])
        try await runner.run()

        for mismatch in runner.mismatches.prefix(Self.reportedIndividually) { Issue.record("\(mismatch)") }
        if runner.mismatches.count > Self.reportedIndividually {
            Issue.record("differential seed \(seed): \(runner.mismatches.count - Self.reportedIndividually) more failing steps not listed")
        }
        for disagreement in runner.disagreements.prefix(Self.reportedIndividually) {
            Issue.record("differential seed \(seed): the edit generator's checker disagrees with a clean build at \(disagreement)")
        }
        print(Self.summary(runner))

        // A full-length run must have reached what it claims to test: failed builds and every kind of edit.
        // (A replay stops at the failing step, so it is not held to this.)
        if steps >= Self.defaultSteps {
            #expect(runner.failedSteps > 0, "no step made the site invalid")
            let missing = SiteEdit.Kind.allCases.filter { runner.made[$0, default: 0] == 0 }
            #expect(missing.isEmpty, "edit kinds never made in \(steps) steps: \(missing.map(\.rawValue))")
        }
    }

    static func summary(_ runner: DifferentialRunner) -> String {
        var lines = ["differential: seed \(runner.seed), \(runner.steps) steps, \(runner.failedSteps) with an invalid site, "
                     + "\(runner.mismatches.count) mismatches, \(String(format: "%.1f", runner.seconds)) s"]
        let byKind = Dictionary(grouping: runner.mismatches) { "\($0.mode.rawValue) after \($0.kind.rawValue)" }
        for (key, found) in byKind.sorted(by: { $0.key < $1.key }) {
            lines.append("  \(key): \(found.count) (first at step \(found[0].step))")
        }
        lines.append("  edits made: " + SiteEdit.Kind.allCases.map { "\($0.rawValue) \(runner.made[$0, default: 0])" }.joined(separator: ", "))
        return lines.joined(separator: "\n")
    }

    // MARK: The harness itself

    /// The comparison must catch staleness: a session told that nothing changed keeps its old output, and
    /// succeeds where the sources are broken.
    @Test func staleOutputIsCaught() async throws {
        let runner = try DifferentialRunner(seed: 7, steps: 30, fixture: Self.fixture, modes: [.toldNothing])
        try await runner.run()
        #expect(runner.mismatches.contains { $0.problem.contains("differs after") || $0.problem.contains("stale file") })
        #expect(runner.mismatches.contains { $0.problem.hasPrefix("succeeds where a clean build fails") }, "\(runner.mismatches.map(\.problem))")
        #expect(runner.mismatches.allSatisfy { $0.mode == .toldNothing })
        #expect(runner.disagreements.isEmpty, "\(runner.disagreements)")
    }

    /// Every fixture file is in the form the edits understand, the checker accepts the fixture, and its listings
    /// are long enough to paginate, so edits move pages across page boundaries.
    @Test func fixtureIsCanonicalAndPaginates() async throws {
        let model = try SiteModel.load(Self.fixture)
        for path in model.pagePaths { #expect(model.page(path) != nil, "\(path) is not in the canonical page form") }
        for path in model.dataFiles {
            let text = try #require(model.text(SiteModel.content + path))
            #expect(DataText(text, path: path)?.text == text, "\(path) does not round-trip as rows")
        }
        #expect(SiteChecker.problems(model) == [])

        let output = FileManager.default.temporaryDirectory.appendingPathComponent("tianshan-differential-fixture-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: output) }
        let content = Self.fixture.appendingPathComponent("Content")
        let templates = Self.fixture.appendingPathComponent("Templates")
        _ = try await BuildSession(options: BuildOptions(content: content, templates: templates, output: output)).build()
        let tree = try OutputTree(of: output)
        for path in ["cases/page/2/index.html", "news/page/2/index.html", "tags/孵化器/page/2/index.html", "cases/fox/index.html", "report/by-level.csv"] {
            #expect(tree.files[path] != nil, "\(path) missing from the fixture's build")
        }
        #expect(tree.files["cases/echo/index.html"] == nil, "the draft is left out")
        let about = String(decoding: tree.files["about/index.html"] ?? Data(), as: UTF8.self)
        #expect(about.contains("孵化器 4</a>"), "a plain page shows the tag cloud with counts")
    }

    @Test func sameSeedSameEdits() throws {
        func descriptions(_ seed: UInt64) throws -> [String] {
            var generator = EditGenerator(seed: seed, model: try SiteModel.load(Self.fixture))
            return (0..<40).map { _ in generator.next().description }
        }
        let first = try descriptions(42)
        #expect(try descriptions(42) == first)
        #expect(try descriptions(43) != first)
    }

    @Test func treeDifferenceNamesTheFirstDifferingFile() throws {
        let clean = OutputTree(files: ["a.html": Data("<p>标签 3</p>".utf8), "b.html": Data("b".utf8)])
        #expect(clean.difference(from: clean) == nil)
        let stale = OutputTree(files: ["a.html": Data("<p>标签 2</p>".utf8), "b.html": Data("b".utf8), "c.html": Data()])
        let text = try #require(stale.difference(from: clean))
        #expect(text.hasPrefix("a.html: differs after «…<p>标签 »: clean build has «3</p>», incremental has «2</p>»"), "\(text)")
        #expect(text.contains("2 files differ: a.html, c.html"))
        #expect(OutputTree(files: ["a.html": clean.files["a.html"]!]).difference(from: clean) == "b.html: missing (a clean build writes it)")
    }

    /// A folder renamed as a whole is reported as its two names, as inotify reports it, plus the files whose links
    /// were rewritten; a new page in a new folder brings the folder's name along.
    @Test func watcherPathsForFolderMovesAndNewFolders() throws {
        let model = try SiteModel.load(Self.fixture)
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("tianshan-differential-paths-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: root) }
        let folder = try SourceFolder(root: root, model: model)
        var renamed = model
        renamed.relocate({ $0.hasPrefix("news/") ? "updates" + $0.dropFirst(4) : $0 }, sitePaths: { $0.hasPrefix("/news/") ? "/updates" + $0.dropFirst(5) : $0 })
        let edit = SiteEdit(kind: .folderRename, detail: "news → updates", model: renamed,
                            folderMoves: [SiteEdit.FolderMove(from: "Content/news", to: "Content/updates")])
        let changed = try folder.apply(edit, from: model).map { String($0.dropFirst(folder.root.path.count + 1)) }
        #expect(changed == ["Content/cases/bravo.md", "Content/cases/delta.md", "Content/index.md", "Content/news", "Content/updates"].sorted())
        #expect(try SiteModel.load(folder.root) == renamed)
        #expect(renamed.page("cases/delta.md")?.links.first?.target == "../updates/policy.md#要点")
        #expect(renamed.page("index.md")?.links.map(\.target).contains("/updates/") == true)

        var added = renamed
        added.setText("Content/events/kilo.md", "---\ntitle: 新\n---\n")
        let more = try folder.apply(SiteEdit(kind: .pageAdd, detail: "events/kilo.md", model: added), from: renamed)
        #expect(more.map { String($0.dropFirst(folder.root.path.count + 1)) } == ["Content/events", "Content/events/kilo.md"])
    }
}
