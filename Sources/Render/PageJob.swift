import Foundation
import TianshanModel

/// One output page the build will render: what it is, where it goes, and which layout renders it.
public struct PageJob: Sendable, Equatable {
    public enum Kind: Sendable, Equatable {
        /// A Markdown page (index into `Site.pages`).
        case content(Int)
        /// A section listing generated for a folder without its own `_index.md`.
        case section(String)
        case tag(Int)
        case tagIndex
    }

    public var kind: Kind
    public var outputPath: String
    public var sitePath: String
    public var layout: String

    public init(kind: Kind, outputPath: String, sitePath: String, layout: String) {
        self.kind = kind
        self.outputPath = outputPath
        self.sitePath = sitePath
        self.layout = layout
    }
}

/// Decides every output of a site and checks that each has a layout and a unique path.
public enum SitePlanner {
    public static func plan(_ site: Site, templates: TemplateLibrary, displayRoot: String = "") -> Result<[PageJob], DiagnosticsError> {
        var jobs: [PageJob] = []
        var problems: [Diagnostic] = []

        for (index, page) in site.pages.enumerated() {
            let location = SourceLocation(file: displayRoot + page.sourcePath, line: 1, column: 1)
            switch layout(for: page, templates: templates) {
            case .success(let name):
                jobs.append(PageJob(kind: .content(index), outputPath: page.outputPath, sitePath: page.sitePath, layout: name))
            case .failure(let problem):
                problems.append(.error(at: location, field: "layout", problem.message, hint: "layouts: \(layoutNames(templates))"))
            }
        }
        let ownSections = Set(site.pages.filter { $0.kind == .section }.map(\.section))
        for section in site.sections.keys.sorted() where !section.isEmpty && !ownSections.contains(section) {
            if let name = firstLayout(["layouts.\(section)-list", "layouts.section", "layouts.list"], in: templates) {
                jobs.append(PageJob(kind: .section(section), outputPath: "\(section)/index.html", sitePath: "/\(section)/", layout: name))
            }
        }
        if !site.tags.isEmpty {
            if let name = firstLayout(["layouts.tag", "layouts.list"], in: templates) {
                for (index, tag) in site.tags.enumerated() {
                    let path = tag.sitePath
                    jobs.append(PageJob(kind: .tag(index), outputPath: String(path.dropFirst()) + "index.html", sitePath: path, layout: name))
                }
            }
            if let name = firstLayout(["layouts.tags", "layouts.list"], in: templates) {
                jobs.append(PageJob(kind: .tagIndex, outputPath: "tags/index.html", sitePath: "/tags/", layout: name))
            }
        }

        var owners: [String: PageJob] = [:]
        for job in jobs {
            if let first = owners[job.outputPath] {
                problems.append(.error(
                    at: SourceLocation(file: displayRoot + describe(job, site: site), line: 1, column: 1), field: "slug",
                    "output path '\(job.outputPath)' is also written by \(describe(first, site: site))",
                    hint: "rename the file or set a different 'slug:'"
                ))
            } else {
                owners[job.outputPath] = job
            }
        }
        guard problems.isEmpty else { return .failure(DiagnosticsError(problems)) }
        return .success(jobs)
    }

    static func layout(for page: Page, templates: TemplateLibrary) -> Result<String, LayoutError> {
        if let explicit = page.frontMatter.layout {
            let name = explicit.hasPrefix("layouts.") ? explicit : "layouts." + explicit.replacingOccurrences(of: "/", with: ".")
            return templates.contains(name) ? .success(name) : .failure(LayoutError("unknown layout '\(explicit)'"))
        }
        let candidates: [String]
        switch page.kind {
        case .home: candidates = ["layouts.home", "layouts.list", "layouts.page"]
        case .section: candidates = ["layouts.\(page.section)-list", "layouts.section", "layouts.list", "layouts.page"]
        case .page:
            let stem = page.outputPath == "404.html" ? ["layouts.404"] : []
            candidates = stem + (page.section.isEmpty ? [] : ["layouts.\(page.section)"]) + ["layouts.page"]
        }
        if let name = firstLayout(candidates, in: templates) { return .success(name) }
        return .failure(LayoutError("no layout found (looked for \(candidates.joined(separator: ", ")))"))
    }

    static func firstLayout(_ names: [String], in templates: TemplateLibrary) -> String? {
        names.first(where: templates.contains)
    }

    static func layoutNames(_ templates: TemplateLibrary) -> String {
        templates.names.filter { $0.hasPrefix("layouts.") }.map { String($0.dropFirst(8)) }.sorted().joined(separator: ", ")
    }

    static func describe(_ job: PageJob, site: Site) -> String {
        switch job.kind {
        case .content(let index): return site.pages[index].sourcePath
        case .section(let name): return "the generated listing of '\(name)'"
        case .tag(let index): return "the page of tag '\(site.tags[index].name)'"
        case .tagIndex: return "the tag index"
        }
    }

    struct LayoutError: Error {
        var message: String
        init(_ message: String) { self.message = message }
    }
}

