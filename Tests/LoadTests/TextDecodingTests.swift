import Testing
import TianshanModel
@testable import TianshanLoad

@Suite struct TextDecodingTests {
    /// "---\ntitle: 高新区\n---\n示范基地" as Windows Notepad saves it in a Chinese locale (GBK).
    static let gbk: [UInt8] = Array("---\ntitle: ".utf8) + [0xB8, 0xDF, 0xD0, 0xC2, 0xC7, 0xF8] + Array("\n---\n".utf8)
        + [0xCA, 0xBE, 0xB7, 0xB6, 0xBB, 0xF9, 0xB5, 0xD8]

    @Test func utf8WithOrWithoutByteOrderMarkIsRead() throws {
        let text = "高新区\n示范基地"
        #expect(try TextDecoding.decode(Array(text.utf8), display: "a.md").get() == text)
        #expect(try TextDecoding.decode([0xEF, 0xBB, 0xBF] + Array(text.utf8), display: "a.md").get() == text)
    }

    @Test func gbkFileGetsTheConversionCommandAtItsFirstBadByte() {
        guard case .failure(let problem) = TextDecoding.decode(Self.gbk, display: "Content/cases/a.md") else {
            Issue.record("GBK bytes were accepted as UTF-8")
            return
        }
        #expect(problem.location.file == "Content/cases/a.md" && problem.location.line == 2 && problem.location.column == 8)
        #expect(problem.message.contains("GB18030"))
        #expect(problem.hint?.contains("iconv -f GB18030 -t UTF-8 'Content/cases/a.md'") == true)
    }

    @Test func otherBytesAreNotMistakenForGBK() {
        // Latin-1 "café au lait": 0xE9 followed by a space is neither UTF-8 nor GBK.
        let latin1: [UInt8] = Array("caf".utf8) + [0xE9] + Array(" au lait".utf8)
        guard case .failure(let problem) = TextDecoding.decode(latin1, display: "b.md") else {
            Issue.record("Latin-1 bytes were accepted")
            return
        }
        #expect(!problem.message.contains("GB18030") && problem.message.contains("0xE9"))
        #expect(problem.location.line == 1 && problem.location.column == 4)
        // A UTF-8 sequence cut short at the end of the file.
        let cut = Array("高新".utf8).dropLast()
        guard case .failure(let short) = TextDecoding.decode(Array(cut), display: "c.md") else {
            Issue.record("a truncated character was accepted")
            return
        }
        #expect(short.location.column == 2)
    }

    @Test func validatorAgreesWithTheStandardLibrary() {
        // Every pair of bytes, and seeded runs (a linear congruential generator) biased towards lead bytes.
        for a in 0...255 {
            for b in 0...255 {
                let bytes: [UInt8] = [UInt8(a), UInt8(b)]
                #expect((TextDecoding.firstInvalidUTF8(bytes, from: 0) == 2) == (String(validating: bytes, as: UTF8.self) != nil))
            }
        }
        var seed: UInt64 = 3
        for _ in 0..<20_000 {
            let bytes = (0..<4).map { _ -> UInt8 in
                seed = seed &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
                return UInt8(truncatingIfNeeded: seed >> 56) | 0x80
            }
            let valid = String(validating: bytes, as: UTF8.self) != nil
            #expect((TextDecoding.firstInvalidUTF8(bytes, from: 0) == bytes.count) == valid, "\(bytes)")
        }
    }
}
