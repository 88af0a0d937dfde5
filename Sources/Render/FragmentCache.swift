import Mustache
import Synchronization
import TianshanModel

/// Renders each fragment (`FragmentPlan`) once per distinct set of the root values it looks up, for the outputs
/// of one build. The header of every page with the same navigation state, or a footer that reads only site-wide
/// values, is rendered once; every output still records what the fragment read, as if it had rendered it.
///
/// A variant is reused only when every value the fragment looked up is the same, tracked layers included
/// (their input keys and hashes), so the reads recorded when it was rendered are the reads this output would
/// record; the one exception is the job's identity, which every output records first for itself.
public final class FragmentCache: Sendable {
    /// Root values that are one and the same for every output of the build (`ContextBuilder.siteWideNames`):
    /// not compared, as they cannot differ.
    let siteWide: Set<String>
    /// Variants kept per fragment; a fragment that needs more (it reads the page's own values) is then
    /// rendered for each output without being compared again.
    let limit: Int
    // A Mutex, not an actor: fragments are asked for from inside a template render, which is synchronous.
    private let state = Mutex<[String: Entry]>([:])

    struct Variant: Sendable {
        /// The values looked up that differ between outputs, by name, with their hashes.
        var names: [String]
        var hashes: [UInt64]
        var html: String
        var reads: [String: UInt64]
    }

    struct Entry: Sendable {
        var variants: [Variant] = []
        var uncached = false
    }

    public init(siteWide: Set<String>, limit: Int = 32) {
        self.siteWide = siteWide
        self.limit = limit
    }

    /// Variants kept, by partial: what the tests see of the reuse.
    var variantCounts: [String: Int] { state.withLock { $0.mapValues(\.variants.count) } }

    /// The partial `name` rendered with the root `fields` (which must not hold the fragment values themselves).
    func html(_ name: String, fields: [String: TemplateValue], library: MustacheLibrary) -> String {
        let entry = state.withLock { $0[name] } ?? Entry()
        var hashes: [String: UInt64] = [:]
        func hash(_ field: String) -> UInt64 {
            if let known = hashes[field] { return known }
            var hasher = StableHash()
            if let value = fields[field] { hasher.add(value, inputs: true) } else { hasher.add(UInt64(0)) }
            hashes[field] = hasher.value
            return hasher.value
        }
        if !entry.uncached {
            for variant in entry.variants where zip(variant.names, variant.hashes).allSatisfy({ hash($0) == $1 }) {
                Self.replay(variant.reads)
                return variant.html
            }
        }
        let (html, names, reads, opaque) = Self.render(name, fields: fields, library: library)
        Self.replay(reads)
        guard !entry.uncached else { return html }
        let compared = names.filter { !siteWide.contains($0) }
        let variant = Variant(names: compared, hashes: compared.map(hash), html: html, reads: reads)
        state.withLock { entries in
            var current = entries[name] ?? Entry()
            if opaque || current.variants.count >= limit {
                current.uncached = true
                current.variants = []
            } else {
                current.variants.append(variant)
            }
            entries[name] = current
        }
        return html
    }

    /// Records a fragment's reads as the current output's own.
    static func replay(_ reads: [String: UInt64]) {
        guard let recorder = ReadRecorder.current else { return }
        for (key, value) in reads { recorder.record(key, value) }
    }

    /// Renders a partial at the root of `fields`, logging the root names it looks up and what it records.
    static func render(_ name: String, fields: [String: TemplateValue], library: MustacheLibrary)
        -> (html: String, names: [String], reads: [String: UInt64], opaque: Bool) {
        let log = LookupLog()
        let recorder = ReadRecorder()
        let html = recorder.recording { library.render(LoggedRoot(fields: fields, log: log), withTemplate: name) } ?? ""
        let (names, opaque) = log.snapshot
        return (html, names, recorder.recorded, opaque)
    }
}

/// A template context's root that notes every name looked up in it. A template that takes the root as a value
/// (`{{.}}`, `{{#.}}`) is marked opaque: what it did with it is not in the log.
struct LoggedRoot: MustacheParent, MustacheCustomRenderable, MustacheSequence {
    let fields: [String: TemplateValue]
    let log: LookupLog

    func child(named name: String) -> Any? {
        log.note(name)
        return TemplateValue.object(fields).child(named: name)
    }

    var renderText: String {
        log.markOpaque()
        return TemplateValue.object(fields).renderText
    }

    var isNull: Bool { false }

    func makeIterator() -> TemplateValue.Iterator {
        log.markOpaque()
        return TemplateValue.object(fields).makeIterator()
    }
}

/// The names a fragment looked up at its root, in order, each once.
final class LookupLog: Sendable {
    private let state = Mutex<(names: [String], seen: Set<String>, opaque: Bool)>(([], [], false))

    func note(_ name: String) {
        state.withLock { if $0.seen.insert(name).inserted { $0.names.append(name) } }
    }

    func markOpaque() { state.withLock { $0.opaque = true } }

    var snapshot: (names: [String], opaque: Bool) { state.withLock { ($0.names, $0.opaque) } }
}
