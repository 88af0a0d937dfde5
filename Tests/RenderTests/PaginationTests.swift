import Testing
@testable import TianshanRender

/// The pager shows a bounded window of page numbers, so N listing pages cost O(N), not O(N²).
@Suite struct PagerNumbersTests {
    func shown(_ current: Int, _ total: Int) -> String {
        ContextBuilder.pageNumbers(current: current, total: total).map { ($0.gapBefore ? "… " : "") + String($0.number) }.joined(separator: " ")
    }

    @Test func smallListingsShowEveryNumber() {
        #expect(shown(1, 1) == "1")
        #expect(shown(2, 5) == "1 2 3 4 5")
        // A gap of a single number shows that number instead of an ellipsis.
        #expect(shown(5, 7) == "1 2 3 4 5 6 7")
    }

    @Test func longListingsShowFirstLastAndAWindow() {
        #expect(shown(1, 500) == "1 2 3 … 500")
        #expect(shown(250, 500) == "1 … 248 249 250 251 252 … 500")
        #expect(shown(500, 500) == "1 … 498 499 500")
        for current in [1, 17, 4999, 5000] {
            #expect(ContextBuilder.pageNumbers(current: current, total: 5000).count <= 7)
        }
    }
}
