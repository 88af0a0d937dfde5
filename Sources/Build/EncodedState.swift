import TianshanModel

/// The blocks of the state file last read or written, with the record objects each was encoded from: a session
/// keeps them so that saving its state again encodes only the blocks whose records changed.
struct EncodedState: Sendable {
    var pages: [EncodedBlock<PageRecord.Storage>]
    var outputs: [EncodedBlock<OutputRecord>]
    /// The carried session's shape block, with the shape it holds.
    var shape: (value: CarriedSession.Shape, payload: ArraySlice<UInt8>, hash: UInt64)?
    /// How many of the blocks the encoding that made this wrote afresh rather than copied (0 when read from a file).
    var encodedAfresh = 0
}

/// One block's bytes (its string table and records), their hash, and the records it holds by path.
struct EncodedBlock<Object: AnyObject & Sendable>: Sendable {
    let payload: ArraySlice<UInt8>
    let hash: UInt64
    let members: [String: Object]

    init(payload: ArraySlice<UInt8>, hash: UInt64, members: [String: Object]) {
        self.payload = payload
        self.hash = hash
        self.members = members
    }

    /// Encodes the records, sorted by path so that the same records give the same bytes.
    init<Record>(_ entries: [(String, Record)], object: (Record) -> Object, write: (inout BinaryWriter, Record) -> Void) {
        let sorted = entries.sorted { $0.0 < $1.0 }
        var body = BinaryWriter(capacity: 1024 + sorted.count * 512)
        body.count(sorted.count)
        for (path, record) in sorted {
            body.shared(path)
            write(&body, record)
        }
        var block = BinaryWriter(capacity: 16 + body.tableBytes.count + body.bytes.count)
        block.count(body.tableCount)
        body.tableBytes.withUnsafeBytes { block.raw($0) }
        body.bytes.withUnsafeBytes { block.raw($0) }
        payload = block.bytes[...]
        hash = block.bytes.withUnsafeBytes { ContentHash.hash($0) }
        members = Dictionary(sorted.map { ($0.0, object($0.1)) }, uniquingKeysWith: { a, _ in a })
    }

    /// Whether these are exactly the records the block was encoded from, the same objects under the same paths.
    func holds(_ entries: [(String, Object)]) -> Bool {
        entries.count == members.count && entries.allSatisfy { members[$0.0] === $0.1 }
    }
}
