import Testing
import TianshanModel

/// Where a data set's row pages go, and the rows that cannot have one.
@Suite struct RowPagesTests {
    static func set(_ names: [String], pages: RowPages) -> DataSet {
        DataSet(
            name: "projects", title: "项目", fields: [DataField(name: "name"), DataField(name: "level")],
            rows: names.enumerated().map { index, name in
                DataRow(values: ["name": .string(name), "level": .string(index % 2 == 0 ? "国家级" : "市级")],
                        location: SourceLocation(file: "Content/data/projects.yaml", line: 10 + index, column: 5))
            },
            sourcePath: "Content/data/projects.yaml", pages: pages
        )
    }

    @Test func pathsKeepChineseAndFollowTheFolder() {
        let (paths, problems) = RowPages.sitePaths(of: Self.set(["乐天工业孵化基地", "“新疆电商智慧物流园”项目二期", "Data Center"], pages: RowPages(slug: ["name"])))
        #expect(problems.isEmpty)
        #expect(paths == ["/projects/乐天工业孵化基地/", "/projects/新疆电商智慧物流园项目二期/", "/projects/data-center/"])
        let nested = RowPages.sitePaths(of: Self.set(["甲"], pages: RowPages(path: "/data/items/", slug: ["name", "level"])))
        #expect(nested.paths == ["/data/items/甲-国家级/"])
    }

    @Test func aRepeatedOrEmptySlugIsAnErrorAtTheRow() {
        let (paths, problems) = RowPages.sitePaths(of: Self.set(["技术中心", "“”", "技术中心"], pages: RowPages(slug: ["name"])))
        #expect(paths == ["/projects/技术中心/", "", ""])
        #expect(problems.count == 2)
        #expect(problems[0].location.line == 11 && problems[0].field == "name" && problems[0].message.contains("no letters or digits"))
        #expect(problems[1].location.line == 12 && problems[1].message.contains("the row at line 10 already has"))
        #expect(problems[1].hint?.contains("slug: [name, <field>]") == true)
        // Another field that tells the rows apart gives each its page.
        #expect(RowPages.sitePaths(of: Self.set(["技术中心", "技术中心"], pages: RowPages(slug: ["name", "level"]))).problems.isEmpty)
    }

    @Test func anUnknownFieldIsNamedWithTheClosestOne() {
        let problems = RowPages.sitePaths(of: Self.set(["甲"], pages: RowPages(slug: ["nmae"]))).problems
        #expect(problems.count == 2)
        #expect(problems.map(\.field) == ["pages.slug", "pages.title"])
        #expect(problems[0].hint == "did you mean 'name'?")
    }
}
