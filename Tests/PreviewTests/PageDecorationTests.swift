import Testing
import TianshanModel
@testable import TianshanPreview

@Suite struct ReloadScriptTests {
    private func inject(_ html: String, build: Int = 7) -> String {
        String(decoding: ReloadScript.inject(into: Array(html.utf8), build: build), as: UTF8.self)
    }

    @Test func insertsBeforeTheLastClosingBody() {
        let tag = ReloadScript.tag(build: 7)
        #expect(tag == "<script src=\"/__tianshan/reload.js\" data-build=\"7\" defer></script>")
        #expect(inject("<html><body><p>正文</p></body></html>") == "<html><body><p>正文</p>\(tag)</body></html>")
        #expect(inject("<BODY>x</BODY >") == "<BODY>x\(tag)</BODY >")
        // A `</body>` inside the text comes before the real one; only the last counts.
        #expect(inject("<body><pre>&lt;/body&gt; </body></pre></body>") == "<body><pre>&lt;/body&gt; </body></pre>\(tag)</body>")
        #expect(inject("<body></bodyguard>") == "<body></bodyguard>\(tag)")
        // Offsets count from the start of whatever is searched, also for a slice.
        #expect(ReloadScript.insertionPoint(in: Array("xx<body></body>".utf8)[2...]) == 6)
    }

    @Test func appendsWhenThereIsNoBody() {
        #expect(inject("<p>fragment</p>", build: 1) == "<p>fragment</p>" + ReloadScript.tag(build: 1))
        #expect(inject("", build: 1) == ReloadScript.tag(build: 1))
    }

    @Test func clientListensToTheEventsEndpoint() {
        #expect(ReloadScript.javaScript.contains("new EventSource(\"/__tianshan/events\")"))
        #expect(ReloadScript.javaScript.contains("addEventListener(\"reload\""))
    }
}

@Suite struct ErrorPageTests {
    @Test func listsEveryDiagnosticWithItsLocationEscaped() {
        let diagnostics = [
            Diagnostic.error(at: SourceLocation(file: "Content/cases/a.md", line: 3, column: 7), field: "date", "expected a date (YYYY-MM-DD), found '下周'"),
            Diagnostic.error(at: SourceLocation(file: "Templates/layouts/<x>.mustache", line: 1, column: 2), "unknown partial <script>alert(1)</script>", hint: "a & b"),
            Diagnostic.warning(at: SourceLocation(file: "Content/index.md"), "just a warning"),
        ]
        let html = ErrorPage.html(diagnostics: diagnostics, build: 4)
        #expect(html.contains("Build failed: 2 errors"))
        #expect(html.contains("<code class=\"location\">Content/cases/a.md:3:7</code>"))
        #expect(html.contains("[date]"))
        #expect(html.contains("found &#39;下周&#39;"))
        #expect(html.contains("Templates/layouts/&lt;x&gt;.mustache:1:2"))
        #expect(html.contains("unknown partial &lt;script&gt;alert(1)&lt;/script&gt;"))
        #expect(!html.contains("<script>alert"))
        #expect(html.contains("hint: a &amp; b"))
        #expect(html.contains("just a warning"))
        #expect(html.contains(ReloadScript.tag(build: 4) + "\n</body>"))
    }
}

@Suite struct MediaTypeTests {
    @Test(arguments: [
        ("index.html", "text/html; charset=utf-8"), ("a/B.HTM", "text/html; charset=utf-8"),
        ("assets/site.css", "text/css; charset=utf-8"), ("app.js", "application/javascript"),
        ("data.json", "application/json"), ("cases/diagram.svg", "image/svg+xml"), ("p.png", "image/png"),
        ("p.jpg", "image/jpeg"), ("p.JPEG", "image/jpeg"), ("t.csv", "text/csv; charset=utf-8"),
        ("font.woff2", "font/woff2"), ("README", "application/octet-stream"), ("a.b/c", "application/octet-stream"),
        ("x.unknown", "application/octet-stream"),
    ])
    func byExtension(_ path: String, _ type: String) {
        #expect(MediaType.forPath(path) == type)
    }
}

@Suite struct ReloadHubTests {
    @Test func greetsWithTheLatestBuildAndBroadcasts() async {
        let hub = ReloadHub()
        await hub.publish(build: 1, ok: true)
        let (first, firstEvents) = await hub.subscribe()
        let (_, secondEvents) = await hub.subscribe()
        #expect(await hub.subscriberCount == 2)
        await hub.publish(build: 2, ok: false)
        await hub.unsubscribe(first)
        await hub.publish(build: 3, ok: true)
        await hub.closeAll()

        var seenByFirst: [ReloadEvent] = []
        for await event in firstEvents { seenByFirst.append(event) }
        var seenBySecond: [ReloadEvent] = []
        for await event in secondEvents { seenBySecond.append(event) }
        #expect(seenByFirst == [ReloadEvent(kind: .hello, build: 1, ok: true), ReloadEvent(kind: .reload, build: 2, ok: false)])
        #expect(seenBySecond.map(\.build) == [1, 2, 3])
        #expect(await hub.subscriberCount == 0)
    }

    @Test func wireFormat() {
        #expect(ReloadEvent(kind: .reload, build: 12, ok: false).serverSentEvent == "event: reload\ndata: {\"build\":12,\"ok\":false}\n\n")
    }
}
