import Foundation

/// One Markdown file of the differential site, in the one canonical form the fixture and the edit generator use:
/// front matter as `key: value` lines, then blocks separated by blank lines. Edits work on this structure rather
/// than on raw text so they can target a tag, a heading or a link without a YAML or Markdown parser of their own,
/// and `text` gives back exactly the bytes that were parsed (the fixture test checks that).
struct PageText: Equatable {
    struct Field: Equatable {
        var key: String
        var value: String
    }

    /// A link or image in a block: its target as written (`../news/a.md#要点`, `/cases/`, `#背景`, `photo.svg`).
    struct Link: Equatable {
        var label: String
        var target: String
        var isImage: Bool
    }

    var fields: [Field]
    var blocks: [String]

    init(fields: [Field] = [], blocks: [String] = []) {
        self.fields = fields
        self.blocks = blocks
    }

    /// Nil when the text is not in the canonical form (then the model cannot edit it, which the fixture test reports).
    init?(_ text: String) {
        guard text.hasPrefix("---\n"),
              let close = text.range(of: "\n---\n", range: text.index(text.startIndex, offsetBy: 3)..<text.endIndex) else { return nil }
        let start = text.index(text.startIndex, offsetBy: 4)
        let header = close.lowerBound > start ? text[start..<close.lowerBound] : ""
        var fields: [Field] = []
        for line in header.split(separator: "\n", omittingEmptySubsequences: false) where !header.isEmpty {
            guard let colon = line.range(of: ": ") else { return nil }
            fields.append(Field(key: String(line[..<colon.lowerBound]), value: String(line[colon.upperBound...])))
        }
        let rest = text[close.upperBound...]
        var blocks: [String] = []
        if !rest.isEmpty {
            guard rest.hasPrefix("\n"), rest.hasSuffix("\n") else { return nil }
            blocks = rest.dropFirst().dropLast().components(separatedBy: "\n\n")
        }
        self.fields = fields
        self.blocks = blocks
        guard self.text == text else { return nil }
    }

    var text: String {
        var out = "---\n"
        for field in fields { out += "\(field.key): \(field.value)\n" }
        out += "---\n"
        if !blocks.isEmpty { out += "\n" + blocks.joined(separator: "\n\n") + "\n" }
        return out
    }

    /// A front-matter value; setting nil removes the line, setting a new key appends it.
    subscript(key: String) -> String? {
        get { fields.first { $0.key == key }?.value }
        set {
            if let index = fields.firstIndex(where: { $0.key == key }) {
                if let newValue { fields[index].value = newValue } else { fields.remove(at: index) }
            } else if let newValue {
                fields.append(Field(key: key, value: newValue))
            }
        }
    }

    /// The `tags: [a, b]` list; an empty list removes the field.
    var tags: [String] {
        get {
            guard let value = self["tags"], value.hasPrefix("["), value.hasSuffix("]") else { return [] }
            return value.dropFirst().dropLast().split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        }
        set { self["tags"] = newValue.isEmpty ? nil : "[" + newValue.joined(separator: ", ") + "]" }
    }

    var isDraft: Bool { self["draft"] == "true" }

    /// The texts of `## ` headings, whose ids are the texts themselves (the pools use letters only).
    var headings: [String] {
        blocks.filter { $0.hasPrefix("## ") }.map { String($0.dropFirst(3)) }
    }

    static func isTable(_ block: String) -> Bool { block.hasPrefix("```table\n") }

    /// A paragraph of plain text: no heading, table, link or image, so an edit may reword it freely.
    static func isPlainParagraph(_ block: String) -> Bool {
        !block.hasPrefix("## ") && !isTable(block) && !block.contains("](")
    }

    var links: [Link] { blocks.filter { !Self.isTable($0) }.flatMap(Self.links(in:)) }

    static func links(in block: String) -> [Link] {
        var found: [Link] = []
        var rest = Substring(block)
        while let open = rest.firstIndex(of: "["), let middle = rest[open...].range(of: "]("),
              let close = rest[middle.upperBound...].firstIndex(of: ")") {
            let isImage = open > rest.startIndex && rest[rest.index(before: open)] == "!"
            found.append(Link(label: String(rest[rest.index(after: open)..<middle.lowerBound]),
                              target: String(rest[middle.upperBound..<close]), isImage: isImage))
            rest = rest[rest.index(after: close)...]
        }
        return found
    }

    /// Rewrites every link target through `transform` (which returns nil to unlink: the label stays as text, and
    /// an image goes away with its paragraph, as an author removing a target would leave it).
    mutating func rewriteLinks(_ transform: (Link) -> String?) {
        var kept: [String] = []
        for block in blocks {
            if Self.isTable(block) {
                kept.append(block)
                continue
            }
            var out = ""
            var rest = Substring(block)
            var dropBlock = false
            while let open = rest.firstIndex(of: "["), let middle = rest[open...].range(of: "]("),
                  let close = rest[middle.upperBound...].firstIndex(of: ")") {
                let isImage = open > rest.startIndex && rest[rest.index(before: open)] == "!"
                let label = String(rest[rest.index(after: open)..<middle.lowerBound])
                let link = Link(label: label, target: String(rest[middle.upperBound..<close]), isImage: isImage)
                out += rest[..<open]
                if let target = transform(link) {
                    out += "[\(label)](\(target))"
                } else if isImage {
                    dropBlock = true
                } else {
                    out += label
                }
                rest = rest[rest.index(after: close)...]
            }
            out += rest
            if !dropBlock { kept.append(out) }
        }
        blocks = kept
    }
}
