import Foundation
import Testing
import TianshanModel

@Suite struct DateTextTests {
    /// The arithmetic agrees with Foundation's Gregorian calendar in UTC, day by day over centuries and around
    /// the edges (leap days, the epoch, negative times, times late in a day).
    @Test func civilDatesAgreeWithTheCalendar() {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        var seconds: [Double] = []
        for day in stride(from: -80_000, through: 80_000, by: 7) { seconds.append(Double(day) * 86_400) }
        seconds += [-1, 0, 1, 86_399, 86_400, 951_782_400 /* 2000-02-29 */, 4_107_456_000 /* 2100-02-28 */, 1_614_816_000.5, -86_400.5]
        for value in seconds {
            let date = Date(timeIntervalSince1970: value)
            let c = calendar.dateComponents([.year, .month, .day], from: date)
            let ours = DateText.civil(date)
            #expect(ours.year == c.year && ours.month == c.month && ours.day == c.day, "\(value)")
        }
    }

    @Test func formats() {
        let date = Date(timeIntervalSince1970: 1_614_816_000)  // 2021-03-04
        #expect(DateText.iso(date) == "2021-03-04")
        #expect(DateText.chinese(date) == "2021年3月4日")
        #expect(DateText.year(date) == 2021)
        #expect(DateText.iso(Date(timeIntervalSince1970: -62_135_596_800)) == "0001-01-01")
    }
}
