import Foundation
import Testing
@testable import TianshanWrite

/// A scan that trusts what the record says of folders unchanged since (`KnownFolders`) finds exactly what a
/// scan listing every folder finds, whatever someone did to the output after the commit.
@Suite struct KnownFoldersTests {
    /// What a scan found, in a form two scans can be compared by.
    struct Found: Equatable {
        var files: [String: FileSystem.Stamp]
        var folders: [String: UInt64]

        init(_ scan: FileSystem.Scan) {
            files = scan.files
            folders = Dictionary(scan.folders.map { ($0.path, $0.inode) }, uniquingKeysWith: { a, _ in a })
        }
    }

    @Test func aScanTrustingUnchangedFoldersFindsWhatAFullScanFinds() async throws {
        var random = SplitMix(seed: 2_026_1201)
        for round in 0..<24 {
            let fixture = try WriteFixture()
            defer { fixture.remove() }
            var site: [String: String] = [:]
            for i in 0..<40 {
                let depth = Int(random.next() % 4)
                let folders = (0..<depth).map { _ in "d\(Int(random.next() % 3))" }
                site[(folders + ["p\(i).html"]).joined(separator: "/")] = "page \(i) of round \(round)"
            }
            // Two commits, so the output in place was brought up to date as a spare, as most outputs are.
            _ = try await fixture.build(site)
            site["d0/extra.html"] = "one more"
            let (_, committed) = try await fixture.build(site)
            let manifest = try #require(committed)
            let examinedAt = try #require(manifest.examinedAt, "a commit records when its knowledge of the folders dates from")

            // What someone else does to the output afterwards.
            let output = fixture.output.path
            let fm = FileManager.default
            let paths = site.keys.sorted()
            let victim = paths[Int(random.next() % UInt64(paths.count))]
            let folderOfVictim = (victim as NSString).deletingLastPathComponent
            switch round % 6 {
            case 0:
                try "notes".write(toFile: output + "/" + (folderOfVictim.isEmpty ? "" : folderOfVictim + "/") + "notes.txt", atomically: false, encoding: .utf8)
            case 1:
                try fm.removeItem(atPath: output + "/" + victim)
            case 2:
                try fm.createDirectory(atPath: output + "/" + (folderOfVictim.isEmpty ? "" : folderOfVictim + "/") + "uploads/2026", withIntermediateDirectories: true)
                try "x".write(toFile: output + "/" + (folderOfVictim.isEmpty ? "" : folderOfVictim + "/") + "uploads/2026/a.txt", atomically: false, encoding: .utf8)
            case 3:
                // An editor's save: a new file renamed over the old one.
                try "edited".write(toFile: output + "/" + victim, atomically: true, encoding: .utf8)
            case 4:
                try fm.removeItem(atPath: output + "/" + victim)
                try fm.createDirectory(atPath: output + "/" + victim, withIntermediateDirectories: false)
            default:
                if !folderOfVictim.isEmpty {
                    try fm.moveItem(atPath: output + "/" + folderOfVictim, toPath: output + "/" + folderOfVictim + "-moved")
                }
            }

            let trusting = FileSystem.scan(output, known: KnownFolders(manifest, unchangedBefore: examinedAt))
            #expect(Found(trusting) == Found(FileSystem.scan(output)), "round \(round)")
        }
    }

    @Test func aFolderUnchangedSinceIsLookedAtNotListed() async throws {
        let fixture = try WriteFixture()
        defer { fixture.remove() }
        let site = ["a/b/index.html": "b", "a/c/index.html": "c", "index.html": "home"]
        _ = try await fixture.build(site)
        let (_, committed) = try await fixture.build(site.merging(["a/d/index.html": "d"]) { a, _ in a })
        let manifest = try #require(committed)
        // A file put in a folder while it reads as unchanged is not seen: the folder was not listed. (Nothing
        // can do this to a real folder, whose status-change time moves with every entry; a time in the future
        // stands for it here.)
        try "hidden".write(toFile: fixture.output.path + "/a/b/new.txt", atomically: false, encoding: .utf8)
        let future = KnownFolders.now() + 3_600_000_000_000
        let trusting = FileSystem.scan(fixture.output.path, known: KnownFolders(manifest, unchangedBefore: future))
        #expect(trusting.files["a/b/new.txt"] == nil)
        #expect(trusting.files["a/b/index.html"] != nil)
        // With the record's own time, the folder changed after it and is listed.
        let listed = FileSystem.scan(fixture.output.path, known: KnownFolders(manifest, unchangedBefore: try #require(manifest.examinedAt)))
        #expect(listed.files["a/b/new.txt"] != nil)
    }

    @Test func aFileSomeonePutInADeepFolderIsCarriedByTheNextBuild() async throws {
        let fixture = try WriteFixture()
        defer { fixture.remove() }
        let site = ["cases/one/index.html": "1", "cases/two/index.html": "2", "index.html": "home"]
        _ = try await fixture.build(site)
        _ = try await fixture.build(site.merging(["cases/three/index.html": "3"]) { a, _ in a })
        try "mine".write(toFile: fixture.output.path + "/cases/one/notes.txt", atomically: false, encoding: .utf8)
        // As the command line does: the record read from disk, nothing kept in memory.
        _ = try await fixture.build(site.merging(["index.html": "home, edited"]) { a, _ in a })
        #expect(WriteFixture.tree(fixture.output)["cases/one/notes.txt"] == "mine")
        _ = try await fixture.build(site)
        #expect(WriteFixture.tree(fixture.output)["cases/one/notes.txt"] == "mine")
    }
}
