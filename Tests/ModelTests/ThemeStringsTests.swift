import Foundation
import Testing
import TianshanModel

@Suite struct ThemeStringsTests {
    let words = ThemeStrings([
        "date.format": "{year}年{month}月{day}日", "date.month.3": "March",
        "listing.page": "{title}（第{n}页）", "plain": "没有占位", "odd": "{ {unknown} {year",
    ])

    @Test func placeholdersAreFilledOnce() {
        #expect(words("listing.page", ["title": "新闻", "n": "2"]) == "新闻（第2页）")
        // A value holding a placeholder's name is shown as it is, not filled again.
        #expect(words("listing.page", ["title": "第{n}期", "n": "3"]) == "第{n}期（第3页）")
        #expect(words("plain", ["title": "x"]) == "没有占位")
        // Unknown names and unclosed braces stay as written.
        #expect(words("odd", ["year": "2021"]) == "{ {unknown} {year")
        #expect(words("missing.key") == "missing.key")
    }

    @Test func datesAsTheLanguageWritesThem() {
        #expect(words.date(Date(timeIntervalSince1970: 1_614_816_000)) == "2021年3月4日")
    }
}
