import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import Testing

/// The shipped site built for `https://example.gov.cn/shuangchuang/`, read the way the public's tools read it:
/// the Atom feeds by feedparser (PyPI, which `make test` installs), the sitemap and robots.txt as XML and text,
/// and every page's head for its canonical link, Open Graph fields, feed links and Content-Security-Policy.
@Suite(.serialized) struct PublicSiteTests {
    static let base = "https://example.gov.cn/shuangchuang/"

    /// Reads the feeds with feedparser: for each, whether it parsed cleanly and its entries' links and contents.
    static let reader = """
    import feedparser, json, sys
    out = {}
    for path in sys.argv[1:]:
        feed = feedparser.parse(path)
        out[path] = {
            "bozo": int(feed.bozo), "error": str(feed.get("bozo_exception", "")), "title": feed.feed.get("title", ""),
            "self": [l.href for l in feed.feed.get("links", []) if l.rel == "self"],
            "entries": [{"link": e.link, "id": e.id, "updated": e.get("updated", ""), "summary": e.get("summary", ""),
                         "content": e.content[0].value if e.get("content") else ""} for e in feed.entries],
        }
    print(json.dumps(out))
    """

    @Test func feedsSitemapAndHeadsSpeakAbsoluteURLs() throws {
        let python = try #require(ProcessInfo.processInfo.environment["TIANSHAN_PYTHON"], "`make test` sets TIANSHAN_PYTHON to a Python with feedparser")
        let (root, _) = try ReportPDFTests.builtSite()
        defer { try? FileManager.default.removeItem(at: root) }
        let output = root.appendingPathComponent("Output")
        let built = try ReportPDFTests.run(KillTests.executable.path, [
            "build", "--content", root.appendingPathComponent("Content").path, "--templates", root.appendingPathComponent("Templates").path,
            "--output", output.path, "--base-url", Self.base,
        ], environment: ["TIANSHAN_WEASYPRINT": "/nonexistent/python3"])
        try #require(built.status == 0, "\(built.output)")

        // Every HTML page the build wrote, by its URL, but the pages that send the reader on from an old address
        // (`aliases:`, the report's /report/), which are neither in the sitemap nor pages of their own.
        let written = FileManager.default.enumerator(atPath: output.path)!.compactMap { $0 as? String }.filter { $0.hasSuffix(".html") }
        let isAlias = { (file: String) in
            (try? String(contentsOf: output.appendingPathComponent(file), encoding: .utf8))?.contains("<meta http-equiv=\"refresh\"") == true
        }
        let aliases = written.filter(isAlias)
        #expect(aliases == ["report/index.html"])
        let files = written.filter { !aliases.contains($0) }
        func url(_ file: String) -> String { Self.base + (file == "index.html" ? "" : String(file.dropLast(file.hasSuffix("/index.html") ? "index.html".count : 0))) }

        // Feeds: the site's and one per section, each entry with an absolute link, a date and its full content.
        let feeds = ["atom.xml", "news/atom.xml", "cases/atom.xml", "reports/atom.xml"].map { output.appendingPathComponent($0).path }
        let script = root.appendingPathComponent("read_feeds.py")
        try Self.reader.write(to: script, atomically: true, encoding: .utf8)
        let read = try ReportPDFTests.run(python, [script.path] + feeds)
        try #require(read.status == 0, "\(read.output)")
        let parsed = try #require(try JSONSerialization.jsonObject(with: Data(read.output.utf8)) as? [String: [String: Any]])
        for path in feeds {
            let feed = try #require(parsed[path], "\(path)")
            #expect(feed["bozo"] as? Int == 0, "\(path): \(feed["error"] ?? "")")
            #expect((feed["self"] as? [String]) == [Self.base + path.dropFirst(output.path.count + 1)])
            let entries = feed["entries"] as? [[String: String]] ?? []
            #expect(!entries.isEmpty, "\(path)")
            for entry in entries {
                let link = entry["link"] ?? ""
                #expect(link.hasPrefix(Self.base), "\(path): \(link)")
                #expect(entry["id"] == link)
                #expect(files.contains { url($0) == link }, "\(path): \(link) is no page")
                #expect(!(entry["updated"] ?? "").isEmpty && !(entry["summary"] ?? "").isEmpty)
                #expect((entry["content"] ?? "").contains("<p>"), "\(path): the full content")
            }
        }
        let news = parsed[feeds[1]]?["entries"] as? [[String: String]] ?? []
        let newsPages = files.filter { $0.hasPrefix("news/") && $0 != "news/index.html" && !$0.contains("/page/") }
        #expect(news.count == min(20, newsPages.count))
        #expect(Set(news.compactMap { $0["link"] }) == Set(newsPages.prefix(20).map(url)))

        // The sitemap: every public page once, the not-found page and later listing pages left out.
        let sitemap = try String(contentsOf: output.appendingPathComponent("sitemap.xml"), encoding: .utf8)
        let locations = sitemap.matches(of: /<loc>([^<]*)<\/loc>/).map { String($0.output.1) }
        let expected = files.filter { $0 != "404.html" && !$0.contains("/page/") }.map { url($0).addingPercentEncoding(withAllowedCharacters: .urlFragmentAllowed)! }
        #expect(Set(locations) == Set(expected))
        #expect(locations.count == expected.count)
        #expect(sitemap.contains("<url><loc>\(Self.base)reports/2021/</loc><lastmod>2021-03-04</lastmod></url>"))
        #expect(try XMLDocument(data: Data(sitemap.utf8)).rootElement()?.name == "urlset")
        let robots = try String(contentsOf: output.appendingPathComponent("robots.txt"), encoding: .utf8)
        #expect(robots.contains("Sitemap: \(Self.base)sitemap.xml\n"))

        // Every page's head.
        for file in files {
            let html = try String(contentsOf: output.appendingPathComponent(file), encoding: .utf8)
            let head = String(html[..<(html.range(of: "</head>")?.lowerBound ?? html.endIndex)])
            let canonical = file == "404.html" ? Self.base + "404.html" : url(file)
            #expect(head.contains("<link rel=\"canonical\" href=\"\(canonical)\">"), "\(file)")
            #expect(head.contains("<meta property=\"og:url\" content=\"\(canonical)\">"), "\(file)")
            #expect(head.contains("<meta property=\"og:title\" content=\""), "\(file)")
            #expect(head.contains("<meta property=\"og:description\" content=\""), "\(file)")
            #expect(head.contains("<link rel=\"alternate\" type=\"application/atom+xml\" title=\"乌鲁木齐高新区（新市区）双创示范基地\" href=\"/shuangchuang/atom.xml\">"), "\(file)")
            #expect(head.contains("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'self'; form-action 'self'\">"), "\(file)")
        }
        let article = try String(contentsOf: output.appendingPathComponent("news/key-projects/index.html"), encoding: .utf8)
        let alias = try String(contentsOf: output.appendingPathComponent("report/index.html"), encoding: .utf8)
        #expect(alias.contains("<link rel=\"canonical\" href=\"\(Self.base)reports/2021/\">"))
        #expect(alias.contains("<meta http-equiv=\"refresh\" content=\"0; url=/shuangchuang/reports/2021/\">"))
        #expect(article.contains("<link rel=\"alternate\" type=\"application/atom+xml\" title=\"工作动态\" href=\"/shuangchuang/news/atom.xml\">"))
    }
}
