import Foundation
import Testing
import TianshanModel

/// The content hash decides whether an output file is written again and whether a source changed: equal bytes
/// must give equal hashes (strings and their UTF-8 data alike), and inputs that differ anywhere, including in the
/// last few bytes, must differ.
@Suite struct ContentHashTests {
    @Test func sameBytesSameHash() {
        #expect(ContentHash.hash("") == ContentHash.hash(Data()))
        #expect(ContentHash.hash("天山") == ContentHash.hash(Data("天山".utf8)))
        #expect(ContentHash.hash("天山") == ContentHash.hash("天山"))
    }

    @Test func everyByteCounts() {
        let base = Array("新疆乌鲁木齐高新区双创示范基地 2023".utf8)
        var seen = Set<UInt64>()
        for length in 0...base.count {
            let prefix = Data(base.prefix(length))
            #expect(seen.insert(ContentHash.hash(prefix)).inserted, "prefix of \(length) bytes collides")
        }
        for index in base.indices {
            var changed = base
            changed[index] ^= 0x01
            #expect(ContentHash.hash(Data(changed)) != ContentHash.hash(Data(base)), "flip at byte \(index) unseen")
        }
        // Trailing zero bytes change the length, and so the hash.
        #expect(ContentHash.hash(Data([1, 2, 3])) != ContentHash.hash(Data([1, 2, 3, 0])))
    }

    @Test func seedChains() {
        let ab = ContentHash.hash("b", seed: ContentHash.hash("a"))
        let ba = ContentHash.hash("a", seed: ContentHash.hash("b"))
        #expect(ab != ba)
    }
}
