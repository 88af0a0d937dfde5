import TianshanLoad
import TianshanMarkdown
import TianshanModel

/// One Markdown file's record after the load stage: the state's record when the file is unchanged, else the
/// page loaded again.
struct LoadedRecord: Sendable {
    var path: String
    var record: PageRecord
    /// The page was loaded again, so what the site's listings and the plan read of it may differ.
    var fresh: Bool
    /// The record is not the one the state holds.
    var changed: Bool
    /// The page's Markdown body when it was loaded again, which goes to the Markdown stage on its own.
    var body: String

    /// The record of `file`: the state's own when neither its stamp nor its text changed (an unchanged record
    /// keeps its saved bytes) and `reuse` allows it (not when the theme's field declarations changed), else made
    /// from the file.
    static func load(
        _ file: TextFile, stamp: FileStamp?, read: Set<String>, previous: [String: PageRecord], fields: ThemeFields,
        reuse: Bool = true, contentDisplay: String
    ) -> LoadedRecord {
        if reuse, !read.contains(file.path), var old = previous[file.path] {
            guard old.stamp != stamp else { return LoadedRecord(path: file.path, record: old, fresh: false, changed: false, body: "") }
            old.stamp = stamp
            return LoadedRecord(path: file.path, record: old, fresh: false, changed: true, body: "")
        }
        let hash = ContentHash.hash(file.text)
        if reuse, var old = previous[file.path], old.hash == hash {
            guard old.stamp != stamp else { return LoadedRecord(path: file.path, record: old, fresh: false, changed: false, body: "") }
            old.stamp = stamp
            return LoadedRecord(path: file.path, record: old, fresh: false, changed: true, body: "")
        }
        let loaded = PageLoader.loadReporting(file, displayRoot: contentDisplay, fields: fields, firstHeading: MarkdownRenderer.firstHeading)
        var record: PageRecord
        switch loaded.page {
        case .success(let page): record = PageRecord(stamp: stamp, hash: hash, page: page.withoutBody(), loadProblems: loaded.warnings)
        case .failure(let error): record = PageRecord(stamp: stamp, hash: hash, page: nil, loadProblems: error.diagnostics)
        }
        // The downloads the page had, until its Markdown is rendered again: a rebuild compares them with what it
        // makes now to know whether the output keeps the same files (a table removed leaves one less).
        record.attachments = previous[file.path]?.attachments ?? []
        let body = (try? loaded.page.get())?.body ?? ""
        return LoadedRecord(path: file.path, record: record, fresh: true, changed: true, body: body)
    }

    /// The pages of a tree in which only the files in `tree.read` were read again since the last build, made
    /// from the last build's records by loading those files alone; nil when that cannot tell the whole story
    /// (files came or went, or a file read again is not one of the last build's pages, or no longer makes a page).
    /// `last` is consumed: its records are changed in place.
    static func updated(
        _ tree: SourceTree, last: consuming BuildSession.PageFiles, site: Site?, drafts: Bool, contentDisplay: String,
        previous: [String: PageRecord]
    ) -> (records: [PageRecord], fresh: [(index: Int, page: Page)], bodies: [String: String], changed: [Int], excludedProblems: [Diagnostic])? {
        guard let site, tree.markdown.count == last.fileCount, site.pages.count == last.records.count else { return nil }
        var records = last.records
        last.records = []
        var fresh: [(index: Int, page: Page)] = []
        var bodies: [String: String] = [:]
        var changed: [Int] = []
        for path in tree.read.sorted() {
            guard let index = site.pageBySource[path], let file = tree.markdownFile(path) else { return nil }
            let loaded = load(file, stamp: tree.stamps[path], read: tree.read, previous: previous, fields: site.config.fields,
                              contentDisplay: contentDisplay)
            guard let page = loaded.record.page, drafts || !page.isDraft else { return nil }
            if loaded.fresh {
                fresh.append((index, page))
                bodies[path] = loaded.body
            }
            if loaded.changed {
                records[index] = loaded.record
                changed.append(index)
            }
        }
        fresh.sort { $0.index < $1.index }
        return (records, fresh, bodies, changed, last.excludedProblems)
    }
}
