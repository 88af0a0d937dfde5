import TianshanMarkdown
import TianshanModel

/// Rewrites links between content files to output URLs and reports the ones that lead nowhere.
struct LinkResolver: Sendable {
    let site: Site

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
            if site.hasSitePath(sitePath) || site.hasSitePath(sitePath + "/") { return .replace(site.url(sitePath) + suffix) }
            return .broken("link to '\(url)' points to no page or file of this site")
        }
        guard let target = SitePaths.resolve(decoded, from: page.sourcePath) else {
            return .broken("link '\(url)' climbs above the content folder")
        }
        if decoded.hasSuffix(".md") || decoded.hasSuffix(".markdown") {
            guard let index = site.pageBySource[target] else {
                return .broken("link to '\(url)' names no Markdown file (looked for \(target))")
            }
            return .replace(site.url(site.pages[index].sitePath) + suffix)
        }
        if site.contentAssets.contains(target) {
            return .replace(site.url("/" + target) + suffix)
        }
        if isImage || target.split(separator: "/").last?.contains(".") == true {
            return .broken("\(isImage ? "image" : "link") '\(url)' names no file (looked for \(target))")
        }
        // A folder-style relative link ("../cases/"): resolve it as a site path.
        let sitePath = "/" + target + (target.isEmpty || target.hasSuffix("/") ? "" : "/")
        if site.hasSitePath(sitePath) { return .replace(site.url(sitePath) + suffix) }
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
