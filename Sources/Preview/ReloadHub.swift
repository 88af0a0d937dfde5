/// One message on the reload stream: which build the site is now at and whether it succeeded.
public struct ReloadEvent: Sendable, Equatable {
    /// `hello` greets a new connection with the current build; `reload` follows every finished build.
    public enum Kind: String, Sendable { case hello, reload }

    public var kind: Kind
    public var build: Int
    public var ok: Bool

    public init(kind: Kind, build: Int, ok: Bool) {
        self.kind = kind
        self.build = build
        self.ok = ok
    }

    /// The Server-Sent Events wire form: `event:` and `data:` lines and a blank line.
    public var serverSentEvent: String {
        "event: \(kind.rawValue)\ndata: {\"build\":\(build),\"ok\":\(ok)}\n\n"
    }
}

/// Fans build results out to every open `/__tianshan/events` stream.
///
/// A new subscriber first gets `hello` with the latest build, inside the same actor step that registers it,
/// so a page that loaded just before a rebuild still learns about it and reloads.
public actor ReloadHub {
    private var subscribers: [Int: AsyncStream<ReloadEvent>.Continuation] = [:]
    private var nextID = 0
    private var latest = ReloadEvent(kind: .hello, build: 0, ok: true)

    public init() {}

    /// The number of open streams.
    public var subscriberCount: Int { subscribers.count }

    /// Opens a stream that starts with `hello` for the current build.
    public func subscribe() -> (id: Int, events: AsyncStream<ReloadEvent>) {
        let (stream, continuation) = AsyncStream<ReloadEvent>.makeStream()
        let id = nextID
        nextID += 1
        subscribers[id] = continuation
        var hello = latest
        hello.kind = .hello
        continuation.yield(hello)
        return (id, stream)
    }

    public func unsubscribe(_ id: Int) {
        subscribers.removeValue(forKey: id)?.finish()
    }

    /// Records a finished build and tells every subscriber.
    public func publish(build: Int, ok: Bool) {
        latest = ReloadEvent(kind: .reload, build: build, ok: ok)
        for continuation in subscribers.values { continuation.yield(latest) }
    }

    /// Ends every stream, so their HTTP responses can finish.
    public func closeAll() {
        for continuation in subscribers.values { continuation.finish() }
        subscribers.removeAll()
    }
}
