import Foundation
import Testing
import TianshanModel
import ZIPFoundation
@testable import TianshanLoad

/// Excel workbooks as data files: written by a spreadsheet library (openpyxl, `Tests/Fixtures/xlsx/make_workbooks.py`),
/// read back with their sheet names, types, qualifiers and the place of a broken cell.
@Suite struct SpreadsheetDecoderTests {
    /// The workbooks the script writes, in a folder of their own; nil (and the reason) when openpyxl is missing.
    static let workbooks: Result<URL, Skip> = {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("tianshan-xlsx-\(UUID().uuidString)")
        try? FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Fixtures/xlsx/make_workbooks.py")
        let python = ProcessInfo.processInfo.environment["TIANSHAN_PYTHON"] ?? "/usr/bin/python3"
        let process = Process()
        process.executableURL = URL(fileURLWithPath: python)
        process.arguments = [script.path, folder.path]
        let errors = Pipe()
        process.standardError = errors
        do { try process.run() } catch { return .failure(Skip(reason: "cannot run \(python): \(error)")) }
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            return .failure(Skip(reason: String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)))
        }
        return .success(folder)
    }()

    func workbook(_ name: String) throws -> [UInt8] {
        switch Self.workbooks {
        case .success(let folder):
            return Array(try Data(contentsOf: folder.appendingPathComponent(name)))
        case .failure(let skip):
            // `make test` provides openpyxl (TIANSHAN_PYTHON); without it the test cannot write its workbooks.
            if ProcessInfo.processInfo.environment["TIANSHAN_PYTHON"] != nil { Issue.record("openpyxl workbooks: \(skip.reason)") }
            throw skip
        }
    }

    struct Skip: Error { var reason: String }

    func decode(_ bytes: [UInt8], name: String = "indicators.xlsx", sheet: String? = nil) -> Result<DataSet, DiagnosticsError> {
        DataFileDecoder.decode(TextFile(path: "data/\(name)", text: "", bytes: bytes), path: "Content/data/\(name)", sheet: sheet)
    }

    @Test func theFirstSheetWithItsTypes() throws {
        guard let bytes = try? workbook("indicators.xlsx") else { return }
        let set = try decode(bytes).get()
        #expect(set.name == "indicators" && set.title == "指标")
        #expect(set.fields.map(\.name) == ["指标", "2020年", "2023年", "认定日期", "数量", "达标"])
        #expect(set.fields.map(\.type) == [.string, .number, .number, .date, .number, .bool])
        #expect(set.rows.count == 3)
        // Numbers exactly as typed, so sums of them are the sums of what the sheet shows.
        #expect(set.rows[0]["2020年"] == .number(47722.2) && set.rows[1]["2020年"] == .number(15.3))
        let sum: Double = set.rows.compactMap { $0["2020年"].number }.reduce(0, +)
        let typed: Double = 47722.2 + 15.3 + 8
        #expect(sum == typed)
        #expect(set.rows[2]["2023年"] == .null)
        // A date cell (a number in a date format) is a date.
        let day = DateComponents(calendar: Calendar(identifier: .gregorian), timeZone: TimeZone(identifier: "UTC"), year: 2021, month: 3, day: 4).date!
        #expect(set.rows[0]["认定日期"] == .date(day))
        // Text with a qualifier in a column of numbers keeps the qualifier.
        #expect(set.rows[0]["数量"].number == 2000 && set.rows[0]["数量"].qualifier?.word == "余")
        #expect(set.rows[2]["数量"].qualifier?.word == "近" && set.rows[1]["数量"] == .number(120))
        #expect(set.rows[0]["达标"] == .bool(true) && set.rows[1]["达标"] == .bool(false))
        #expect(set.rows[1].location.file == "Content/data/indicators.xlsx:指标!A3")
    }

    @Test func aNamedSheet() throws {
        guard let bytes = try? workbook("indicators.xlsx") else { return }
        let set = try decode(bytes, sheet: "其他").get()
        let values: [DataValue] = set.rows.map { $0["数值"] }
        #expect(set.title == "其他" && values == [.number(1), .number(2.5)])
        guard case .failure(let error) = decode(bytes, sheet: "其它") else { Issue.record("a missing sheet decoded"); return }
        #expect(error.diagnostics.first?.message == "no sheet named '其它'" && error.diagnostics.first?.hint == "did you mean '其他'?")
    }

    @Test func aBrokenCellIsNamedBySheetAndCell() throws {
        guard let bytes = try? workbook("broken.xlsx") else { return }
        guard case .failure(let error) = decode(bytes, name: "broken.xlsx") else { Issue.record("an error cell decoded"); return }
        #expect(error.diagnostics.map(\.location.description) == ["Content/data/broken.xlsx:数据!C3"])
        #expect(error.diagnostics.first?.message.contains("#DIV/0!") == true)
    }

    @Test func sharedStringsAndRichText() throws {
        // Excel itself writes shared strings (openpyxl writes inline ones): a workbook made of the parts Excel writes.
        let archive = try Archive(accessMode: .create)
        func add(_ path: String, _ xml: String) throws {
            let data = Data(xml.utf8)
            try archive.addEntry(with: path, type: .file, uncompressedSize: Int64(data.count), compressionMethod: .deflate) { position, size in
                data.subdata(in: Int(position)..<Int(position) + size)
            }
        }
        let main = "xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\""
        try add("xl/workbook.xml", "<workbook \(main) xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\"><sheets><sheet name=\"表1\" sheetId=\"1\" r:id=\"rId1\"/></sheets></workbook>")
        try add("xl/_rels/workbook.xml.rels", "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\"><Relationship Id=\"rId1\" Type=\"worksheet\" Target=\"/xl/worksheets/sheet1.xml\"/></Relationships>")
        try add("xl/sharedStrings.xml", "<sst \(main)><si><t>名称</t></si><si><t xml:space=\"preserve\"> 前后有空格 </t></si><si><r><t>富</t></r><r><rPr><b/></rPr><t>文本</t></r></si></sst>")
        try add("xl/worksheets/sheet1.xml", "<worksheet \(main)><sheetData><row r=\"1\"><c r=\"A1\" t=\"s\"><v>0</v></c></row><row r=\"2\"><c r=\"A2\" t=\"s\"><v>1</v></c></row><row r=\"4\"><c r=\"A4\" t=\"s\"><v>2</v></c></row></sheetData></worksheet>")
        let set = try decode(Array(try #require(archive.data)), name: "shared.xlsx").get()
        let names: [DataValue] = set.rows.map { $0["名称"] }
        #expect(names == [.string(" 前后有空格 "), .string("富文本")])
        #expect(set.rows.map(\.location.file) == ["Content/data/shared.xlsx:表1!A2", "Content/data/shared.xlsx:表1!A4"])
    }

    @Test func notAWorkbook() {
        guard case .failure(let error) = decode(Array("not a zip".utf8)) else { Issue.record("decoded"); return }
        #expect(error.diagnostics.first?.message.hasPrefix("not a readable .xlsx workbook") == true)
    }
}
