import Foundation
import Testing
import TianshanFuzzSupport

/// Every input the fuzzer ever crashed on, plus the shipped content, must pass through the harness.
@Suite struct FuzzRegressionTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static func files(under folder: String) -> [URL] {
        let base = root.appendingPathComponent(folder)
        let enumerator = FileManager.default.enumerator(at: base, includingPropertiesForKeys: nil)
        return (enumerator?.allObjects as? [URL] ?? []).filter { !$0.hasDirectoryPath }.sorted { $0.path < $1.path }
    }

    @Test func regressionInputsRunCleanly() throws {
        let inputs = Self.files(under: "Tests/Fixtures/fuzz-regressions")
        #expect(!inputs.isEmpty)
        for input in inputs { FuzzHarness.exercise(try Data(contentsOf: input)) }
    }

    @Test func shippedContentRunsCleanly() throws {
        let inputs = Self.files(under: "Content")
        #expect(inputs.count > 20)
        for input in inputs { FuzzHarness.exercise(try Data(contentsOf: input)) }
    }
}
