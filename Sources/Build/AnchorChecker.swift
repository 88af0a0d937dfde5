import Foundation
import TianshanMarkdown
import TianshanModel
import TianshanRender
import TianshanWrite

/// Checks `page#fragment` links against the ids the rendered pages really contain (headings, tables, template parts).
struct AnchorChecker {
    let site: Site
    /// The ids each output page holds, by output path.
    let ids: (String) -> Set<String>?
    /// Output path by site path ("/cases/a/" → "cases/a/index.html").
    let outputBySitePath: [String: String]

    init(site: Site, ids: @escaping (String) -> Set<String>?, outputBySitePath: [String: String]) {
        self.site = site
        self.ids = ids
        self.outputBySitePath = outputBySitePath
    }

    static func outputBySitePath(_ jobs: [PageJob]) -> [String: String] {
        Dictionary(jobs.map { ($0.sitePath, $0.outputPath) }, uniquingKeysWith: { a, _ in a })
    }

    /// Whether any of these links names a fragment: only such pages need `check`.
    static func hasFragmentLinks(_ links: [LinkReference]) -> Bool {
        links.contains { !$0.isImage && $0.url.utf8.contains(UInt8(ascii: "#")) }
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
            let ids = self.ids(output) ?? []
            let wanted = fragment.removingPercentEncoding ?? fragment
            if !ids.contains(wanted) {
                let nearby = ids.filter { !$0.isEmpty }.sorted().prefix(8).joined(separator: ", ")
                var problem = Diagnostic.error(
                    at: link.location, field: "link", "link to '#\(wanted)' on \(path.isEmpty ? "this page" : path) finds no element with that id",
                    hint: "ids there include: \(nearby)"
                )
                problem.severity = site.config.brokenLinks
                problems.append(problem)
            }
        }
        return problems
    }

    /// Values of every id="…" attribute in our own generated HTML (always double-quoted, entities escaped).
    /// Scans UTF-8 bytes: it runs over every page of every build.
    static func ids(in html: String) -> Set<String> {
        var result = Set<String>()
        var copy = html
        copy.withUTF8 { bytes in
            let count = bytes.count
            var i = 0
            // ' id="'
            while i + 5 < count {
                if bytes[i] == 0x20, bytes[i + 1] == 0x69, bytes[i + 2] == 0x64, bytes[i + 3] == 0x3D, bytes[i + 4] == 0x22 {
                    let start = i + 5
                    var end = start
                    while end < count, bytes[end] != 0x22 { end += 1 }
                    result.insert(unescape(String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<end]), as: UTF8.self)))
                    i = end
                } else {
                    i += 1
                }
            }
        }
        return result
    }

    static func unescape(_ text: String) -> String {
        guard text.utf8.contains(UInt8(ascii: "&")) else { return text }
        return text.replacingOccurrences(of: "&quot;", with: "\"").replacingOccurrences(of: "&#39;", with: "'")
            .replacingOccurrences(of: "&lt;", with: "<").replacingOccurrences(of: "&gt;", with: ">").replacingOccurrences(of: "&amp;", with: "&")
    }
}
