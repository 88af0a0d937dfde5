import Testing
@testable import TianshanSearch

/// What the search reads of a page, and the tokens it indexes.
@Suite struct SearchTextTests {
    @Test func mainTextWithoutTagsScriptsOrNavigation() {
        let html = """
        <html><head><title>不算</title></head><body><header>页眉</header>
        <main id="main" class="main"><nav class="breadcrumbs"><a href="/">首页</a></nav>
        <h1>乌鲁木齐<em>高新区</em></h1><p>总投资 <b>1,050,000</b> 万元&amp;更多&#x4E00;&lt;b&gt;</p>
        <script>var x = "脚本";</script><style>.a{}</style><table><tr><td>甲</td><td>乙</td></tr></table>
        </main><footer>页脚</footer></body></html>
        """
        let text = SearchText.of(html: html)
        #expect(text == "乌鲁木齐高新区 总投资 1,050,000 万元&更多一<b> 甲 乙")
        // No <main>: the whole document.
        #expect(SearchText.of(html: "<p>一段</p><p>两段</p>") == "一段 两段")
    }

    @Test func ideographsArePairedAndWordsKeptWhole() {
        #expect(SearchText.tokens(SearchText.normalized("高新区GDP 2023年")) == ["高新", "新区", "gdp", "2023", "年"])
        // A lone ideograph is a token by itself; full-width letters fold to ASCII.
        #expect(SearchText.tokens(SearchText.normalized("区 ＣＥＴＣ")) == ["区", "cetc"])
        #expect(SearchText.tokens("") == [])
    }

    /// The fast hashing of a page's tokens gives what hashing the tokens of the normalized text gives.
    @Test(arguments: ["高新区GDP 2023年", "乌鲁木齐（新市区）“双创”…总投资1,050,000万元", "ＣＥＴＣ与①号楼", "Ärzte ÉCOLE ﬁnance 々", "区", "", "a-b_c 3.5",
                     "案例 · 2021 × 3 ± 5° ¶ «引» ¿ ÷ ©", "𠀀𠀁𠀂 · é"])
    func fastTokenHashesAgreeWithTheTokens(_ text: String) {
        #expect(SearchText.tokenHashes(of: text) == Array(Set(SearchText.tokens(SearchText.normalized(text)).map(SearchText.hash))).sorted())
    }

    /// Pages the theme renders carry "·" and similar signs; they must not send every page to the slow path.
    @Test func commonSignsTakeTheFastPath() {
        #expect(SearchText.foldsByItself("案例 · 2021 × 3 ± 5° ¶ «引» ¿ ÷ ©"))
        #expect(!SearchText.foldsByItself("ＣＥＴＣ ①") && !SearchText.foldsByItself("Ärzte") && !SearchText.foldsByItself("µ²"))
    }

    @Test func theHashIsFNV1aAsTheScriptComputesIt() {
        // FNV-1a 32 of "a" and of "" (the published test vectors), and of a Chinese pair over its UTF-8 bytes.
        #expect(SearchText.hash("") == 0x811C9DC5)
        #expect(SearchText.hash("a") == 0xE40C292C)
        #expect(SearchText.hash("高新") != SearchText.hash("新高"))
    }

    /// The token sort orders as `sorted()` does, for short and long arrays, repeated values and every byte used.
    @Test func radixSortOrdersAsSorted() {
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        func next() -> UInt32 {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return UInt32(truncatingIfNeeded: state >> 29)
        }
        for count in [0, 1, 2, 63, 64, 65, 300, 5000] {
            for repeats in [false, true] {
                var values = (0..<count).map { _ in repeats ? next() % 50 : next() }
                if count > 3 { values[0] = .max; values[1] = 0 }
                let expected = values.sorted()
                SearchText.radixSort(&values)
                #expect(values == expected, "\(count) values, repeats \(repeats)")
            }
        }
    }
}
