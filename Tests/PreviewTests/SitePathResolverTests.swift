import Testing
@testable import TianshanPreview

/// A fake site: the folders and files a resolver may see.
private func site(_ files: Set<String>) -> (String) -> SitePathResolver.EntryKind {
    var folders: Set<String> = []
    for file in files {
        var parts = file.split(separator: "/").dropLast()
        while !parts.isEmpty {
            folders.insert(parts.joined(separator: "/"))
            parts = parts.dropLast()
        }
    }
    return { path in files.contains(path) ? .file : folders.contains(path) ? .directory : .missing }
}

@Suite struct SitePathResolverTests {
    let files = site(["index.html", "cases/index.html", "cases/a/index.html", "tags/孵化器/index.html", "cases/示意图.svg", "assets/site.css", "404.html", "empty/.keep"])
    let resolver = SitePathResolver()

    @Test func servesFilesAndFolderIndexes() {
        #expect(resolver.resolve("/", kind: files) == .file("index.html"))
        #expect(resolver.resolve("/cases/", kind: files) == .file("cases/index.html"))
        #expect(resolver.resolve("/cases/a/", kind: files) == .file("cases/a/index.html"))
        #expect(resolver.resolve("/assets/site.css", kind: files) == .file("assets/site.css"))
        #expect(resolver.resolve("/assets/site.css?v=2#top", kind: files) == .file("assets/site.css"))
        #expect(resolver.resolve("/cases/index.html", kind: files) == .file("cases/index.html"))
    }

    @Test func redirectsFoldersWithoutTheirSlash() {
        #expect(resolver.resolve("/cases", kind: files) == .redirect("/cases/"))
        #expect(resolver.resolve("/cases/a?x=1", kind: files) == .redirect("/cases/a/?x=1"))
        // The location keeps the request's own encoding.
        #expect(resolver.resolve("/tags/%E5%AD%B5%E5%8C%96%E5%99%A8", kind: files) == .redirect("/tags/%E5%AD%B5%E5%8C%96%E5%99%A8/"))
    }

    @Test func decodesPercentEncodedChinese() {
        #expect(resolver.resolve("/tags/%E5%AD%B5%E5%8C%96%E5%99%A8/", kind: files) == .file("tags/孵化器/index.html"))
        #expect(resolver.resolve("/cases/%E7%A4%BA%E6%84%8F%E5%9B%BE.svg", kind: files) == .file("cases/示意图.svg"))
        #expect(resolver.resolve("/tags/孵化器/", kind: files) == .file("tags/孵化器/index.html"))
    }

    @Test func missingThingsAreNotFound() {
        #expect(resolver.resolve("/nope", kind: files) == .notFound)
        #expect(resolver.resolve("/nope/", kind: files) == .notFound)
        #expect(resolver.resolve("/assets/site.css/", kind: files) == .notFound)
        #expect(resolver.resolve("/empty/", kind: files) == .notFound)
        #expect(resolver.resolve("/", kind: site([])) == .notFound)
    }

    @Test(arguments: [
        "/..", "/../etc/passwd", "/cases/../../etc/passwd", "/./index.html",
        "/%2e%2e/etc/passwd", "/%2E%2E/%2e%2e/etc/passwd", "/cases/%2e%2e/%2e%2e/etc/passwd", "/.%2e/x", "/%2e",
        "/..%2fetc%2fpasswd", "/cases%2f..%2f..%2fetc", "/..%5c..%5cetc%5cpasswd", "/..\\..\\etc\\passwd", "/a\\b",
        "//etc/passwd", "/cases//a/", "etc/passwd", "", "*", "http://evil.example/", "//evil.example/",
        "/%00", "/index.html%00.css", "/a\u{0}b", "/%ZZ", "/%e5%ad", "/%ff", "/%",
    ])
    func refusesPathsThatLeaveOrConfuseTheSite(_ path: String) {
        #expect(resolver.resolve(path, kind: files) == .forbidden)
    }

    @Test func decodesOnlyOnce() {
        // `%252e%252e` is the literal name `%2e%2e`, not `..`: nothing is there.
        #expect(resolver.resolve("/%252e%252e/%252e%252e/etc/passwd", kind: files) == .notFound)
        #expect(SitePathResolver.decodeSegments("/%252e%252e/x") == ["%2e%2e", "x"])
        #expect(SitePathResolver.decodeSegments("/a%20b/") == ["a b"])
        #expect(SitePathResolver.percentDecode("%E5%AD%B5") == "孵")
        #expect(SitePathResolver.percentDecode("%e5%ad%b5") == "孵")
        #expect(SitePathResolver.percentDecode("%e5%ad") == nil)
    }
}
