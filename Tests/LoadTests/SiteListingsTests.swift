import Foundation
import Testing
import TianshanModel

/// The site's listings (sections, tags, recent pages) hold the regular pages they should, each in listing order:
/// explicit weight first, then newest date, then title, then path.
@Suite struct SiteListingsTests {
    /// The listing order, written out here on its own.
    static func listedBefore(_ a: Page, _ b: Page) -> Bool {
        let wa = a.frontMatter.weight ?? Int.max, wb = b.frontMatter.weight ?? Int.max
        if wa != wb { return wa < wb }
        switch (a.frontMatter.date, b.frontMatter.date) {
        case let (x?, y?) where x != y: return x > y
        case (nil, _?): return false
        case (_?, nil): return true
        default: break
        }
        if a.title != b.title { return a.title < b.title }
        return a.sourcePath < b.sourcePath
    }

    @Test func listingsHoldTheirPagesInListingOrder() {
        var random = SystemRandomNumberGenerator()
        for round in 0..<20 {
            var pages: [Page] = []
            for i in 0..<120 {
                let section = ["cases", "news", "", "policies"][Int.random(in: 0..<4, using: &random)]
                let isIndex = i % 17 == 0
                var front = FrontMatter()
                front.weight = Int.random(in: 0..<4, using: &random) == 0 ? Int.random(in: 1...3, using: &random) : nil
                front.date = Int.random(in: 0..<3, using: &random) == 0 ? nil : Date(timeIntervalSince1970: Double(Int.random(in: 0..<5, using: &random)) * 86_400)
                front.tags = (0..<Int.random(in: 0...3, using: &random)).map { _ in ["孵化器", "人才", "政策"][Int.random(in: 0..<3, using: &random)] }
                let title = ["甲", "乙", "丙"][Int.random(in: 0..<3, using: &random)]
                let name = String(format: "p%03d", i)
                let folder = section.isEmpty ? "" : section + "/"
                pages.append(Page(
                    sourcePath: folder + (isIndex ? "_index" : name) + ".md", frontMatter: front, body: "", bodyLine: 1, title: title,
                    outputPath: folder + name + "/index.html", sitePath: "/" + folder + name + "/", section: section,
                    kind: isIndex ? .section : .page
                ))
            }
            pages.sort { $0.sourcePath < $1.sourcePath }
            let site = Site(config: SiteConfig(), pages: pages, dataSets: [:], contentAssets: [], templateAssets: [])
            func expected(_ belongs: (Page) -> Bool) -> [Int] {
                pages.indices.filter { pages[$0].kind == .page && belongs(pages[$0]) }.sorted { Self.listedBefore(pages[$0], pages[$1]) }
            }
            for section in ["cases", "news", "", "policies"] {
                #expect((site.sections[section] ?? []) == expected { $0.section == section }, "round \(round), section '\(section)'")
            }
            #expect(site.tags.map(\.name) == ["人才", "孵化器", "政策"].filter { tag in pages.contains { $0.kind == .page && $0.frontMatter.tags.contains(tag) } }.sorted())
            for tag in site.tags {
                #expect(tag.pages == expected { $0.frontMatter.tags.contains(tag.name) }, "round \(round), tag \(tag.name)")
            }
            #expect(site.recentPages == expected { !$0.section.isEmpty }, "round \(round)")
            #expect(site.sectionPages == pages.indices.filter { pages[$0].kind == .section })
        }
    }
}
