import Mustache

/// The escaping every template uses: the same five replacements as swift-mustache's HTML content type, done on
/// UTF-8 bytes. Its built-in escaper looks up every Character in a dictionary, which for Chinese text means a
/// grapheme-cluster walk per character; most values contain nothing to escape and come back untouched here.
struct HTMLEscaping: MustacheContentType {
    /// The name templates are compiled with (`{{%CONTENT_TYPE:…}}`).
    static let name = "TIANSHAN_HTML"
    /// Prepended to every template on its own line (a standalone tag renders nothing, newline included).
    static let pragma = "{{%CONTENT_TYPE:\(name)}}\n"

    static let registered: Void = MustacheContentTypes.register(HTMLEscaping(), named: name)

    func escapeText(_ text: String) -> String {
        Self.escape(text)
    }

    static func escape(_ text: String) -> String {
        var copy = text
        return copy.withUTF8 { bytes -> String in
            // Nothing to escape (most values): the same string, not a copy.
            guard bytes.contains(where: { $0 == 0x3C || $0 == 0x3E || $0 == 0x26 || $0 == 0x22 || $0 == 0x27 }) else {
                return text
            }
            var out: [UInt8] = []
            out.reserveCapacity(bytes.count + 16)
            for byte in bytes {
                switch byte {
                case 0x3C: out.append(contentsOf: "&lt;".utf8)
                case 0x3E: out.append(contentsOf: "&gt;".utf8)
                case 0x26: out.append(contentsOf: "&amp;".utf8)
                case 0x22: out.append(contentsOf: "&quot;".utf8)
                case 0x27: out.append(contentsOf: "&#39;".utf8)
                default: out.append(byte)
                }
            }
            return String(decoding: out, as: UTF8.self)
        }
    }
}
