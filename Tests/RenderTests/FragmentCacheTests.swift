import Testing
import TianshanModel
@testable import TianshanRender

/// Fragments: which partials are rendered once and reused, that reuse never changes a byte of output, and that
/// every output still records what its fragments read.
@Suite struct FragmentCacheTests {
    static let theme: [String: String] = [
        "layouts/base.mustache": "<html>\n{{> partials.header}}\n<main>{{$main}}{{/main}}</main>\n{{> partials.footer}}\n</html>\n",
        "layouts/page.mustache": "{{<layouts.base}}\n{{$main}}{{page.title}}{{> partials.toc}}{{/main}}\n{{/layouts.base}}\n",
        "partials/header.mustache": "<header>{{site.title}}<nav>{{#navigation}}<a{{#active}} aria-current=\"page\"{{/active}}>{{title}}</a>{{/navigation}}</nav></header>\n",
        "partials/footer.mustache": "<footer>{{site.footer}} {{strings.made}}</footer>\n",
        "partials/toc.mustache": "<ol>{{#page.toc}}<li>{{.}}</li>{{/page.toc}}</ol>",
    ]

    func library(_ files: [String: String], fragments: Bool = true) throws -> TemplateLibrary {
        try TemplateLibrary.compile(files.map { TextFile(path: $0.key, text: $0.value) }, fragments: fragments).get()
    }

    static func context(title: String, active: Int, job: UInt64, footer: String = "页脚") -> TemplateValue {
        .object([
            "site": .object(["title": .tracked("config", 1, .text("双创")), "footer": .tracked("config", 1, .text(footer))]),
            "strings": .tracked("config", 1, .object(["made": .text("天山")])),
            "navigation": .tracked("job", job, .tracked("navigation", 9, .list((0..<3).map { index in
                .object(["title": .text("栏目\(index)"), "active": .bool(index == active)])
            }))),
            "page": .tracked("job", job, .tracked("page:\(title).md", job &* 7, .object(["title": .text(title), "toc": .list([.text("一"), .text("二")])]))),
        ])
    }

    @Test func headerAndFooterOfTheBaseLayoutAreFragmentsAndNothingElseIs() throws {
        let plan = FragmentPlan(texts: Dictionary(uniqueKeysWithValues: Self.theme.map { (String($0.key.dropLast(".mustache".count)).replacingOccurrences(of: "/", with: "."), $0.value) }))
        #expect(Set(plan.fragments.values) == ["partials.header", "partials.footer"])
        #expect(Set(plan.rewritten.keys) == ["layouts.base"])
        // The partial inside the block override is rendered where the block is expanded, and stays as written.
        #expect(plan.rewritten["layouts.base"]?.contains("{{> partials.header}}") == false)
        #expect(plan.rewritten["layouts.base"]?.contains("{{$main}}") == true)
    }

    @Test func partialsThatMaySeeMoreThanTheRootStayAsWritten() throws {
        func fragments(_ files: [String: String]) -> Set<String> {
            Set(FragmentPlan(texts: files).fragments.values)
        }
        // Inside a section the stack holds the section's value.
        #expect(fragments(["layouts.a": "{{#x}}\n{{> partials.p}}\n{{/x}}\n", "partials.p": "{{y}}"]).isEmpty)
        // Not alone on its line, or indented: the line's text and indentation are part of its output.
        #expect(fragments(["layouts.a": "<b>{{> partials.p}}\n", "partials.p": "{{y}}"]).isEmpty)
        #expect(fragments(["layouts.a": "  {{> partials.p}}\n", "partials.p": "{{y}}"]).isEmpty)
        // A partial with a block an override could fill.
        #expect(fragments(["layouts.a": "{{> partials.p}}\n", "partials.p": "{{$b}}x{{/b}}"]).isEmpty)
        // A layout that another template includes inside a section is not rendered only at the root.
        #expect(fragments([
            "layouts.a": "{{> partials.p}}\n", "partials.p": "{{y}}", "layouts.b": "{{#items}}\n{{> layouts.a}}\n{{/items}}\n",
        ]) == [])
        // A dynamic partial could name any template anywhere.
        #expect(fragments(["layouts.a": "{{> partials.p}}\n{{>*name}}\n", "partials.p": "{{y}}"]).isEmpty)
        // Changed delimiters are not followed.
        #expect(fragments(["layouts.a": "{{=<% %>=}}\n<%> partials.p%>\n", "partials.p": "{{y}}"]).isEmpty)
        // A plain one is.
        #expect(fragments(["layouts.a": "{{> partials.p}}\n", "partials.p": "{{y}}"]) == ["partials.p"])
    }

    /// Reused or not, every output is the same as with fragments switched off, and records the same reads.
    @Test func reuseChangesNoByteAndNoRecordedRead() throws {
        let plain = try library(Self.theme, fragments: false)
        let fragmented = try library(Self.theme)
        let cache = FragmentCache(siteWide: ["site", "strings"])
        let contexts = (0..<12).map { Self.context(title: "页\($0)", active: $0 % 3, job: UInt64(100 + $0)) }
        for context in contexts {
            let expected = ReadRecorder()
            expected.record("job", 0)
            let want = expected.recording { plain.render("layouts.page", context) }
            let actual = ReadRecorder()
            actual.record("job", 0)
            let got = actual.recording { fragmented.render("layouts.page", context, fragments: cache) }
            #expect(got == want)
            #expect(actual.recorded == expected.recorded)
        }
        #expect(contexts.count == 12)
        let variants = cache.variantCounts
        // One header per navigation state, one footer for the whole build.
        #expect(variants["partials.header"] == 3)
        #expect(variants["partials.footer"] == 1)
    }

    /// Templates around a fragment that the parser treats in ways a text rewrite could get wrong: the line after
    /// the partial starting with a tag, a closing tag that swallowed its line break before it, a reference split over
    /// lines or behind changed delimiters, CRLF line ends, a context whose root is not an object.
    @Test func trickyTemplatesRenderAsWithoutFragments() throws {
        let partial = "partials/p.mustache"
        let cases: [([String: String], TemplateValue)] = [
            (["layouts/a.mustache": "{{> partials.p}}\n{{! c }}\nZ\n", partial: "P\n"], .object([:])),
            (["layouts/a.mustache": "{{> partials.p}}\n{{#x}}\nX\n{{/x}}\n", partial: "P\n"], .object(["x": .bool(true)])),
            (["layouts/a.mustache": "a{{#x}}b\n{{/x}}\n{{> partials.p}}\nZ\n", partial: "P\n"], .object(["x": .bool(true)])),
            (["layouts/a.mustache": "{{> partials.p}}{{> partials.p}}\n  {{> partials.p}}\n", partial: "P\nQ\n"], .object([:])),
            (["layouts/a.mustache": "{{> partials.p}}\r\n{{#x}}\r\nX\r\n{{/x}}\r\n", partial: "P\r\n"], .object(["x": .bool(true)])),
            (["layouts/a.mustache": "{{#items}}\n{{> layouts.b\n}}\n{{/items}}\n", "layouts/b.mustache": "{{> partials.p}}\n", partial: "{{name}}\n"],
             .object(["name": .text("root"), "items": .list([.object(["name": .text("A")]), .object(["name": .text("B")])])])),
            (["layouts/a.mustache": "{{=<% %>=}}\n<%#items%>\n<%> layouts.b%>\n<%/items%>\n", "layouts/b.mustache": "{{> partials.p}}\n", partial: "{{name}}\n"],
             .object(["name": .text("root"), "items": .list([.object(["name": .text("A")])])])),
            (["layouts/a.mustache": "{{> partials.p}}\n", partial: "{{name}}"], .tracked("config", 1, .object(["name": .text("包裹")]))),
        ]
        for (files, context) in cases {
            let plain = try library(files, fragments: false)
            let fragmented = try library(files)
            let layout = "layouts.a"
            #expect(fragmented.render(layout, context, fragments: FragmentCache(siteWide: [])) == plain.render(layout, context), "\(files)")
            #expect(fragmented.render(layout, context) == plain.render(layout, context), "\(files)")
        }
        // The reference over two lines names layouts.b as a partial inside a section: it is no root-only layout.
        let hidden = FragmentPlan(texts: ["layouts.a": "{{#items}}\n{{> layouts.b\n}}\n{{/items}}\n", "layouts.b": "{{> partials.p}}\n", "partials.p": "x"])
        #expect(hidden.fragments.isEmpty)
        let references = TemplateLibrary.partialReferences(in: "a\n  {{> layouts.b\n}}\n", file: "t")
        #expect(references.map(\.name) == ["layouts.b"])
        #expect(references.first?.location == SourceLocation(file: "t", line: 2, column: 3))
    }

    @Test func aValueFromAnotherInputIsNotReused() throws {
        let fragmented = try library([
            "layouts/a.mustache": "{{> partials.p}}\n",
            "partials/p.mustache": "{{page.title}}",
        ])
        let cache = FragmentCache(siteWide: [])
        func render(_ key: String, _ hash: UInt64) -> [String: UInt64] {
            let recorder = ReadRecorder()
            _ = recorder.recording {
                fragmented.render("layouts.a", .object(["page": .tracked(key, hash, .object(["title": .text("同名")]))]), fragments: cache)
            }
            return recorder.recorded
        }
        #expect(render("page:a.md", 1) == ["page:a.md": 1])
        // The same text from another page's input: rendered again, so it records that page.
        #expect(render("page:b.md", 2) == ["page:b.md": 2])
        #expect(render("page:a.md", 3) == ["page:a.md": 3])
        #expect(cache.variantCounts["partials.p"] == 3)
    }

    @Test func aFragmentThatTakesTheRootAsAValueIsNeverReused() throws {
        let fragmented = try library(["layouts/a.mustache": "{{> partials.p}}\n", "partials/p.mustache": "{{#.}}{{x}}{{/.}}"])
        let cache = FragmentCache(siteWide: [])
        #expect(fragmented.render("layouts.a", .object(["x": .text("1")]), fragments: cache) == "1")
        #expect(fragmented.render("layouts.a", .object(["x": .text("2")]), fragments: cache) == "2")
        #expect(cache.variantCounts["partials.p"] == 0)
    }

    @Test func aFragmentWithTooManyVariantsIsRenderedEachTime() throws {
        let fragmented = try library(["layouts/a.mustache": "{{> partials.p}}\n", "partials/p.mustache": "{{x}}"])
        let cache = FragmentCache(siteWide: [], limit: 4)
        for index in 0..<10 {
            #expect(fragmented.render("layouts.a", .object(["x": .text("\(index)")]), fragments: cache) == "\(index)")
        }
        #expect(fragmented.render("layouts.a", .object(["x": .text("0")]), fragments: cache) == "0")
        #expect(cache.variantCounts["partials.p"] == 0)
    }
}
