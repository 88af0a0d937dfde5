import Foundation
import Testing
import TianshanModel

/// A real `tianshan build` of a few thousand pages, killed with SIGKILL at many points of its write phase: each
/// time the output folder is the complete site before or the complete site after (every file's hash compared with
/// reference trees built cleanly elsewhere), and the next build is complete.
@Suite(.serialized) struct KillTests {
    static let pages = 2000
    static let kills = 12
    static let versions = ["v1", "v2", "v3"]
    /// Kills during rendering, by kill number: at this fraction of the last build's duration.
    static let renderSlices: [Int: Double] = [0: 0.5, 6: 0.8]
    /// The other kills: at this fraction of the last commit's duration after record.next appears.
    static let commitSlices: [Int: Double] = [1: 0, 2: 1.0 / 128, 3: 1.0 / 64, 4: 1.0 / 32, 5: 1.0 / 16, 7: 1.0 / 8, 8: 0.25, 9: 0.5, 10: 1, 11: 1.0 / 24]

    /// The tianshan executable built beside this test binary (`swift build --build-tests` builds both).
    static var executable: URL {
        URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent().appendingPathComponent("tianshan")
    }

    @Test func outputIsAlwaysOneCompleteSite() throws {
        try #require(FileManager.default.isExecutableFile(atPath: Self.executable.path), "build the tianshan product first: \(Self.executable.path)")
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("tianshan-kill-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: root) }
        let site = try Site(root: root, pages: Self.pages)

        // Three complete sites, each built cleanly into a folder of its own. Builds go round them, so the spare
        // (the output before last) never already holds the site a build writes: every commit has all to do.
        var references: [String: Tree] = [:]
        for version in Self.versions {
            try site.setVersion(version)
            try #require(site.build(into: root.appendingPathComponent("ref-" + version)).status == 0)
            references[version] = Tree(root.appendingPathComponent("ref-" + version))
        }
        try #require(references["v1"]!.files.count > Self.pages)
        try #require(Set(references.values.map(\.files)).count == Self.versions.count)

        let output = root.appendingPathComponent("Output")
        let state = root.appendingPathComponent(".Output.tianshan")
        try site.setVersion("v1")
        try #require(site.build(into: output).status == 0)
        #expect(Tree(output) == references["v1"])
        // A build from v1 to v2 run to the end, to time its commit: from record.next appearing to its promotion.
        try site.setVersion("v2")
        let calibration = try site.launch(into: output, watching: state)
        let timing = calibration.waitForCommit()
        calibration.process.waitUntilExit()
        #expect(calibration.process.terminationStatus == 0)
        #expect(Tree(output) == references["v2"])
        var total = timing.finished
        var commit = Self.window(timing)

        var current = "v2"
        var killedInCommit = 0
        var killedRunning = 0
        for index in 0..<Self.kills {
            let target = Self.versions[(Self.versions.firstIndex(of: current)! + 1) % Self.versions.count]
            try site.setVersion(target)
            let run = try site.launch(into: output, watching: state)
            // Two kills fall while pages render and stream into the scratch folder; the others after record.next
            // appears, at delays spaced geometrically up to the commit's length as the last build took it, since
            // that length varies a lot on a busy machine and most of a commit's work comes early.
            var phase = "rendering"
            if let slice = Self.renderSlices[index] {
                usleep(useconds_t(total * slice * 1e6))
            } else {
                let seen = run.waitForNextRecord()
                let delay = commit * (Self.commitSlices[index] ?? 0)
                usleep(useconds_t(delay * 1e6))
                phase = seen ? String(format: "commit+%.1fms", delay * 1000) : "finished before record.next was seen"
            }
            let wasRunning = run.process.isRunning
            kill(run.process.processIdentifier, SIGKILL)
            run.process.waitUntilExit()
            if wasRunning && run.process.terminationReason == .uncaughtSignal {
                killedRunning += 1
                if phase.hasPrefix("commit") { killedInCommit += 1 }
            }

            let after = Tree(output)
            let match = [current, target].first { references[$0] == after }
            #expect(match != nil, "kill \(index) (\(phase)): the output is neither complete site: \(after.difference(references[current]!).prefix(5))")
            // Before its record.next the build had not begun to commit; once record is the new one, it had finished.
            if !run.wroteNextRecord && !run.promoted { #expect(match == current, "kill \(index) (\(phase)): changed the output before committing") }
            if run.promoted { #expect(match == target, "kill \(index) (\(phase)): the record was promoted but the old site is in place") }
            print("KillTests: kill \(index) \(phase): \(wasRunning ? "killed" : "had ended"), output is \(match ?? "mixed")"
                + (run.promoted ? " (record promoted)" : run.wroteNextRecord ? " (record.next written)" : ""))
            // The next build finishes what was cut and is complete; it leaves no scratch of the killed one.
            let next = try site.launch(into: output, watching: state)
            let nextTiming = next.waitForCommit()
            next.process.waitUntilExit()
            #expect(next.process.terminationStatus == 0, "kill \(index): the next build failed: \(next.errors)")
            // Later kills aim at the commit as the last build timed it: the first one also had to make the spare.
            (total, commit) = (nextTiming.finished, Self.window(nextTiming))
            #expect(Tree(output) == references[target], "kill \(index) (\(phase)): the next build is not complete")
            let leftovers = ((try? FileManager.default.contentsOfDirectory(atPath: state.path)) ?? []).filter {
                $0.hasPrefix("scratch-") || $0.hasPrefix("staging-") || $0 == "record.next" || $0 == "aside"
            }
            #expect(leftovers.isEmpty, "kill \(index): \(leftovers)")
            current = target
        }
        print("KillTests: \(killedRunning) of \(Self.kills) kills hit a running build, \(killedInCommit) inside its commit "
            + "(commit \(String(format: "%.0f", commit * 1000)) ms of \(String(format: "%.1f", total)) s)")
        #expect(killedInCommit >= Self.kills / 4, "too few kills landed inside the commit to mean anything")
    }

    /// How long a build's commit took, from record.next appearing to its promotion.
    static func window(_ timing: (nextWritten: Double?, promoted: Double?, finished: Double)) -> Double {
        max(0.002, (timing.promoted ?? timing.finished) - (timing.nextWritten ?? timing.finished))
    }

    /// A generated site: many small pages in one section with tags, and a base layout whose footer names a version,
    /// so changing it renders every page again.
    struct Site {
        let root: URL
        var content: URL { root.appendingPathComponent("site/Content") }
        var templates: URL { root.appendingPathComponent("site/Templates") }

        init(root: URL, pages: Int) throws {
            self.root = root
            let fm = FileManager.default
            try fm.createDirectory(at: content.appendingPathComponent("notes"), withIntermediateDirectories: true)
            try fm.createDirectory(at: templates.appendingPathComponent("layouts"), withIntermediateDirectories: true)
            try fm.createDirectory(at: templates.appendingPathComponent("assets"), withIntermediateDirectories: true)
            try write("site.yaml", "title: 中断测试\nbase_url: /\npaginate: 100\n", in: content)
            try write("index.md", "---\ntitle: 首页\n---\n这是首页。\n", in: content)
            for i in 0..<pages {
                let name = String(format: "n%05d", i)
                let next = String(format: "n%05d", (i + 1) % pages)
                try write("notes/\(name).md", """
                    ---
                    title: 笔记 \(i)
                    date: 2024-\(String(format: "%02d", i % 12 + 1))-\(String(format: "%02d", i % 28 + 1))
                    tags: [标签\(i % 9)]
                    ---
                    第 \(i) 篇，*一段*文字和[下一篇](\(next).md)。

                    第二段：\(String(repeating: "天山", count: i % 50))。

                    """, in: content)
            }
            // The shipped theme's words: a theme without its strings cannot build.
            try fm.createDirectory(at: templates.appendingPathComponent("i18n"), withIntermediateDirectories: true)
            try fm.copyItem(at: ReportPDFTests.repository.appendingPathComponent("Templates/i18n/zh-CN.yaml"),
                            to: templates.appendingPathComponent("i18n/zh-CN.yaml"))
            try write("assets/site.css", "body { margin: 0 }\n", in: templates)
            try write("layouts/page.mustache", "{{<layouts.base}}{{$main}}<h1>{{page.title}}</h1>{{{page.content}}}{{/main}}{{/layouts.base}}\n", in: templates)
            try write("layouts/list.mustache", """
                {{<layouts.base}}{{$main}}<h1>{{page.title}}</h1>{{{page.content}}}<ul>{{#pages}}<li><a href="{{url}}">{{title}}</a></li>{{/pages}}</ul>{{/main}}{{/layouts.base}}

                """, in: templates)
        }

        func setVersion(_ version: String) throws {
            try write("layouts/base.mustache", """
                <!DOCTYPE html><html><head><meta charset="utf-8"><title>{{page.title}}</title><link rel="stylesheet" href="{{root}}assets/site.css"></head>
                <body><main>{{$main}}{{/main}}</main><footer>\(version)</footer></body></html>

                """, in: templates)
        }

        func write(_ path: String, _ text: String, in folder: URL) throws {
            try Data(text.utf8).write(to: folder.appendingPathComponent(path))
        }

        func arguments(_ output: URL) -> [String] {
            ["build", "--quiet", "--content", content.path, "--templates", templates.path, "--output", output.path]
        }

        func build(into output: URL) throws -> (status: Int32, errors: String) {
            let process = Process()
            process.executableURL = KillTests.executable
            process.arguments = arguments(output)
            let errors = Pipe()
            process.standardOutput = FileHandle.nullDevice
            process.standardError = errors
            try process.run()
            let text = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            process.waitUntilExit()
            return (process.terminationStatus, text)
        }

        func launch(into output: URL, watching state: URL) throws -> Run {
            let run = Run(state: state, errorFile: root.appendingPathComponent("stderr-\(UUID().uuidString)"))
            run.process.executableURL = KillTests.executable
            run.process.arguments = arguments(output)
            run.process.standardOutput = FileHandle.nullDevice
            FileManager.default.createFile(atPath: run.errorFile.path, contents: nil)
            run.process.standardError = try FileHandle(forWritingTo: run.errorFile)
            try run.process.run()
            return run
        }
    }

    /// A running build and the state folder it commits into.
    final class Run {
        let process = Process()
        let state: URL
        let start = Date()
        /// The inodes of the record files before the build started: a new inode means the build wrote one.
        let recordBefore: UInt64?
        let nextBefore: UInt64?

        /// Where the build's standard error goes (a file: a pipe nobody reads while polling could fill up).
        let errorFile: URL
        var errors: String { (try? String(contentsOf: errorFile, encoding: .utf8)) ?? "" }

        init(state: URL, errorFile: URL) {
            self.state = state
            self.errorFile = errorFile
            recordBefore = Self.inode(state.appendingPathComponent("record").path)
            nextBefore = Self.inode(state.appendingPathComponent("record.next").path)
        }

        /// Whether the build wrote record.next (began its commit) or promoted it to record (finished it).
        var wroteNextRecord: Bool {
            let inode = Self.inode(state.appendingPathComponent("record.next").path)
            return (inode != nil && inode != nextBefore) || promoted
        }
        var promoted: Bool { Self.inode(state.appendingPathComponent("record").path) != recordBefore }

        static func inode(_ path: String) -> UInt64? {
            var info = stat()
            return stat(path, &info) == 0 ? UInt64(info.st_ino) : nil
        }

        /// Waits until this build has written record.next (the start of its commit); false if it ended first.
        func waitForNextRecord() -> Bool {
            let path = state.appendingPathComponent("record.next").path
            while process.isRunning {
                if let inode = Self.inode(path), inode != nextBefore { return true }
                usleep(100)
            }
            return false
        }

        /// When record.next appeared, when it was promoted to record, and when the build ended (seconds after start).
        func waitForCommit() -> (nextWritten: Double?, promoted: Double?, finished: Double) {
            var written: Double?
            var promoted: Double?
            let next = state.appendingPathComponent("record.next").path
            let record = state.appendingPathComponent("record").path
            while process.isRunning {
                let now = Date().timeIntervalSince(start)
                if written == nil, let inode = Self.inode(next), inode != nextBefore { written = now }
                if written != nil, promoted == nil, let inode = Self.inode(record), inode != recordBefore { promoted = now }
                usleep(100)
            }
            return (written, promoted, Date().timeIntervalSince(start))
        }
    }

    /// Every file of a folder by relative path, with a hash of its bytes.
    struct Tree: Equatable {
        var files: [String: UInt64] = [:]

        init(_ folder: URL) {
            let base = folder.path + "/"
            guard let walker = FileManager.default.enumerator(atPath: folder.path) else { return }
            while let path = walker.nextObject() as? String {
                var info = stat()
                guard lstat(base + path, &info) == 0, info.st_mode & S_IFMT != S_IFDIR else { continue }
                files[path] = FileManager.default.contents(atPath: base + path).map { ContentHash.hash($0) } ?? 0
            }
        }

        /// Paths where two trees differ, for a message.
        func difference(_ other: Tree) -> [String] {
            Set(files.keys).union(other.files.keys).filter { files[$0] != other.files[$0] }.sorted()
        }
    }
}
