import TianshanMarkdown
import TianshanModel

/// What the rest of the site says about each data row that has a page: the pages whose text names it and the
/// tables and figures that show or count it. Gathered from every page's Markdown result after the Markdown
/// stage, so a row page lists what the pages hold now.
public struct RowUses: Sendable {
    /// A table or figure of a page that holds a row.
    public struct Block: Sendable, Equatable {
        public var page: Int
        public var block: CaptionedBlock
    }

    /// By data set name, then row index: the pages that mention the row, in page order.
    public private(set) var mentions: [String: [Int: [Int]]] = [:]
    /// By data set name, then row index: the blocks that hold the row, in page and document order.
    public private(set) var blocks: [String: [Int: [Block]]] = [:]
    /// By data set name: the hash of all of the above for that set (`InputKey.rowUses`).
    public private(set) var hashes: [String: UInt64] = [:]

    public init() {}

    /// - Parameter contents: a page's Markdown result, by page index (nil where it has none).
    public init(site: Site, contents: (Int) -> PageContent?) {
        guard !site.rowPaths.isEmpty else { return }
        // Row index by title, per data set, to find the rows a page's mentions name.
        var rowsByTitle: [String: [String: [Int]]] = [:]
        for (name, paths) in site.rowPaths {
            guard let set = site.dataSets[name], let pages = set.pages else { continue }
            for (row, path) in zip(set.rows.indices, paths) where !path.isEmpty {
                rowsByTitle[name, default: [:]][set.rows[row][pages.titleField].text, default: []].append(row)
            }
        }
        for index in site.pages.indices {
            guard let content = contents(index) else { continue }
            for title in content.mentions {
                for (name, byTitle) in rowsByTitle {
                    for row in byTitle[title] ?? [] { mentions[name, default: [:]][row, default: []].append(index) }
                }
            }
            for block in content.captioned where !block.dataSet.isEmpty && site.rowPaths[block.dataSet] != nil {
                var shown = block
                shown.rows = []
                for row in block.rows { blocks[block.dataSet, default: [:]][row, default: []].append(Block(page: index, block: shown)) }
            }
        }
        for name in site.rowPaths.keys {
            var hash = StableHash()
            let byRow = mentions[name] ?? [:]
            for row in byRow.keys.sorted() {
                hash.add(row)
                for page in byRow[row]! { hash.add(site.pages[page].sourcePath) }
            }
            hash.add("\u{1F}")
            let held = blocks[name] ?? [:]
            for row in held.keys.sorted() {
                hash.add(row)
                for use in held[row]! {
                    hash.add(site.pages[use.page].sourcePath)
                    hash.add(use.block.kind.rawValue); hash.add(use.block.id); hash.add(use.block.label); hash.add(use.block.caption)
                }
            }
            hashes[name] = hash.value
        }
    }
}
