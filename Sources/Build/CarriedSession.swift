import Foundation
import TianshanModel
import TianshanRender

/// What a session carries from one committed build to the next besides the records in the state: the order of
/// the site's pages and its listings, the plan, and the hashes the build committed. Saved with the state, so
/// that the next command-line build takes the path a watcher's next rebuild takes, instead of making the site
/// and the plan again and asking every page and output whether it is current.
struct CarriedSession: Sendable, Equatable {
    var shape: Shape
    var commit: Commit

    /// The site's shape and its plan: the same from build to build while no page changes what they read, so
    /// its bytes are written again only when it changed (`EncodedState.shape`).
    struct Shape: Sendable, Equatable {
        /// `BuildSession.PageFiles`, less the records (the state holds them, by path).
        var fileCount: Int
        var excludedProblems: [Diagnostic]
        /// The site's pages by source path, in site order, and what the site was made of besides them.
        var order: [String]
        var contentAssets: [String]
        var templateAssets: [String]
        var sections: [String: [Int]]
        var tags: [Tag]
        var recentPages: [Int]
        /// `BuildSession.Model`, less the site.
        var modelKey: UInt64
        var jobs: [PageJob]
        var identities: [UInt64]
        var layouts: [String]
        /// The hashes of everything but the pages' views and pages (which `Commit` holds).
        var listings: InputHashes
        var places: UInt64
        /// The data files that decoded, as decoded: a file whose text has the same hash is not decoded again.
        var data: [DataFile]
    }

    /// A data file's path, the hash of its text and what it decoded to.
    struct DataFile: Sendable, Equatable {
        var path: String
        var hash: UInt64
        var set: DataSet
    }

    /// `BuildSession.Committed`, less what is made again from the shape: the table of hashes (the listings
    /// with the views and pages) and the outputs by site path (the jobs). Readers are kept for the table's
    /// keys only, the ones a build looks up.
    struct Commit: Sendable, Equatable {
        var markdownEnvironment: UInt64
        var markdownOptions: UInt64
        var globals: [String: UInt64]
        var summaryTemplate: UInt64
        var views: [UInt64]
        var pages: [UInt64]
        var fragmentPages: [Int]
        var copies: [String]
        var readers: OutputReaders
    }

    /// The session's model, page files and commit again, the site made with this build's configuration and data
    /// (which the model's key says are the ones it was made with, or the model is not used); nil when the
    /// records do not hold every page or an index points past them.
    func restored(config: SiteConfig, dataSets: [String: DataSet], records: [String: PageRecord])
        -> (model: BuildSession.Model, pageFiles: BuildSession.PageFiles, committed: BuildSession.Committed)?
    {
        let shape = self.shape
        var ordered: [PageRecord] = []
        var sitePages: [Page] = []
        ordered.reserveCapacity(shape.order.count)
        sitePages.reserveCapacity(shape.order.count)
        for path in shape.order {
            guard let record = records[path], let page = record.page, page.sourcePath == path else { return nil }
            ordered.append(record)
            sitePages.append(page)
        }
        let count = sitePages.count
        let jobCount = shape.jobs.count
        let isPage = { (index: Int) in index >= 0 && index < count }
        let isJob = { (readers: [Int32]) in readers.allSatisfy { $0 >= 0 && Int($0) < jobCount } }
        guard shape.identities.count == jobCount, commit.views.count == count, commit.pages.count == count,
              commit.readers.views.count == count, commit.readers.pages.count == count, commit.readers.views.allSatisfy(isJob),
              commit.readers.pages.allSatisfy(isJob), commit.readers.other.values.allSatisfy(isJob),
              shape.sections.values.allSatisfy({ $0.allSatisfy(isPage) }), shape.tags.allSatisfy({ $0.pages.allSatisfy(isPage) }),
              shape.recentPages.allSatisfy(isPage), commit.fragmentPages.allSatisfy(isPage),
              shape.jobs.allSatisfy({ job in
                  switch job.kind {
                  case .content(let index), .alias(let index): isPage(index)
                  case .tag(let index): index >= 0 && index < shape.tags.count
                  case .section, .tagIndex, .feed, .sitemap, .robots, .row: true
                  }
              })
        else { return nil }
        let site = Site(
            config: config, pages: sitePages, dataSets: dataSets, contentAssets: Set(shape.contentAssets),
            templateAssets: Set(shape.templateAssets), sections: shape.sections, tags: shape.tags, recentPages: shape.recentPages
        )
        var hashes = shape.listings
        hashes.views = commit.views
        hashes.pages = commit.pages
        let model = BuildSession.Model(
            key: shape.modelKey, site: site, jobs: shape.jobs, identities: shape.identities, layouts: shape.layouts,
            listings: shape.listings, places: shape.places
        )
        let committed = BuildSession.Committed(
            table: hashes.table(site), jobs: jobCount, readers: commit.readers, markdownEnvironment: commit.markdownEnvironment,
            markdownOptions: commit.markdownOptions, globals: commit.globals, summaryTemplate: commit.summaryTemplate,
            views: commit.views, pages: commit.pages, outputBySitePath: AnchorChecker.outputBySitePath(shape.jobs),
            fragmentPages: Set(commit.fragmentPages), copies: commit.copies
        )
        let pageFiles = BuildSession.PageFiles(fileCount: shape.fileCount, records: ordered, excludedProblems: shape.excludedProblems)
        return (model, pageFiles, committed)
    }
}

extension CarriedSession {
    /// What a build that committed leaves; nil when it did not plan (an error stopped it).
    /// - Parameter outputs: the outputs' records, which say which outputs read each input when the commit does not.
    /// - Parameter data: the data files as decoded, by path, with the hashes of their texts.
    init?(
        model: BuildSession.Model, fileCount: Int, excludedProblems: [Diagnostic], committed: BuildSession.Committed,
        outputs: [String: OutputRecord], data: [String: (hash: UInt64, result: Result<DataSet, DiagnosticsError>)]
    ) {
        guard let jobs = model.jobs, var listings = model.listings, let places = model.places, committed.jobs == jobs.count else { return nil }
        let site = model.site
        listings.views = []
        listings.pages = []
        shape = Shape(
            fileCount: fileCount, excludedProblems: excludedProblems, order: site.pages.map(\.sourcePath),
            contentAssets: site.contentAssets.sorted(), templateAssets: site.templateAssets.sorted(), sections: site.sections,
            tags: site.tags, recentPages: site.recentPages, modelKey: model.key, jobs: jobs, identities: model.identities,
            layouts: model.layouts, listings: listings, places: places,
            data: data.keys.sorted().compactMap { path in
                guard let entry = data[path], case .success(let set) = entry.result else { return nil }
                return DataFile(path: path, hash: entry.hash, set: set)
            }
        )
        var readers = committed.readers ?? OutputReaders(jobs: jobs, outputs: outputs, site: site)
        // The keys of one output's own job are never looked up (they are not in the table).
        readers.other = readers.other.filter { committed.table[$0.key] != nil }
        commit = Commit(
            markdownEnvironment: committed.markdownEnvironment, markdownOptions: committed.markdownOptions, globals: committed.globals,
            summaryTemplate: committed.summaryTemplate, views: committed.views, pages: committed.pages,
            fragmentPages: committed.fragmentPages.sorted(), copies: committed.copies, readers: readers.tidied()
        )
    }
}

// MARK: - On disk (two blocks of the state file, see `StateCoding`)

extension BinaryWriter {
    mutating func shape(_ s: CarriedSession.Shape) {
        index(s.fileCount)
        diagnostics(s.excludedProblems)
        strings(s.order)
        strings(s.contentAssets)
        strings(s.templateAssets)
        count(s.sections.count)
        for name in s.sections.keys.sorted() {
            shared(name)
            indices(s.sections[name] ?? [])
        }
        count(s.tags.count)
        for tag in s.tags {
            shared(tag.name)
            indices(tag.pages)
        }
        indices(s.recentPages)
        u64(s.modelKey)
        count(s.jobs.count)
        for job in s.jobs { self.job(job) }
        for identity in s.identities { u64(identity) }
        strings(s.layouts)
        for value in [s.listings.config, s.listings.tags, s.listings.navigation, s.listings.titles, s.listings.sectionNames, s.listings.dataNames, s.listings.pdf, s.listings.sitemap] {
            u64(value)
        }
        reads(s.listings.sections)
        reads(s.listings.data)
        reads(s.listings.rowUses)
        u64(s.places)
        count(s.data.count)
        for file in s.data {
            shared(file.path)
            u64(file.hash)
            dataSet(file.set)
        }
    }

    mutating func dataSet(_ set: DataSet) {
        shared(set.name)
        shared(set.title)
        optionalShared(set.source)
        optionalShared(set.description)
        shared(set.sourcePath)
        count(set.fields.count)
        for field in set.fields {
            shared(field.name)
            shared(field.label)
            shared(field.type.rawValue)
            optionalShared(field.unit)
            bool(field.required)
            optionalShared(field.kind?.rawValue)
            int(field.year ?? 0)
        }
        optionalShared(set.series.map { [$0.key, $0.year, $0.kind, $0.value].joined(separator: "\u{1F}") })
        // Absent parts as "\u{1}", which no field name or layout holds.
        optionalShared(set.pages.map { [$0.path ?? "\u{1}", $0.slug.joined(separator: "\u{1E}"), $0.title ?? "\u{1}", $0.layout ?? "\u{1}"].joined(separator: "\u{1F}") })
        count(set.rows.count)
        for row in set.rows {
            location(row.location)
            count(row.values.count)
            for name in row.values.keys.sorted() {
                shared(name)
                dataValue(row.values[name] ?? .null)
            }
            count(row.notes.count)
            for name in row.notes.keys.sorted() {
                shared(name)
                shared(row.notes[name] ?? "")
            }
        }
    }

    mutating func dataValue(_ value: DataValue) {
        switch value {
        case .null: byte(0)
        case .string(let text):
            byte(1)
            shared(text)
        case .number(let number):
            byte(2)
            double(number)
        case .approximate(let number, let qualifier):
            byte(3)
            double(number)
            shared(qualifier.word)
            byte(qualifier.position == .before ? 0 : 1)
            switch qualifier.bound {
            case .lower: byte(0)
            case .upper: byte(1)
            case .about: byte(2)
            }
        case .bool(let flag):
            byte(4)
            bool(flag)
        case .date(let date):
            byte(5)
            double(date.timeIntervalSinceReferenceDate)
        }
    }

    mutating func commit(_ c: CarriedSession.Commit) {
        u64(c.markdownEnvironment)
        u64(c.markdownOptions)
        reads(c.globals)
        u64(c.summaryTemplate)
        count(c.views.count)
        for hash in c.views { u64(hash) }
        count(c.pages.count)
        for hash in c.pages { u64(hash) }
        indices(c.fragmentPages)
        strings(c.copies)
        count(c.readers.views.count)
        for list in c.readers.views { readers(list) }
        count(c.readers.pages.count)
        for list in c.readers.pages { readers(list) }
        count(c.readers.other.count)
        for key in c.readers.other.keys.sorted() {
            shared(key)
            readers(c.readers.other[key] ?? [])
        }
    }

    mutating func strings(_ list: [String]) {
        count(list.count)
        for item in list { shared(item) }
    }

    mutating func indices(_ list: [Int]) {
        count(list.count)
        for index in list { self.index(index) }
    }

    /// Increasing output indices, each as its distance from the one before.
    mutating func readers(_ list: [Int32]) {
        count(list.count)
        var last: Int32 = 0
        for reader in list {
            index(Int(reader - last))
            last = reader
        }
    }

    /// A number that is not a length (an index, a page number): read back without the bound a length has.
    mutating func index(_ value: Int) { varint(UInt64(max(0, value))) }

    mutating func job(_ job: PageJob) {
        switch job.kind {
        case .content(let index):
            byte(0)
            self.index(index)
        case .section(let name):
            byte(1)
            shared(name)
        case .tag(let index):
            byte(2)
            self.index(index)
        case .tagIndex:
            byte(3)
        case .feed(let name):
            byte(4)
            shared(name)
        case .sitemap:
            byte(5)
        case .robots:
            byte(6)
        case .alias(let index):
            byte(7)
            self.index(index)
        case .row(let name, let row):
            byte(8)
            shared(name)
            self.index(row)
        }
        shared(job.outputPath)
        shared(job.sitePath)
        shared(job.layout)
        index(job.page)
        index(job.pageCount)
        shared(job.firstPagePath)
    }
}

extension BinaryReader {
    mutating func shape() throws(Malformed) -> CarriedSession.Shape {
        let fileCount = try index()
        let excludedProblems = try diagnostics()
        let order = try strings()
        let contentAssets = try strings()
        let templateAssets = try strings()
        var sections: [String: [Int]] = [:]
        for _ in 0..<(try count()) { sections[try shared()] = try indices() }
        var tags: [Tag] = []
        for _ in 0..<(try count()) { tags.append(Tag(name: try shared(), pages: try indices())) }
        let recentPages = try indices()
        let modelKey = try u64()
        let jobCount = try count()
        var jobs: [PageJob] = []
        jobs.reserveCapacity(jobCount)
        for _ in 0..<jobCount { jobs.append(try job()) }
        guard jobCount <= remaining / 8 else { throw Malformed() }
        var identities: [UInt64] = []
        identities.reserveCapacity(jobCount)
        for _ in 0..<jobCount { identities.append(try u64()) }
        let layouts = try strings()
        var listings = InputHashes()
        listings.config = try u64()
        listings.tags = try u64()
        listings.navigation = try u64()
        listings.titles = try u64()
        listings.sectionNames = try u64()
        listings.dataNames = try u64()
        listings.pdf = try u64()
        listings.sitemap = try u64()
        listings.sections = try reads()
        listings.data = try reads()
        listings.rowUses = try reads()
        let places = try u64()
        var data: [CarriedSession.DataFile] = []
        for _ in 0..<(try count()) { data.append(CarriedSession.DataFile(path: try shared(), hash: try u64(), set: try dataSet())) }
        return CarriedSession.Shape(
            fileCount: fileCount, excludedProblems: excludedProblems, order: order, contentAssets: contentAssets,
            templateAssets: templateAssets, sections: sections, tags: tags, recentPages: recentPages, modelKey: modelKey, jobs: jobs,
            identities: identities, layouts: layouts, listings: listings, places: places, data: data
        )
    }

    mutating func dataSet() throws(Malformed) -> DataSet {
        let name = try shared()
        let title = try shared()
        let source = try optionalShared()
        let description = try optionalShared()
        let sourcePath = try shared()
        var fields: [DataField] = []
        for _ in 0..<(try count()) {
            let name = try shared()
            let label = try shared()
            guard let type = DataType(rawValue: try shared()) else { throw Malformed() }
            let unit = try optionalShared(), required = try bool()
            let kind = try optionalShared().map { text throws(Malformed) -> SeriesKind in
                guard let kind = SeriesKind(rawValue: text) else { throw Malformed() }
                return kind
            }
            let year = try int()
            fields.append(DataField(name: name, label: label, type: type, unit: unit, required: required, kind: kind, year: kind == nil ? nil : year))
        }
        let series = try optionalShared().map { text throws(Malformed) -> SeriesShape in
            let parts = text.split(separator: "\u{1F}", omittingEmptySubsequences: false).map(String.init)
            guard parts.count == 4 else { throw Malformed() }
            return SeriesShape(key: parts[0], year: parts[1], kind: parts[2], value: parts[3])
        }
        let pages = try optionalShared().map { text throws(Malformed) -> RowPages in
            let parts = text.split(separator: "\u{1F}", omittingEmptySubsequences: false).map { $0 == "\u{1}" ? nil : String($0) }
            guard parts.count == 4, let slug = parts[1] else { throw Malformed() }
            return RowPages(path: parts[0], slug: slug.split(separator: "\u{1E}").map(String.init), title: parts[2], layout: parts[3])
        }
        var rows: [DataRow] = []
        let rowCount = try count()
        rows.reserveCapacity(rowCount)
        for _ in 0..<rowCount {
            let location = try location()
            var values: [String: DataValue] = [:]
            for _ in 0..<(try count()) { values[try shared()] = try dataValue() }
            var notes: [String: String] = [:]
            for _ in 0..<(try count()) { notes[try shared()] = try shared() }
            rows.append(DataRow(values: values, location: location, notes: notes))
        }
        return DataSet(name: name, title: title, source: source, description: description, fields: fields, rows: rows, sourcePath: sourcePath, series: series, pages: pages)
    }

    mutating func dataValue() throws(Malformed) -> DataValue {
        switch try byte() {
        case 0: return .null
        case 1: return .string(try shared())
        case 2: return .number(try double())
        case 3:
            let number = try double()
            let word = try shared()
            let position: Qualifier.Position
            switch try byte() {
            case 0: position = .before
            case 1: position = .after
            default: throw Malformed()
            }
            let bound: Qualifier.Bound
            switch try byte() {
            case 0: bound = .lower
            case 1: bound = .upper
            case 2: bound = .about
            default: throw Malformed()
            }
            return .approximate(number, Qualifier(word: word, position: position, bound: bound))
        case 4: return .bool(try bool())
        case 5: return .date(Date(timeIntervalSinceReferenceDate: try double()))
        default: throw Malformed()
        }
    }

    mutating func commit() throws(Malformed) -> CarriedSession.Commit {
        let markdownEnvironment = try u64()
        let markdownOptions = try u64()
        let globals = try reads()
        let summaryTemplate = try u64()
        let views = try hashes()
        let pages = try hashes()
        let fragmentPages = try indices()
        let copies = try strings()
        var viewReaders: [[Int32]] = []
        for _ in 0..<(try count()) { viewReaders.append(try readers()) }
        var pageReaders: [[Int32]] = []
        for _ in 0..<(try count()) { pageReaders.append(try readers()) }
        var otherReaders: [String: [Int32]] = [:]
        for _ in 0..<(try count()) { otherReaders[try shared()] = try readers() }
        return CarriedSession.Commit(
            markdownEnvironment: markdownEnvironment, markdownOptions: markdownOptions, globals: globals, summaryTemplate: summaryTemplate,
            views: views, pages: pages, fragmentPages: fragmentPages, copies: copies,
            readers: OutputReaders(views: viewReaders, pages: pageReaders, other: otherReaders)
        )
    }

    mutating func strings() throws(Malformed) -> [String] {
        let n = try count()
        var list: [String] = []
        list.reserveCapacity(n)
        for _ in 0..<n { list.append(try shared()) }
        return list
    }

    mutating func indices() throws(Malformed) -> [Int] {
        let n = try count()
        var list: [Int] = []
        list.reserveCapacity(n)
        for _ in 0..<n { list.append(try index()) }
        return list
    }

    mutating func readers() throws(Malformed) -> [Int32] {
        let n = try count()
        var list: [Int32] = []
        list.reserveCapacity(n)
        var last = 0
        for _ in 0..<n {
            last += try index()
            guard last <= Int(Int32.max) else { throw Malformed() }
            list.append(Int32(last))
        }
        return list
    }

    mutating func hashes() throws(Malformed) -> [UInt64] {
        let n = try count()
        guard n <= remaining / 8 else { throw Malformed() }
        var list: [UInt64] = []
        list.reserveCapacity(n)
        for _ in 0..<n { list.append(try u64()) }
        return list
    }

    mutating func index() throws(Malformed) -> Int {
        let value = try varint()
        guard value <= UInt64(Int32.max) else { throw Malformed() }
        return Int(value)
    }

    mutating func job() throws(Malformed) -> PageJob {
        let kind: PageJob.Kind
        switch try byte() {
        case 0: kind = .content(try index())
        case 1: kind = .section(try shared())
        case 2: kind = .tag(try index())
        case 3: kind = .tagIndex
        case 4: kind = .feed(try shared())
        case 5: kind = .sitemap
        case 6: kind = .robots
        case 7: kind = .alias(try index())
        case 8: kind = .row(try shared(), try index())
        default: throw Malformed()
        }
        let outputPath = try shared()
        let sitePath = try shared()
        let layout = try shared()
        let page = try index()
        let pageCount = try index()
        return PageJob(kind: kind, outputPath: outputPath, sitePath: sitePath, layout: layout, page: page, pageCount: pageCount, firstPagePath: try shared())
    }
}
