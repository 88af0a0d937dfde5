import Testing
import TianshanModel
@testable import TianshanRender

@Suite struct TemplateLibraryTests {
    func library(_ files: [String: String]) throws -> TemplateLibrary {
        try TemplateLibrary.compile(files.map { TextFile(path: $0.key, text: $0.value) }).get()
    }

    @Test func valuesAreEscapedAndContentOnlyWhereAsked() throws {
        let lib = try library([
            "layouts/page.mustache": "<title>{{page.title}}</title><a title=\"{{page.title}}\">x</a><div>{{{page.content}}}</div>",
        ])
        let hostile = "\"><script>alert(1)</script>&'"
        let out = lib.render("layouts.page", .object(["page": .object([
            "title": .text(hostile), "content": .text("<p>安全</p>"),
        ])]))!
        #expect(out == "<title>&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;&amp;&#39;</title>"
            + "<a title=\"&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;&amp;&#39;\">x</a><div><p>安全</p></div>")
    }

    @Test func templateSyntaxInValuesIsNotEvaluated() throws {
        let lib = try library(["layouts/page.mustache": "{{page.title}}|{{secret}}"])
        let out = lib.render("layouts.page", .object([
            "page": .object(["title": .text("XSSTPL{{secret}}{{{secret}}}")]), "secret": .text("S"),
        ]))!
        #expect(out == "XSSTPL{{secret}}{{{secret}}}|S")
    }

    @Test func inheritanceAndPartials() throws {
        let lib2 = try library([
            "layouts/base.mustache": "<main>{{$main}}默认{{/main}}</main>{{> partials.footer}}",
            "layouts/case.mustache": "{{<layouts.base}}{{$main}}案例：{{page.title}}{{/main}}{{/layouts.base}}",
            "partials/footer.mustache": "<footer>{{site.title}}</footer>",
        ])
        let out = lib2.render("layouts.case", .object(["page": .object(["title": .text("禾润鲜")]), "site": .object(["title": .text("站")])]))
        #expect(out == "<main>案例：禾润鲜</main><footer>站</footer>")
    }

    @Test func unknownPartialIsReportedWithPosition() {
        let result = TemplateLibrary.compile([TextFile(path: "layouts/page.mustache", text: "<p>\n  {{> partials.nope}}\n")])
        guard case .failure(let error) = result else {
            Issue.record("expected a failure")
            return
        }
        #expect(error.diagnostics[0].location == SourceLocation(file: "Templates/layouts/page.mustache", line: 2, column: 3))
        #expect(error.diagnostics[0].message.contains("partials.nope"))
    }

    @Test func syntaxErrorIsReportedWithPosition() {
        let result = TemplateLibrary.compile([TextFile(path: "layouts/page.mustache", text: "ok\n{{#items}}\n{{/other}}\n")])
        guard case .failure(let error) = result else {
            Issue.record("expected a failure")
            return
        }
        #expect(error.diagnostics[0].location.file == "Templates/layouts/page.mustache")
        #expect(error.diagnostics[0].location.line == 3)
    }

    @Test func listsAnswerIndexAndCount() throws {
        let lib = try library(["layouts/x.mustache": "{{#items.0}}有{{items.count}}项：{{#items}}{{name}}{{/items}}{{/items.0}}{{^empty.0}}空{{/empty.0}}"])
        let out = lib.render("layouts.x", .object([
            "items": .list([.object(["name": .text("甲")]), .object(["name": .text("乙")])]), "empty": .list([]),
        ]))
        #expect(out == "有2项：甲乙空")
    }
}

@Suite struct TripleMustacheTests {
    @Test func unescapedValueInsideASection() throws {
        let lib = try TemplateLibrary.compile([TextFile(path: "layouts/x.mustache", text: "{{#items}}{{{html}}}|{{html}}{{/items}}")]).get()
        let out = lib.render("layouts.x", .object(["items": .list([.object(["html": .text("<b>粗</b>")])])]))
        #expect(out == "<b>粗</b>|&lt;b&gt;粗&lt;/b&gt;")
    }
}

extension TripleMustacheTests {
    @Test func unescapedValueInsideAnIndentedPartial() throws {
        let lib = try TemplateLibrary.compile([
            TextFile(path: "layouts/x.mustache", text: "<div>\n  {{^flag}}{{> partials.list}}{{/flag}}\n</div>\n"),
            TextFile(path: "partials/list.mustache", text: "{{#has}}\n<ul>\n{{#items}}{{{html}}}{{/items}}\n</ul>\n{{/has}}\n"),
        ]).get()
        let out = lib.render("layouts.x", .object(["has": .bool(true), "items": .list([.object(["html": .text("<b>粗</b>\n")])])]))
        #expect(out?.contains("<b>粗</b>") == true, "\(out ?? "nil")")
    }
}
