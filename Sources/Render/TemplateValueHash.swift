import TianshanModel

extension StableHash {
    /// Adds a template value as templates see it (tracked layers and deferred values by their content).
    /// - Parameter inputs: also each tracked layer's input key and hash, but the job's (`FragmentCache`: two values
    ///   that print alike but come from different inputs record different reads; every output records its own job
    ///   before it renders anything).
    public mutating func add(_ value: TemplateValue, inputs: Bool = false) {
        switch value {
        case .null: add(UInt64(1))
        case .bool(let b): add(UInt64(b ? 2 : 3))
        case .text(let t): add(UInt64(4)); add(t)
        case .number(let n): add(UInt64(5)); add(n.bitPattern)
        case .list(let items): add(UInt64(6)); add(items.count); for item in items { add(item, inputs: inputs) }
        case .object(let fields):
            add(UInt64(7)); add(fields.count)
            // Order-independent (a sum of each field's own hash), so the keys need no sorting.
            var sum: UInt64 = 0
            for (key, field) in fields {
                var one = StableHash()
                one.add(key)
                one.add(field, inputs: inputs)
                sum = sum &+ one.value
            }
            add(sum)
        case .lazy(let deferred): add(deferred.value, inputs: inputs)
        case .tracked(let tracked):
            if inputs, tracked.key != InputKey.job { add(UInt64(8)); add(tracked.key); add(tracked.hash) }
            add(tracked.value, inputs: inputs)
        }
    }
}

extension TemplateValue {
    /// A hash of the value as templates see it.
    public var stableHash: UInt64 {
        var hash = StableHash()
        hash.add(self)
        return hash.value
    }
}

extension PageJob {
    /// Everything that decides this job apart from the values it shows: what it is, where it goes, which
    /// layout renders it, and its place in a paginated listing.
    /// Pages and tags are named by path and name, not index, so adding a page leaves other jobs alone.
    public func identityHash(in site: Site) -> UInt64 {
        var hash = StableHash()
        switch kind {
        case .content(let index): hash.add("content"); hash.add(site.pages[index].sourcePath)
        case .section(let name): hash.add("section"); hash.add(name)
        case .tag(let index): hash.add("tag"); hash.add(site.tags[index].name)
        case .tagIndex: hash.add("tags")
        case .feed(let name): hash.add("feed"); hash.add(name)
        case .sitemap: hash.add("sitemap")
        case .robots: hash.add("robots")
        case .alias(let index): hash.add("alias"); hash.add(site.pages[index].sourcePath)
        case .row(let name, let row): hash.add("row"); hash.add(name); hash.add(row)
        }
        hash.add(outputPath)
        hash.add(sitePath)
        hash.add(layout)
        hash.add(page)
        hash.add(pageCount)
        hash.add(firstPagePath)
        return hash.value
    }

    /// The pages a listing shows, by their source paths in order; nil members hash as an empty list.
    public static func membersHash(_ members: some Sequence<Int>, site: Site) -> UInt64 {
        var hash = StableHash()
        var count = 0
        for index in members { hash.add(site.pages[index].sourcePath); count += 1 }
        hash.add(count)
        return hash.value
    }
}

/// Listing views are kept in the build state between runs: a value is saved as templates see it.
extension TemplateValue: Codable {
    private enum Tag: UInt8, Codable { case null, bool, text, number, list, object }

    public init(from decoder: Decoder) throws {
        var c = try decoder.unkeyedContainer()
        switch try c.decode(Tag.self) {
        case .null: self = .null
        case .bool: self = .bool(try c.decode(Bool.self))
        case .text: self = .text(try c.decode(String.self))
        case .number: self = .number(try c.decode(Double.self))
        case .list: self = .list(try c.decode([TemplateValue].self))
        case .object: self = .object(try c.decode([String: TemplateValue].self))
        }
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.unkeyedContainer()
        switch resolved {
        case .null, .lazy, .tracked: try c.encode(Tag.null)
        case .bool(let b): try c.encode(Tag.bool); try c.encode(b)
        case .text(let t): try c.encode(Tag.text); try c.encode(t)
        case .number(let n): try c.encode(Tag.number); try c.encode(n)
        case .list(let items): try c.encode(Tag.list); try c.encode(items)
        case .object(let fields): try c.encode(Tag.object); try c.encode(fields)
        }
    }
}
