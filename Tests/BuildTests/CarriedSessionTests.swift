import Foundation
import Testing
import TianshanModel
import TianshanRender
@testable import TianshanBuild

/// What a session carries to its next build survives the state file, and a command-line build started from it
/// takes the path a watcher's rebuild takes.
@Suite struct CarriedSessionTests {
    /// A watching session after its first build, with what it carries (the readers indexed, as while it waits).
    func builtSession(_ site: FixtureSite) async throws -> BuildSession {
        let session = BuildSession(options: BuildOptions(content: site.content, templates: site.templates, output: site.output), policy: .watch)
        _ = try await session.build()
        await session.prepareNextBuild()
        return session
    }

    /// What a built session carries, with the parts of the session it was made from.
    func carried(by session: BuildSession) async throws
        -> (carried: CarriedSession, model: BuildSession.Model, files: BuildSession.PageFiles, committed: BuildSession.Committed, state: BuildState)
    {
        let model = try #require(await session.model)
        let files = try #require(await session.pageFiles)
        let committed = try #require(await session.committed)
        let state = await session.state
        let carried = try #require(CarriedSession(
            model: model, fileCount: files.fileCount, excludedProblems: files.excludedProblems, committed: committed,
            outputs: state.outputs, data: await session.decodedData
        ))
        return (carried, model, files, committed, state)
    }

    @Test func comesBackAsTheSessionLeftIt() async throws {
        let site = try FixtureSite()
        defer { site.remove() }
        let (carried, model, files, committed, state) = try await carried(by: try await builtSession(site))
        #expect(!carried.shape.data.isEmpty)
        var saved = state
        saved.carried = carried
        let decoded = try #require(StateCoding.encode(saved).flatMap { StateCoding.decode($0) })
        #expect(decoded.carried == carried)

        let restored = try #require(decoded.carried?.restored(config: model.site.config, dataSets: model.site.dataSets, records: decoded.pages))
        #expect(restored.model.jobs == model.jobs && restored.model.identities == model.identities)
        #expect(restored.model.layouts == model.layouts && restored.model.key == model.key && restored.model.places == model.places)
        #expect(restored.model.listings?.tags == model.listings?.tags && restored.model.listings?.sections == model.listings?.sections)
        let (a, b) = (restored.model.site, model.site)
        #expect(a.pages.map(\.sourcePath) == b.pages.map(\.sourcePath) && a.sections == b.sections && a.tags == b.tags)
        #expect(a.recentPages == b.recentPages && a.sectionPages == b.sectionPages && a.pageBySitePath == b.pageBySitePath)
        #expect(a.contentAssets == b.contentAssets && a.templateAssets == b.templateAssets)
        // The table is made again from the listings and the pages' hashes: it must be the one committed.
        #expect(restored.committed.table == committed.table)
        #expect(restored.committed.readers == committed.readers.map { readers in
            var tidied = readers.tidied()
            tidied.other = tidied.other.filter { committed.table[$0.key] != nil }
            return tidied
        })
        #expect(restored.committed.outputBySitePath == committed.outputBySitePath && restored.committed.fragmentPages == committed.fragmentPages)
        #expect(restored.committed.views == committed.views && restored.committed.pages == committed.pages && restored.committed.copies == committed.copies)
        #expect(restored.committed.globals == committed.globals && restored.committed.markdownEnvironment == committed.markdownEnvironment)
        #expect(restored.pageFiles.fileCount == files.fileCount && restored.pageFiles.records.map(\.page?.sourcePath) == files.records.map(\.page?.sourcePath))
    }

    @Test func isNotUsedWhenItPointsPastThePagesOrMissesOne() async throws {
        let site = try FixtureSite()
        defer { site.remove() }
        let (carried, model, _, _, state) = try await carried(by: try await builtSession(site))
        func restores(_ edit: (inout CarriedSession) -> Void, records: [String: PageRecord]? = nil) -> Bool {
            var changed = carried
            edit(&changed)
            return changed.restored(config: model.site.config, dataSets: model.site.dataSets, records: records ?? state.pages) != nil
        }
        #expect(restores { _ in })
        let pages = carried.shape.order.count
        #expect(!restores { $0.shape.recentPages.append(pages) })
        #expect(!restores { $0.shape.tags[0].pages.append(pages) })
        #expect(!restores { $0.shape.sections["cases", default: []].append(pages) })
        #expect(!restores { $0.shape.jobs[0].kind = .content(pages) })
        #expect(!restores { $0.shape.jobs[0].kind = .tag(carried.shape.tags.count) })
        #expect(!restores { $0.shape.identities.removeLast() })
        #expect(!restores { $0.commit.views.removeLast() })
        #expect(!restores { $0.commit.fragmentPages.append(pages) })
        #expect(!restores { $0.commit.readers.views[0].append(Int32(carried.shape.jobs.count)) })
        #expect(!restores { $0.commit.readers.other["config", default: []].append(-1) })
        var missing = state.pages
        missing.removeValue(forKey: carried.shape.order[0])
        #expect(!restores({ _ in }, records: missing))
    }

    @Test func aCommandLineBuildAfterABodyEditAsksNoOutputWhetherItIsCurrent() async throws {
        let site = try FixtureSite()
        defer { site.remove() }
        _ = try await site.build()
        let a = site.content.appendingPathComponent("cases/a.md")
        let text = try String(contentsOf: a, encoding: .utf8)
        func expectSameAsClean(_ step: String) async throws {
            let clean = site.root.appendingPathComponent("Clean")
            defer { try? FileManager.default.removeItem(at: clean) }
            _ = try await BuildPipeline.build(BuildOptions(content: site.content, templates: site.templates, output: clean))
            #expect(try site.snapshot() == FixtureSite.snapshot(of: clean), "\(step)")
        }
        for (step, line) in [("first edit", "新增一段。"), ("second edit", "再加一段。")] {
            try site.write("Content/cases/a.md", text + "\n\(line)\n")
            let report = try await site.build()
            // The state the last build saved carries which outputs read what: those that read the page are stale.
            #expect(report.counts.outputsChecked == 0, "\(step)")
            #expect(report.counts.markdownRendered == 1 && report.counts.pagesRendered >= 1, "\(step)")
            try await expectSameAsClean(step)
        }
        // A new title changes the listings: the site and the plan are made again and every output is asked.
        try site.write("Content/cases/a.md", text.replacingOccurrences(of: "title: ", with: "title: 新"))
        let report = try await site.build()
        #expect(report.counts.outputsChecked > 0)
        try await expectSameAsClean("title edit")
    }
}
