import Ccmark
import Foundation
import TianshanModel

/// A table or figure of a page, with its number when the page numbers them: for cross-references and for the
/// page's lists of tables and figures.
public struct CaptionedBlock: Sendable, Equatable, Codable {
    public enum Kind: String, Sendable, Equatable, Codable {
        case table, figure
    }

    public var kind: Kind
    public var id: String
    /// "表2" on a numbered page; "" where the page numbers nothing.
    public var label: String
    public var caption: String
    /// For a block made from a data set whose rows have pages: the set, and the rows it shows or counts, so
    /// each row's page can say which tables and figures hold it.
    public var dataSet: String = ""
    public var rows: [Int] = []

    public init(kind: Kind, id: String, label: String, caption: String) {
        self.kind = kind
        self.id = id
        self.label = label
        self.caption = caption
    }

    /// What a cross-reference to this block says: its label, or its caption on a page that numbers nothing.
    public var referenceText: String { label.isEmpty ? caption : label }
}

/// The labels the next table and the next figure of a page would get; nil where the page numbers nothing.
public struct BlockLabels: Sendable, Equatable {
    public var table: String?
    public var figure: String?

    public init(table: String? = nil, figure: String? = nil) {
        self.table = table
        self.figure = figure
    }

    public func label(for kind: CaptionedBlock.Kind) -> String? { kind == .table ? table : figure }
}

/// A fenced block for the block hook to render, with what it needs to number itself.
public struct BlockRequest: Sendable {
    /// The fence's info string ("table", "chart id=…").
    public var info: String
    /// The block's text.
    public var literal: String
    public var location: SourceLocation
    /// Counts fenced blocks from 1 in document order, so generated names are stable.
    public var ordinal: Int
    public var labels: BlockLabels

    public init(info: String, literal: String, location: SourceLocation, ordinal: Int, labels: BlockLabels = BlockLabels()) {
        self.info = info
        self.literal = literal
        self.location = location
        self.ordinal = ordinal
        self.labels = labels
    }
}

/// What a heading's trailing attribute block (`## 概述 {-}`, `{.unnumbered}`, `{#custom-id}`) asks, as in
/// Pandoc and Quarto.
struct HeadingAttributes: Equatable {
    var id: String?
    var unnumbered = false

    /// Splits a trailing `{…}` off `text` when every word in it is an attribute this reads; otherwise the text
    /// is left as it is, braces included.
    static func split(_ text: String) -> (text: String, attributes: HeadingAttributes)? {
        let trimmed = text.trimming(" \t")
        guard trimmed.hasSuffix("}"), let open = trimmed.lastIndex(of: "{") else { return nil }
        var attributes = HeadingAttributes()
        let words = trimmed[trimmed.index(after: open)..<trimmed.index(before: trimmed.endIndex)].split(separator: " ")
        guard !words.isEmpty else { return nil }
        for word in words {
            if word == "-" || word == ".unnumbered" {
                attributes.unnumbered = true
            } else if word.hasPrefix("#"), word.count > 1 {
                attributes.id = String(word.dropFirst())
            } else {
                return nil
            }
        }
        return (String(trimmed[..<open]).trimming(" \t"), attributes)
    }

    /// Takes the attribute block off a heading node's last text, returning what it asked.
    static func take(from heading: OpaquePointer) -> HeadingAttributes {
        guard let last = cmark_node_last_child(heading), cmark_node_get_type(last) == CMARK_NODE_TEXT,
              let literal = cmark_node_get_literal(last) else { return HeadingAttributes() }
        guard let (text, attributes) = split(String(cString: literal)) else { return HeadingAttributes() }
        _ = cmark_node_set_literal(last, text)
        return attributes
    }
}

/// Numbers a page's headings in document order, and knows the chapter (the numbered top-level heading) reached.
struct HeadingCounter {
    let style: NumberingSettings.HeadingStyle
    /// The level of the page's top headings (`##` in a page whose title is its `#`).
    let topLevel: Int
    private var counts: [Int] = []

    init(style: NumberingSettings.HeadingStyle, topLevel: Int) {
        self.style = style
        self.topLevel = topLevel
    }

    /// The number of the top-level heading last counted; 0 before the first.
    var chapter: Int { counts.first ?? 0 }

    /// Counts a numbered heading and returns its number as shown before its text ("二、", "（一）", "1.2 ").
    mutating func next(level: Int) -> String? {
        let depth = max(0, level - topLevel)
        while counts.count <= depth { counts.append(0) }
        counts[depth] += 1
        counts.removeSubrange((depth + 1)...)
        // A heading deeper than one with no number yet counts from 1 at each missing level.
        for index in counts.indices where counts[index] == 0 { counts[index] = 1 }
        let n = counts[depth]
        switch style {
        case .none:
            return nil
        case .decimal:
            return counts.map(String.init).joined(separator: ".") + " "
        case .chinese:
            switch depth {
            case 0: return Self.chinese(n) + "、"
            case 1: return "（" + Self.chinese(n) + "）"
            case 2: return "\(n)."
            case 3: return "（\(n)）"
            default: return nil
            }
        }
    }

    /// The number in Chinese numerals (一, 十二, 二十三, 一百零五), as official documents write section numbers.
    static func chinese(_ n: Int) -> String {
        let digits = ["零", "一", "二", "三", "四", "五", "六", "七", "八", "九"]
        guard n > 0, n < 10000 else { return String(n) }
        if n < 10 { return digits[n] }
        if n < 20 { return "十" + (n % 10 == 0 ? "" : digits[n % 10]) }
        let units = ["", "十", "百", "千"]
        let parts = String(n).compactMap { $0.wholeNumberValue }
        var text = ""
        var pendingZero = false
        for (offset, digit) in parts.enumerated() {
            let unit = units[parts.count - 1 - offset]
            if digit == 0 {
                pendingZero = !text.isEmpty
                continue
            }
            if pendingZero { text += "零"; pendingZero = false }
            text += digits[digit] + unit
        }
        return text
    }
}

/// The targets of a page's cross-references (`[](#id)`, a link with no text): its tables, figures and headings.
struct CrossReferences {
    private var texts: [String: String] = [:]

    init(headings: [Heading], blocks: [CaptionedBlock]) {
        for heading in headings { texts[heading.id] = heading.text }
        // A block's id wins over a heading's: a reference by a table's id means the table.
        for block in blocks { texts[block.id] = block.referenceText }
    }

    /// What a reference to `fragment` says ("表2", a heading's text), or why it cannot be resolved.
    func resolve(_ fragment: String) -> Result<String, Problem> {
        let id = fragment.removingPercentEncoding ?? fragment
        if let text = texts[id], !text.isEmpty { return .success(text) }
        if texts[id] != nil {
            return .failure(Problem(text: "'#\(id)' has neither a number nor a caption to refer to it by", hint: "give it a caption, or write the link's text"))
        }
        let known = texts.keys.sorted()
        let hint = Suggestion.closest(to: id, among: known).map { "did you mean '#\($0)'?" }
            ?? (known.isEmpty ? "this page has no table, figure or heading to refer to" : "ids here: " + known.prefix(8).joined(separator: ", "))
        return .failure(Problem(text: "reference to '#\(id)' finds no table, figure or heading on this page", hint: hint))
    }

    struct Problem: Error {
        var text: String
        var hint: String
    }
}
