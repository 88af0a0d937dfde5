import Ccmark
#if canImport(Glibc)
import Glibc
#endif

/// Plain-text views of cmark nodes: heading text for ids, body text for summaries, edge characters for soft breaks.
enum PlainText {
    static func literal(_ node: OpaquePointer) -> String? {
        cmark_node_get_literal(node).map { String(cString: $0) }
    }

    /// Whether the node's literal holds `byte`, without making a Swift string of it: the transforms ask this
    /// of every text node of every page, and most answer no.
    static func literalHas(_ node: OpaquePointer, _ byte: UInt8) -> Bool {
        cmark_node_get_literal(node).map { strchr($0, Int32(byte)) != nil } ?? false
    }

    /// Text of a heading or paragraph's inline children.
    static func inline(_ node: OpaquePointer) -> String {
        var text = ""
        var child = cmark_node_first_child(node)
        while let c = child {
            switch cmark_node_get_type(c) {
            case CMARK_NODE_TEXT, CMARK_NODE_CODE: text += literal(c) ?? ""
            case CMARK_NODE_SOFTBREAK, CMARK_NODE_LINEBREAK: text += " "
            case CMARK_NODE_HTML_INLINE: break
            default: text += inline(c)
            }
            child = cmark_node_next(c)
        }
        return text
    }

    /// Paragraph, list and heading text of a document, one block per line.
    static func of(_ document: OpaquePointer) -> String {
        var blocks: [String] = []
        let iterator = cmark_iter_new(document)
        defer { cmark_iter_free(iterator) }
        while true {
            let event = cmark_iter_next(iterator)
            if event == CMARK_EVENT_DONE { break }
            guard event == CMARK_EVENT_ENTER, let node = cmark_iter_get_node(iterator) else { continue }
            if cmark_node_get_type(node) == CMARK_NODE_PARAGRAPH {
                blocks.append(inline(node))
            }
        }
        return blocks.joined(separator: "\n")
    }

    static func lastScalar(_ node: OpaquePointer) -> Unicode.Scalar? {
        switch cmark_node_get_type(node) {
        case CMARK_NODE_TEXT, CMARK_NODE_CODE:
            return literal(node)?.unicodeScalars.last
        case CMARK_NODE_EMPH, CMARK_NODE_STRONG, CMARK_NODE_LINK, CMARK_NODE_CUSTOM_INLINE:
            return cmark_node_last_child(node).flatMap(lastScalar)
        default:
            return nil
        }
    }

    static func firstScalar(_ node: OpaquePointer) -> Unicode.Scalar? {
        switch cmark_node_get_type(node) {
        case CMARK_NODE_TEXT, CMARK_NODE_CODE:
            return literal(node)?.unicodeScalars.first
        case CMARK_NODE_EMPH, CMARK_NODE_STRONG, CMARK_NODE_LINK, CMARK_NODE_CUSTOM_INLINE:
            return cmark_node_first_child(node).flatMap(firstScalar)
        default:
            return nil
        }
    }
}
