/// Escaping for text written into HTML: the five characters that matter in text and attribute values. Templates
/// use it too (see `HTMLEscaping` in Render). It works on UTF-8 bytes, and text with nothing to escape (most
/// Chinese text) comes back as it is, without a copy.
public enum HTMLText {
    public static func escape(_ text: String) -> String {
        var copy = text
        return copy.withUTF8 { bytes -> String in
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

    public static func escapeAttribute(_ text: String) -> String { escape(text) }
}
