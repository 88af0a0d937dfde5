import TianshanMarkdown
import TianshanModel
import TianshanRender

/// Rewrites links between content files to output URLs and reports the ones that lead nowhere. Every lookup
/// is recorded (`ReadRecorder`), so a page's Markdown is rendered again when what its links point at changes.
struct LinkResolver: Sendable {
    let site: Site

    /// The current hash of a link target key (`InputKey.source`, `.asset`, `.sitePath`), or nil for other keys.
    func current(_ key: String) -> UInt64? {
        if key.hasPrefix("source:") { return Self.hash(site.pageBySource[String(key.dropFirst(7))].map { site.pages[$0].sitePath }) }
        if key.hasPrefix("asset:") { return Self.hash(site.contentAssets.contains(String(key.dropFirst(6))) ? "yes" : nil) }
        if key.hasPrefix("sitepath:") { return Self.hash(site.hasSitePath(String(key.dropFirst(9))) ? "yes" : nil) }
        return nil
    }

    static func hash(_ found: String?) -> UInt64 {
        var hash = StableHash()
        if let found { hash.add(found) } else { hash.add(UInt64(0)) }
        return hash.value
    }

    func hasSitePath(_ path: String) -> Bool {
        let found = site.hasSitePath(path)
        ReadRecorder.current?.record(InputKey.sitePath(path), Self.hash(found ? "yes" : nil))
        return found
    }

    func pageIndex(_ source: String) -> Int? {
        let index = site.pageBySource[source]
        ReadRecorder.current?.record(InputKey.source(source), Self.hash(index.map { site.pages[$0].sitePath }))
        return index
    }

    func hasAsset(_ path: String) -> Bool {
        let found = site.contentAssets.contains(path)
        ReadRecorder.current?.record(InputKey.asset(path), Self.hash(found ? "yes" : nil))
        return found
    }

    func resolve(_ url: String, from page: Page, isImage: Bool) -> LinkResolution {
        if url.isEmpty || url.hasPrefix("#") || url.hasPrefix("//") || hasScheme(url) { return .keep }
        var path = Substring(url)
        var suffix = ""
        if let cut = path.firstIndex(where: { $0 == "#" || $0 == "?" }) {
            suffix = String(path[cut...])
            path = path[..<cut]
        }
        let decoded = String(path).removingPercentEncoding ?? String(path)
        if decoded.hasPrefix("/") {
            // A site path written by hand: check it, then add the base path.
            let sitePath = decoded
            if hasSitePath(sitePath) || hasSitePath(sitePath + "/") { return .replace(site.url(sitePath) + suffix) }
            return .broken("link to '\(url)' points to no page or file of this site")
        }
        guard let target = SitePaths.resolve(decoded, from: page.sourcePath) else {
            return .broken("link '\(url)' climbs above the content folder")
        }
        if SitePaths.isMarkdown(decoded) {
            guard let index = pageIndex(target) else {
                return .broken("link to '\(url)' names no Markdown file (looked for \(target))")
            }
            return .replace(site.url(site.pages[index].sitePath) + suffix)
        }
        if hasAsset(target) {
            return .replace(site.url("/" + target) + suffix)
        }
        if isImage || target.split(separator: "/").last?.contains(".") == true {
            return .broken("\(isImage ? "image" : "link") '\(url)' names no file (looked for \(target))")
        }
        // A folder-style relative link ("../cases/"): resolve it as a site path.
        let sitePath = "/" + target + (target.isEmpty || target.hasSuffix("/") ? "" : "/")
        if hasSitePath(sitePath) { return .replace(site.url(sitePath) + suffix) }
        return .broken("link to '\(url)' points to no page of this site")
    }

    func hasScheme(_ url: String) -> Bool {
        guard let colon = url.firstIndex(of: ":") else { return false }
        let scheme = url[..<colon]
        return !scheme.isEmpty && scheme.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || "+-.".contains($0)) }
            && scheme.first!.isLetter
    }
}

import Foundation
