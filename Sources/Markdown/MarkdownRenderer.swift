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
    /// `ordinal` counts fenced blocks from 1 in document order, so generated names are stable.
    public var renderBlock: @Sendable (_ info: String, _ literal: String, _ location: SourceLocation, _ ordinal: Int) -> Result<RenderedBlock, DiagnosticsError>?
    /// How a broken link or image is reported.
    public var brokenLinks: Diagnostic.Severity

    public init(
        file: String, lineOffset: Int = 0, brokenLinks: Diagnostic.Severity = .error,
        resolveLink: @escaping @Sendable (String, Bool) -> LinkResolution = { _, _ in .keep },
        renderBlock: @escaping @Sendable (String, String, SourceLocation, Int) -> Result<RenderedBlock, DiagnosticsError>? = { _, _, _, _ in nil }
    ) {
        self.file = file
        self.lineOffset = lineOffset
        self.resolveLink = resolveLink
        self.renderBlock = renderBlock
        self.brokenLinks = brokenLinks
    }
}

/// HTML for a claimed fenced block, plus files it comes with (a table's CSV and JSON downloads).
public struct RenderedBlock: Sendable, Equatable {
    public var html: String
    public var attachments: [Attachment]
    public init(html: String, attachments: [Attachment] = []) {
        self.html = html
        self.attachments = attachments
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
        var links: [LinkReference] = []
        for node in tree.links {
            if let reference = rewriteLink(node, context: context, diagnostics: &diagnostics) { links.append(reference) }
        }
        var attachments: [Attachment] = []
        for (index, node) in tree.codeBlocks.enumerated() {
            let info = String(cString: cmark_node_get_fence_info(node)).trimming(" \t")
            let literal = String(cString: cmark_node_get_literal(node))
            guard let result = context.renderBlock(info, literal, location(of: node, context: context), index + 1) else { continue }
            switch result {
            case .success(let block):
                replace(node, withHTML: block.html)
                attachments += block.attachments
            case .failure(let error):
                diagnostics += error.diagnostics
            }
        }
        let plainText = PlainText.of(document)
        var headings: [Heading] = []
        var usedIDs = Set<String>()
        for node in tree.headings {
            let text = PlainText.inline(node)
            let id = Slug.unique(Slug.make(text), in: &usedIDs)
            let level = Int(cmark_node_get_heading_level(node))
            headings.append(Heading(level: level, text: text, id: id))
            let inner = renderHTML(node, options: cmarkOptions)
            // libcmark writes "<hN>…</hN>\n"; only the opening tag changes.
            let open = "<h\(level)>"
            let body = inner.hasPrefix(open) ? String(inner.dropFirst(open.count)) : inner
            let html = "<h\(level) id=\"\(HTMLText.escapeAttribute(id))\">" + body
            replace(node, withHTML: html.hasSuffix("\n") ? String(html.dropLast()) : html)
        }
        tree.release()
        return RenderedMarkdown(
            html: renderHTML(document, options: cmarkOptions), headings: headings, plainText: plainText,
            attachments: attachments, links: links, diagnostics: diagnostics
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
                let text = PlainText.inline(current).trimming(" \t")
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

    static func replace(_ node: OpaquePointer, withHTML html: String) {
        let block = cmark_node_new(CMARK_NODE_CUSTOM_BLOCK)
        html.withCString { _ = cmark_node_set_on_enter(block, $0) }
        cmark_node_insert_before(node, block)
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
            case CMARK_NODE_CODE_BLOCK: codeBlocks.append(node)
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
