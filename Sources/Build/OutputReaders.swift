import TianshanModel
import TianshanRender

/// Which outputs (by index in the plan) read each input, as their records say: by page for the pages' views and
/// pages, which every site has thousands of, and by key for the rest, so that it is kept and saved without a
/// string per page.
struct OutputReaders: Sendable, Equatable {
    var views: [[Int32]]
    var pages: [[Int32]]
    var other: [String: [Int32]]

    init(views: [[Int32]], pages: [[Int32]], other: [String: [Int32]]) {
        self.views = views
        self.pages = pages
        self.other = other
    }

    /// From the records of the plan's outputs.
    init(jobs: [PageJob], outputs: [String: OutputRecord], site: Site) {
        views = Array(repeating: [], count: site.pages.count)
        pages = views
        other = [:]
        for (index, job) in jobs.enumerated() {
            guard let record = outputs[job.outputPath] else { continue }
            add(Int32(index), reading: record.reads, site: site)
        }
    }

    /// The outputs that read `key`.
    func of(_ key: String, site: Site) -> [Int32] {
        switch Self.place(of: key, site: site) {
        case .view(let page): views[page]
        case .page(let page): pages[page]
        case .other: other[key] ?? []
        }
    }

    /// Adds an output as a reader of what it read (a reader that no longer reads a key is only checked once too often).
    mutating func add(_ output: Int32, reading reads: [OutputRecord.Read], site: Site) {
        for read in reads {
            switch Self.place(of: read.key, site: site) {
            case .view(let page): views[page].append(output)
            case .page(let page): pages[page].append(output)
            case .other: other[read.key, default: []].append(output)
            }
        }
    }

    /// Each list in increasing order, each output once: readers added after a rebuild come after the others,
    /// and an output rendered again comes twice.
    func tidied() -> OutputReaders {
        func tidy(_ list: [Int32]) -> [Int32] { zip(list, list.dropFirst()).allSatisfy { $0 < $1 } ? list : Array(Set(list)).sorted() }
        return OutputReaders(views: views.map(tidy), pages: pages.map(tidy), other: other.mapValues(tidy))
    }

    private enum Place { case view(Int), page(Int), other }

    private static func place(of key: String, site: Site) -> Place {
        if let source = InputKey.viewSource(key), let page = site.pageBySource[String(source)] { return .view(page) }
        if let source = InputKey.pageSource(key), let page = site.pageBySource[String(source)] { return .page(page) }
        return .other
    }
}
