import Testing
import TianshanModel

@Suite struct ByteSearchTests {
    @Test func findsByteSequencesAnywhere() {
        #expect("见注[^1]。".containsBytes("[^"))
        #expect("[^".containsBytes("[^"))
        #expect("a[b[^c".containsBytes("[^"))
        #expect(!"a[b^c[".containsBytes("[^"))
        #expect(!"[".containsBytes("[^"))
        #expect("任何文本".containsBytes(""))
        #expect(!"".containsBytes("a"))
        // Compared as bytes, not as text: a decomposed é does not contain the precomposed one.
        #expect(!"e\u{301}".containsBytes("é"))
        #expect("高新区 2023".containsBytes("2023"))
    }

    @Test func findsOneByte() {
        #expect("表 | 一".containsByte(UInt8(ascii: "|")))
        #expect(!"全角｜竖线".containsByte(UInt8(ascii: "|")))
        #expect(!"".containsByte(UInt8(ascii: "|")))
        #expect("a\0b".containsByte(0))
    }
}

@Suite struct SiteConfigURLTests {
    @Test func absoluteURLTakesTheHostOfTheBaseURL() {
        #expect(SiteConfig(baseURL: "https://example.org/report/").absoluteURL(for: "/report/cases/") == "https://example.org/report/cases/")
        #expect(SiteConfig(baseURL: "https://example.org/report").absoluteURL(for: "/report/") == "https://example.org/report/")
        #expect(SiteConfig(baseURL: "https://example.org/").absoluteURL(for: "/cases/") == "https://example.org/cases/")
        #expect(SiteConfig(baseURL: "https://example.org").absoluteURL(for: "/") == "https://example.org/")
        // The path also occurs in the host: only the end of the base URL is its path.
        #expect(SiteConfig(baseURL: "https://report.example/report/").absoluteURL(for: "/report/a/") == "https://report.example/report/a/")
        #expect(SiteConfig(baseURL: "/report/").absoluteURL(for: "/report/cases/") == nil)
    }
}
