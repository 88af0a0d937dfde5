import TianshanModel

/// Source bytes to text: UTF-8, with or without a byte order mark, and nothing else. A file that is not UTF-8
/// is an error at its first bad byte; one that reads as GB18030 (GBK, Windows Notepad's default for Chinese)
/// gets the command that converts it, since that is what almost every such file is.
public enum TextDecoding {
    public static func decode(_ bytes: [UInt8], display: String) -> Result<String, Diagnostic> {
        // A UTF-8 byte order mark is not text (editors on Windows add one); anything not UTF-8 is an error,
        // never silently repaired.
        let start = bytes.count >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF ? 3 : 0
        if let text = String(validating: bytes[start...], as: UTF8.self) { return .success(text) }
        let bad = firstInvalidUTF8(bytes, from: start)
        var line = 1, lineStart = start
        for index in start..<bad where bytes[index] == 0x0A {
            line += 1
            lineStart = index + 1
        }
        // Columns count characters, as everywhere else; the line's valid prefix is UTF-8 by construction.
        let column = (String(validating: bytes[lineStart..<bad], as: UTF8.self)?.count ?? 0) + 1
        let location = SourceLocation(file: display, line: line, column: column)
        if isGB18030(bytes[start...]) {
            return .failure(.error(
                at: location, field: "encoding", "file is not valid UTF-8; it looks like GB18030 (GBK) text",
                hint: "convert it to UTF-8: iconv -f GB18030 -t UTF-8 '\(display)' > converted.tmp && mv converted.tmp '\(display)'"
            ))
        }
        return .failure(.error(at: location, field: "encoding", "file is not valid UTF-8 (byte 0x\(hex(bytes[bad])) cannot start or continue a character here)",
                               hint: "save it as UTF-8"))
    }

    /// The offset of the first byte that is not part of a well-formed UTF-8 sequence.
    static func firstInvalidUTF8(_ bytes: [UInt8], from start: Int) -> Int {
        var index = start
        while index < bytes.count {
            let lead = bytes[index]
            let length: Int
            var low: UInt8 = 0x80, high: UInt8 = 0xBF
            switch lead {
            case 0x00...0x7F: index += 1; continue
            case 0xC2...0xDF: length = 2
            case 0xE0: length = 3; low = 0xA0
            case 0xE1...0xEC, 0xEE...0xEF: length = 3
            case 0xED: length = 3; high = 0x9F
            case 0xF0: length = 4; low = 0x90
            case 0xF1...0xF3: length = 4
            case 0xF4: length = 4; high = 0x8F
            default: return index
            }
            guard index + length <= bytes.count else { return index }
            for offset in 1..<length {
                let byte = bytes[index + offset]
                let (min, max) = offset == 1 ? (low, high) : (0x80, 0xBF)
                guard byte >= min, byte <= max else { return index }
            }
            index += length
        }
        return bytes.count
    }

    /// Whether the bytes are well-formed GB18030: ASCII, two-byte GBK pairs and four-byte sequences.
    static func isGB18030(_ bytes: ArraySlice<UInt8>) -> Bool {
        var index = bytes.startIndex
        var sawMultibyte = false
        while index < bytes.endIndex {
            let lead = bytes[index]
            if lead < 0x80 { index += 1; continue }
            guard (0x81...0xFE).contains(lead), index + 1 < bytes.endIndex else { return false }
            let second = bytes[index + 1]
            if (0x40...0x7E).contains(second) || (0x80...0xFE).contains(second) {
                index += 2
            } else if (0x30...0x39).contains(second), index + 3 < bytes.endIndex,
                      (0x81...0xFE).contains(bytes[index + 2]), (0x30...0x39).contains(bytes[index + 3]) {
                index += 4
            } else {
                return false
            }
            sawMultibyte = true
        }
        return sawMultibyte
    }

    static func hex(_ byte: UInt8) -> String {
        let digits = Array("0123456789ABCDEF")
        return String([digits[Int(byte >> 4)], digits[Int(byte & 0xF)]])
    }
}
