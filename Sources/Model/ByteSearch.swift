import Foundation

extension String {
    /// Whether the text's UTF-8 holds `needle`'s bytes. `String.contains` compares as Unicode text (and with
    /// Foundation imported, through `NSString` with a locale), which a test for Markdown syntax like `[^` or `|`
    /// does not need: every such marker is ASCII, and an ASCII byte never occurs inside a multi-byte character.
    public func containsBytes(_ needle: String) -> Bool {
        var haystack = self
        var needle = needle
        return haystack.withUTF8 { h in
            needle.withUTF8 { n in
                guard let first = n.first else { return true }
                guard h.count >= n.count, let base = h.baseAddress, let nBase = n.baseAddress else { return false }
                var start = 0
                let last = h.count - n.count
                while start <= last {
                    guard let hit = memchr(base + start, Int32(first), last - start + 1) else { return false }
                    let at = base.distance(to: hit.assumingMemoryBound(to: UInt8.self))
                    if memcmp(base + at, nBase, n.count) == 0 { return true }
                    start = at + 1
                }
                return false
            }
        }
    }

    /// Whether the text's UTF-8 holds `byte` (memchr rather than a loop over the UTF-8 view).
    public func containsByte(_ byte: UInt8) -> Bool {
        var haystack = self
        return haystack.withUTF8 { h in
            guard let base = h.baseAddress else { return false }
            return memchr(base, Int32(byte), h.count) != nil
        }
    }
}
