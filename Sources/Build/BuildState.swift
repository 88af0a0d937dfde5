import Foundation
import TianshanLoad
import TianshanMarkdown
import TianshanModel
import TianshanRender
import TianshanSearch

/// What one build leaves for the next, keyed by stable ids (source paths, output paths): for each Markdown file
/// its stamp and hash, for each page what loading and rendering it produced, and for each listing view and
/// output what it read while it rendered, with the hash each of those inputs had. A full build is a build from
/// an empty state; every other build runs the same stages and redoes what the recorded reads say changed.
struct BuildState: Sendable {
    /// The binary, folders and options the state belongs to (see `BuildPipeline.identity`).
    var identity = ""
    /// When the build that made the state read its sources (nanoseconds since 1970).
    var readAt: Int64 = 0
    /// The hash of the theme's field declarations the pages were loaded against (`ThemeFields.hash`).
    var fields: UInt64 = 0
    var pages: [String: PageRecord] = [:]
    var outputs: [String: OutputRecord] = [:]
    /// As saved beside the output: what the session that committed it carried to its next build. A session
    /// holds that as its model, page files and commit instead, and takes this over at its first build.
    var carried: CarriedSession?
    /// By PDF output path: what the PDF in the output was printed from.
    var pdfs: [String: PDFRecord] = [:]
    /// The search index's files in the output (`SearchIndex.paths`) with the hashes of their bytes, none when the
    /// site has no search: an edit patches the shards it changes from their bytes in the output, checked by these.
    var searchFiles: [String: UInt64] = [:]

    /// Forgets every page's rendered HTML; a page whose own output must be rendered again is read again.
    mutating func dropHTML() {
        // In place: iterating a copy of the dictionary while assigning into it would copy it whole.
        for index in pages.indices where pages.values[index].hasHTML {
            pages.values[index].content?.html = ""
            pages.values[index].hasHTML = false
        }
    }
}

/// One Markdown file through loading, the Markdown stage and its listing view.
///
/// Copy-on-write over one storage object: records pass through several arrays and dictionaries per build, and
/// a copy is then one retain rather than one per field. A record no stage changed keeps its storage, which
/// tells the state coder that the bytes it wrote for it last time are still right (`EncodedState`).
struct PageRecord: Sendable {
    /// The fields. Unchecked: mutated only through `PageRecord`, and only while uniquely referenced.
    final class Storage: @unchecked Sendable {
        var stamp: FileStamp?
        /// Of the file's text.
        var hash: UInt64
        /// The loaded page without its body, or nil when loading failed.
        var page: Page?
        var loadProblems: [Diagnostic] = []
        /// The page's text and Markdown options the Markdown was rendered from (0: not rendered yet).
        var markdownKey: UInt64 = 0
        /// Where every page and file lived and what the data held when it was rendered: while that is unchanged, so
        /// is everything its links and tables read (`markdownReads`), which is checked only when it changed.
        var markdownEnvironment: UInt64 = 0
        var markdownReads: [String: UInt64] = [:]
        var content: PageContent? = nil
        /// A hash of `content` (its HTML included), what the page's own output and listing view depend on.
        var contentHash: UInt64 = 0
        /// Whether `content.html` is held (a state read from disk keeps only what listings need).
        var hasHTML: Bool = false
        /// Output paths of the table downloads the page brings along.
        var attachments: [String] = []
        var links: [LinkReference] = []
        var problems: [Diagnostic] = []
        /// The listing view: the key of what it was computed from, what its summary view read, the view and its hash.
        var viewKey: UInt64 = 0
        var viewReads: [String: UInt64] = [:]
        var view: TemplateValue = .null
        var viewHash: UInt64 = 0

        init(stamp: FileStamp?, hash: UInt64, page: Page?) {
            self.stamp = stamp
            self.hash = hash
            self.page = page
        }

        func copy() -> Storage {
            let copy = Storage(stamp: stamp, hash: hash, page: page)
            copy.loadProblems = loadProblems
            copy.markdownKey = markdownKey
            copy.markdownEnvironment = markdownEnvironment
            copy.markdownReads = markdownReads
            copy.content = content
            copy.contentHash = contentHash
            copy.hasHTML = hasHTML
            copy.attachments = attachments
            copy.links = links
            copy.problems = problems
            copy.viewKey = viewKey
            copy.viewReads = viewReads
            copy.view = view
            copy.viewHash = viewHash
            return copy
        }
    }

    private(set) var storage: Storage

    init(stamp: FileStamp?, hash: UInt64, page: Page?, loadProblems: [Diagnostic] = []) {
        storage = Storage(stamp: stamp, hash: hash, page: page)
        storage.loadProblems = loadProblems
    }

    private mutating func unique() {
        if !isKnownUniquelyReferenced(&storage) { storage = storage.copy() }
    }

    var stamp: FileStamp? {
        get { storage.stamp }
        set { unique(); storage.stamp = newValue }
    }
    var hash: UInt64 {
        get { storage.hash }
        set { unique(); storage.hash = newValue }
    }
    var page: Page? {
        get { storage.page }
        set { unique(); storage.page = newValue }
    }
    var loadProblems: [Diagnostic] {
        get { storage.loadProblems }
        set { unique(); storage.loadProblems = newValue }
    }
    var markdownKey: UInt64 {
        get { storage.markdownKey }
        set { unique(); storage.markdownKey = newValue }
    }
    var markdownEnvironment: UInt64 {
        get { storage.markdownEnvironment }
        set { unique(); storage.markdownEnvironment = newValue }
    }
    var markdownReads: [String: UInt64] {
        get { storage.markdownReads }
        set { unique(); storage.markdownReads = newValue }
    }
    var content: PageContent? {
        get { storage.content }
        set { unique(); storage.content = newValue }
    }
    var contentHash: UInt64 {
        get { storage.contentHash }
        set { unique(); storage.contentHash = newValue }
    }
    var hasHTML: Bool {
        get { storage.hasHTML }
        set { unique(); storage.hasHTML = newValue }
    }
    var attachments: [String] {
        get { storage.attachments }
        set { unique(); storage.attachments = newValue }
    }
    var links: [LinkReference] {
        get { storage.links }
        set { unique(); storage.links = newValue }
    }
    var problems: [Diagnostic] {
        get { storage.problems }
        set { unique(); storage.problems = newValue }
    }
    var viewKey: UInt64 {
        get { storage.viewKey }
        set { unique(); storage.viewKey = newValue }
    }
    var viewReads: [String: UInt64] {
        get { storage.viewReads }
        set { unique(); storage.viewReads = newValue }
    }
    var view: TemplateValue {
        get { storage.view }
        set { unique(); storage.view = newValue }
    }
    var viewHash: UInt64 {
        get { storage.viewHash }
        set { unique(); storage.viewHash = newValue }
    }
}

/// One output file rendered by a template: what it read, and the ids it holds (for `#fragment` links).
/// Immutable and shared: an output not rendered again keeps its record object, which tells the state coder
/// the bytes it wrote for it are still right.
final class OutputRecord: Sendable {
    /// Every input it read once, with the hash it had: a list, not a dictionary, for it is only ever gone
    /// through, and a state holds one for every output.
    let reads: [Read]
    let ids: Set<String>
    /// What the site's search finds on the page, for the pages it indexes.
    let search: SearchEntry?

    /// An input key and the hash it had.
    struct Read: Sendable, Equatable {
        let key: String
        let hash: UInt64
    }

    init(reads: [Read], ids: Set<String>, search: SearchEntry? = nil) {
        self.reads = reads
        self.ids = ids
        self.search = search
    }

    convenience init(reads: [String: UInt64], ids: Set<String>, search: SearchEntry? = nil) {
        self.init(reads: reads.map { Read(key: $0.key, hash: $0.value) }, ids: ids, search: search)
    }

    /// Whether every input it read still has the hash it had; `own` answers the keys of the output's own job.
    func isCurrent(_ table: [String: UInt64], own: (String) -> UInt64?) -> Bool {
        for read in reads {
            guard let now = table[read.key] ?? own(read.key), now == read.hash else { return false }
        }
        return true
    }
}

/// What a PDF in the output was printed from: its page's HTML and everything else it can show (see `PDFStage`).
struct PDFRecord: Sendable, Equatable {
    var html: UInt64
    var environment: UInt64
}
