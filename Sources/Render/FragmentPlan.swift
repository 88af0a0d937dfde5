import TianshanModel

/// Which partial references can be rendered once and reused across outputs, and the template texts that
/// reuse them.
///
/// A partial named on a line of its own at the top level of a template that is only ever rendered at the
/// root of a context (a layout, or a parent a layout names at its top level) sees exactly the root context,
/// with no indentation and no block overrides it could use. Its output is then a function of the root values
/// it looks up, so `FragmentCache` can render it once per distinct set of those values. Such a line
/// `{{> partials.header}}` becomes `{{{tianshan-fragment-N}}}`, a value `TemplateLibrary.render` gives the root.
struct FragmentPlan: Sendable, Equatable {
    /// The template texts with their fragment lines replaced, for the templates that have any.
    var rewritten: [String: String] = [:]
    /// Fragment variable name -> the partial it renders.
    var fragments: [String: String] = [:]

    static let variablePrefix = "tianshan-fragment-"

    /// One `{{…}}` tag of a template, as far as this plan needs to know it.
    struct Tag: Equatable {
        enum Kind: Equatable { case open, close, partial, parent, block, dynamicPartial, delimiters, other }
        var kind: Kind
        var name: String
        /// No section, block or parent is open around it.
        var topLevel: Bool
        /// The tag is its line's only text and the line starts at column 1 (a standalone tag, not indented);
        /// the range covers the line with its line break.
        var ownLine: Range<String.Index>?
    }

    init() {}

    /// - Parameter texts: every template's text by name (`layouts.base`, `partials.header`).
    init(texts: [String: String]) {
        let tags = texts.mapValues(Self.tags)
        // Templates rendered at the root: layouts, unless some template names them anywhere but as a parent at
        // the top level of another template rendered at the root.
        var rootOnly = Set(texts.keys.filter { $0.hasPrefix("layouts.") && !(tags[$0] ?? []).contains { $0.kind == .delimiters } })
        // A dynamic partial could name any template from anywhere.
        if tags.values.contains(where: { $0.contains { $0.kind == .dynamicPartial } }) { rootOnly.removeAll() }
        var changed = true
        while changed {
            changed = false
            for (holder, list) in tags {
                for tag in list where (tag.kind == .partial || tag.kind == .parent) && rootOnly.contains(tag.name) {
                    guard !(tag.kind == .parent && tag.topLevel && tag.ownLine != nil && rootOnly.contains(holder)) else { continue }
                    rootOnly.remove(tag.name)
                    changed = true
                }
            }
        }
        var numbers: [String: Int] = [:]
        for holder in rootOnly.sorted() {
            guard let text = texts[holder], let list = tags[holder] else { continue }
            var replacements: [(Range<String.Index>, String)] = []
            for tag in list where tag.kind == .partial && tag.topLevel && tag.ownLine != nil && Self.isSelfContained(tag.name, texts: texts, tags: tags) {
                let number = numbers[tag.name] ?? numbers.count
                numbers[tag.name] = number
                let variable = Self.variablePrefix + String(number)
                fragments[variable] = tag.name
                replacements.append((tag.ownLine!, "{{{\(variable)}}}"))
            }
            guard !replacements.isEmpty else { continue }
            var result = text
            for (range, replacement) in replacements.reversed() { result.replaceSubrange(range, with: replacement) }
            rewritten[holder] = result
        }
    }

    /// Whether a partial and everything it includes can be rendered on its own: no block for an override to fill,
    /// no dynamic partial, no changed delimiters, and every partial it names known.
    static func isSelfContained(_ name: String, texts: [String: String], tags: [String: [Tag]]) -> Bool {
        var seen = Set<String>()
        var stack = [name]
        while let next = stack.popLast() {
            guard seen.insert(next).inserted else { continue }
            guard let list = tags[next], texts[next] != nil else { return false }
            for tag in list {
                switch tag.kind {
                case .block, .dynamicPartial, .delimiters: return false
                case .partial, .parent: stack.append(tag.name)
                default: continue
                }
            }
        }
        return true
    }

    /// The tags of a template in order, with their nesting and whether each stands on a line of its own.
    static func tags(_ text: String) -> [Tag] {
        var tags: [Tag] = []
        var depth = 0
        var index = text.startIndex
        var lineStart = text.startIndex
        while let open = text[index...].range(of: "{{") {
            // The start of the line holding this tag.
            if let newline = text[index..<open.lowerBound].lastIndex(where: { $0 == "\n" || $0 == "\r\n" }) { lineStart = text.index(after: newline) }
            let triple = text[open.upperBound...].hasPrefix("{")
            guard let close = text[open.upperBound...].range(of: triple ? "}}}" : "}}") else { break }
            let inner = text[open.upperBound..<close.lowerBound].drop { $0 == " " || $0 == "\t" }
            let marker = triple ? "{" : inner.first
            let name = String(inner.dropFirst().drop { $0 == " " || $0 == "\t" }).trimming(" \t")
            let kind: Tag.Kind
            switch marker {
            case "#", "^": kind = .open
            case "/": kind = .close
            case "$": kind = .block
            case "<": kind = name.hasPrefix("*") ? .dynamicPartial : .parent
            case ">": kind = name.hasPrefix("*") ? .dynamicPartial : .partial
            case "=": kind = .delimiters
            default: kind = .other
            }
            // The line the tag is alone on, column 1 included.
            var ownLine: Range<String.Index>?
            if lineStart == open.lowerBound {
                let rest = text[close.upperBound...]
                if rest.isEmpty {
                    ownLine = open.lowerBound..<close.upperBound
                } else if rest.first == "\n" || rest.first == "\r\n" {
                    ownLine = open.lowerBound..<rest.index(after: rest.startIndex)
                }
            }
            let topLevel = depth == 0
            switch kind {
            case .open, .block, .parent: depth += 1
            case .close: depth = max(0, depth - 1)
            default: break
            }
            tags.append(Tag(kind: kind, name: kind == .dynamicPartial ? String(name.dropFirst()) : name, topLevel: topLevel, ownLine: ownLine))
            index = close.upperBound
        }
        return tags
    }
}
