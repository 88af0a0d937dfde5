import Foundation

/// The differential site as the edit generator knows it: every source file by path ("Content/cases/alpha.md",
/// "Templates/layouts/page.mustache") with its bytes. The files themselves are the model, so what is written to
/// disk is exactly what the generator reasoned about; the helpers below read and rewrite them in place.
struct SiteModel: Equatable {
    var files: [String: Data]

    static let content = "Content/"
    static let templates = "Templates/"

    /// Every regular file below `folder` (hidden names skipped, as the build skips them).
    static func load(_ folder: URL) throws -> SiteModel {
        var files: [String: Data] = [:]
        let root = folder.standardizedFileURL.path
        guard let enumerator = FileManager.default.enumerator(atPath: root) else { return SiteModel(files: [:]) }
        while let path = enumerator.nextObject() as? String {
            if path.split(separator: "/").contains(where: { $0.hasPrefix(".") }) { continue }
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: root + "/" + path, isDirectory: &isDirectory), !isDirectory.boolValue else { continue }
            files[path] = try Data(contentsOf: URL(fileURLWithPath: root + "/" + path))
        }
        return SiteModel(files: files)
    }

    func text(_ path: String) -> String? { files[path].map { String(decoding: $0, as: UTF8.self) } }

    mutating func setText(_ path: String, _ text: String?) { files[path] = text.map { Data($0.utf8) } }

    // MARK: Content

    /// Markdown pages, relative to the content folder, sorted.
    var pagePaths: [String] { contentPaths.filter { $0.hasSuffix(".md") && !Self.isData($0) } }

    /// Content files the build reads (not editors' backups and hidden files), relative to the content folder.
    var contentPaths: [String] {
        files.keys.filter { $0.hasPrefix(Self.content) && !Self.isIgnored($0) }.map { String($0.dropFirst(Self.content.count)) }.sorted()
    }

    /// Names the build and the watcher skip: hidden ones and editors' backups ("alpha.md~").
    static func isIgnored(_ key: String) -> Bool {
        key.split(separator: "/").contains { $0.hasPrefix(".") } || key.hasSuffix("~")
    }

    func page(_ path: String) -> PageText? { text(Self.content + path).flatMap(PageText.init) }

    mutating func setPage(_ path: String, _ page: PageText?) { setText(Self.content + path, page?.text) }

    mutating func editPage(_ path: String, _ edit: (inout PageText) -> Void) {
        guard var page = page(path) else { return }
        edit(&page)
        setPage(path, page)
    }

    /// Pages the build publishes (drafts are left out without `--drafts`).
    var includedPages: [String] { pagePaths.filter { page($0)?.isDraft != true } }

    /// A page's top folder, "" at the root: what the build calls its section.
    static func section(of path: String) -> String {
        let parts = path.split(separator: "/")
        return parts.count > 1 ? String(parts[0]) : ""
    }

    static func isSectionIndex(_ path: String) -> Bool { path.hasSuffix("/_index.md") }

    static func isData(_ path: String) -> Bool {
        guard path.hasPrefix("data/"), let ext = path.split(separator: ".").last else { return false }
        return ["yaml", "yml", "json", "csv"].contains(ext.lowercased())
    }

    /// Top folders holding pages.
    var sections: [String] { Array(Set(pagePaths.map(Self.section(of:)).filter { !$0.isEmpty })).sorted() }

    /// Files beside the content that the build copies as they are.
    var contentAssets: [String] {
        contentPaths.filter { !$0.hasSuffix(".md") && !Self.isData($0) && $0 != "site.yaml" }
    }

    var dataFiles: [String] { contentPaths.filter(Self.isData) }

    /// A data file's set name: its file name without the extension.
    static func dataSetName(_ path: String) -> String {
        let name = path.split(separator: "/").last.map(String.init) ?? path
        return name.split(separator: ".").dropLast().joined(separator: ".")
    }

    /// Paths relative to the templates folder.
    var templatePaths: [String] {
        files.keys.filter { $0.hasPrefix(Self.templates) && !Self.isIgnored($0) }.map { String($0.dropFirst(Self.templates.count)) }.sorted()
    }

    /// Tags of published regular pages (section pages and the home page are not listed, so their tags count for nothing).
    var tags: [String] {
        Array(Set(includedPages.filter { !Self.isSectionIndex($0) && $0 != "index.md" }.flatMap { page($0)?.tags ?? [] })).sorted()
    }

    /// Published pages that link to `target` (a content path), with the links.
    func inboundLinks(to target: String) -> [String] {
        pagePaths.filter { source in
            (page(source)?.links ?? []).contains { Self.resolve(Self.splitFragment($0.target).path, from: source) == target }
        }
    }

    // MARK: Paths and links

    static func splitFragment(_ target: String) -> (path: String, fragment: String) {
        guard let hash = target.firstIndex(of: "#") else { return (target, "") }
        return (String(target[..<hash]), String(target[hash...]))
    }

    /// A relative link target resolved against the folder of `source`; nil for site paths, anchors alone, or a
    /// path that climbs above the content folder.
    static func resolve(_ target: String, from source: String) -> String? {
        if target.isEmpty || target.hasPrefix("/") || target.contains(":") { return nil }
        var parts = source.split(separator: "/").map(String.init)
        parts.removeLast()
        for part in target.split(separator: "/") {
            switch part {
            case ".": continue
            case "..":
                if parts.isEmpty { return nil }
                parts.removeLast()
            default: parts.append(String(part))
            }
        }
        return parts.joined(separator: "/")
    }

    /// The shortest relative link from `source` to `target` (the form every link in the fixture is written in).
    static func relative(from source: String, to target: String) -> String {
        let from = Array(source.split(separator: "/").dropLast())
        let to = target.split(separator: "/")
        var common = 0
        while common < from.count, common < to.count - 1, from[common] == to[common] { common += 1 }
        return String(repeating: "../", count: from.count - common) + to[common...].joined(separator: "/")
    }

    /// Moves content files (pages, assets) to new paths and rewrites every link so it still reaches the same file:
    /// what an author moving a page or renaming a folder does. `sitePaths` maps hand-written site paths
    /// ("/cases/") the same way.
    mutating func relocate(_ map: (String) -> String, sitePaths: (String) -> String = { $0 }) {
        var moved: [String: Data] = [:]
        for (key, data) in files {
            guard key.hasPrefix(Self.content) else {
                moved[key] = data
                continue
            }
            let old = String(key.dropFirst(Self.content.count))
            let new = map(old)
            var bytes = data
            if old.hasSuffix(".md"), !Self.isData(old), var page = PageText(String(decoding: data, as: UTF8.self)) {
                page.rewriteLinks { link in
                    let (path, fragment) = Self.splitFragment(link.target)
                    if path.isEmpty { return link.target }
                    if path.hasPrefix("/") { return sitePaths(path) + fragment }
                    guard let target = Self.resolve(path, from: old) else { return link.target }
                    return Self.relative(from: new, to: map(target)) + fragment
                }
                bytes = Data(page.text.utf8)
            }
            moved[Self.content + new] = bytes
        }
        files = moved
    }

    /// Turns every link to `target` into plain text (images of it are removed), as after deleting the target.
    mutating func unlink(_ target: String) {
        for source in pagePaths {
            editPage(source) { page in
                page.rewriteLinks { link in
                    Self.resolve(Self.splitFragment(link.target).path, from: source) == target ? nil : link.target
                }
            }
        }
    }
}
