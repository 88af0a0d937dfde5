import Foundation
import TianshanMarkdown
import TianshanModel
import TianshanRender
import TianshanWrite

/// Checks `page#fragment` links against the ids the rendered pages really contain (headings, tables, template parts).
struct AnchorChecker {
    let site: Site
    /// The ids each output page holds, by output path.
    let ids: [String: Set<String>]
    /// Output path by site path ("/cases/a/" → "cases/a/index.html").
    let outputBySitePath: [String: String]

    init(site: Site, jobs: [PageJob], ids: [String: Set<String>]) {
        self.site = site
        self.ids = ids
        outputBySitePath = Dictionary(jobs.map { ($0.sitePath, $0.outputPath) }, uniquingKeysWith: { a, _ in a })
    }

    func check(_ links: [LinkReference], on page: Page) -> [Diagnostic] {
        var problems: [Diagnostic] = []
        for link in links where !link.isImage {
            guard let hash = link.url.firstIndex(of: "#") else { continue }
            let fragment = String(link.url[link.url.index(after: hash)...])
            guard !fragment.isEmpty else { continue }
            let path = String(link.url[..<hash])
            let output: String
            if path.isEmpty {
                output = page.outputPath
            } else {
                let base = site.config.basePath
                guard path.hasPrefix(base) else { continue } // external or scheme-relative: not ours to check
                let sitePath = "/" + path.dropFirst(base.count)
                guard let found = outputBySitePath[sitePath] else { continue }
                output = found
            }
            let ids = self.ids[output] ?? []
            let wanted = fragment.removingPercentEncoding ?? fragment
            if !ids.contains(wanted) {
                let nearby = ids.filter { !$0.isEmpty }.sorted().prefix(8).joined(separator: ", ")
                problems.append(.error(
                    at: link.location, field: "link", "link to '#\(wanted)' on \(path.isEmpty ? "this page" : path) finds no element with that id",
                    hint: "ids there include: \(nearby)"
                ))
            }
        }
        return problems
    }

    /// Values of every id="…" attribute in our own generated HTML (always double-quoted, entities escaped).
    static func ids(in html: String) -> Set<String> {
        var result = Set<String>()
        var rest = Substring(html)
        while let start = rest.range(of: " id=\"") {
            let after = rest[start.upperBound...]
            guard let end = after.firstIndex(of: "\"") else { break }
            result.insert(unescape(String(after[..<end])))
            rest = after[end...]
        }
        return result
    }

    static func unescape(_ text: String) -> String {
        guard text.contains("&") else { return text }
        return text.replacingOccurrences(of: "&quot;", with: "\"").replacingOccurrences(of: "&#39;", with: "'")
            .replacingOccurrences(of: "&lt;", with: "<").replacingOccurrences(of: "&gt;", with: ">").replacingOccurrences(of: "&amp;", with: "&")
    }
}
