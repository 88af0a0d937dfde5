import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import TianshanModel

/// A link to another site, with the first place it appears.
public struct ExternalLink: Sendable, Equatable {
    public var url: String
    public var location: SourceLocation

    public init(url: String, location: SourceLocation) {
        self.url = url
        self.location = location
    }
}

/// Fetches external links (`tianshan check --external`): HEAD first, GET when HEAD fails, a bounded
/// time per request and a bounded number of requests at once. Kept out of the build modules: it is the only part
/// of checking that needs the network.
public struct ExternalLinkChecker: Sendable {
    public var timeout: TimeInterval
    public var concurrency: Int

    public init(timeout: TimeInterval = 10, concurrency: Int = 8) {
        self.timeout = timeout
        self.concurrency = max(1, concurrency)
    }

    /// One diagnostic per link that failed, at the link's first location.
    public func check(_ links: [ExternalLink]) async -> [Diagnostic] {
        let session = URLSession(configuration: {
            let configuration = URLSessionConfiguration.ephemeral
            configuration.timeoutIntervalForRequest = timeout
            configuration.timeoutIntervalForResource = timeout
            configuration.httpMaximumConnectionsPerHost = concurrency
            return configuration
        }())
        defer { session.finishTasksAndInvalidate() }
        var problems: [Diagnostic] = []
        await withTaskGroup(of: Diagnostic?.self) { group in
            var next = 0
            func start() {
                guard next < links.count else { return }
                let link = links[next]
                next += 1
                group.addTask { await probe(link, session: session) }
            }
            for _ in 0..<min(concurrency, links.count) { start() }
            while let result = await group.next() {
                if let result { problems.append(result) }
                start()
            }
        }
        return problems.sortedForReport()
    }

    func probe(_ link: ExternalLink, session: URLSession) async -> Diagnostic? {
        guard let url = URL(string: link.url), let scheme = url.scheme?.lowercased(), scheme == "http" || scheme == "https" else {
            return nil
        }
        do {
            var status = try await fetch(url, method: "HEAD", session: session)
            // Many servers answer HEAD wrongly (405, 404, 501); a GET decides.
            if status >= 400 { status = try await fetch(url, method: "GET", session: session) }
            guard (200..<400).contains(status) else {
                return .error(at: link.location, field: "link", "external link \(link.url) answered HTTP \(status)")
            }
            return nil
        } catch {
            return .error(at: link.location, field: "link", "external link \(link.url) failed: \(error.localizedDescription)",
                          hint: "requests time out after \(Int(timeout)) s")
        }
    }

    func fetch(_ url: URL, method: String, session: URLSession) async throws -> Int {
        var request = URLRequest(url: url, timeoutInterval: timeout)
        request.httpMethod = method
        request.setValue("Tianshan link checker", forHTTPHeaderField: "User-Agent")
        // One connection per request: a HEAD answered on a kept-alive connection has left the next GET on it
        // waiting for a body that never comes (seen under load on Linux's URLSession), and links go to many
        // hosts, so reuse saves little.
        request.setValue("close", forHTTPHeaderField: "Connection")
        let (_, response) = try await session.data(for: request)
        return (response as? HTTPURLResponse)?.statusCode ?? 0
    }
}
