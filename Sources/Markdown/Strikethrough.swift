import Ccmark
import TianshanModel

/// GFM strikethrough (`~~删除~~`) as a transform of libcmark's tree: runs of two tildes in text are delimiters,
/// paired like emphasis delimiters (an opener must be left-flanking, a closer right-flanking), and what lies
/// between a pair is wrapped in a custom inline node that renders as `<del>…</del>`. Other runs stay text.
///
/// Only double tildes strike, as with cmark-gfm's `--strikethrough-double-tilde`: Chinese writes ranges with
/// one (2021~2023年, 约1~3个), which single-tilde strikethrough would turn into deleted text.
enum Strikethrough {
    static func apply(_ document: OpaquePointer) {
        let containers = NodeLists.collect(document) { node in
            switch cmark_node_get_type(node) {
            case CMARK_NODE_PARAGRAPH, CMARK_NODE_HEADING, CMARK_NODE_EMPH, CMARK_NODE_STRONG, CMARK_NODE_LINK, CMARK_NODE_IMAGE: hasTilde(node)
            default: false
            }
        }
        for container in containers { rewrite(container) }
    }

    /// One piece of a container's inline children once text is split at tilde runs.
    enum Item {
        case node(OpaquePointer)
        case text(String)
        /// A run of tildes, and whether it may open or close a strikethrough.
        case tildes(count: Int, canOpen: Bool, canClose: Bool)
    }

    static func hasTilde(_ container: OpaquePointer) -> Bool {
        var child = cmark_node_first_child(container)
        while let node = child {
            if cmark_node_get_type(node) == CMARK_NODE_TEXT, PlainText.literalHas(node, UInt8(ascii: "~")) { return true }
            child = cmark_node_next(node)
        }
        return false
    }

    static func rewrite(_ container: OpaquePointer) {
        var items: [Item] = []
        var child = cmark_node_first_child(container)
        var children: [OpaquePointer] = []
        // Text nodes split into items: their text is copied into new nodes, so they are freed.
        var split: [OpaquePointer] = []
        while let node = child {
            children.append(node)
            child = cmark_node_next(node)
        }
        for (index, node) in children.enumerated() {
            guard cmark_node_get_type(node) == CMARK_NODE_TEXT, let text = PlainText.literal(node), text.containsByte(UInt8(ascii: "~")) else {
                items.append(.node(node))
                continue
            }
            let before = index > 0 ? PlainText.lastScalar(children[index - 1]) ?? "a" : nil
            let after = index + 1 < children.count ? PlainText.firstScalar(children[index + 1]) ?? "a" : nil
            items += Self.split(text, before: before, after: after)
            split.append(node)
        }

        // Pair closers with the nearest earlier opener of the same length; openers skipped over are dropped.
        var pairs: [Int: Int] = [:]
        var openers: [Int] = []
        for (index, item) in items.enumerated() {
            guard case .tildes(let count, let canOpen, let canClose) = item, count == 2 else { continue }
            if canClose, let found = openers.lastIndex(where: { if case .tildes(let c, _, _) = items[$0] { return c == count }; return false }) {
                pairs[openers[found]] = index
                openers.removeSubrange(found...)
                continue
            }
            if canOpen { openers.append(index) }
        }
        guard !pairs.isEmpty else { return }

        for node in children { cmark_node_unlink(node) }
        for node in split { cmark_node_free(node) }
        var stack: [OpaquePointer] = [container]
        var closers = Set(pairs.values)
        for (index, item) in items.enumerated() {
            switch item {
            case .node(let node):
                cmark_node_append_child(stack.last!, node)
            case .text(let text):
                append(text, to: stack.last!)
            case .tildes(let count, _, _):
                if pairs[index] != nil {
                    let del = cmark_node_new(CMARK_NODE_CUSTOM_INLINE)!
                    _ = cmark_node_set_on_enter(del, "<del>")
                    _ = cmark_node_set_on_exit(del, "</del>")
                    cmark_node_append_child(stack.last!, del)
                    stack.append(del)
                } else if closers.contains(index) {
                    closers.remove(index)
                    stack.removeLast()
                } else {
                    append(String(repeating: "~", count: count), to: stack.last!)
                }
            }
        }
    }

    /// Text and tilde runs, with whether each run can open or close (the characters around a run at the edge of
    /// the text come from its neighbours; nil is the start or end of the line).
    static func split(_ text: String, before: Unicode.Scalar?, after: Unicode.Scalar?) -> [Item] {
        let scalars = Array(text.unicodeScalars)
        var items: [Item] = []
        var plain = String.UnicodeScalarView()
        var index = 0
        while index < scalars.count {
            guard scalars[index] == "~" else {
                plain.append(scalars[index])
                index += 1
                continue
            }
            var end = index
            while end < scalars.count, scalars[end] == "~" { end += 1 }
            if !plain.isEmpty { items.append(.text(String(plain))); plain = String.UnicodeScalarView() }
            let previous = index > 0 ? scalars[index - 1] : before
            let next = end < scalars.count ? scalars[end] : after
            let leftFlanking = !isSpace(next) && (!isPunctuation(next) || isSpace(previous) || isPunctuation(previous))
            let rightFlanking = !isSpace(previous) && (!isPunctuation(previous) || isSpace(next) || isPunctuation(next))
            items.append(.tildes(count: end - index, canOpen: leftFlanking, canClose: rightFlanking))
            index = end
        }
        if !plain.isEmpty { items.append(.text(String(plain))) }
        return items
    }

    /// The start or end of the line counts as white space, as in CommonMark's flanking rules.
    static func isSpace(_ scalar: Unicode.Scalar?) -> Bool {
        guard let scalar else { return true }
        return scalar.properties.isWhitespace
    }

    static func isPunctuation(_ scalar: Unicode.Scalar?) -> Bool {
        guard let scalar else { return false }
        switch scalar.properties.generalCategory {
        case .connectorPunctuation, .dashPunctuation, .openPunctuation, .closePunctuation, .initialPunctuation,
             .finalPunctuation, .otherPunctuation, .mathSymbol, .currencySymbol, .modifierSymbol, .otherSymbol:
            return true
        default:
            return false
        }
    }

    static func append(_ text: String, to parent: OpaquePointer) {
        // Next to a text node already there, extend it, so later passes see one run of text.
        if let last = cmark_node_last_child(parent), cmark_node_get_type(last) == CMARK_NODE_TEXT, let existing = PlainText.literal(last) {
            _ = cmark_node_set_literal(last, existing + text)
            return
        }
        let node = cmark_node_new(CMARK_NODE_TEXT)!
        _ = cmark_node_set_literal(node, text)
        cmark_node_append_child(parent, node)
    }
}
