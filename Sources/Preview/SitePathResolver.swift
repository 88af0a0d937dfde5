/// Turns a raw HTTP request path into a file under the built site, a redirect, or a refusal.
///
/// Pure: the file system is reached only through the `kind` closure, so every decision can be unit-tested.
/// The caller must still compare the real path of the chosen file with the real path of the site folder,
/// because only the file system knows where symbolic links lead.
public struct SitePathResolver: Sendable {
    /// What is at a path relative to the site folder (symbolic links followed).
    public enum EntryKind: Sendable, Equatable {
        case file, directory, missing
    }

    /// The decision for one request path.
    public enum Resolution: Sendable, Equatable {
        /// Serve this file; the path is relative to the site folder, made of decoded, checked segments.
        case file(String)
        /// Send a 301 to this location (a folder asked for without its trailing slash).
        case redirect(String)
        /// Nothing there.
        case notFound
        /// The path tries to leave the site folder or cannot be decoded: 403.
        case forbidden
    }

    /// The file served for a folder.
    public var indexFile: String

    public init(indexFile: String = "index.html") {
        self.indexFile = indexFile
    }

    /// Resolves `rawPath` (the request target, possibly with a query) against the site folder.
    public func resolve(_ rawPath: String, kind: (String) -> EntryKind) -> Resolution {
        let (path, query) = Self.splitQuery(rawPath)
        guard let segments = Self.decodeSegments(path) else { return .forbidden }
        let trailingSlash = path.hasSuffix("/")
        let relative = segments.joined(separator: "/")

        if relative.isEmpty {
            return kind(indexFile) == .file ? .file(indexFile) : .notFound
        }
        if trailingSlash {
            guard kind(relative) == .directory else { return .notFound }
            let index = relative + "/" + indexFile
            return kind(index) == .file ? .file(index) : .notFound
        }
        switch kind(relative) {
        case .file: return .file(relative)
        // Relative links inside the index page only work once the browser sees the slash.
        case .directory: return .redirect(path + "/" + (query.map { "?" + $0 } ?? ""))
        case .missing: return .notFound
        }
    }

    /// The path part and the query (without `?`); a fragment never reaches a server but is dropped too.
    static func splitQuery(_ raw: String) -> (path: Substring, query: Substring?) {
        var raw = Substring(raw)
        if let hash = raw.firstIndex(of: "#") { raw = raw[..<hash] }
        guard let mark = raw.firstIndex(of: "?") else { return (raw, nil) }
        return (raw[..<mark], raw[raw.index(after: mark)...])
    }

    /// Decoded path segments, or nil when the path is not a plain absolute path inside the site.
    ///
    /// Each segment is percent-decoded exactly once, after splitting on `/`, so `%2F` cannot create a new
    /// segment and `%252e%252e` stays the harmless literal name `%2e%2e`. Segments that are `.` or `..`,
    /// contain a backslash or NUL (raw or encoded), or decode to invalid UTF-8 are refused; so are empty
    /// segments (`//etc/passwd`), except for the single trailing slash of a folder.
    public static func decodeSegments(_ path: Substring) -> [String]? {
        guard path.first == "/" else { return nil }
        var parts = path.dropFirst().split(separator: "/", omittingEmptySubsequences: false)
        if parts.last?.isEmpty == true { parts.removeLast() }
        var segments: [String] = []
        segments.reserveCapacity(parts.count)
        for part in parts {
            guard let segment = percentDecode(part), !segment.isEmpty, segment != ".", segment != ".." else { return nil }
            if segment.utf8.contains(where: { $0 == 0 || $0 == UInt8(ascii: "/") || $0 == UInt8(ascii: "\\") }) { return nil }
            segments.append(segment)
        }
        return segments
    }

    /// `%XX` → byte, once; nil for a malformed escape or bytes that are not UTF-8.
    public static func percentDecode(_ text: Substring) -> String? {
        guard text.utf8.contains(UInt8(ascii: "%")) else { return String(text) }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(text.utf8.count)
        var iterator = text.utf8.makeIterator()
        while let byte = iterator.next() {
            guard byte == UInt8(ascii: "%") else { bytes.append(byte); continue }
            guard let high = iterator.next().flatMap(hexValue), let low = iterator.next().flatMap(hexValue) else { return nil }
            bytes.append(high << 4 | low)
        }
        // Decoding repairs bad UTF-8 with U+FFFD; a repaired string no longer matches the bytes.
        let text = String(decoding: bytes, as: UTF8.self)
        return text.utf8.elementsEqual(bytes) ? text : nil
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return byte - UInt8(ascii: "A") + 10
        default: return nil
        }
    }
}
