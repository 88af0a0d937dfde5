import Foundation

/// Collects what one output read while it rendered: every tracked value a template reached, by key, with the
/// hash that value had. The next build renders the output again exactly when one of those hashes changed.
public final class ReadRecorder: @unchecked Sendable {
    // @unchecked: `reads` is only touched under `lock` (a lazily computed value may be shared across threads).
    private let lock = NSLock()
    private var reads: [String: UInt64] = [:]

    public init() {}

    /// The recorder of the output rendering on this task, if any.
    @TaskLocal public static var current: ReadRecorder?

    public func record(_ key: String, _ hash: UInt64) {
        lock.withLock { if reads[key] == nil { reads[key] = hash } }
    }

    /// Everything recorded so far.
    public var recorded: [String: UInt64] { lock.withLock { reads } }

    /// Runs `body` with this recorder receiving every tracked read, and returns the reads with its result.
    public func recording<R>(_ body: () -> R) -> R {
        Self.$current.withValue(self) { body() }
    }
}

/// A value whose reads are recorded: the key names the input it comes from, the hash is that input's value now.
public struct TrackedValue: Sendable {
    public let key: String
    public let hash: UInt64
    public let value: TemplateValue

    public init(key: String, hash: UInt64, value: TemplateValue) {
        self.key = key
        self.hash = hash
        self.value = value
    }
}

extension TemplateValue {
    /// `value`, marked as read from the input `key` whose current hash is `hash`.
    public static func tracked(_ key: String, _ hash: UInt64, _ value: TemplateValue) -> TemplateValue {
        .tracked(TrackedValue(key: key, hash: hash, value: value))
    }

    /// The value a template sees: tracked layers are recorded as read and removed, deferred values computed.
    var reached: TemplateValue {
        var value = self
        while true {
            switch value {
            case .tracked(let tracked):
                ReadRecorder.current?.record(tracked.key, tracked.hash)
                value = tracked.value
            case .lazy(let deferred):
                value = deferred.make()
            default:
                return value
            }
        }
    }
}
