import Foundation
import TianshanModel
import TianshanPDF
import TianshanRender
import TianshanWrite

/// The PDF stage: the pages whose layout the site prints (`pdf: {layouts: …}`) get a PDF beside their HTML,
/// printed by WeasyPrint from the very HTML the build writes, with the print stylesheet and the theme's
/// `pdf.css`. A PDF is printed again only when what it shows changed: its page's HTML, WeasyPrint, the PDF
/// variant, `pdf.css` or a file it can load (the copied assets); otherwise the one in the output stays.
struct PDFStage: Sendable {
    let printer: PDFPrinter?
    let variant: String
    /// By job index: the PDF's output path.
    let targets: [Int: String]
    /// By page index: the PDF's URL, for `page.pdf`.
    let links: [Int: String]
    /// What `page.pdf` shows depends on: the layouts printed and whether WeasyPrint can print them.
    let hash: UInt64
    /// The theme's paged-media rules (`Templates/pdf.css`), which only the PDF gets: browsers and the HTML
    /// checker know neither running strings nor target counters.
    let stylesheet: String?

    static let stylesheetName = "pdf.css"

    /// The stylesheet with each `{{strings.key}}` replaced by the theme's string as a CSS string's content, so
    /// page footers and cross-references speak the site's language ("第 " counter(page) " 页").
    static func filled(_ css: String, strings: ThemeStrings) -> String {
        var result = ""
        var rest = css[...]
        while let open = rest.range(of: "{{strings."), let close = rest[open.upperBound...].range(of: "}}") {
            result += rest[..<open.lowerBound]
            let key = String(rest[open.upperBound..<close.lowerBound])
            for scalar in strings(key).unicodeScalars {
                switch scalar {
                case "\\", "\"", "\n", "<": result += "\\" + String(scalar.value, radix: 16) + " "
                default: result.unicodeScalars.append(scalar)
                }
            }
            rest = rest[close.upperBound...]
        }
        return result + rest
    }

    init(site: Site, jobs: [PageJob], printer: PDFPrinter?, templates: URL) {
        self.printer = printer
        stylesheet = printer == nil ? nil : (try? String(contentsOf: templates.appendingPathComponent(Self.stylesheetName), encoding: .utf8))
            .map { Self.filled($0, strings: site.config.strings) }
        variant = site.config.pdf.variant
        var targets: [Int: String] = [:]
        var links: [Int: String] = [:]
        let layouts = Set(site.config.pdf.layouts.map { "layouts." + $0 })
        if printer != nil, !layouts.isEmpty {
            for (index, job) in jobs.enumerated() {
                guard case .content(let page) = job.kind, job.page == 1, layouts.contains(job.layout) else { continue }
                let name = Self.fileName(job.sitePath)
                let folder = job.outputPath.hasSuffix("index.html") ? String(job.outputPath.dropLast("index.html".count)) : ""
                targets[index] = folder + name
                links[page] = site.url(job.sitePath) + name
            }
        }
        self.targets = targets
        self.links = links
        var hash = StableHash()
        hash.add(site.config.pdf.layouts.joined(separator: "\u{1F}"))
        hash.add(printer?.version ?? "-")
        self.hash = hash.value
    }

    /// `report.pdf` for `/report/`, `index.pdf` for the home page.
    static func fileName(_ sitePath: String) -> String {
        let last = sitePath.split(separator: "/").last.map(String.init) ?? ""
        return (last.isEmpty ? "index" : last) + ".pdf"
    }

    /// Everything a PDF shows besides its HTML: WeasyPrint, the variant, and the files it may load.
    func environment(copies: [OutputCopy]) -> UInt64 {
        // A site that prints nothing asks no copied file for its stamp.
        guard !targets.isEmpty else { return 0 }
        var hash = StableHash()
        hash.add(printer?.version ?? "-")
        hash.add(variant)
        hash.add(stylesheet ?? "")
        for copy in copies {
            hash.add(copy.path)
            hash.add(OutputWriter.copySignature(copy.source))
        }
        return hash.value
    }

    /// Jobs whose HTML must be rendered for their PDF: those with no PDF printed from the current environment.
    func jobsToRender(records: [String: PDFRecord], environment: UInt64) -> [Int] {
        targets.compactMap { index, path in records[path]?.environment == environment ? nil : index }
    }

    /// The PDFs to print from the HTML rendered now (by job index), and the records of the ones that stay.
    func plan(html: [Int: String], records: [String: PDFRecord], environment: UInt64) -> (print: [Int], kept: [String: PDFRecord]) {
        var print: [Int] = []
        var kept: [String: PDFRecord] = [:]
        for (index, path) in targets {
            let record = records[path]
            if let page = html[index] {
                if record == PDFRecord(html: ContentHash.hash(page), environment: environment) { kept[path] = record } else { print.append(index) }
            } else if let record {
                kept[path] = record
            }
        }
        return (print.sorted(), kept)
    }

    /// Prints the pages at `indices` (job indices, with their HTML); returns the files and their records, or
    /// the problems, each naming the page's source.
    func print(
        _ indices: [Int], html: [Int: String], jobs: [PageJob], site: Site, copies: [OutputCopy], environment: UInt64, sourceDisplay: (Int) -> String
    ) -> (files: [OutputFile], records: [String: PDFRecord], problems: [Diagnostic]) {
        guard let printer, !indices.isEmpty else { return ([], [:], []) }
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("tianshan-pdf-\(getpid())-\(UInt32.random(in: 0...UInt32.max))")
        defer { try? FileManager.default.removeItem(at: scratch) }
        do { try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true) } catch {
            return ([], [:], [.error(at: SourceLocation(file: sourceDisplay(indices[0])), field: "pdf", "cannot make a folder for the PDFs: \(error)")])
        }
        // The site's own files as the HTML names them (under the base path).
        let base = String(site.config.basePath.dropFirst())
        var files: [String: String] = [:]
        for copy in copies { files[base + copy.path] = copy.source.path }
        let printJobs = indices.enumerated().map { number, index in
            PDFPrinter.Job(html: html[index] ?? "", sitePath: site.url(jobs[index].sitePath), output: scratch.appendingPathComponent("\(number).pdf").path)
        }
        var made: [OutputFile] = []
        var records: [String: PDFRecord] = [:]
        var problems: [Diagnostic] = []
        do throws(PDFPrinter.PrintFailure) {
            let printed = try printer.print(printJobs, files: files, variant: variant, stylesheet: stylesheet)
            for (number, index) in indices.enumerated() {
                let path = targets[index]!
                let result = printed.first { $0.output == printJobs[number].output }
                guard let result, result.error == nil, let bytes = FileManager.default.contents(atPath: result.output) else {
                    problems.append(.error(at: SourceLocation(file: sourceDisplay(index)), field: "pdf",
                                           "WeasyPrint could not print this page: \(result?.error ?? "no PDF written")"))
                    continue
                }
                for warning in result.warnings ?? [] {
                    problems.append(.warning(at: SourceLocation(file: sourceDisplay(index)), field: "pdf", "WeasyPrint: \(warning)"))
                }
                made.append(OutputFile(path: path, bytes: bytes))
                records[path] = PDFRecord(html: ContentHash.hash(html[index] ?? ""), environment: environment)
            }
        } catch {
            problems.append(.error(at: SourceLocation(file: sourceDisplay(indices[0])), field: "pdf", error.message, hint: PDFPrinter.installHint))
        }
        return (made, records, problems)
    }
}
