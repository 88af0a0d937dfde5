import Ccmark
import TianshanModel

/// GFM footnotes on libcmark: a definition (`[^1]: 资料来源……`, more lines indented by four spaces) is taken out
/// of the source before libcmark reads it (its lines left blank, so every other position stays), its content
/// parsed as Markdown of its own; each reference (`[^1]`) in text becomes a numbered link, numbered in the order
/// of first reference, and the referenced footnotes follow the text as a list with links back, as cmark-gfm
/// writes them. A reference without a definition stays text; a definition without a reference is left out.
enum Footnotes {
    /// One definition: its content's Markdown, padded with empty lines so that libcmark's line numbers for it
    /// are the source's.
    struct Definition {
        var markdown: String
    }

    /// The source with the definitions' lines blanked, and the definitions by label (case folded).
    static func extract(_ source: String) -> (source: String, definitions: [String: Definition]) {
        guard source.containsBytes("[^") else { return (source, [:]) }
        var lines = source.components(separatedBy: "\n")
        var definitions: [String: Definition] = [:]
        var fence: (marker: Character, count: Int)?
        var index = 0
        while index < lines.count {
            let line = lines[index]
            let indent = line.prefix { $0 == " " }.count
            let rest = line.dropFirst(indent)
            if indent <= 3, let marker = rest.first, marker == "`" || marker == "~" {
                let count = rest.prefix { $0 == marker }.count
                if let open = fence {
                    if marker == open.marker, count >= open.count, rest.dropFirst(count).allSatisfy({ $0 == " " || $0 == "\t" }) { fence = nil }
                } else if count >= 3 {
                    fence = (marker, count)
                }
                index += 1
                continue
            }
            guard fence == nil, indent <= 3, rest.hasPrefix("[^"), let close = rest.firstIndex(of: "]"), rest[close...].hasPrefix("]:") else {
                index += 1
                continue
            }
            let label = rest[rest.index(rest.startIndex, offsetBy: 2)..<close]
            guard !label.isEmpty, !label.contains(where: { $0 == " " || $0 == "\t" }) else {
                index += 1
                continue
            }
            var content = [String(rest[rest.index(close, offsetBy: 2)...].drop { $0 == " " || $0 == "\t" })]
            let first = index
            var end = index + 1
            // Indented lines (and blank lines between them) continue the footnote.
            while end < lines.count {
                let next = lines[end]
                if next.allSatisfy({ $0 == " " || $0 == "\t" }) {
                    guard let more = lines[end...].firstIndex(where: { !$0.allSatisfy { $0 == " " || $0 == "\t" } }),
                          isIndented(lines[more]) else { break }
                    content += Array(repeating: "", count: more - end)
                    end = more
                    continue
                }
                guard isIndented(next) else { break }
                content.append(next.hasPrefix("\t") ? String(next.dropFirst()) : String(next.dropFirst(4)))
                end += 1
            }
            let key = label.lowercased()
            if definitions[key] == nil {
                definitions[key] = Definition(markdown: String(repeating: "\n", count: first) + content.joined(separator: "\n") + "\n")
            }
            for blank in first..<end { lines[blank] = "" }
            index = end
        }
        return (definitions.isEmpty ? source : lines.joined(separator: "\n"), definitions)
    }

    static func isIndented(_ line: String) -> Bool { line.hasPrefix("    ") || line.hasPrefix("\t") }

    /// Turns references into numbered links and appends the footnotes they name.
    static func apply(_ document: OpaquePointer, definitions: [String: Definition], options: Int32) {
        guard !definitions.isEmpty else { return }
        cmark_consolidate_text_nodes(document)
        let texts = NodeLists.collect(document) { node in
            cmark_node_get_type(node) == CMARK_NODE_TEXT && !Autolinks.insideLink(node) && PlainText.literalHas(node, UInt8(ascii: "[")) && PlainText.literal(node)?.containsBytes("[^") == true
        }

        var order: [String] = []
        var references: [String: Int] = [:]
        for node in texts {
            guard let text = PlainText.literal(node) else { continue }
            var rest = text[...]
            var pieces: [(text: Substring, label: String?)] = []
            while let open = rest.range(of: "[^") {
                guard let close = rest[open.upperBound...].firstIndex(of: "]") else { break }
                let label = rest[open.upperBound..<close].lowercased()
                guard definitions[label] != nil else {
                    pieces.append((rest[..<rest.index(after: open.lowerBound)], nil))
                    rest = rest[rest.index(after: open.lowerBound)...]
                    continue
                }
                pieces.append((rest[..<open.lowerBound], nil))
                pieces.append(("", label))
                rest = rest[rest.index(after: close)...]
            }
            guard pieces.contains(where: { $0.label != nil }) else { continue }
            pieces.append((rest, nil))
            for piece in pieces {
                if let label = piece.label {
                    if !order.contains(label) { order.append(label) }
                    let number = order.firstIndex(of: label)! + 1
                    references[label, default: 0] += 1
                    let count = references[label]!
                    // Later references to the same footnote need ids of their own; the footnote links back to the first.
                    let id = count == 1 ? "fnref\(number)" : "fnref\(number)-\(count)"
                    let mark = cmark_node_new(CMARK_NODE_CUSTOM_INLINE)!
                    _ = cmark_node_set_on_enter(mark, "<sup class=\"footnote-ref\"><a href=\"#fn\(number)\" id=\"\(id)\">\(number)</a></sup>")
                    cmark_node_insert_before(node, mark)
                } else if !piece.text.isEmpty {
                    let part = cmark_node_new(CMARK_NODE_TEXT)!
                    _ = cmark_node_set_literal(part, String(piece.text))
                    cmark_node_insert_before(node, part)
                }
            }
            cmark_node_unlink(node)
            cmark_node_free(node)
        }
        guard !order.isEmpty else { return }

        let section = PipeTables.block("<section class=\"footnotes\">\n<ol>", "</ol>\n</section>")
        for (offset, label) in order.enumerated() {
            let number = offset + 1
            let item = PipeTables.block("<li id=\"fn\(number)\">", "</li>")
            var markdown = definitions[label]!.markdown
            let parsed: OpaquePointer = markdown.withUTF8 { bytes in
                bytes.withMemoryRebound(to: CChar.self) { cmark_parse_document($0.baseAddress, $0.count, options) }
            }
            PipeTables.apply(parsed, source: markdown, options: options)
            while let block = cmark_node_first_child(parsed) {
                cmark_node_unlink(block)
                cmark_node_append_child(item, block)
            }
            cmark_node_free(parsed)
            let back = "<a href=\"#fnref\(number)\" class=\"footnote-backref\">↩</a>"
            if let last = cmark_node_last_child(item), cmark_node_get_type(last) == CMARK_NODE_PARAGRAPH {
                let link = cmark_node_new(CMARK_NODE_CUSTOM_INLINE)!
                _ = cmark_node_set_on_enter(link, " " + back)
                cmark_node_append_child(last, link)
            } else {
                cmark_node_append_child(item, PipeTables.block(back, ""))
            }
            cmark_node_append_child(section, item)
        }
        cmark_node_append_child(document, section)
    }
}
