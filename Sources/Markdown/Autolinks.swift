import Ccmark

/// GFM's extended autolinks as a transform of libcmark's tree: `www.example.org`, `https://example.org/a` and
/// `name@example.org` in text become links (`http://` is added to `www.` links, `mailto:` to addresses), with
/// GFM's rules for where a link ends: trailing `?!.,:*_~` and an unbalanced `)` are left out, as is an entity
/// reference (`&hl;`) at the end, and `<` ends it.
///
/// One deliberate difference from cmark-gfm: a link also ends at the first Chinese (wide-script) character or
/// full-width punctuation, because Chinese text runs on without spaces (访问www.example.org了解详情).
enum Autolinks {
    static func apply(_ document: OpaquePointer) {
        let texts = NodeLists.collect(document) { node in
            cmark_node_get_type(node) == CMARK_NODE_TEXT && mayHoldLink(node) && !insideLink(node)
        }
        for node in texts { rewrite(node) }
    }

    /// Whether a text node has what every extended autolink has, `www.` (in any case), `://` or `@`: a test of
    /// its bytes, so that the scan for links runs on the few texts that may hold one.
    static func mayHoldLink(_ node: OpaquePointer) -> Bool {
        guard let literal = cmark_node_get_literal(node) else { return false }
        var p = literal
        while p.pointee != 0 {
            switch UInt8(bitPattern: p.pointee) {
            case UInt8(ascii: "@"): return true
            case UInt8(ascii: ":"):
                if p[1] == CChar(UInt8(ascii: "/")), p[2] == CChar(UInt8(ascii: "/")) { return true }
            case UInt8(ascii: "w"), UInt8(ascii: "W"):
                if (1...2).allSatisfy({ p[$0] | 0x20 == CChar(UInt8(ascii: "w")) }), p[3] == CChar(UInt8(ascii: ".")) { return true }
            default: break
            }
            p += 1
        }
        return false
    }

    static func insideLink(_ node: OpaquePointer) -> Bool {
        var current = cmark_node_parent(node)
        while let parent = current {
            let type = cmark_node_get_type(parent)
            if type == CMARK_NODE_LINK || type == CMARK_NODE_IMAGE { return true }
            current = cmark_node_parent(parent)
        }
        return false
    }

    /// A link found in text: where it starts and ends (in scalars) and its URL.
    struct Found {
        var range: Range<Int>
        var url: String
    }

    static func rewrite(_ node: OpaquePointer) {
        guard let text = PlainText.literal(node) else { return }
        let scalars = Array(text.unicodeScalars)
        let links = find(in: scalars)
        guard !links.isEmpty else { return }
        var position = 0
        for link in links {
            if link.range.lowerBound > position { insert(text: scalars[position..<link.range.lowerBound], before: node) }
            let anchor = cmark_node_new(CMARK_NODE_LINK)!
            _ = cmark_node_set_url(anchor, link.url)
            let label = cmark_node_new(CMARK_NODE_TEXT)!
            _ = cmark_node_set_literal(label, String(String.UnicodeScalarView(scalars[link.range])))
            cmark_node_append_child(anchor, label)
            cmark_node_insert_before(node, anchor)
            position = link.range.upperBound
        }
        if position < scalars.count {
            _ = cmark_node_set_literal(node, String(String.UnicodeScalarView(scalars[position...])))
        } else {
            cmark_node_unlink(node)
            cmark_node_free(node)
        }
    }

    static func insert(text: ArraySlice<Unicode.Scalar>, before node: OpaquePointer) {
        let piece = cmark_node_new(CMARK_NODE_TEXT)!
        _ = cmark_node_set_literal(piece, String(String.UnicodeScalarView(text)))
        cmark_node_insert_before(node, piece)
    }

    static func find(in scalars: [Unicode.Scalar]) -> [Found] {
        var found: [Found] = []
        var index = 0
        while index < scalars.count {
            if let link = url(at: index, in: scalars) {
                found.append(link)
                index = link.range.upperBound
                continue
            }
            if scalars[index] == "@", let link = email(around: index, in: scalars, after: found.last?.range.upperBound ?? 0) {
                found.append(link)
                index = link.range.upperBound
                continue
            }
            index += 1
        }
        return found
    }

    /// What may come right before a link: the start, white space, `*`, `_`, `~`, `(`, or Chinese text and its punctuation.
    static func isBoundary(_ scalar: Unicode.Scalar) -> Bool {
        scalar.properties.isWhitespace || "*_~(".unicodeScalars.contains(scalar) || ends(scalar)
    }

    /// Where a link stops regardless of GFM's rules: white space, `<`, and (our difference) Chinese text.
    static func ends(_ scalar: Unicode.Scalar) -> Bool {
        scalar.properties.isWhitespace || scalar == "<" || CJKText.isWideScript(scalar)
    }

    /// Whether `prefix` (lower-case ASCII) stands at `index`, in any case.
    static func starts(_ prefix: String, at index: Int, in scalars: [Unicode.Scalar]) -> Bool {
        var at = index
        for wanted in prefix.unicodeScalars {
            guard at < scalars.count else { return false }
            let scalar = scalars[at]
            let lowered = scalar.isASCII && ("A"..."Z").contains(scalar) ? Unicode.Scalar(scalar.value + 32)! : scalar
            guard lowered == wanted else { return false }
            at += 1
        }
        return true
    }

    /// A `www.` link where a link may start (`isBoundary`), or an `http://`, `https://` or `ftp://` one whose
    /// scheme is not part of a longer word (cmark-gfm reads back over letters from the `:`).
    static func url(at index: Int, in scalars: [Unicode.Scalar]) -> Found? {
        let previous = index > 0 ? scalars[index - 1] : nil
        let domainStart: Int
        var scheme = ""
        if starts("www.", at: index, in: scalars) {
            guard previous.map(isBoundary) ?? true else { return nil }
            domainStart = index
            scheme = "http://"
        } else if let length = ["https://", "http://", "ftp://"].first(where: { starts($0, at: index, in: scalars) })?.count {
            guard !(previous.map { $0.isASCII && $0.properties.isAlphabetic } ?? false) else { return nil }
            domainStart = index + length
        } else {
            return nil
        }
        // The domain: segments separated by '.', of any characters but white space and punctuation besides '-'
        // and '_'; no '_' in the last two segments; a `www.` link has at least two.
        var end = domainStart
        while end < scalars.count, isHost(scalars[end]) { end += 1 }
        let domain = String(String.UnicodeScalarView(scalars[domainStart..<end]))
        var segments = domain.split(separator: ".", omittingEmptySubsequences: false)
        if segments.last == "" { segments.removeLast(); end -= 1 }
        guard segments.count >= (scheme.isEmpty ? 1 : 2), !segments.contains(where: \.isEmpty),
              !segments.suffix(2).contains(where: { $0.contains("_") }) else { return nil }
        while end < scalars.count, !ends(scalars[end]) { end += 1 }
        end = trimmed(scalars, from: index, to: end)
        guard end > index else { return nil }
        let text = String(String.UnicodeScalarView(scalars[index..<end]))
        return Found(range: index..<end, url: scheme + text)
    }

    /// A character of a link's host name, as cmark-gfm takes them (Chinese text still ends the link, see `ends`).
    static func isHost(_ scalar: Unicode.Scalar) -> Bool {
        if "-_.".unicodeScalars.contains(scalar) { return true }
        if scalar.isASCII { return scalar.properties.isAlphabetic || ("0"..."9").contains(scalar) }
        let category = scalar.properties.generalCategory
        let punctuation: [Unicode.GeneralCategory] = [.connectorPunctuation, .dashPunctuation, .openPunctuation, .closePunctuation,
                                                      .initialPunctuation, .finalPunctuation, .otherPunctuation]
        return !scalar.properties.isWhitespace && !punctuation.contains(category) && !CJKText.isWideScript(scalar)
    }

    static func isDomain(_ scalar: Unicode.Scalar) -> Bool {
        scalar.properties.isAlphabetic && !CJKText.isWideScript(scalar) || ("0"..."9").contains(scalar) || "-_.".unicodeScalars.contains(scalar)
    }

    /// GFM's end of a link: trailing punctuation out, a `)` out while the link has more `)` than `(`, an entity
    /// reference at the end out.
    static func trimmed(_ scalars: [Unicode.Scalar], from start: Int, to end: Int) -> Int {
        var end = end
        while end > start {
            let last = scalars[end - 1]
            if "?!.,:*_~'\"".unicodeScalars.contains(last) {
                end -= 1
            } else if last == ")" {
                let opens = scalars[start..<end].filter { $0 == "(" }.count
                let closes = scalars[start..<end].filter { $0 == ")" }.count
                guard closes > opens else { break }
                end -= 1
            } else if last == ";" {
                var amp = end - 2
                while amp > start, scalars[amp].properties.isAlphabetic || ("0"..."9").contains(scalars[amp]) { amp -= 1 }
                guard amp >= start, scalars[amp] == "&", amp < end - 2 else { break }
                end = amp
            } else {
                break
            }
        }
        return end
    }

    /// `name@example.org`: the local part is letters, digits and `.+-_`, the domain as for URLs, with no `-` or `_`
    /// at its end.
    static func email(around at: Int, in scalars: [Unicode.Scalar], after floor: Int) -> Found? {
        var start = at
        while start > floor, isLocal(scalars[start - 1]) { start -= 1 }
        guard start < at else { return nil }
        var end = at + 1
        while end < scalars.count, isDomain(scalars[end]) { end += 1 }
        while end > at + 1, ".-_".unicodeScalars.contains(scalars[end - 1]) {
            // A trailing '.' ends the sentence; a trailing '-' or '_' means no link at all (GFM).
            if scalars[end - 1] != "." { return nil }
            end -= 1
        }
        let domain = scalars[(at + 1)..<end]
        guard domain.contains("."), domain.first != "." else { return nil }
        let text = String(String.UnicodeScalarView(scalars[start..<end]))
        return Found(range: start..<end, url: "mailto:" + text)
    }

    static func isLocal(_ scalar: Unicode.Scalar) -> Bool {
        scalar.properties.isAlphabetic && !CJKText.isWideScript(scalar) || ("0"..."9").contains(scalar) || ".+-_".unicodeScalars.contains(scalar)
    }
}
