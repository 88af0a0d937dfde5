import Foundation
import TianshanModel

/// Prints pages to PDF through WeasyPrint (PyPI's, in a Python environment of its own): one Python process
/// for all the pages of a build, fed the pages' HTML and a table of the site's files, which it serves to
/// WeasyPrint itself, so a page's stylesheets, images and fonts come from the build's sources and nothing
/// is fetched from anywhere else.
public struct PDFPrinter: Sendable {
    /// The Python interpreter that has WeasyPrint.
    public let python: String
    /// WeasyPrint's version, part of what every PDF is made from.
    public let version: String

    /// One page to print: its HTML, where it is on the site (for relative URLs) and the file to write.
    public struct Job: Sendable, Codable {
        public var html: String
        public var sitePath: String
        public var output: String
        public init(html: String, sitePath: String, output: String) {
            self.html = html
            self.sitePath = sitePath
            self.output = output
        }
    }

    /// What printing one page gave.
    public struct Printed: Sendable, Codable, Equatable {
        public var output: String
        public var pages: Int
        public var error: String?
        /// What WeasyPrint could not do on the page (a file it could not load, a rule it does not know).
        public var warnings: [String]?
    }

    /// How to make WeasyPrint available, for the message of a build that cannot print.
    public static let installHint = "run `make site`, which installs WeasyPrint 70 into .build/pdf, or point TIANSHAN_WEASYPRINT at a Python that has it (`pip install weasyprint==70.0`)"

    /// The printer, when a Python with WeasyPrint is found: `TIANSHAN_WEASYPRINT` (a Python interpreter) if set,
    /// else the `pdf/bin/python3` of a `.build` folder holding this binary (where `make site` installs it).
    public static func find(environment: [String: String] = ProcessInfo.processInfo.environment, binary: String?) -> PDFPrinter? {
        var candidates: [String] = []
        if let chosen = environment["TIANSHAN_WEASYPRINT"], !chosen.isEmpty {
            candidates.append(chosen)
        } else if let binary {
            var folder = URL(fileURLWithPath: binary).deletingLastPathComponent()
            for _ in 0..<4 {
                candidates.append(folder.appendingPathComponent("pdf/bin/python3").path)
                folder.deleteLastPathComponent()
            }
        }
        for python in candidates where FileManager.default.isExecutableFile(atPath: python) {
            // The installed version from the package metadata: importing WeasyPrint takes a second.
            let probe = "import importlib.metadata as m; print(m.version('weasyprint'))"
            if case .success(let output) = run(python, ["-c", probe], input: Data()), case let version = output.trimming(" \n"), !version.isEmpty {
                return PDFPrinter(python: python, version: version)
            }
        }
        return nil
    }

    /// Prints `jobs` in one process. `files` maps site paths (without the leading slash) to the files the
    /// build takes them from. Throws when the process cannot run or answers nothing usable.
    /// - Parameter stylesheet: CSS applied after the pages' own (the paged-media rules only WeasyPrint knows).
    public func print(_ jobs: [Job], files: [String: String], variant: String, stylesheet: String? = nil) throws(PrintFailure) -> [Printed] {
        struct Request: Encodable {
            var origin: String
            var files: [String: String]
            var variant: String
            var stylesheet: String?
            var jobs: [Job]
        }
        struct Answer: Decodable { var results: [Printed] }
        let request = Request(origin: Self.origin, files: files, variant: variant, stylesheet: stylesheet, jobs: jobs)
        guard let input = try? JSONEncoder().encode(request) else { throw PrintFailure(message: "cannot encode the pages") }
        switch Self.run(python, ["-c", Self.script], input: input) {
        case .failure(let failure): throw failure
        case .success(let output):
            guard let answer = try? JSONDecoder().decode(Answer.self, from: Data(output.utf8)) else {
                throw PrintFailure(message: "WeasyPrint gave no answer: " + String(output.suffix(400)))
            }
            return answer.results
        }
    }

    /// Why printing failed, in WeasyPrint's words where it gave some.
    public struct PrintFailure: Error, Sendable, CustomStringConvertible {
        public var message: String
        public var description: String { message }
    }

    /// A host that names no real site: URLs under it are the site's own files, and no other is fetched.
    static let origin = "http://tianshan.invalid"

    static func run(_ executable: String, _ arguments: [String], input: Data) -> Result<String, PrintFailure> {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        let stdin = Pipe(), stdout = Pipe(), stderr = Pipe()
        process.standardInput = stdin
        process.standardOutput = stdout
        process.standardError = stderr
        do { try process.run() } catch { return .failure(PrintFailure(message: "cannot run \(executable): \(error)")) }
        // Read both pipes while writing, so that a full pipe cannot stall either side.
        let group = DispatchGroup()
        nonisolated(unsafe) var out = Data(), err = Data()
        group.enter()
        DispatchQueue.global().async { out = stdout.fileHandleForReading.readDataToEndOfFile(); group.leave() }
        group.enter()
        DispatchQueue.global().async { err = stderr.fileHandleForReading.readDataToEndOfFile(); group.leave() }
        try? stdin.fileHandleForWriting.write(contentsOf: input)
        try? stdin.fileHandleForWriting.close()
        group.wait()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            let message = String(decoding: err, as: UTF8.self).split(separator: "\n").suffix(3).joined(separator: " ")
            return .failure(PrintFailure(message: "WeasyPrint stopped (status \(process.terminationStatus)): \(message)"))
        }
        return .success(String(decoding: out, as: UTF8.self))
    }

    /// The Python side: serves the site's files to WeasyPrint and writes each PDF. A page that fails is
    /// reported with its error; the others are still written.
    static let script = #"""
import json, logging, mimetypes, sys, urllib.parse
import weasyprint
from weasyprint.urls import URLFetcher, URLFetcherResponse

class Collect(logging.Handler):
    def __init__(self):
        super().__init__(logging.ERROR)
        self.messages = []
    def emit(self, record):
        self.messages.append(record.getMessage())
collected = Collect()
logging.getLogger("weasyprint").addHandler(collected)

request = json.load(sys.stdin)
origin = request["origin"]
files = request["files"]

class SiteFetcher(URLFetcher):
    def fetch(self, url, headers=None):
        if url.startswith(origin + "/"):
            path = urllib.parse.unquote(urllib.parse.urlsplit(url).path).lstrip("/")
            local = files.get(path)
            if local:
                with open(local, "rb") as f:
                    kind = mimetypes.guess_type(path)[0] or "application/octet-stream"
                    return URLFetcherResponse(url, f.read(), headers={"Content-Type": kind})
        raise ValueError("not a file of the site: " + url)

fetcher = SiteFetcher()
extra = [weasyprint.CSS(string=request["stylesheet"], base_url=origin + "/", url_fetcher=fetcher)] if request.get("stylesheet") else []
results = []
for job in request["jobs"]:
    collected.messages = []
    try:
        document = weasyprint.HTML(string=job["html"], base_url=origin + job["sitePath"], url_fetcher=fetcher).render(stylesheets=extra)
        document.write_pdf(job["output"], pdf_variant=request["variant"] or None)
        results.append({"output": job["output"], "pages": len(document.pages), "warnings": collected.messages})
    except Exception as error:
        results.append({"output": job["output"], "pages": 0, "error": f"{type(error).__name__}: {error}"})
json.dump({"results": results}, sys.stdout)
"""#
}
