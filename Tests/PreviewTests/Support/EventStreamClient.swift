import Foundation
import Glibc

/// One Server-Sent Event as received.
struct ReceivedEvent: Sendable, Equatable {
    var name: String
    var data: String

    /// The `build` number from `{"build":N,"ok":B}`.
    var build: Int? {
        guard let object = try? JSONSerialization.jsonObject(with: Data(data.utf8)) as? [String: Any] else { return nil }
        return object["build"] as? Int
    }

    var ok: Bool? {
        guard let object = try? JSONSerialization.jsonObject(with: Data(data.utf8)) as? [String: Any] else { return nil }
        return object["ok"] as? Bool
    }
}

/// Listens to `/__tianshan/events` on a background thread and keeps every event, like a browser tab would.
// @unchecked: `events`, `headers` and `ended` are only touched under `lock`.
final class EventStreamClient: @unchecked Sendable {
    private let socket: Int32
    private let lock = NSLock()
    private var received: [ReceivedEvent] = []
    private var responseHeaders: [String: String]?
    private var ended = false

    init(port: Int) throws {
        socket = try RawHTTP.connectLoopback(port: port)
        try RawHTTP.sendAll(socket, Array("GET /__tianshan/events HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n\r\n".utf8))
        let thread = Thread { [self] in readLoop() }
        thread.start()
    }

    var events: [ReceivedEvent] { lock.withLock { received } }
    var headers: [String: String]? { lock.withLock { responseHeaders } }
    /// True once the server closed the stream.
    var isEnded: Bool { lock.withLock { ended } }

    /// Polls until an event matches, for at most `timeout` seconds; nil if none did.
    func waitFor(timeout: Double = 60, _ matches: @escaping (ReceivedEvent) -> Bool) async -> ReceivedEvent? {
        await poll(timeout: timeout) { self.events.first(where: matches) }
    }

    /// Stops listening; the server notices at its next write.
    func close() {
        shutdown(socket, Int32(SHUT_RDWR))
    }

    deinit {
        shutdown(socket, Int32(SHUT_RDWR))
        Glibc.close(socket)
    }

    private func readLoop() {
        var raw: [UInt8] = []
        var headersDone = false
        var chunked = ChunkedDecoder()
        var text: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 16384)
        while true {
            let count = buffer.withUnsafeMutableBytes { recv(socket, $0.baseAddress, $0.count, 0) }
            if count < 0, errno == EAGAIN || errno == EINTR { continue }
            if count <= 0 { break }
            var bytes = Array(buffer[0..<count])
            if !headersDone {
                raw += bytes
                guard let end = find([13, 10, 13, 10], in: raw, from: 0) else { continue }
                let reply = try? RawHTTP.parse(Array(raw[..<(end + 4)]), method: "HEAD")
                lock.withLock { responseHeaders = reply?.headers }
                headersDone = true
                bytes = Array(raw[(end + 4)...])
            }
            text += chunked.feed(bytes)
            // Events end with a blank line.
            while let end = find([10, 10], in: text, from: 0) {
                let block = String(decoding: text[..<end], as: UTF8.self)
                text.removeFirst(end + 2)
                var name = "message"
                var data: [String] = []
                for line in block.split(separator: "\n") {
                    if line.hasPrefix("event:") { name = line.dropFirst(6).trimmingCharacters(in: .whitespaces) }
                    if line.hasPrefix("data:") { data.append(line.dropFirst(5).trimmingCharacters(in: .whitespaces)) }
                }
                if !data.isEmpty {
                    let event = ReceivedEvent(name: name, data: data.joined(separator: "\n"))
                    lock.withLock { received.append(event) }
                }
            }
        }
        lock.withLock { ended = true }
    }
}

/// Calls `check` every 50 ms until it returns a value; gives up only once `timeout` seconds have passed *and* it has
/// checked as often as that many seconds allow, so a loaded test run that starves the tasks feeding `check` still
/// gives them the chances an idle machine would. Tests use it to wait for things that happen on other threads
/// without ever asserting how long they took.
func poll<T>(timeout: Double = 60, _ check: () async throws -> T?) async rethrows -> T? {
    let interval = 0.05
    let deadline = Date().addingTimeInterval(timeout)
    var checks = 0
    while true {
        if let value = try await check() { return value }
        checks += 1
        if Date() > deadline, Double(checks) * interval >= timeout { return nil }
        try? await Task.sleep(for: .milliseconds(50))
    }
}
