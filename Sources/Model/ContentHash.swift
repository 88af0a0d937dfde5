import Foundation

/// A fast, stable (unseeded, same on every run and machine) 64-bit content hash for change detection, not for
/// security. It takes eight bytes per step (multiply–xorshift, finished with MurmurHash3's fmix64): the build
/// hashes every source and every output byte, and byte-at-a-time FNV-1a cost 2% of a cold build.
public enum ContentHash {
    public static let start: UInt64 = 0xcbf2_9ce4_8422_2325

    public static func hash(_ data: Data) -> UInt64 {
        data.withUnsafeBytes { hash($0) }
    }

    public static func hash(_ bytes: UnsafeRawBufferPointer, seed: UInt64 = start) -> UInt64 {
        let m: UInt64 = 0x9E37_79B9_7F4A_7C15
        var h = seed ^ (UInt64(bytes.count) &* m)
        var offset = 0
        while offset + 8 <= bytes.count {
            let word = bytes.loadUnaligned(fromByteOffset: offset, as: UInt64.self)
            h = (h ^ word) &* m
            h ^= h >> 29
            offset += 8
        }
        var tail: UInt64 = 0
        var shift: UInt64 = 0
        while offset < bytes.count {
            tail |= UInt64(bytes[offset]) << shift
            shift += 8
            offset += 1
        }
        h = (h ^ tail ^ 0xFF) &* m
        // fmix64
        h ^= h >> 33
        h = h &* 0xff51_afd7_ed55_8ccd
        h ^= h >> 33
        h = h &* 0xc4ce_b9fe_1a85_ec53
        h ^= h >> 33
        return h
    }

    public static func hash(_ text: String, seed: UInt64 = start) -> UInt64 {
        var copy = text
        return copy.withUTF8 { hash(UnsafeRawBufferPointer($0), seed: seed) }
    }
}
