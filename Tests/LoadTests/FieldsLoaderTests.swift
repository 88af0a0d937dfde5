import Testing
import TianshanModel
@testable import TianshanLoad

/// A theme's field declarations (`Templates/fields.yaml`): read with their types, wrong declarations reported
/// where they are, and a page's values checked against them with the field's path, line and column.
@Suite struct FieldsLoaderTests {
    static func declare(_ text: String) -> (ThemeFields, [Diagnostic]) {
        FieldsLoader.load(TextFile(path: "fields.yaml", text: text), templatesDisplay: "Templates/")
    }

    static func page(_ frontMatter: String, fields: ThemeFields) -> Result<Page, DiagnosticsError> {
        PageLoader.load(TextFile(path: "cases/a.md", text: "---\n" + frontMatter + "---\n正文\n"), displayRoot: "Content/", fields: fields)
    }

    @Test func readsScalarListAndObjectTypes() {
        let (fields, problems) = Self.declare("""
            # comment
            organisation: string
            budget: number
            rank: integer
            open: bool
            opened: date
            partners: [string]
            figures: [{label: string, value: number | string, unit: string?}]
            """)
        #expect(problems.isEmpty, "\(problems)")
        #expect(fields.names == ["budget", "figures", "open", "opened", "organisation", "partners", "rank"])
        #expect(fields.types["partners"] == .list(.scalar([.string])))
        #expect(fields.types["figures"]?.description == "[{label: string, value: number | string, unit: string?}]")
        #expect(fields.file == "Templates/fields.yaml")
        #expect(fields.hash != 0)
        #expect(Self.declare("").0.types.isEmpty && Self.declare("").1.isEmpty)
    }

    @Test func anUnknownTypeNamesTheClosestAndWhere() {
        let (fields, problems) = Self.declare("organisation: string\nbudget: nubmer\n")
        #expect(fields.types["budget"] == nil)
        #expect(problems.count == 1)
        #expect(problems.first?.message.contains("unknown type 'nubmer' for 'budget'; did you mean 'number'?") == true)
        #expect(problems.first?.location == SourceLocation(file: "Templates/fields.yaml", line: 2, column: 9))
        let nested = Self.declare("figures: [{label: strin}]\n").1
        #expect(nested.first?.field == "figures[].label")
        #expect(nested.first?.message.contains("did you mean 'string'?") == true)
    }

    @Test func aNameTheEngineGivesPagesCannotBeDeclared() {
        let (fields, problems) = Self.declare("title: string\nurl: string\nsponsor: string\n")
        #expect(fields.names == ["sponsor"])
        #expect(problems.map(\.field) == ["title", "url"])
        #expect(problems.allSatisfy { $0.message.contains("a name the engine gives pages") })
    }

    @Test func declaredValuesMoveFromParamsToFields() throws {
        let fields = Self.declare("budget: number\npartners: [string]\nopened: date\n").0
        let page = try Self.page("title: 甲\nbudget: 1200.5\npartners: [甲公司, 乙公司]\nopened: 2021-03-04\nnote: 备注\n", fields: fields).get()
        #expect(page.frontMatter.fields["budget"] == .double(1200.5))
        #expect(page.frontMatter.fields["partners"] == .array([.string("甲公司"), .string("乙公司")]))
        #expect(page.frontMatter.fields["opened"].map { if case .date = $0 { true } else { false } } == true)
        #expect(page.frontMatter.params.keys.sorted() == ["note"])
        // Without declarations, the same keys are only template parameters.
        let plain = try Self.page("budget: 1200.5\n", fields: ThemeFields()).get()
        #expect(plain.frontMatter.fields.isEmpty && plain.frontMatter.params["budget"] == .double(1200.5))
    }

    @Test func aValueOfTheWrongTypeIsAnErrorAtItsLineAndColumn() throws {
        let fields = Self.declare("budget: number\nfigures: [{label: string, value: number | string, unit: string?}]\n").0
        guard case .failure(let error) = Self.page("title: 甲\nbudget: 很多\nfigures:\n  - {label: 专利, value: 8}\n  - {label: 投资, value: [1, 2]}\n", fields: fields) else {
            Issue.record("expected a failure")
            return
        }
        // Every problem of the page at once.
        #expect(error.diagnostics.map(\.field) == ["budget", "figures[1].value"])
        let budget = error.diagnostics[0]
        #expect(budget.message == "'budget' must be a number, not the text '很多'")
        #expect(budget.location == SourceLocation(file: "Content/cases/a.md", line: 3, column: 9))
        #expect(budget.hint?.contains("Templates/fields.yaml declares it as number") == true)
        let value = error.diagnostics[1]
        #expect(value.message == "'figures[1].value' must be a number or a string, not a list")
        #expect(value.location == SourceLocation(file: "Content/cases/a.md", line: 6, column: 24))
    }

    @Test func aMisspeltMemberNamesTheClosestKeyAndAMissingOneIsReported() {
        let fields = Self.declare("figures: [{label: string, value: number | string, unit: string?}]\n").0
        guard case .failure(let error) = Self.page("figures:\n  - label: 专利\n    valeu: 8\n", fields: fields) else {
            Issue.record("expected a failure")
            return
        }
        let unknown = error.diagnostics.first { $0.field == "figures[0].valeu" }
        #expect(unknown?.message == "unknown key 'valeu' in 'figures[0]'; did you mean 'value'?")
        #expect(unknown?.location == SourceLocation(file: "Content/cases/a.md", line: 4, column: 5))
        #expect(error.diagnostics.contains { $0.field == "figures[0].value" && $0.message == "'figures[0]' has no 'value'" })
        // `unit` is optional: leaving it out is fine.
        #expect((try? Self.page("figures:\n  - {label: 专利, value: 8}\n", fields: fields).get()) != nil)
    }

    @Test func aMisspeltDeclaredFieldIsAWarningNamingIt() throws {
        let fields = Self.declare("organisation: string\n").0
        let loaded = PageLoader.loadReporting(TextFile(path: "a.md", text: "---\norganisaton: 某公司\n---\n"), fields: fields)
        #expect(loaded.warnings.first?.message.contains("did you mean 'organisation'?") == true)
    }
}
