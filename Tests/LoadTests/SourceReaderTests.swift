import Foundation
import Testing
@testable import TianshanLoad

@Suite struct SourceReaderTests {
    /// The listing is what the build and the no-change check both start from: every regular file at any depth,
    /// sorted, with hidden names, editors' backups, office lock files and symbolic links left out.
    @Test func listingHoldsRegularFilesAtAnyDepthAndNothingElse() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("tianshan-listing-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: root) }
        let files = ["a.md", "cases/b.md", "cases/深/层/c.md", "data/projects.xlsx"]
        for file in files + [".hidden.md", "cases/b.md~", "data/~$projects.xlsx", ".git/config"] {
            let url = root.appendingPathComponent(file)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(file.utf8).write(to: url)
        }
        let outside = FileManager.default.temporaryDirectory.appendingPathComponent("tianshan-listing-outside-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: outside, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: outside) }
        try Data("外面".utf8).write(to: outside.appendingPathComponent("x.md"))
        try FileManager.default.createSymbolicLink(at: root.appendingPathComponent("linked.md"), withDestinationURL: outside.appendingPathComponent("x.md"))
        try FileManager.default.createSymbolicLink(at: root.appendingPathComponent("linked"), withDestinationURL: outside)

        let listing = SourceReader.listing(under: root)
        #expect(listing.map(\.path) == files.sorted())
        for (path, stamp) in listing {
            let attributes = try FileManager.default.attributesOfItem(atPath: root.appendingPathComponent(path).path)
            #expect(stamp.size == (attributes[.size] as? NSNumber)?.int64Value)
        }
        #expect(SourceReader.listing(under: root.appendingPathComponent("missing")).isEmpty)
    }
}
