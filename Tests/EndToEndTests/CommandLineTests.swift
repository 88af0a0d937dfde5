import Foundation
import Testing

/// The command line as a user meets it first.
@Suite struct CommandLineTests {
    func run(_ arguments: [String]) throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = KillTests.executable
        process.arguments = arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }

    @Test func versionAndHelpAnswerWithoutASite() throws {
        let version = try run(["--version"])
        #expect(version.status == 0 && version.output.trimmingCharacters(in: .whitespacesAndNewlines).split(separator: ".").count == 3, "\(version)")
        let help = try run(["--help"])
        #expect(help.status == 0 && help.output.contains("static site and report generator") && !help.output.contains("demonstration"))
    }
}
