import Testing
import TianshanModel
@testable import TianshanLoad

/// Every key that is Tianshan's is checked: a misspelt one is an error at its own position, with the key meant.
@Suite struct StrictKeysTests {
    func configProblem(_ yaml: String) -> Diagnostic? {
        guard case .failure(let error) = ConfigLoader.load(TextFile(path: "site.yaml", text: yaml), displayRoot: "Content/") else { return nil }
        return error.diagnostics.first
    }

    @Test func misspeltSiteKeyNamesTheKeyMeant() throws {
        let problem = try #require(configProblem("title: 示范基地\nbaseurl: /x/\n"))
        #expect(problem.location == SourceLocation(file: "Content/site.yaml", line: 2, column: 1))
        #expect(problem.message == "unknown key 'baseurl'; did you mean 'base_url'?")
        #expect(problem.field == "baseurl")
    }

    @Test func nestedSiteKeysAreCheckedToo() throws {
        let markdown = try #require(configProblem("title: x\nmarkdown:\n  unsafes: true\n"))
        #expect(markdown.location.line == 3 && markdown.location.column == 3 && markdown.field == "markdown.unsafes")
        #expect(markdown.message.contains("did you mean 'unsafe'?"))
        let navigation = try #require(configProblem("title: x\nnavigation:\n  - {titel: 首页, url: /}\n"))
        #expect(navigation.location.line == 3 && navigation.field == "navigation[0].titel" && navigation.message.contains("'title'"))
    }

    @Test func aKeyLikeNoneGetsTheListInstead() throws {
        let problem = try #require(configProblem("title: x\ncolour: red\n"))
        #expect(problem.message == "unknown key 'colour'" && problem.hint?.contains("base_url") == true)
    }

    @Test func theShippedKeysAreAllKnown() {
        #expect(configProblem("title: x\nlanguage: zh-CN\nbase_url: /\ndescription: d\nauthor: a\nfooter: f\npaginate: 10\nmarkdown: {unsafe: false, smart: true}\nnavigation: [{title: 首页, url: /}]\nparams: {anything: 1}\n") == nil)
    }

    @Test func dataFileHeaderSchemaAndCellsAreChecked() throws {
        func problems(_ yaml: String) -> [Diagnostic] {
            guard case .failure(let error) = DataFileDecoder.decode(yaml, path: "Content/data/projects.yaml") else { return [] }
            return error.diagnostics
        }
        let header = problems("titel: 项目\nrows: []\n")
        #expect(header.first?.message == "unknown key 'titel'; did you mean 'title'?" && header.first?.location.line == 1)
        let schema = problems("fields:\n  - {name: investment, tpye: number}\nrows: []\n")
        #expect(schema.first?.field == "fields[0].tpye" && schema.first?.message.contains("'type'") == true && schema.first?.location.line == 2)
        let cell = problems("fields:\n  - {name: investment, type: number}\nrows:\n  - {investmnt: 3}\n")
        #expect(cell.first?.message == "unknown field 'investmnt'; did you mean 'investment'?" && cell.first?.location.line == 4)
    }

    @Test(arguments: [
        ("baseurl", ["base_url", "title"], "base_url"), ("titel", ["title", "tags"], "title"), ("tag", ["tags", "title"], "tags"),
        ("dates", ["date", "draft"], "date"), ("group-by", ["group_by"], "group_by"), ("totls", ["totals", "subtotals"], "totals"),
    ])
    func suggestionsFindTheNearMiss(_ name: String, _ names: [String], _ meant: String) {
        #expect(Suggestion.closest(to: name, among: names) == meant)
    }

    @Test func farOffNamesGetNoSuggestion() {
        #expect(Suggestion.closest(to: "colour", among: ["title", "base_url", "language"]) == nil)
        #expect(Suggestion.closest(to: "a", among: []) == nil)
    }
}

@Suite struct FrontMatterNearMissTests {
    @Test func nearMissesOfFieldsAreWarningsAndTheValueIsKept() throws {
        let text = "---\ntitel: 案例\ntag: [孵化器]\ndates: 2021-01-01\nbudget: 3\n---\n正文"
        let loaded = PageLoader.loadReporting(TextFile(path: "cases/a.md", text: text), displayRoot: "Content/")
        let page = try loaded.page.get()
        #expect(page.frontMatter.params["titel"] == .string("案例") && page.frontMatter.params["budget"] == .int(3))
        #expect(loaded.warnings.map(\.location.line) == [2, 3, 4])
        #expect(loaded.warnings.allSatisfy { $0.severity == .warning && $0.location.file == "Content/cases/a.md" })
        #expect(loaded.warnings.map(\.field) == ["titel", "tag", "dates"])
        #expect(loaded.warnings[0].message.contains("did you mean 'title'?"))
        #expect(loaded.warnings[1].message.contains("did you mean 'tags'?"))
        #expect(loaded.warnings[2].message.contains("did you mean 'date'?"))
    }

    @Test func fieldsAndFarOffParamsRaiseNothing() {
        let text = "---\ntitle: 案例\ntags: [a]\ntables: {}\nregion: 新市区\n---\n"
        #expect(PageLoader.loadReporting(TextFile(path: "a.md", text: text)).warnings.isEmpty)
    }
}
