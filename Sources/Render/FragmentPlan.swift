import TianshanModel

/// Which partial references can be rendered once and reused across outputs, and the template texts that
/// reuse them.
///
/// A partial named at column 1 at the top level of a template that is only ever rendered at the root of a
/// context (a layout, or a parent a layout names at its top level) sees exactly the root context, with no
/// indentation and no block overrides it could use. Its output is then a function of the root values it looks
/// up, so `FragmentCache` can render it once per distinct set of those values. Such a tag `{{> partials.header}}`
/// becomes `{{> tianshan-fragment-N}}`: still a partial tag, so the parser's standalone-line handling of it and
/// of the lines around it is unchanged; the partial of that name prints a value `TemplateLibrary.render` gives
/// the root. Any template with changed delimiters or a dynamic partial turns the plan off: references the
/// scanner cannot see could render a layout somewhere other than at the root.
struct FragmentPlan: Sendable, Equatable {
    /// The template texts with their fragment lines replaced, for the templates that have any.
    var rewritten: [String: String] = [:]
    /// Fragment name (of the variable and of the one-line partial printing it) -> the partial it renders.
    var fragments: [String: String] = [:]

    static let variablePrefix = "tianshan-fragment-"

    /// One `{{…}}` tag of a template, as far as this plan needs to know it.
    struct Tag: Equatable {
        enum Kind: Equatable { case open, close, partial, parent, block, dynamicPartial, delimiters, other }
        var kind: Kind
        var name: String
        /// No section, block or parent is open around it.
        var topLevel: Bool
        /// The tag starts at column 1: standalone or not, the parser gives it no indentation.
        var atLineStart: Bool
        /// The tag itself, braces included.
        var range: Range<String.Index>
        /// White space between the braces and a marker (`{{ > name}}`): not read as the marker it may be.
        var spaced = false
    }

    init() {}

    /// - Parameter texts: every template's text by name (`layouts.base`, `partials.header`).
    init(texts: [String: String]) {
        let tags = texts.mapValues(Self.tags)
        // Templates rendered at the root: layouts, unless some template names them anywhere but as a parent at
        // the top level of another template rendered at the root.
        // Changed delimiters hide the tags that follow; a dynamic partial could name any template from anywhere.
        guard !texts.values.contains(where: { $0.contains("{{=") }), !texts.keys.contains(where: { $0.hasPrefix(Self.variablePrefix) }),
              !tags.values.contains(where: { $0.contains { $0.spaced } }),
              !tags.values.contains(where: { $0.contains { $0.kind == .dynamicPartial || $0.kind == .delimiters } }),
              tags.values.allSatisfy({ $0.allSatisfy { ($0.kind != .partial && $0.kind != .parent) || texts[$0.name] != nil } })
        else { return }
        var rootOnly = Set(texts.keys.filter { $0.hasPrefix("layouts.") })
        var changed = true
        while changed {
            changed = false
            for (holder, list) in tags {
                for tag in list where (tag.kind == .partial || tag.kind == .parent) && rootOnly.contains(tag.name) {
                    guard !(tag.kind == .parent && tag.topLevel && tag.atLineStart && rootOnly.contains(holder)) else { continue }
                    rootOnly.remove(tag.name)
                    changed = true
                }
            }
        }
        var numbers: [String: Int] = [:]
        for holder in rootOnly.sorted() {
            guard let text = texts[holder], let list = tags[holder] else { continue }
            var replacements: [(Range<String.Index>, String)] = []
            for tag in list where tag.kind == .partial && tag.topLevel && tag.atLineStart && Self.isSelfContained(tag.name, texts: texts, tags: tags) {
                let number = numbers[tag.name] ?? numbers.count
                numbers[tag.name] = number
                let variable = Self.variablePrefix + String(number)
                fragments[variable] = tag.name
                replacements.append((tag.range, "{{> \(variable)}}"))
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

    /// The tags of a template in order, with their nesting and whether each starts a line.
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
            let inner = text[open.upperBound..<close.lowerBound]
            let marker = triple ? "{" : inner.first
            let afterSpace = inner.drop(while: \.isWhitespace).first
            let spaced = !triple && marker?.isWhitespace == true && afterSpace.map { "#^/$<>=&{!%".contains($0) } == true
            var name = inner.dropFirst().drop(while: \.isWhitespace)
            while let last = name.last, last.isWhitespace { name = name.dropLast() }
            let kind: Tag.Kind
            switch marker {
            case "#", "^": kind = .open
            case "/": kind = .close
            case "$": kind = .block
            case "<": kind = name.first == "*" ? .dynamicPartial : .parent
            case ">": kind = name.first == "*" ? .dynamicPartial : .partial
            case "=": kind = .delimiters
            default: kind = .other
            }
            let topLevel = depth == 0
            switch kind {
            case .open, .block, .parent: depth += 1
            case .close: depth = max(0, depth - 1)
            default: break
            }
            tags.append(Tag(kind: kind, name: String(kind == .dynamicPartial ? name.dropFirst() : name), topLevel: topLevel,
                            atLineStart: lineStart == open.lowerBound, range: open.lowerBound..<close.upperBound, spaced: spaced))
            index = close.upperBound
        }
        return tags
    }
}
