import Foundation
import Testing
import TianshanModel
@testable import TianshanScaffold

/// What `tianshan new` fills in: dates and years, a title from a file name, and where an archetype puts a page.
@Suite struct StarterTests {
    let today = Date(timeIntervalSince1970: 1_772_582_400) // 2026-03-04, UTC

    @Test func fillsDatesAndYearsAndLeavesOtherBraces() {
        let text = "date: {{date}}\nyear: {{year}}\nbase: {{previousYear}}\nnext: {{nextYear}}\n{{page.title}}\n"
        #expect(Starter.fill(text, today: today) == "date: 2026-03-04\nyear: 2026\nbase: 2025\nnext: 2027\n{{page.title}}\n")
        #expect(Starter.fill("{{title}}", today: today, title: "a \"b\": c\\d") == "\"a \\\"b\\\": c\\\\d\"")
        #expect(Starter.fill("{{title}}", today: today) == "{{title}}")
    }

    @Test func titlesComeFromFileNames() {
        #expect(Starter.title(fromName: "north-lab") == "North lab")
        #expect(Starter.title(fromName: "cases/north_lab.md") == "North lab")
        #expect(Starter.title(fromName: "禾润鲜") == "禾润鲜")
        #expect(Starter.title(fromName: "First news") == "First news")
    }

    @Test func anArchetypesSectionPlacesAPageWithoutAFolder() {
        let archetype = "---\nsection: cases\ntitle: {{title}}\ndate: {{date}}\norganisation:\n---\n"
        let page = Starter.page(archetype: archetype, name: "北方 实验室", today: today)
        #expect(page.path == "cases/北方-实验室.md")
        #expect(page.text == "---\ntitle: \"北方 实验室\"\ndate: 2026-03-04\norganisation:\n---\n")
        // A folder in the name wins; the section line never reaches the page.
        let placed = Starter.page(archetype: archetype, name: "stories/2026/North-Lab.md", today: today)
        #expect(placed.path == "stories/2026/north-lab.md")
        #expect(!placed.text.contains("section:"))
        // Without an archetype: a title and today's date.
        #expect(Starter.page(archetype: nil, name: "about", today: today) == ("about.md", "---\ntitle: \"About\"\ndate: 2026-03-04\n---\n"))
        // A name with nothing to slug still makes a file.
        #expect(Starter.page(archetype: nil, name: "!!!", today: today).path == "page.md")
    }
}
