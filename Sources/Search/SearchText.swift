import TianshanModel

/// The text a search finds on a page: what its `<main>` element shows, tags, scripts and styles removed,
/// entities decoded and white space collapsed; and the tokens that index it.
public enum SearchText {
    /// The text of `html`'s `<main>` element (of the whole document when it has none).
    public static func of(html: String) -> String {
        var html = html
        return html.withUTF8 { text(of: $0) }
    }

    /// Over the bytes: tags and entities are ASCII, and the text between them is copied as it is.
    static func text(of bytes: UnsafeBufferPointer<UInt8>) -> String {
        var start = 0, end = bytes.count
        if let open = find(Array("<main".utf8), in: bytes, from: 0), let close = firstIndex(of: UInt8(ascii: ">"), in: bytes, from: open) {
            start = close + 1
            end = findLast(Array("</main>".utf8), in: bytes, after: start) ?? bytes.count
        }
        // The text is never longer than the HTML it comes from: a space stands for at least one byte of white
        // space or markup, and a decoded entity is shorter than its reference. Made in a scratch buffer and
        // copied once at its own length: every page's text is kept until the index is written.
        return withUnsafeTemporaryAllocation(of: UInt8.self, capacity: max(1, end - start)) { out -> String in
            var count = 0
            var pendingSpace = false
            var index = start
            while index < end {
                let byte = bytes[index]
                if byte == UInt8(ascii: "<") {
                    // Scripts, styles and navigation (breadcrumbs, pagers, contents) are not what the page says.
                    if let skipped = skipElement(bytes, at: index, end: end) {
                        index = skipped
                        continue
                    }
                    guard let close = firstIndex(of: UInt8(ascii: ">"), in: bytes, from: index), close < end else { break }
                    // A block boundary separates words; an inline tag does not (Chinese has no spaces to lose).
                    if isBlockTag(bytes, from: index + 1, to: close) { pendingSpace = true }
                    index = close + 1
                } else if byte == UInt8(ascii: "&"), let (scalar, next) = entity(bytes, at: index, end: end) {
                    if scalar == " " {
                        pendingSpace = true
                    } else {
                        if pendingSpace, count > 0 { out[count] = 0x20; count += 1 }
                        pendingSpace = false
                        for unit in UTF8.encode(scalar)! { out[count] = unit; count += 1 }
                    }
                    index = next
                } else if byte == 0x20 || byte == 0x0A || byte == 0x09 || byte == 0x0D {
                    pendingSpace = true
                    index += 1
                } else {
                    if pendingSpace, count > 0 { out[count] = 0x20; count += 1 }
                    pendingSpace = false
                    out[count] = byte
                    count += 1
                    index += 1
                }
            }
            return String(decoding: UnsafeBufferPointer(rebasing: out[0..<count]), as: UTF8.self)
        }
    }

    static let skippedElements: [[UInt8]] = ["script", "style", "template", "nav"].map { Array($0.utf8) }

    /// After an element that holds no text of the page (`<script>…</script>`), or nil at any other tag.
    static func skipElement(_ bytes: UnsafeBufferPointer<UInt8>, at index: Int, end: Int) -> Int? {
        for name in skippedElements {
            guard index + 1 + name.count < end else { continue }
            var matches = true
            for (offset, byte) in name.enumerated() where bytes[index + 1 + offset] | 0x20 != byte { matches = false; break }
            let after = bytes[index + 1 + name.count]
            guard matches, after == UInt8(ascii: ">") || after == 0x20 || after == 0x0A || after == 0x09 else { continue }
            let closing = Array("</".utf8) + name + [UInt8(ascii: ">")]
            return find(closing, in: bytes, from: index).map { $0 + closing.count } ?? end
        }
        return nil
    }

    static func isBlockTag(_ bytes: UnsafeBufferPointer<UInt8>, from: Int, to: Int) -> Bool {
        var start = from
        if start < to, bytes[start] == UInt8(ascii: "/") { start += 1 }
        // The name, lower-cased, packed into an integer: no tag name that matters is longer than eight bytes.
        var packed: UInt64 = 0
        var length = 0
        var index = start
        while index < to {
            let byte = bytes[index]
            guard (byte >= 0x61 && byte <= 0x7A) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x30 && byte <= 0x39) else { break }
            length += 1
            if length > 12 { return false }
            if length <= 8 { packed |= UInt64(byte | 0x20) << (8 * UInt64(length - 1)) }
            index += 1
        }
        if length > 8 { return longBlockTags.contains(String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<index]), as: UTF8.self).lowercased()) }
        return packedBlockTags.contains(packed)
    }

    static let packedBlockTags: Set<UInt64> = Set(blockTags.filter { $0.utf8.count <= 8 }.map { name in
        var packed: UInt64 = 0
        for (offset, byte) in name.utf8.enumerated() { packed |= UInt64(byte) << (8 * UInt64(offset)) }
        return packed
    })
    static let longBlockTags: Set<String> = blockTags.filter { $0.utf8.count > 8 }

    static func entity(_ bytes: UnsafeBufferPointer<UInt8>, at index: Int, end: Int) -> (Unicode.Scalar, Int)? {
        var semicolon = index + 1
        while semicolon < min(end, index + 12), bytes[semicolon] != UInt8(ascii: ";") { semicolon += 1 }
        guard semicolon < end, bytes[semicolon] == UInt8(ascii: ";") else { return nil }
        let name = String(decoding: UnsafeBufferPointer(rebasing: bytes[(index + 1)..<semicolon]), as: UTF8.self)
        return entity(Substring(name)).flatMap { $0.unicodeScalars.first }.map { ($0, semicolon + 1) }
    }

    static func firstIndex(of byte: UInt8, in bytes: UnsafeBufferPointer<UInt8>, from: Int) -> Int? {
        var index = from
        while index < bytes.count {
            if bytes[index] == byte { return index }
            index += 1
        }
        return nil
    }

    static func find(_ needle: [UInt8], in bytes: UnsafeBufferPointer<UInt8>, from: Int) -> Int? {
        guard !needle.isEmpty, bytes.count >= needle.count else { return nil }
        var index = from
        let last = bytes.count - needle.count
        while index <= last {
            if bytes[index] == needle[0] {
                var offset = 1
                while offset < needle.count, bytes[index + offset] | (needle[offset] >= 0x61 ? 0x20 : 0) == needle[offset] { offset += 1 }
                if offset == needle.count { return index }
            }
            index += 1
        }
        return nil
    }

    static func findLast(_ needle: [UInt8], in bytes: UnsafeBufferPointer<UInt8>, after: Int) -> Int? {
        var index = bytes.count - needle.count
        while index >= after {
            var offset = 0
            while offset < needle.count, bytes[index + offset] == needle[offset] { offset += 1 }
            if offset == needle.count { return index }
            index -= 1
        }
        return nil
    }

    static let blockTags: Set<String> = [
        "p", "div", "li", "ul", "ol", "td", "th", "tr", "table", "caption", "h1", "h2", "h3", "h4", "h5", "h6", "br", "dt", "dd",
        "section", "article", "header", "footer", "nav", "figure", "figcaption", "blockquote", "pre", "hr", "text", "title", "time",
    ]

    static func entity(_ name: Substring) -> Character? {
        switch name {
        case "amp": return "&"
        case "lt": return "<"
        case "gt": return ">"
        case "quot": return "\""
        case "apos", "#39": return "'"
        case "nbsp": return " "
        default:
            guard name.hasPrefix("#") else { return nil }
            let digits = name.dropFirst()
            let value = digits.hasPrefix("x") ? UInt32(digits.dropFirst(), radix: 16) : UInt32(digits)
            return value.flatMap(Unicode.Scalar.init).map(Character.init)
        }
    }

    /// The text as the index and the queries see it: lower case, full-width letters and digits folded
    /// (NFKC), so "ＣＥＴＣ" finds "CETC".
    public static func normalized(_ text: String) -> String {
        text.precomposedStringWithCompatibilityMapping.lowercased()
    }

    /// Whether a character is written without spaces between words (Han, kana, Hangul): such text is
    /// indexed by each pair of neighbouring characters, so any substring of two or more can be found.
    public static func isIdeographic(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x3040...0x30FF, 0x3400...0x4DBF, 0x4E00...0x9FFF, 0xAC00...0xD7AF, 0xF900...0xFAFF, 0x20000...0x2FA1F: return true
        default: return false
        }
    }

    /// The tokens of normalized text, as the search script makes them of a query: every pair of neighbouring
    /// ideographic characters (a lone one by itself), and every run of letters and digits.
    public static func tokens(_ normalized: String) -> [String] {
        var tokens: [String] = []
        var word = ""
        var previous: Unicode.Scalar?
        var runLength = 0
        func flushWord() {
            if !word.isEmpty { tokens.append(word) }
            word = ""
        }
        func endRun() {
            if runLength == 1, let previous { tokens.append(String(previous)) }
            runLength = 0
            previous = nil
        }
        for scalar in normalized.unicodeScalars {
            if isIdeographic(scalar) {
                flushWord()
                if let previous { tokens.append(String(previous) + String(scalar)) }
                previous = scalar
                runLength += 1
            } else {
                endRun()
                if scalar.properties.isAlphabetic || scalar.properties.numericType != nil {
                    word.unicodeScalars.append(scalar)
                } else {
                    flushWord()
                }
            }
        }
        endRun()
        flushWord()
        return tokens
    }

    /// FNV-1a over the token's UTF-8 bytes, which the search script computes the same way: the index names
    /// tokens by it, so it holds no vocabulary.
    public static func hash(_ token: String) -> UInt32 {
        var hash: UInt32 = 2_166_136_261
        for byte in token.utf8 {
            hash ^= UInt32(byte)
            hash = hash &* 16_777_619
        }
        return hash
    }

    /// The distinct token hashes of text (normalized here), sorted: `Set(tokens(normalized(text)).map(hash))`
    /// without making a string of each token.
    public static func tokenHashes(of text: String) -> [UInt32] {
        let folded = foldsByItself(text) ? text : normalized(text)
        var hashes: [UInt32] = []
        hashes.reserveCapacity(folded.utf8.count / 3)
        var word: UInt32 = 2_166_136_261
        var inWord = false
        var previous: Unicode.Scalar?
        var runLength = 0
        // FNV-1a over the scalar's UTF-8 bytes, encoded here rather than through `UTF8.encode`'s collection.
        @inline(__always) func mix(_ hash: UInt32, _ scalar: Unicode.Scalar) -> UInt32 {
            @inline(__always) func byte(_ h: UInt32, _ unit: UInt32) -> UInt32 { (h ^ unit) &* 16_777_619 }
            let v = scalar.value
            if v < 0x80 { return byte(hash, v) }
            if v < 0x800 { return byte(byte(hash, 0xC0 | v >> 6), 0x80 | v & 0x3F) }
            if v < 0x1_0000 { return byte(byte(byte(hash, 0xE0 | v >> 12), 0x80 | v >> 6 & 0x3F), 0x80 | v & 0x3F) }
            return byte(byte(byte(byte(hash, 0xF0 | v >> 18), 0x80 | v >> 12 & 0x3F), 0x80 | v >> 6 & 0x3F), 0x80 | v & 0x3F)
        }
        func endRun() {
            if runLength == 1, let previous { hashes.append(mix(2_166_136_261, previous)) }
            runLength = 0
            previous = nil
        }
        func endWord() {
            if inWord { hashes.append(word) }
            word = 2_166_136_261
            inWord = false
        }
        for var scalar in folded.unicodeScalars {
            if isIdeographic(scalar) {
                endWord()
                if let previous { hashes.append(mix(mix(2_166_136_261, previous), scalar)) }
                previous = scalar
                runLength += 1
                continue
            }
            endRun()
            if scalar.value < 0x80 {
                // The fast path's folding: ASCII letters to lower case (full-width forms were folded before).
                if scalar.value >= 0x41 && scalar.value <= 0x5A { scalar = Unicode.Scalar(scalar.value + 0x20)! }
                let v = scalar.value
                if (v >= 0x61 && v <= 0x7A) || (v >= 0x30 && v <= 0x39) { word = mix(word, scalar); inWord = true } else { endWord() }
            } else if scalar.properties.isAlphabetic || scalar.properties.numericType != nil {
                word = mix(word, scalar)
                inWord = true
            } else {
                endWord()
            }
        }
        endRun()
        endWord()
        // Sorted and unique, in place: cheaper than hashing every token into a set first.
        radixSort(&hashes)
        var kept = 0
        for index in hashes.indices where kept == 0 || hashes[kept - 1] != hashes[index] {
            hashes[kept] = hashes[index]
            kept += 1
        }
        hashes.removeLast(hashes.count - kept)
        return hashes
    }

    /// Sorts `values` ascending, a byte at a time (least significant first): for a page's thousands of token
    /// hashes, fewer steps than a comparison sort, which gains nothing from their order. Short arrays take `sort`.
    static func radixSort(_ values: inout [UInt32]) {
        let count = values.count
        guard count > 64 else { values.sort(); return }
        var scratch = [UInt32](repeating: 0, count: count)
        values.withUnsafeMutableBufferPointer { source in
            scratch.withUnsafeMutableBufferPointer { target in
                var from = source, to = target
                withUnsafeTemporaryAllocation(of: Int.self, capacity: 256) { counts in
                    for shift in stride(from: UInt32(0), to: 32, by: 8) {
                        counts.initialize(repeating: 0)
                        for value in from { counts[Int(value >> shift & 0xFF)] += 1 }
                        var total = 0
                        for digit in 0..<256 {
                            let here = counts[digit]
                            counts[digit] = total
                            total += here
                        }
                        for value in from {
                            let digit = Int(value >> shift & 0xFF)
                            to[counts[digit]] = value
                            counts[digit] += 1
                        }
                        swap(&from, &to)
                    }
                }
            }
        }
        // Four passes: the sorted values are back in `values`.
    }

    /// Whether normalizing `text` (NFKC, lower case) cannot change its tokens beyond what `tokenHashes` folds
    /// itself: ASCII, the common ideographs and CJK punctuation, general punctuation. Anything else (full-width
    /// letters, circled digits, accented capitals) takes the full normalization.
    static func foldsByItself(_ text: String) -> Bool {
        for scalar in text.unicodeScalars {
            switch scalar.value {
            // Latin-1 signs that NFKC and lower-casing leave as they are (· × ± ° « »): the theme's separators.
            case 0..<0x80, 0xA1...0xA7, 0xA9, 0xAB...0xAE, 0xB0, 0xB1, 0xB6, 0xB7, 0xBB, 0xBF, 0xD7, 0xF7, 0x4E00...0x9FFF, 0x3400...0x4DBF, 0x3000...0x3037, 0x303B...0x303F, 0x2010...0x2023, 0x2027...0x2032,
                 0xFF01...0xFF0F, 0xFF1A...0xFF20, 0xFF3B...0xFF40, 0xFF5B...0xFF64:
                continue
            default:
                return false
            }
        }
        return true
    }
}
