import Foundation
import Glibc

/// A parsed HTTP response.
struct HTTPReply: Sendable {
    var status: Int
    /// Header names lowercased.
    var headers: [String: String]
    var body: [UInt8]
    var text: String { String(decoding: body, as: UTF8.self) }
}

/// A tiny HTTP/1.1 client over a plain socket. URLSession would normalise `..` and re-encode paths before
/// sending them, which is exactly what the traversal tests must not happen; here the request target goes
/// out byte for byte.
///
/// Blocking socket calls run on their own thread, never on the Swift concurrency pool, because the server
/// under test answers on that pool in the same process.
enum RawHTTP {
    /// Sends one request with `Connection: close` and reads the whole reply.
    static func request(port: Int, target: [UInt8], method: String = "GET", headers: [String: String] = [:]) async throws -> HTTPReply {
        try await onThread {
            let socket = try connectLoopback(port: port)
            defer { close(socket) }
            var head = Array("\(method) ".utf8) + target + Array(" HTTP/1.1\r\nHost: 127.0.0.1:\(port)\r\nConnection: close\r\n".utf8)
            for (name, value) in headers { head += Array("\(name): \(value)\r\n".utf8) }
            head += Array("\r\n".utf8)
            try sendAll(socket, head)
            var data: [UInt8] = []
            var chunk = [UInt8](repeating: 0, count: 65536)
            while true {
                let count = chunk.withUnsafeMutableBytes { recv(socket, $0.baseAddress, $0.count, 0) }
                if count < 0 { throw RawHTTPError.io("recv", errno) }
                if count == 0 { break }
                data += chunk[0..<count]
            }
            return try parse(data, method: method)
        }
    }

    static func get(port: Int, _ target: String, headers: [String: String] = [:]) async throws -> HTTPReply {
        try await request(port: port, target: Array(target.utf8), headers: headers)
    }

    static func parse(_ data: [UInt8], method: String) throws -> HTTPReply {
        guard let end = find([13, 10, 13, 10], in: data, from: 0) else { throw RawHTTPError.malformed(String(decoding: data, as: UTF8.self)) }
        let lines = String(decoding: data[..<end], as: UTF8.self).components(separatedBy: "\r\n")
        let statusParts = lines[0].split(separator: " ")
        guard statusParts.count >= 2, let status = Int(statusParts[1]) else { throw RawHTTPError.malformed(lines[0]) }
        var headers: [String: String] = [:]
        for line in lines.dropFirst() {
            guard let colon = line.firstIndex(of: ":") else { continue }
            headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        var body = Array(data[(end + 4)...])
        if headers["transfer-encoding"]?.lowercased() == "chunked" {
            var decoder = ChunkedDecoder()
            body = decoder.feed(body)
        }
        return HTTPReply(status: status, headers: headers, body: method == "HEAD" ? [] : body)
    }

    static func connectLoopback(port: Int) throws -> Int32 {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw RawHTTPError.io("socket", errno) }
        // A bound on every read, so a server that never answers fails the test instead of hanging it.
        var timeout = timeval(tv_sec: 30, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard result == 0 else {
            let code = errno
            close(fd)
            throw RawHTTPError.io("connect", code)
        }
        return fd
    }

    static func sendAll(_ socket: Int32, _ bytes: [UInt8]) throws {
        var sent = 0
        while sent < bytes.count {
            let count = bytes[sent...].withUnsafeBytes { send(socket, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            guard count > 0 else { throw RawHTTPError.io("send", errno) }
            sent += count
        }
    }

    /// Runs blocking work on a fresh thread and awaits its result.
    static func onThread<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            Thread { continuation.resume(with: Result { try work() }) }.start()
        }
    }
}

enum RawHTTPError: Error {
    case io(String, Int32)
    case malformed(String)
}

func find(_ needle: [UInt8], in haystack: [UInt8], from start: Int) -> Int? {
    guard haystack.count >= needle.count, start <= haystack.count - needle.count else { return nil }
    for index in start...(haystack.count - needle.count) where haystack[index] == needle[0] {
        if Array(haystack[index..<(index + needle.count)]) == needle { return index }
    }
    return nil
}

/// Incremental `Transfer-Encoding: chunked` decoding: feed bytes as they arrive, get body bytes back.
struct ChunkedDecoder {
    private var pending: [UInt8] = []

    mutating func feed(_ bytes: [UInt8]) -> [UInt8] {
        pending += bytes
        var output: [UInt8] = []
        while let lineEnd = find([13, 10], in: pending, from: 0) {
            let sizeText = String(decoding: pending[..<lineEnd], as: UTF8.self).split(separator: ";").first ?? ""
            guard let size = Int(sizeText.trimmingCharacters(in: .whitespaces), radix: 16) else { break }
            let start = lineEnd + 2
            guard pending.count >= start + size + 2 else { break }
            output += pending[start..<(start + size)]
            pending.removeFirst(start + size + 2)
            if size == 0 { break }
        }
        return output
    }
}
