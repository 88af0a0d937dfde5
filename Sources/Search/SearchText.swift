import TianshanModel

/// The text a search finds on a page: what its `<main>` element shows, tags, scripts and styles removed,
/// entities decoded and white space collapsed; and the tokens that index it.
public enum SearchText {
    /// The text of `html`'s `<main>` element (of the whole document when it has none).
    public static func of(html: String) -> String {
        var body = Substring(html)
        if let start = html.range(of: "<main"), let open = html.range(of: ">", range: start.upperBound..<html.endIndex) {
            let end = html.range(of: "</main>", options: .backwards, range: open.upperBound..<html.endIndex)?.lowerBound ?? html.endIndex
            body = html[open.upperBound..<end]
        }
        var text = ""
        text.reserveCapacity(body.utf8.count / 2)
        var index = body.startIndex
        var pendingSpace = false
        func append(_ character: Character) {
            if character.isWhitespace {
                pendingSpace = !text.isEmpty
            } else {
                if pendingSpace { text.append(" ") }
                pendingSpace = false
                text.append(character)
            }
        }
        while index < body.endIndex {
            let character = body[index]
            if character == "<" {
                // Scripts, styles and navigation (breadcrumbs, pagers, contents) are not what the page says.
                let rest = body[index...]
                var skipped = false
                for element in ["script", "style", "template", "nav"] where rest.hasPrefix("<" + element) {
                    if let close = body.range(of: "</\(element)>", range: index..<body.endIndex) { index = close.upperBound } else { index = body.endIndex }
                    skipped = true
                    break
                }
                if skipped { continue }
                guard let close = body[index...].firstIndex(of: ">") else { break }
                // A block boundary separates words; an inline tag does not (Chinese has no spaces to lose).
                let name = body[body.index(after: index)..<close].drop { $0 == "/" }.prefix { !$0.isWhitespace && $0 != "/" }
                if Self.blockTags.contains(name.lowercased()) { pendingSpace = !text.isEmpty }
                index = body.index(after: close)
            } else if character == "&", let semicolon = body[index...].prefix(12).firstIndex(of: ";"),
                      let decoded = Self.entity(body[body.index(after: index)..<semicolon]) {
                append(decoded)
                index = body.index(after: semicolon)
            } else {
                append(character)
                index = body.index(after: index)
            }
        }
        return text
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

    /// The distinct token hashes of a page's text, sorted.
    public static func tokenHashes(_ normalized: String) -> [UInt32] {
        Array(Set(tokens(normalized).map(hash))).sorted()
    }
}
