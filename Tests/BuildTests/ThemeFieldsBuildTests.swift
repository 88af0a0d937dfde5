import Foundation
import Testing
import TianshanModel
@testable import TianshanBuild

/// Front-matter fields a theme declares (`Templates/fields.yaml`): the shipped theme's case fields reach its
/// templates as before, another theme declares its own, and a value of the wrong type stops the build with its
/// place and leaves the output as it was.
@Suite struct ThemeFieldsBuildTests {
    typealias Scratch = ThemeStringsBuildTests.Scratch

    static let casePage = """
        ---
        title: North Lab
        date: 2021-03-04
        organisation: North Lab Ltd
        source: Annual report 2021
        figures:
          - {label: Patents, value: 12000, unit: items}
          - {label: Firms, value: 2000 or more}
        ---
        North Lab opened in 2019.
        """

    @Test func theShippedThemesCaseFieldsReachItsTemplates() async throws {
        let scratch = try Scratch()
        defer { try? FileManager.default.removeItem(at: scratch.root) }
        try FileManager.default.createDirectory(at: scratch.content.appendingPathComponent("cases"), withIntermediateDirectories: true)
        try Data(Self.casePage.utf8).write(to: scratch.content.appendingPathComponent("cases/north-lab.md"))
        let (output, error) = await scratch.build()
        #expect(error == nil, "\(error?.description ?? "")")
        let html = try String(contentsOf: output.appendingPathComponent("cases/north-lab/index.html"), encoding: .utf8)
        #expect(html.contains("<span class=\"org\">North Lab Ltd</span>"))
        #expect(html.contains("<span class=\"figure-value\">12,000</span><span class=\"figure-unit\">items</span>"))
        #expect(html.contains("<span class=\"figure-value\">2000 or more</span></dd>"))
        #expect(html.contains("Annual report 2021"))
    }

    @Test func anotherThemeDeclaresItsOwnFields() async throws {
        let scratch = try Scratch()
        defer { try? FileManager.default.removeItem(at: scratch.root) }
        try Data("budget: number\npartners: [string]\nopened: date\nlisted: bool\n".utf8).write(to: scratch.templates.appendingPathComponent("fields.yaml"))
        try Data("""
            {{<layouts.base}}{{$main}}<article class="wrap"><h1>{{page.title}}</h1><p id="budget">{{page.budget}}</p>\
            <ul>{{#page.partners}}<li>{{.}}</li>{{/page.partners}}</ul><p id="opened">{{page.opened}}</p>\
            {{#page.listed}}<p id="listed">listed</p>{{/page.listed}}{{^page.organisation}}<p id="no-org">-</p>{{/page.organisation}}</article>{{/main}}{{/layouts.base}}
            """.utf8).write(to: scratch.templates.appendingPathComponent("layouts/venture.mustache"))
        try Data("""
            ---
            title: Venture
            layout: venture
            budget: 1234567.5
            partners: [Ann, Bo]
            opened: 2021-03-04
            listed: true
            organisation: kept for templates only
            ---
            Text.
            """.utf8).write(to: scratch.content.appendingPathComponent("notes/venture.md"))
        let (output, error) = await scratch.build()
        #expect(error == nil, "\(error?.description ?? "")")
        let html = try String(contentsOf: output.appendingPathComponent("notes/venture/index.html"), encoding: .utf8)
        #expect(html.contains("<p id=\"budget\">1,234,567.5</p>"))
        #expect(html.contains("<ul><li>Ann</li><li>Bo</li></ul>"))
        #expect(html.contains("<p id=\"opened\">4 March 2021</p>"))
        #expect(html.contains("<p id=\"listed\">listed</p>"))
        // `organisation` is not this theme's field: it stays a template parameter, not a page field.
        #expect(html.contains("<p id=\"no-org\">-</p>"))
    }

    @Test func aWrongTypeStopsTheBuildWithItsPlaceAndKeepsTheOutput() async throws {
        let scratch = try Scratch()
        defer { try? FileManager.default.removeItem(at: scratch.root) }
        let (output, first) = await scratch.build()
        #expect(first == nil)
        let before = try OutputTree(of: output)
        try FileManager.default.createDirectory(at: scratch.content.appendingPathComponent("cases"), withIntermediateDirectories: true)
        try Data(Self.casePage.replacingOccurrences(of: "value: 12000", with: "value: {n: 12000}").utf8)
            .write(to: scratch.content.appendingPathComponent("cases/north-lab.md"))
        let (_, error) = await scratch.build()
        let problem = try #require(error?.diagnostics.first { $0.field == "figures[0].value" })
        #expect(problem.location.file.hasSuffix("Content/cases/north-lab.md"))
        #expect(problem.location.line == 7 && problem.location.column == 29)
        #expect(problem.message == "'figures[0].value' must be a number or a string, not a mapping")
        #expect(try OutputTree(of: output) == before)
        // A declaration of an unknown type is an error in the theme's file.
        try Data("organisation: strnig\n".utf8).write(to: scratch.templates.appendingPathComponent("fields.yaml"))
        let (_, declared) = await scratch.build()
        #expect(declared?.diagnostics.contains { $0.location.file.hasSuffix("Templates/fields.yaml") && $0.message.contains("did you mean 'string'?") } == true)
    }
}
