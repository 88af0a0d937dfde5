import Foundation
import Testing

/// The command line as a user meets it first.
@Suite struct CommandLineTests {
    func run(_ arguments: [String]) throws -> (status: Int32, output: String) {
        try ReportPDFTests.run(KillTests.executable.path, arguments)
    }

    @Test func versionAndHelpAnswerWithoutASite() throws {
        let version = try run(["--version"])
        #expect(version.status == 0 && version.output.trimmingCharacters(in: .whitespacesAndNewlines).split(separator: ".").count == 3, "\(version)")
        let help = try run(["--help"])
        #expect(help.status == 0 && help.output.contains("static site and report generator") && !help.output.contains("demonstration"))
    }
}
