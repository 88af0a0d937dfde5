import Foundation
import Testing

/// The shipped annual report as a PDF, built by the real command line and read back with poppler-utils
/// (which `make test` installs, with WeasyPrint): cover, contents with the real page numbers, page numbers on
/// every body page, metadata and bookmarks, embedded CJK fonts, the figures in its text; and a rebuild that
/// does not touch the report prints nothing.
@Suite(.serialized) struct ReportPDFTests {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// Runs a program to its end; its status, and its standard output and error together.
    static func run(_ executable: String, _ arguments: [String], environment: [String: String]? = nil, in folder: URL? = nil) throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        if let folder { process.currentDirectoryURL = folder }
        if let environment { process.environment = ProcessInfo.processInfo.environment.merging(environment) { _, new in new } }
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }

    static func tool(_ name: String) throws -> String {
        let path = "/usr/bin/" + name
        try #require(FileManager.default.isExecutableFile(atPath: path), "\(name) is missing: `make test` installs poppler-utils")
        return path
    }

    /// A copy of the shipped site in a fresh folder, built once.
    static func builtSite() throws -> (root: URL, build: (_ verbose: Bool) throws -> (status: Int32, output: String)) {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("tianshan-pdf-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        for folder in ["Content", "Templates"] {
            try FileManager.default.copyItem(at: repository.appendingPathComponent(folder), to: root.appendingPathComponent(folder))
        }
        let build = { (verbose: Bool) in
            try run(KillTests.executable.path, ["build", "--content", root.appendingPathComponent("Content").path,
                                                "--templates", root.appendingPathComponent("Templates").path,
                                                "--output", root.appendingPathComponent("Output").path] + (verbose ? ["--verbose"] : []))
        }
        return (root, build)
    }

    /// The text of each page (one string per page, in order).
    static func pages(of pdf: String) throws -> [String] {
        let info = try run(try tool("pdfinfo"), [pdf]).output
        let count = info.split(separator: "\n").first { $0.hasPrefix("Pages:") }.flatMap { Int($0.split(separator: " ").last ?? "") } ?? 0
        return try (1...max(1, count)).map { try run(try tool("pdftotext"), ["-f", "\($0)", "-l", "\($0)", "-layout", pdf, "-"]).output }
    }

    @Test func theShippedReportIsAPublication() throws {
        let (root, build) = try Self.builtSite()
        defer { try? FileManager.default.removeItem(at: root) }
        let first = try build(true)
        #expect(first.status == 0, "\(first.output)")
        #expect(first.output.contains("1 PDFs printed"), "WeasyPrint must be installed (`make test` does): \(first.output)")
        let pdf = root.appendingPathComponent("Output/reports/2021/2021.pdf").path
        try #require(FileManager.default.fileExists(atPath: pdf), "no PDF: \(first.output)")
        let html = try String(contentsOfFile: root.appendingPathComponent("Output/reports/2021/index.html").path, encoding: .utf8)
        #expect(html.contains("href=\"/reports/2021/2021.pdf\""), "the page links its PDF")

        // Metadata: title, author, language, tagged, and every font embedded (Noto CJK among them).
        let info = try Self.run(try Self.tool("pdfinfo"), [pdf]).output
        #expect(info.contains("建设报告（2021年版）") && info.contains("Author:") && info.contains("乌鲁木齐高新区"), "\(info)")
        #expect(info.contains("Tagged:          yes"), "\(info)")
        let fonts = try Self.run(try Self.tool("pdffonts"), [pdf]).output.split(separator: "\n").dropFirst(2)
        #expect(!fonts.isEmpty && fonts.allSatisfy { $0.contains(" yes yes yes ") }, "\(fonts)")
        #expect(fonts.contains { $0.contains("Noto-Serif-CJK-SC") }, "\(fonts)")

        let pages = try Self.pages(of: pdf)
        #expect(pages.count >= 6, "\(pages.count) pages")
        // The cover: title and organisation, no page number, no navigation.
        #expect(pages[0].contains("双创示范基地建") && pages[0].contains("乌鲁木齐高新区（新市区）"))
        #expect(!pages[0].contains("第 1 页") && !pages[0].contains("主要指标\n • "), "\(pages[0])")
        // Every later page: its number of the total, and the running head.
        for (index, text) in pages.enumerated().dropFirst() {
            #expect(text.contains("第 \(index + 1) 页 / 共 \(pages.count) 页"), "page \(index + 1): \(text.suffix(200))")
        }
        // The contents, then the lists of tables and figures: each entry's page number is the page its heading,
        // table or figure starts on.
        let toc = try #require(pages.firstIndex { $0.contains("目录") })
        var list = ""
        var entries: [(list: String, title: String, page: Int)] = []
        for line in pages[toc].split(separator: "\n") {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if ["目录", "表目录", "图目录"].contains(trimmed) { list = trimmed; continue }
            let words = trimmed.split(separator: " ")
            guard let number = words.last.flatMap({ Int($0) }) else { continue }
            let title = words.dropLast().filter { !$0.allSatisfy { $0 == "." } }.joined(separator: " ")
            if !title.isEmpty { entries.append((list, title, number)) }
        }
        #expect(entries.filter { $0.list == "目录" }.count >= 6, "\(pages[toc])")
        // As many as the page numbers (the HTML captions say 表N and 图N).
        let tableCount = html.components(separatedBy: "<caption><span class=\"caption-label\">表").count - 1
        let figureCount = html.components(separatedBy: "<figcaption><span class=\"caption-label\">图").count - 1
        #expect(tableCount >= 7 && figureCount >= 2)
        #expect(entries.filter { $0.list == "表目录" }.map { String($0.title.prefix { $0 != " " }) } == (1...tableCount).map { "表\($0)" }, "\(pages[toc])")
        #expect(entries.filter { $0.list == "图目录" }.map { String($0.title.prefix { $0 != " " }) } == (1...figureCount).map { "图\($0)" }, "\(pages[toc])")
        for (list, title, number) in entries {
            let page = pages.indices.dropFirst(toc + 1).first { index in
                pages[index].split(separator: "\n").contains {
                    let line = $0.trimmingCharacters(in: .whitespaces)
                    // A heading stands on a line of its own; a caption may wrap after its first words.
                    return list == "目录" ? line == title : line.hasPrefix(String(title.prefix(8)))
                }
            }
            #expect(page.map { $0 + 1 } == number, "\(title): listed on page \(number), found on \(page.map { String($0 + 1) } ?? "none")")
        }
        // Cross-references in the text say the page of what they name: 表2（第5页）.
        let references = pages.joined(separator: "\n").matches(of: /([表图][0-9]+)（第([0-9]+)页）/)
        #expect(references.count >= 7)
        for reference in references {
            let label = String(reference.output.1), number = Int(reference.output.2)!
            let listed = entries.first { $0.title.hasPrefix(label + " ") }
            #expect(listed?.page == number, "\(label): referred to on page \(number), listed on \(listed.map { String($0.page) } ?? "none")")
        }
        // The figures, as the sources give them.
        let text = pages.joined(separator: "\n")
        #expect(text.contains("3,786,980.2"))
        let indicators = try String(contentsOf: Self.repository.appendingPathComponent("Content/data/indicators.yaml"), encoding: .utf8)
            .split(separator: "\n").compactMap { line in line.range(of: "indicator: ").map { String(line[$0.upperBound...].prefix { $0 != "," }) } }
        #expect(indicators.count == 13)
        // In reading order (a table cell's text wraps onto lines the layout puts beside other columns).
        let raw = try Self.run(try Self.tool("pdftotext"), ["-raw", pdf, "-"]).output.filter { $0 != " " && $0 != "\n" }
        for name in indicators { #expect(raw.contains(name), "\(name)") }

        // Bookmarks: the outline holds the headings, each pointing at the page the contents name.
        let xml = try Self.run(try Self.tool("pdftohtml"), ["-xml", "-i", "-stdout", "-q", pdf]).output
        let outline = try #require(xml.range(of: "<outline>").map { String(xml[$0.lowerBound...]) })
        for (list, title, number) in entries where list == "目录" {
            #expect(outline.contains("<item page=\"\(number)\">\(title)</item>"), "bookmark \(title) → page \(number)")
        }

        // A rebuild that does not change the report keeps its PDF; one that does prints it again.
        let about = root.appendingPathComponent("Content/about.md")
        try (String(contentsOf: about, encoding: .utf8) + "\n补充一句。\n").write(to: about, atomically: true, encoding: .utf8)
        let again = try build(true)
        #expect(again.status == 0 && again.output.contains("0 PDFs printed"), "\(again.output)")
        let report = root.appendingPathComponent("Content/reports/2021.md")
        try (String(contentsOf: report, encoding: .utf8) + "\n本报告的数字以原始文件为准。\n").write(to: report, atomically: true, encoding: .utf8)
        let edited = try build(true)
        #expect(edited.status == 0 && edited.output.contains("1 PDFs printed"), "\(edited.output)")
        #expect(try Self.pages(of: pdf).joined().contains("本报告的数字以原始文件为准"))
        // The theme's paged-media rules are part of what the PDF is printed from.
        let rules = root.appendingPathComponent("Templates/pdf.css")
        try (String(contentsOf: rules, encoding: .utf8) + "\n.toc-title { letter-spacing: .5em; }\n").write(to: rules, atomically: true, encoding: .utf8)
        let restyled = try build(true)
        #expect(restyled.status == 0 && restyled.output.contains("1 PDFs printed"), "\(restyled.output)")
    }

    @Test func withoutWeasyPrintTheHTMLIsStillBuilt() throws {
        let (root, _) = try Self.builtSite()
        defer { try? FileManager.default.removeItem(at: root) }
        let result = try Self.run(KillTests.executable.path, [
            "build", "--content", root.appendingPathComponent("Content").path, "--templates", root.appendingPathComponent("Templates").path,
            "--output", root.appendingPathComponent("Output").path,
        ], environment: ["TIANSHAN_WEASYPRINT": "/nonexistent/python3"])
        #expect(result.status == 0, "\(result.output)")
        #expect(result.output.components(separatedBy: "WeasyPrint is not installed").count == 2, "said once: \(result.output)")
        #expect(result.output.contains("make site"))
        #expect(FileManager.default.fileExists(atPath: root.appendingPathComponent("Output/reports/2021/index.html").path))
        #expect(!FileManager.default.fileExists(atPath: root.appendingPathComponent("Output/reports/2021/2021.pdf").path))
        let html = try String(contentsOfFile: root.appendingPathComponent("Output/reports/2021/index.html").path, encoding: .utf8)
        #expect(!html.contains("report.pdf"), "no link to a PDF that is not there")
    }
}
