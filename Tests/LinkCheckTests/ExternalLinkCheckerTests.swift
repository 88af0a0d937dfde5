import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import Testing
import TianshanLinkCheck
import TianshanModel

/// Runs the checker against a local server on 127.0.0.1 (the only network these tests may use).
@Suite struct ExternalLinkCheckerTests {
    @Test func reportsBrokenAndUnreachableLinksOnly() async throws {
        let router = Router()
        router.get("ok") { _, _ in "fine" }
        router.head("ok") { _, _ in HTTPResponse.Status.ok }
        router.get("gone") { _, _ in HTTPResponse.Status.notFound }
        router.head("gone") { _, _ in HTTPResponse.Status.notFound }
        router.get("get-only") { _, _ in "fine" }
        var logger = Logger(label: "test")
        logger.logLevel = .critical
        let app = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)), logger: logger)
        try await app.test(.live) { client in
            let port = client.port!
            let base = "http://127.0.0.1:\(port)"
            let links = [
                ExternalLink(url: "\(base)/ok", location: SourceLocation(file: "a.md", line: 1, column: 1)),
                ExternalLink(url: "\(base)/gone", location: SourceLocation(file: "a.md", line: 2, column: 5)),
                ExternalLink(url: "\(base)/get-only", location: SourceLocation(file: "b.md", line: 3, column: 1)),
                // Nothing listens on port 9 of loopback: the connection is refused at once.
                ExternalLink(url: "http://127.0.0.1:9/", location: SourceLocation(file: "c.md", line: 4, column: 1)),
                ExternalLink(url: "mailto:someone@example.org", location: SourceLocation(file: "c.md", line: 5, column: 1)),
            ]
            // A timeout far beyond any wait: in a full test run, tests that block the cooperative threads (the
            // SIGKILL test waits on processes for a minute and more) can hold this one's responses back, and a
            // timeout would read as a broken link rather than the 404 the test is about.
            let problems = await ExternalLinkChecker(timeout: 600, concurrency: 2).check(links)
            #expect(problems.count == 2, "\(problems)")
            #expect(problems.contains { $0.location.line == 2 && $0.message.contains("HTTP 404") }, "\(problems)")
            #expect(problems.contains { $0.location.file == "c.md" && $0.location.line == 4 })
        }
    }
}
