import TianshanModel

/// Splits a Markdown file into its YAML front matter (between `---` fences) and its body.
public enum FrontMatterSplitter {
    public struct Parts: Equatable, Sendable {
        /// The YAML text, or nil when the file has no front matter.
        public var yaml: String?
        /// 1-based line of the first YAML line in the file.
        public var yamlLine: Int
        public var body: Substring
        /// 1-based line of the first body line in the file.
        public var bodyLine: Int
    }

    public static func split(_ text: String, file: String) -> Result<Parts, Diagnostic> {
        var content = Substring(text)
        if content.hasPrefix("\u{FEFF}") { content = content.dropFirst() }
        guard let first = content.firstLine, first.isFence("---") else {
            return .success(Parts(yaml: nil, yamlLine: 1, body: content, bodyLine: 1))
        }
        var line = 1
        var cursor = first.endIncludingNewline
        let yamlStart = cursor
        while cursor < content.endIndex {
            line += 1
            let rest = content[cursor...]
            let current = rest.firstLine!
            if current.isFence("---") || current.isFence("...") {
                let yaml = String(content[yamlStart..<cursor])
                return .success(Parts(yaml: yaml, yamlLine: 2, body: content[current.endIncludingNewline...], bodyLine: line + 1))
            }
            cursor = current.endIncludingNewline
        }
        return .failure(.error(
            at: SourceLocation(file: file, line: 1, column: 1), field: "front matter",
            "front matter starts with '---' but has no closing '---' line",
            hint: "end the YAML block with a line holding only '---'"
        ))
    }
}

extension Substring {
    /// The first line without its line break, tracking where the break ends. Found in the UTF-8 bytes: a line
    /// feed is always a character boundary ("\r\n" ends after its "\n" too), so the indexes are the same as
    /// a walk over characters gives, without breaking the text into graphemes.
    fileprivate var firstLine: Line? {
        guard !isEmpty else { return nil }
        if let newline = utf8.firstIndex(of: 0x0A) {
            return Line(text: self[startIndex..<newline], endIncludingNewline: utf8.index(after: newline))
        }
        return Line(text: self, endIncludingNewline: endIndex)
    }

    fileprivate struct Line {
        var text: Substring
        var endIncludingNewline: Substring.Index
        /// Whether the line, trailing spaces, tabs and carriage returns left out, is exactly `fence`.
        func isFence(_ fence: StaticString) -> Bool {
            var bytes = text.utf8[...]
            while let last = bytes.last, last == 0x20 || last == 0x09 || last == 0x0D { bytes = bytes.dropLast() }
            return bytes.elementsEqual(UnsafeBufferPointer(start: fence.utf8Start, count: fence.utf8CodeUnitCount))
        }
    }
}
