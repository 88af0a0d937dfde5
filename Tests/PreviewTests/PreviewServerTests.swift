import Foundation
import Testing
@testable import TianshanPreview

/// End-to-end: a real server on a free loopback port, serving a copy of Tests/Fixtures/basic-site.
/// Waits are bounded polls (up to 20 s); nothing here asserts on how long anything took.
@Suite(.serialized) struct PreviewServerTests {
    /// The fixture plus the files these tests need: a 404 page, assets of several types, Chinese names.
    private func makeSite() throws -> SiteCopy {
        let site = try SiteCopy()
        try site.write("Content/404.md", "---\ntitle: 找不到页面\n---\n这个页面不存在。\n")
        try site.write("Content/files/table.csv", "name,value\n甲,1\n")
        try site.write("Content/files/info.json", "{\"a\": 1}\n")
        try site.write("Content/files/app.js", "console.log(1);\n")
        try site.write("Content/files/pixel.png", Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]))
        try site.write("Content/files/photo.jpg", Data([0xFF, 0xD8, 0xFF, 0xE0]))
        try site.write("Content/cases/示意图.svg", try site.read("Content/cases/diagram.svg"))
        try site.write("Content/secret-neighbour.txt", "not a secret")
        // Outside Content/ and outside the built site: what the traversal attempts try to reach.
        try site.write("secret.txt", "TOP-SECRET-MARKER")
        return site
    }

    private func withPreview(_ body: (RunningPreview) async throws -> Void) async throws {
        let site = try makeSite()
        defer { site.remove() }
        let preview = try await RunningPreview.start(site)
        do {
            try await body(preview)
        } catch {
            await preview.stop()
            throw error
        }
        await preview.stop()
    }

    @Test func servesPagesWithContentTypesAndCachingHeaders() async throws {
        try await withPreview { preview in
            let home = try await preview.get("/")
            #expect(home.status == 200)
            #expect(home.headers["content-type"] == "text/html; charset=utf-8")
            #expect(home.headers["cache-control"] == "no-cache")
            #expect(home.text.contains("欢迎访问"))

            let types: [(String, String)] = [
                ("/assets/site.css", "text/css; charset=utf-8"),
                ("/cases/diagram.svg", "image/svg+xml"),
                ("/files/table.csv", "text/csv; charset=utf-8"),
                ("/files/info.json", "application/json"),
                ("/files/app.js", "application/javascript"),
                ("/files/pixel.png", "image/png"),
                ("/files/photo.jpg", "image/jpeg"),
                ("/__tianshan/reload.js", "application/javascript"),
            ]
            for (path, type) in types {
                let reply = try await preview.get(path)
                #expect(reply.status == 200, "\(path)")
                #expect(reply.headers["content-type"] == type, "\(path)")
            }
            let png = try await preview.get("/files/pixel.png")
            #expect(png.body == [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A])

            // Revalidation: the same build answers 304 to its own tag.
            let css = try await preview.get("/assets/site.css")
            let etag = try #require(css.headers["etag"])
            let again = try await preview.get("/assets/site.css", headers: ["If-None-Match": etag])
            #expect(again.status == 304)
            #expect(again.body.isEmpty)

            let head = try await RawHTTP.request(port: preview.port, target: Array("/".utf8), method: "HEAD")
            #expect(head.status == 200)
            #expect(head.headers["content-length"] == home.headers["content-length"])

            let post = try await RawHTTP.request(port: preview.port, target: Array("/".utf8), method: "POST")
            #expect(post.status == 405)
        }
    }

    @Test func folderIndexesAndRedirects() async throws {
        try await withPreview { preview in
            let listing = try await preview.get("/cases/")
            #expect(listing.status == 200)
            #expect(listing.text.contains("<a href=\"/cases/a/\">案例甲</a>"))

            let redirect = try await preview.get("/cases")
            #expect(redirect.status == 301)
            #expect(redirect.headers["location"] == "/cases/")
            let withQuery = try await preview.get("/cases/a?from=list")
            #expect(withQuery.status == 301)
            #expect(withQuery.headers["location"] == "/cases/a/?from=list")
        }
    }

    @Test func chinesePercentEncodedPaths() async throws {
        try await withPreview { preview in
            // What a browser sends for /tags/孵化器/ and /cases/示意图.svg.
            let tag = try await preview.get("/tags/%E5%AD%B5%E5%8C%96%E5%99%A8/")
            #expect(tag.status == 200)
            #expect(tag.text.contains("孵化器"))
            #expect(tag.text.contains("案例甲"))

            let redirect = try await preview.get("/tags/%E5%AD%B5%E5%8C%96%E5%99%A8")
            #expect(redirect.status == 301)
            #expect(redirect.headers["location"] == "/tags/%E5%AD%B5%E5%8C%96%E5%99%A8/")

            let image = try await preview.get("/cases/%E7%A4%BA%E6%84%8F%E5%9B%BE.svg")
            #expect(image.status == 200)
            #expect(image.headers["content-type"] == "image/svg+xml")
            #expect(image.text.contains("<svg"))
        }
    }

    @Test func missingPagesGetTheSite404Page() async throws {
        try await withPreview { preview in
            for path in ["/no-such-page/", "/no-such-page", "/cases/zzz/", "/__tianshan/nothing"] {
                let reply = try await preview.get(path)
                #expect(reply.status == 404, "\(path)")
            }
            let missing = try await preview.get("/no-such-page/")
            #expect(missing.headers["content-type"] == "text/html; charset=utf-8")
            #expect(missing.text.contains("这个页面不存在。"))
            #expect(missing.text.contains(ReloadScript.scriptPath))
        }
    }

    @Test func reloadScriptIsInjectedOnlyWhenServed() async throws {
        try await withPreview { preview in
            let page = try await preview.get("/cases/a/")
            #expect(page.status == 200)
            #expect(page.text.contains("<script src=\"/__tianshan/reload.js\" data-build=\"1\" defer></script></body>"))
            // The fixture's raw <script> in Markdown is dropped by the build; the only script is ours.
            #expect(page.text.components(separatedBy: "<script").count == 2)

            // Not in the files on disk: the built site stays what `make site` would write.
            let onDisk = try String(contentsOf: preview.endpoint.output.appendingPathComponent("cases/a/index.html"), encoding: .utf8)
            #expect(!onDisk.contains("__tianshan"))
            #expect(page.text.replacingOccurrences(of: ReloadScript.tag(build: 1), with: "") == onDisk)
            let enumerator = FileManager.default.enumerator(atPath: preview.endpoint.output.path)
            var htmlFiles = 0
            while let path = enumerator?.nextObject() as? String {
                guard path.hasSuffix(".html") else { continue }
                htmlFiles += 1
                let text = try String(contentsOf: preview.endpoint.output.appendingPathComponent(path), encoding: .utf8)
                #expect(!text.contains("__tianshan"), "\(path)")
            }
            #expect(htmlFiles > 5)

            // CSS and other non-HTML files are served byte for byte.
            let css = try await preview.get("/assets/site.css")
            #expect(css.text == (try preview.site.read("Templates/assets/site.css")))
        }
    }

    @Test func traversalAttemptsNeverLeaveTheSite() async throws {
        try await withPreview { preview in
            // The preview's site folder is <tmp>/tianshan-preview-XXXXXX/site; the test copy is <tmp>/<name>/.
            let copy = preview.site.root.lastPathComponent
            let attacks: [String] = [
                "/../../\(copy)/secret.txt", "/../../../../../../etc/passwd", "/cases/../../../\(copy)/secret.txt",
                "/%2e%2e/%2e%2e/\(copy)/secret.txt", "/%2E%2E/%2E%2E/%2E%2E/%2E%2E/etc/passwd", "/.%2e/.%2e/\(copy)/secret.txt",
                "/%252e%252e/%252e%252e/\(copy)/secret.txt", "/%25252e%25252e/etc/passwd",
                "/..%2f..%2f\(copy)%2fsecret.txt", "/%2e%2e%2f%2e%2e%2fetc%2fpasswd",
                "/..\\..\\\(copy)\\secret.txt", "/..%5c..%5c\(copy)%5csecret.txt", "/cases\\..\\..\\etc\\passwd",
                "//etc/passwd", "///etc/passwd", "/\(preview.site.root.path)/secret.txt", "/etc/passwd",
                "/%00", "/index.html%00.txt", "/..%00/etc/passwd",
            ]
            for attack in attacks {
                let reply = try await preview.get(attack)
                #expect([403, 404].contains(reply.status), "\(attack) → \(reply.status)")
                #expect(!reply.text.contains("TOP-SECRET-MARKER"), "\(attack)")
                #expect(!reply.text.contains("root:"), "\(attack)")
            }
            // A raw NUL byte never reaches the resolver: the HTTP parser refuses the request line.
            let nul = try await RawHTTP.request(port: preview.port, target: Array("/index.html".utf8) + [0] + Array(".txt".utf8))
            #expect([400, 403, 404].contains(nul.status))
            #expect(!nul.text.contains("TOP-SECRET-MARKER"))
        }
    }

    @Test func symlinksOutOfTheSiteAreRefused() async throws {
        try await withPreview { preview in
            let output = preview.endpoint.output
            let fm = FileManager.default
            try fm.createSymbolicLink(atPath: output.appendingPathComponent("leak.txt").path, withDestinationPath: preview.site.root.appendingPathComponent("secret.txt").path)
            try fm.createSymbolicLink(atPath: output.appendingPathComponent("leakdir").path, withDestinationPath: preview.site.root.path)
            try fm.createSymbolicLink(atPath: output.appendingPathComponent("relative-leak.txt").path, withDestinationPath: "../../\(preview.site.root.lastPathComponent)/secret.txt")
            // A link that stays inside is fine.
            try fm.createSymbolicLink(atPath: output.appendingPathComponent("inside.css").path, withDestinationPath: "assets/site.css")

            for path in ["/leak.txt", "/leakdir/secret.txt", "/relative-leak.txt", "/leakdir/Content/index.md"] {
                let reply = try await preview.get(path)
                #expect([403, 404].contains(reply.status), "\(path) → \(reply.status)")
                #expect(!reply.text.contains("TOP-SECRET-MARKER"), "\(path)")
            }
            #expect(try await preview.get("/leak.txt").status == 403)
            let inside = try await preview.get("/inside.css")
            #expect(inside.status == 200)
            #expect(inside.headers["content-type"] == "text/css; charset=utf-8")
        }
    }

    @Test func editingContentRebuildsAndSendsReload() async throws {
        try await withPreview { preview in
            let stream = try EventStreamClient(port: preview.port)
            defer { stream.close() }
            let hello = try #require(await stream.waitFor { $0.name == "hello" })
            #expect(hello.build == 1)
            #expect(stream.headers?["content-type"] == "text/event-stream")

            let original = try preview.site.read("Content/cases/a.md")
            try preview.site.write("Content/cases/a.md", original.replacingOccurrences(of: "自运营以来获得多项称号。", with: "自运营以来新增了实时预览。"))

            let reload = try #require(await stream.waitFor { $0.name == "reload" && $0.ok == true })
            let build = try #require(reload.build)
            #expect(build >= 2)
            // The page already has the new text once the reload event arrived (the build finished first).
            let page = try await preview.get("/cases/a/")
            #expect(page.status == 200)
            #expect(page.text.contains("新疆高新人才大厦自运营以来新增了实时预览。"))
            #expect(page.text.contains("data-build=\"\(build)\""))

            // A new file in a new folder is picked up too.
            try preview.site.write("Content/news/first.md", "---\ntitle: 第一条新闻\n---\n新闻正文。\n")
            let news = await poll { () -> HTTPReply? in
                let reply = try? await preview.get("/news/first/")
                return reply?.status == 200 ? reply : nil
            }
            #expect(news?.text.contains("新闻正文。") == true)
            #expect(await stream.waitFor { $0.name == "reload" && ($0.build ?? 0) > build } != nil)
        }
    }

    @Test func brokenFrontMatterShowsTheErrorPageUntilFixed() async throws {
        try await withPreview { preview in
            let stream = try EventStreamClient(port: preview.port)
            defer { stream.close() }
            _ = try #require(await stream.waitFor { $0.name == "hello" })

            let original = try preview.site.read("Content/cases/a.md")
            try preview.site.write("Content/cases/a.md", original.replacingOccurrences(of: "date: 2021-03-04", with: "date: 下周"))
            let failed = try #require(await stream.waitFor { $0.name == "reload" && $0.ok == false })

            let page = try await preview.get("/cases/a/")
            #expect(page.status == 500)
            #expect(page.headers["content-type"] == "text/html; charset=utf-8")
            #expect(page.headers["cache-control"] == "no-store")
            #expect(page.text.contains("cases/a.md:3:7</code>"))
            #expect(page.text.contains("[date]"))
            #expect(page.text.contains("expected a date (YYYY-MM-DD), found &#39;下周&#39;"))
            #expect(page.text.contains("data-build=\"\(failed.build ?? -1)\""))
            // Every page shows the errors, missing ones too; assets of the last good build still load.
            #expect(try await preview.get("/").status == 500)
            #expect(try await preview.get("/no-such-page/").status == 500)
            #expect(try await preview.get("/assets/site.css").status == 200)

            try preview.site.write("Content/cases/a.md", original)
            let fixed = try #require(await stream.waitFor { $0.name == "reload" && $0.ok == true && ($0.build ?? 0) > (failed.build ?? 0) })
            let again = try await preview.get("/cases/a/")
            #expect(again.status == 200)
            #expect(again.text.contains("案例甲"))
            #expect(again.text.contains("data-build=\"\(fixed.build ?? -1)\""))
        }
    }

    @Test func stoppingEndsStreamsAndRemovesTheTemporaryFolder() async throws {
        let site = try makeSite()
        defer { site.remove() }
        let preview = try await RunningPreview.start(site)
        let workspace = preview.workspace
        #expect(workspace.lastPathComponent.hasPrefix("tianshan-preview-"))
        #expect(FileManager.default.fileExists(atPath: preview.endpoint.output.appendingPathComponent("index.html").path))
        let stream = try EventStreamClient(port: preview.port)
        _ = try #require(await stream.waitFor { $0.name == "hello" })

        await preview.stop()
        #expect(!FileManager.default.fileExists(atPath: workspace.path))
        #expect(await poll { stream.isEnded ? true : nil } == true)
        // Nothing was ever written into the site copy (no Output/ beside Content/).
        #expect(!FileManager.default.fileExists(atPath: site.root.appendingPathComponent("Output").path))
    }
}
