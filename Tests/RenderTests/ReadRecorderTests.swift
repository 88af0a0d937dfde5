import Testing
import TianshanModel
@testable import TianshanRender

/// A render records exactly the tracked inputs its template reached, with their hashes.
@Suite struct ReadRecorderTests {
    let context: TemplateValue = .object([
        "site": .object([
            "title": .tracked("config", 1, .text("站点")),
            "tags": .tracked("site.tags", 2, .list([.object(["name": .text("孵化器")])])),
        ]),
        "pages": .tracked("members", 3, .list([
            .tracked("view:a.md", 4, .object(["title": .text("甲")])),
            .tracked("view:b.md", 5, .object(["title": .text("乙")])),
        ])),
        "data": .tracked("data", 6, .object(["items": .tracked("data:items", 7, .lazy(.once { .object(["count": .number(2)]) }))])),
    ])

    func reads(_ template: String) throws -> [String: UInt64] {
        let library = try TemplateLibrary.compile([TextFile(path: "layouts/t.mustache", text: template)]).get()
        let recorder = ReadRecorder()
        _ = recorder.recording { library.render("layouts.t", context) }
        return recorder.recorded
    }

    @Test func recordsOnlyWhatIsReached() throws {
        #expect(try reads("{{site.title}}") == ["config": 1])
        #expect(try reads("{{#site}}{{#tags}}{{name}}{{/tags}}{{/site}}") == ["site.tags": 2])
        #expect(try reads("{{#pages}}{{title}}{{/pages}}") == ["members": 3, "view:a.md": 4, "view:b.md": 5])
        // The first member only: the second view is not read.
        #expect(try reads("{{#pages.0}}{{title}}{{/pages.0}}") == ["members": 3, "view:a.md": 4])
        #expect(try reads("{{pages.count}}") == ["members": 3])
        #expect(try reads("{{data.items.count}}") == ["data": 6, "data:items": 7])
        #expect(try reads("plain text") == [:])
    }

    /// A key missing from an object whose keys come from an input is still a read of that input: the key may
    /// appear when the input changes.
    @Test func missingKeysRecordTheObjectTheyWereLookedUpIn() throws {
        #expect(try reads("{{data.other.count}}") == ["data": 6])
    }

    @Test func renderingWithoutRecorderIsUnchanged() throws {
        let library = try TemplateLibrary.compile([TextFile(path: "layouts/t.mustache", text: "{{site.title}}:{{#pages}}{{title}}{{/pages}}")]).get()
        #expect(library.render("layouts.t", context) == "站点:甲乙")
    }
}
