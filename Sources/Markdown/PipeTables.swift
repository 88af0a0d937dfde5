import Ccmark
import TianshanModel

/// GFM pipe tables (`| 指标 | 2020 |` over `| --- | ---: |`) as a transform of libcmark's tree. libcmark reads a
/// table as a paragraph of pipes; a paragraph whose lines hold a header row followed by a delimiter row with as
/// many cells becomes a table, every line after them a row, as cmark-gfm reads them. The paragraph's lines
/// before the header stay a paragraph. Cells are parsed as inline Markdown on their own, so links, emphasis and
/// code work in them, and `\|` is a pipe in a cell, code spans included.
///
/// Tables take the look of data tables (the same wrapper classes); alignment is a class rather than the
/// obsolete `align` attribute cmark-gfm writes.
enum PipeTables {
    /// Turns every paragraph that holds a table into the table (and the paragraph of the lines before it).
    /// - Parameter source: the Markdown libcmark parsed, whose lines the paragraphs' positions point into.
    static func apply(_ document: OpaquePointer, source: String, options: Int32) {
        // Most pages have no pipe at all: they are not walked.
        guard source.containsByte(UInt8(ascii: "|")) else { return }
        let paragraphs = NodeLists.collect(document) { node in
            cmark_node_get_type(node) == CMARK_NODE_PARAGRAPH && cmark_node_get_end_line(node) > cmark_node_get_start_line(node)
        }
        guard !paragraphs.isEmpty else { return }
        let lines = Array(source.utf8).split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false)
        let definitions = referenceDefinitions(lines)
        for paragraph in paragraphs { rewrite(paragraph, lines: lines, definitions: definitions, options: options) }
    }

    /// The document's one-line link reference definitions (`[名称]: /url`), which cells parsed on their own need
    /// for their reference links.
    static func referenceDefinitions(_ lines: [ArraySlice<UInt8>]) -> String {
        var found: [String] = []
        for line in lines {
            let text = line.drop { $0 == UInt8(ascii: " ") }
            guard line.count - text.count <= 3, text.first == UInt8(ascii: "["), text.dropFirst().first != UInt8(ascii: "^"),
                  let close = text.firstIndex(of: UInt8(ascii: "]")), text.index(after: close) < text.endIndex,
                  text[text.index(after: close)] == UInt8(ascii: ":") else { continue }
            found.append(String(decoding: line, as: UTF8.self))
        }
        return found.joined(separator: "\n")
    }

    /// A column's alignment, as the delimiter row's colons give it.
    enum Alignment { case none, left, center, right }

    static func rewrite(_ paragraph: OpaquePointer, lines: [ArraySlice<UInt8>], definitions: String, options: Int32) {
        let first = Int(cmark_node_get_start_line(paragraph))
        let last = Int(cmark_node_get_end_line(paragraph))
        guard first >= 1, last <= lines.count else { return }
        var quotes = 0
        var ancestor = cmark_node_parent(paragraph)
        while let node = ancestor {
            if cmark_node_get_type(node) == CMARK_NODE_BLOCK_QUOTE { quotes += 1 }
            ancestor = cmark_node_parent(node)
        }
        var rows: [ArraySlice<UInt8>] = []
        for number in first...last {
            var line = lines[number - 1]
            if number == first {
                line = line.dropFirst(max(0, Int(cmark_node_get_start_column(paragraph)) - 1))
            } else {
                for _ in 0..<quotes {
                    line = line.drop { $0 == UInt8(ascii: " ") }
                    if line.first == UInt8(ascii: ">") { line = line.dropFirst() }
                }
            }
            rows.append(trimmed(line))
        }
        guard rows.contains(where: { $0.contains(UInt8(ascii: "|")) }) else { return }
        var found: (header: Int, alignments: [Alignment])?
        for index in rows.indices.dropFirst() {
            if let alignments = delimiter(rows[index]), cells(rows[index - 1]).count == alignments.count {
                found = (index - 1, alignments)
                break
            }
        }
        guard let (header, alignments) = found else { return }

        // The lines before the header keep their inline nodes: the paragraph is cut at the line break that ends them.
        var breaks: [OpaquePointer] = []
        var child = cmark_node_first_child(paragraph)
        while let node = child {
            let type = cmark_node_get_type(node)
            if type == CMARK_NODE_SOFTBREAK || type == CMARK_NODE_LINEBREAK { breaks.append(node) }
            child = cmark_node_next(node)
        }
        // A line break inside an inline span (a link or emphasis across lines) would cut it in two.
        guard breaks.count == rows.count - 1 else { return }

        let table = makeTable(
            header: cells(rows[header]), alignments: alignments, body: rows[(header + 2)...].map(cells), firstLine: first + header,
            definitions: definitions, options: options
        )
        cmark_node_insert_after(paragraph, table)
        if header == 0 {
            cmark_node_unlink(paragraph)
            cmark_node_free(paragraph)
        } else {
            // Everything from the break before the header on belongs to the table.
            var node: OpaquePointer? = breaks[header - 1]
            while let current = node {
                node = cmark_node_next(current)
                cmark_node_unlink(current)
                cmark_node_free(current)
            }
        }
    }

    /// - Parameter firstLine: the header's line in the source; the delimiter row follows it, then the body rows.
    static func makeTable(
        header: [String], alignments: [Alignment], body: [[String]], firstLine: Int, definitions: String, options: Int32
    ) -> OpaquePointer {
        let headRow = row(header, alignments: alignments, tag: "th", line: firstLine, definitions: definitions, options: options)
        // The scrolling region is named by its header cells, as a data table's by its caption.
        var labels: [String] = []
        var cell = cmark_node_first_child(headRow)
        while let node = cell {
            labels.append(PlainText.inline(node).trimming(" "))
            cell = cmark_node_next(node)
        }
        let label = labels.filter { !$0.isEmpty }.joined(separator: " / ")
        let region = label.isEmpty ? "" : " role=\"region\" aria-label=\"\(HTMLText.escapeAttribute(label))\""
        let table = block("<div class=\"data-table\"><div class=\"table-scroll\" tabindex=\"0\"\(region)>\n<table>", "</table>\n</div></div>")
        let head = block("<thead>", "</thead>")
        cmark_node_append_child(head, headRow)
        cmark_node_append_child(table, head)
        if !body.isEmpty {
            let tbody = block("<tbody>", "</tbody>")
            for (offset, cells) in body.enumerated() {
                // A row with fewer cells than the header gets empty ones; cells beyond the header's are dropped.
                let padded = Array(cells.prefix(alignments.count)) + Array(repeating: "", count: max(0, alignments.count - cells.count))
                cmark_node_append_child(tbody, row(padded, alignments: alignments, tag: "td", line: firstLine + 2 + offset, definitions: definitions, options: options))
            }
            cmark_node_append_child(table, tbody)
        }
        return table
    }

    static func row(_ cells: [String], alignments: [Alignment], tag: String, line: Int, definitions: String, options: Int32) -> OpaquePointer {
        let row = block("<tr>", "</tr>")
        for (text, alignment) in zip(cells, alignments) {
            let cell = cmark_node_new(CMARK_NODE_CUSTOM_INLINE)!
            let attribute = switch alignment {
            case .none: ""
            case .left: " class=\"align-left\""
            case .center: " class=\"align-center\""
            case .right: " class=\"align-right\""
            }
            _ = cmark_node_set_on_enter(cell, "<\(tag)\(attribute)>")
            _ = cmark_node_set_on_exit(cell, "</\(tag)>\n")
            for inline in inlines(text, line: line, definitions: definitions, options: options) { cmark_node_append_child(cell, inline) }
            cmark_node_append_child(row, cell)
        }
        return row
    }

    static func block(_ enter: String, _ exit: String) -> OpaquePointer {
        let node = cmark_node_new(CMARK_NODE_CUSTOM_BLOCK)!
        _ = cmark_node_set_on_enter(node, enter)
        _ = cmark_node_set_on_exit(node, exit)
        return node
    }

    /// The inline nodes of one cell's text, unlinked from the document libcmark parsed them in.
    /// - Parameter line: the cell's line in the source, which a link's position (for its diagnostics) must name.
    static func inlines(_ text: String, line: Int, definitions: String, options: Int32) -> [OpaquePointer] {
        guard !text.isEmpty else { return [] }
        // A no-break space first, so that no cell starts a block (`# x`, `- x`, `1. x`) and emphasis may still
        // open at its start; it is taken off again below. Empty lines before a cell with a link or image put
        // its nodes on the line the cell is on.
        let padding = text.containsByte(UInt8(ascii: "[")) || text.containsByte(UInt8(ascii: "<")) ? String(repeating: "\n", count: max(0, line - 1)) : ""
        var source = padding + "\u{A0}" + text.replacingOccurrences(of: "\\|", with: "|") + (definitions.isEmpty ? "" : "\n\n" + definitions)
        let parsed: OpaquePointer = source.withUTF8 { bytes in
            bytes.withMemoryRebound(to: CChar.self) { cmark_parse_document($0.baseAddress, $0.count, options) }
        }
        defer { cmark_node_free(parsed) }
        guard let paragraph = cmark_node_first_child(parsed), cmark_node_get_type(paragraph) == CMARK_NODE_PARAGRAPH else { return [] }
        var nodes: [OpaquePointer] = []
        while let node = cmark_node_first_child(paragraph) {
            cmark_node_unlink(node)
            nodes.append(node)
        }
        if let first = nodes.first, cmark_node_get_type(first) == CMARK_NODE_TEXT, let literal = PlainText.literal(first), literal.hasPrefix("\u{A0}") {
            let rest = String(literal.dropFirst())
            if rest.isEmpty {
                cmark_node_free(first)
                nodes.removeFirst()
            } else {
                _ = cmark_node_set_literal(first, rest)
            }
        }
        return nodes
    }

    /// A row's cells: split at pipes not escaped with a backslash, the pipes at either end optional, each trimmed.
    static func cells(_ row: ArraySlice<UInt8>) -> [String] {
        var line = trimmed(row)
        if line.first == UInt8(ascii: "|") { line = line.dropFirst() }
        if line.last == UInt8(ascii: "|"), line.dropLast().last != UInt8(ascii: "\\") { line = line.dropLast() }
        var cells: [String] = []
        var start = line.startIndex
        var index = line.startIndex
        while index < line.endIndex {
            if line[index] == UInt8(ascii: "\\"), line.index(after: index) < line.endIndex {
                index = line.index(index, offsetBy: 2)
                continue
            }
            if line[index] == UInt8(ascii: "|") {
                cells.append(String(decoding: trimmed(line[start..<index]), as: UTF8.self))
                start = line.index(after: index)
            }
            index = line.index(after: index)
        }
        cells.append(String(decoding: trimmed(line[start...]), as: UTF8.self))
        return cells
    }

    /// The alignments of a delimiter row (`| :--- | ---: |`), or nil when the line is not one.
    static func delimiter(_ row: ArraySlice<UInt8>) -> [Alignment]? {
        guard row.contains(where: { $0 == UInt8(ascii: "-") }) else { return nil }
        var alignments: [Alignment] = []
        for cell in cells(row) {
            let bytes = Array(cell.utf8)
            guard !bytes.isEmpty else { return nil }
            let left = bytes.first == UInt8(ascii: ":")
            let right = bytes.count > 1 && bytes.last == UInt8(ascii: ":")
            let dashes = bytes.dropFirst(left ? 1 : 0).dropLast(right ? 1 : 0)
            guard !dashes.isEmpty, dashes.allSatisfy({ $0 == UInt8(ascii: "-") }) else { return nil }
            alignments.append(left && right ? .center : left ? .left : right ? .right : .none)
        }
        return alignments
    }

    static func trimmed(_ bytes: ArraySlice<UInt8>) -> ArraySlice<UInt8> {
        let blank: (UInt8) -> Bool = { $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "\t") || $0 == UInt8(ascii: "\r") }
        var slice = bytes
        while let first = slice.first, blank(first) { slice = slice.dropFirst() }
        while let last = slice.last, blank(last) { slice = slice.dropLast() }
        return slice
    }
}
