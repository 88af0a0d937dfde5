import Ccmark
import Foundation
import TianshanModel

/// How a link target found in Markdown should be written out.
public enum LinkResolution: Sendable, Equatable {
    case keep
    case replace(String)
    case broken(String)
}

/// What a Markdown render needs to know about the rest of the site; closures keep this stage free of site models.
public struct MarkdownContext: Sendable {
    /// Path shown in diagnostics ("Content/cases/a.md").
    public var file: String
    /// File line of the first body line minus one.
    public var lineOffset: Int
    public var resolveLink: @Sendable (_ url: String, _ isImage: Bool) -> LinkResolution
    /// Renders a fenced block whose info string it claims ("table", "chart"); nil leaves it a code block.
    public var renderBlock: @Sendable (BlockRequest) -> Result<RenderedBlock, DiagnosticsError>?
    /// How a broken link or image is reported.
    public var brokenLinks: Diagnostic.Severity
    /// How this page numbers its tables, figures and headings; nil when it numbers none.
    public var numbering: NumberingSettings?

    public init(
        file: String, lineOffset: Int = 0, brokenLinks: Diagnostic.Severity = .error, numbering: NumberingSettings? = nil,
        resolveLink: @escaping @Sendable (String, Bool) -> LinkResolution = { _, _ in .keep },
        renderBlock: @escaping @Sendable (BlockRequest) -> Result<RenderedBlock, DiagnosticsError>? = { _ in nil }
    ) {
        self.file = file
        self.lineOffset = lineOffset
        self.resolveLink = resolveLink
        self.renderBlock = renderBlock
        self.brokenLinks = brokenLinks
        self.numbering = numbering
    }
}

/// HTML for a claimed fenced block, plus files it comes with (a table's CSV and JSON downloads).
public struct RenderedBlock: Sendable, Equatable {
    public var html: String
    public var attachments: [Attachment]
    /// The table or figure the block is, if it is one: numbered and listed with the page's others.
    public var captioned: CaptionedBlock?
    public init(html: String, attachments: [Attachment] = [], captioned: CaptionedBlock? = nil) {
        self.html = html
        self.attachments = attachments
        self.captioned = captioned
    }
}

/// A file produced while rendering a page, named relative to the page's folder.
public struct Attachment: Sendable, Equatable {
    public var name: String
    public var bytes: Data
    public init(name: String, bytes: Data) {
        self.name = name
        self.bytes = bytes
    }
}

/// A heading of a rendered page, for tables of contents.
public struct Heading: Sendable, Equatable, Codable {
    public var level: Int
    public var text: String
    public var id: String

    public init(level: Int, text: String, id: String) {
        self.level = level
        self.text = text
        self.id = id
    }
}

/// The result of rendering one Markdown body.
public struct RenderedMarkdown: Sendable, Equatable {
    public var html: String
    public var headings: [Heading]
    /// The text of the paragraphs, for summaries and reading time.
    public var plainText: String
    public var attachments: [Attachment]
    /// The page's tables and figures in document order, with their numbers.
    public var captioned: [CaptionedBlock]
    /// Every link and image target as written to the page, with where it stands, for anchor checks.
    public var links: [LinkReference]
    public var diagnostics: [Diagnostic]
}

/// A link target in rendered output and its place in the source.
public struct LinkReference: Sendable, Equatable, Codable {
    public var url: String
    public var location: SourceLocation
    public var isImage: Bool

    public init(url: String, location: SourceLocation, isImage: Bool) {
        self.url = url
        self.location = location
        self.isImage = isImage
    }
}

/// Renders Markdown through libcmark's tree: transforms edit nodes, libcmark writes the HTML.
public enum MarkdownRenderer {
    public static func render(_ markdown: String, options: MarkdownOptions = MarkdownOptions(), context: MarkdownContext) -> RenderedMarkdown {
        var cmarkOptions = CMARK_OPT_VALIDATE_UTF8
        if options.unsafe { cmarkOptions |= CMARK_OPT_UNSAFE }
        if options.smart { cmarkOptions |= CMARK_OPT_SMART }

        // Footnote definitions are blocks libcmark does not know: taken out first, their lines left blank.
        var (source, footnotes) = Footnotes.extract(markdown)
        let document: OpaquePointer = source.withUTF8 { bytes in
            bytes.withMemoryRebound(to: CChar.self) { cmark_parse_document($0.baseAddress, $0.count, cmarkOptions) }
        }
        defer { cmark_node_free(document) }

        // Tables and footnotes first: what they parse apart then goes through every other transform with the rest.
        PipeTables.apply(document, source: source, options: cmarkOptions)
        Footnotes.apply(document, definitions: footnotes, options: cmarkOptions)
        Strikethrough.apply(document)
        Autolinks.apply(document)
        var tree = NodeLists(document)
        var diagnostics: [Diagnostic] = []

        if !options.unsafe {
            // Authors' raw HTML is dropped entirely rather than left as a comment.
            for node in tree.html { cmark_node_unlink(node); cmark_node_free(node) }
        }
        for node in tree.softBreaks where joinsWideScript(node) {
            cmark_node_unlink(node)
            cmark_node_free(node)
        }
        // Headings first, for their ids and numbers and the chapter each block stands in; written out last,
        // after the links inside them are rewritten.
        let numbering = context.numbering
        var counter = HeadingCounter(style: numbering?.headings ?? .none,
                                     topLevel: tree.headings.map { Int(cmark_node_get_heading_level($0)) }.min() ?? 1)
        var headings: [Heading] = []
        var numbers: [String] = []
        var chapters: [Int] = []
        var usedIDs = Set<String>()
        for node in tree.headings {
            let attributes = HeadingAttributes.take(from: node)
            let level = Int(cmark_node_get_heading_level(node))
            let number = numbering != nil && !attributes.unnumbered ? counter.next(level: level) ?? "" : ""
            let text = PlainText.inline(node)
            let id = Slug.unique(attributes.id.map(Slug.make) ?? Slug.make(text), in: &usedIDs)
            headings.append(Heading(level: level, text: number + text, id: id))
            numbers.append(number)
            chapters.append(counter.chapter)
        }

        var attachments: [Attachment] = []
        var captioned: [CaptionedBlock] = []
        var counted = (table: 0, figure: 0, chapter: 0)
        for (index, node) in tree.codeBlocks.enumerated() {
            let info = String(cString: cmark_node_get_fence_info(node)).trimming(" \t")
            let literal = String(cString: cmark_node_get_literal(node))
            let headingsBefore = tree.headingsBeforeCodeBlock[index]
            let chapter = headingsBefore > 0 ? chapters[headingsBefore - 1] : 0
            var labels = BlockLabels()
            if let numbering {
                if numbering.byChapter, chapter != counted.chapter { counted = (0, 0, chapter) }
                func number(_ n: Int) -> String { numbering.byChapter && chapter > 0 ? "\(chapter)-\(n)" : String(n) }
                labels = BlockLabels(table: numbering.label(numbering.tables, number: number(counted.table + 1)),
                                     figure: numbering.label(numbering.figures, number: number(counted.figure + 1)))
            }
            let request = BlockRequest(info: info, literal: literal, location: location(of: node, context: context), ordinal: index + 1, labels: labels)
            guard let result = context.renderBlock(request) else { continue }
            switch result {
            case .success(let block):
                replace(node, withHTML: block.html)
                attachments += block.attachments
                if let block = block.captioned {
                    captioned.append(block)
                    if block.kind == .table { counted.table += 1 } else { counted.figure += 1 }
                }
            case .failure(let error):
                diagnostics += error.diagnostics
            }
        }

        var links: [LinkReference] = []
        let references = CrossReferences(headings: headings, blocks: captioned)
        for node in tree.links {
            if cmark_node_first_child(node) == nil, cmark_node_get_type(node) == CMARK_NODE_LINK,
               let url = cmark_node_get_url(node).map({ String(cString: $0) }), url.hasPrefix("#") {
                switch references.resolve(String(url.dropFirst())) {
                case .success(let text):
                    replace(node, withHTML: "<a class=\"xref\" href=\"\(HTMLText.escapeAttribute(url))\">\(HTMLText.escape(text))</a>", inline: true)
                case .failure(let message):
                    diagnostics.append(.error(at: location(of: node, context: context), field: "link", message.text, hint: message.hint))
                }
                continue
            }
            if let reference = rewriteLink(node, context: context, diagnostics: &diagnostics) { links.append(reference) }
        }
        let plainText = PlainText.of(document)
        for (node, (heading, number)) in zip(tree.headings, zip(headings, numbers)) {
            let level = heading.level
            let inner = renderHTML(node, options: cmarkOptions)
            // libcmark writes "<hN>…</hN>\n"; only the opening tag changes.
            let open = "<h\(level)>"
            let body = inner.hasPrefix(open) ? String(inner.dropFirst(open.count)) : inner
            let numberHTML = number.isEmpty ? "" : "<span class=\"heading-number\">\(HTMLText.escape(number))</span>"
            let html = "<h\(level) id=\"\(HTMLText.escapeAttribute(heading.id))\">" + numberHTML + body
            replace(node, withHTML: html.hasSuffix("\n") ? String(html.dropLast()) : html)
        }
        tree.release()
        return RenderedMarkdown(
            html: renderHTML(document, options: cmarkOptions), headings: headings, plainText: plainText,
            attachments: attachments, captioned: captioned, links: links, diagnostics: diagnostics
        )
    }

    /// The text of the document's first top-level heading, ATX (`# 标题`) or setext (`标题` over `===`): the
    /// page's title when its front matter gives none.
    public static func firstHeading(_ markdown: String) -> String? {
        var source = markdown
        let document: OpaquePointer = source.withUTF8 { bytes in
            bytes.withMemoryRebound(to: CChar.self) { cmark_parse_document($0.baseAddress, $0.count, CMARK_OPT_VALIDATE_UTF8) }
        }
        defer { cmark_node_free(document) }
        var node = cmark_node_first_child(document)
        while let current = node {
            if cmark_node_get_type(current) == CMARK_NODE_HEADING {
                var text = PlainText.inline(current).trimming(" \t")
                if let split = HeadingAttributes.split(text) { text = split.text }
                if !text.isEmpty { return text }
            }
            node = cmark_node_next(current)
        }
        return nil
    }

    static func renderHTML(_ node: OpaquePointer, options: Int32) -> String {
        guard let raw = cmark_render_html(node, options) else { return "" }
        defer { free(raw) }
        return String(cString: raw)
    }

    /// Puts `html` where `node` was, as a custom block, or inline where the node sat inside a paragraph.
    static func replace(_ node: OpaquePointer, withHTML html: String, inline: Bool = false) {
        let custom = cmark_node_new(inline ? CMARK_NODE_CUSTOM_INLINE : CMARK_NODE_CUSTOM_BLOCK)
        html.withCString { _ = cmark_node_set_on_enter(custom, $0) }
        cmark_node_insert_before(node, custom)
        cmark_node_unlink(node)
        cmark_node_free(node)
    }

    static func location(of node: OpaquePointer, context: MarkdownContext) -> SourceLocation {
        var current: OpaquePointer? = node
        while let n = current {
            let line = Int(cmark_node_get_start_line(n))
            if line > 0 {
                return SourceLocation(file: context.file, line: line + context.lineOffset, column: Int(cmark_node_get_start_column(n)))
            }
            current = cmark_node_parent(n)
        }
        return SourceLocation(file: context.file, line: context.lineOffset + 1, column: 1)
    }

    /// Rewrites one link or image; returns its final target unless it was dropped or broken.
    static func rewriteLink(_ node: OpaquePointer, context: MarkdownContext, diagnostics: inout [Diagnostic]) -> LinkReference? {
        let isImage = cmark_node_get_type(node) == CMARK_NODE_IMAGE
        let url = cmark_node_get_url(node).map { String(cString: $0) } ?? ""
        if URLSafety.isDangerous(url, isImage: isImage) {
            _ = cmark_node_set_url(node, "")
            return nil
        }
        let here = location(of: node, context: context)
        switch context.resolveLink(url, isImage) {
        case .keep:
            return LinkReference(url: url, location: here, isImage: isImage)
        case .replace(let newURL):
            newURL.withCString { _ = cmark_node_set_url(node, $0) }
            return LinkReference(url: newURL, location: here, isImage: isImage)
        case .broken(let message):
            var problem = Diagnostic.error(
                at: here, field: isImage ? "image" : "link", message,
                hint: isImage ? "put the file beside the page or under Templates/assets/" : "link to an existing .md file or site path"
            )
            problem.severity = context.brokenLinks
            diagnostics.append(problem)
            return nil
        }
    }

    /// True when the soft break sits between two characters of scripts written without spaces.
    static func joinsWideScript(_ node: OpaquePointer) -> Bool {
        guard let previous = cmark_node_previous(node), let next = cmark_node_next(node),
              let before = PlainText.lastScalar(previous), let after = PlainText.firstScalar(next) else { return false }
        return CJKText.isWideScript(before) && CJKText.isWideScript(after)
    }
}

/// Nodes of one document sorted by what the transforms do with them (collected first: editing while iterating is unsafe).
struct NodeLists {
    var softBreaks: [OpaquePointer] = []
    var headings: [OpaquePointer] = []
    var links: [OpaquePointer] = []
    var html: [OpaquePointer] = []
    var codeBlocks: [OpaquePointer] = []
    /// For each code block, how many headings come before it in the document.
    var headingsBeforeCodeBlock: [Int] = []

    init(_ document: OpaquePointer) {
        let iterator = cmark_iter_new(document)
        defer { cmark_iter_free(iterator) }
        while true {
            let event = cmark_iter_next(iterator)
            if event == CMARK_EVENT_DONE { break }
            guard event == CMARK_EVENT_ENTER, let node = cmark_iter_get_node(iterator) else { continue }
            switch cmark_node_get_type(node) {
            case CMARK_NODE_SOFTBREAK: softBreaks.append(node)
            case CMARK_NODE_HEADING: headings.append(node)
            case CMARK_NODE_LINK, CMARK_NODE_IMAGE: links.append(node)
            case CMARK_NODE_HTML_BLOCK, CMARK_NODE_HTML_INLINE: html.append(node)
            case CMARK_NODE_CODE_BLOCK:
                codeBlocks.append(node)
                headingsBeforeCodeBlock.append(headings.count)
            default: break
            }
        }
    }

    mutating func release() { self = NodeLists() }

    /// Every node of the tree that `wanted` picks, in document order, collected before any is edited.
    static func collect(_ document: OpaquePointer, where wanted: (OpaquePointer) -> Bool) -> [OpaquePointer] {
        var nodes: [OpaquePointer] = []
        let iterator = cmark_iter_new(document)
        defer { cmark_iter_free(iterator) }
        while true {
            let event = cmark_iter_next(iterator)
            if event == CMARK_EVENT_DONE { break }
            if event == CMARK_EVENT_ENTER, let node = cmark_iter_get_node(iterator), wanted(node) { nodes.append(node) }
        }
        return nodes
    }
    private init() {}
}
