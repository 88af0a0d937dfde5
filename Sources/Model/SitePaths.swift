/// Decides where a content file is written and under which site path (pretty URLs: "cases/a.md" → "/cases/a/").
public enum SitePaths {
    /// The URI of an IRI: every byte outside printable ASCII, and a space, percent-encoded as UTF-8
    /// ("/tags/孵化器/" → "/tags/%E5%AD%B5%E5%8C%96%E5%99%A8/"), as sitemaps require.
    public static func uri(_ iri: String) -> String {
        var out = ""
        out.reserveCapacity(iri.utf8.count)
        let hex = Array("0123456789ABCDEF")
        for byte in iri.utf8 {
            if byte > 0x20 && byte < 0x7F {
                out.append(Character(Unicode.Scalar(byte)))
            } else {
                out += "%" + String(hex[Int(byte >> 4)]) + String(hex[Int(byte & 0xF)])
            }
        }
        return out
    }

    public struct Placement: Sendable, Equatable {
        public var outputPath: String
        public var sitePath: String
        public var section: String
        public var kind: Page.Kind
    }

    public static func place(sourcePath: String, slug: String?) -> Placement {
        var components = sourcePath.split(separator: "/").map(String.init)
        let fileName = components.removeLast()
        let stem = markdownStem(fileName) ?? fileName
        let folders = components.map(Slug.make)
        let section = folders.first ?? ""
        if folders.isEmpty, stem == "404" {
            return Placement(outputPath: "404.html", sitePath: "/404.html", section: "", kind: .page)
        }
        if stem == "index" || stem == "_index" {
            if folders.isEmpty {
                return Placement(outputPath: "index.html", sitePath: "/", section: "", kind: .home)
            }
            let dir = folders.joined(separator: "/")
            return Placement(outputPath: dir + "/index.html", sitePath: "/" + dir + "/", section: section, kind: .section)
        }
        let name = slug.map(Slug.make).flatMap { $0.isEmpty ? nil : $0 } ?? Slug.make(stem)
        let dir = (folders + [name.isEmpty ? "page" : name]).joined(separator: "/")
        return Placement(outputPath: dir + "/index.html", sitePath: "/" + dir + "/", section: section, kind: .page)
    }

    /// The name without its Markdown extension (".md" or ".markdown", in any case), or nil for another file.
    public static func markdownStem(_ fileName: String) -> String? {
        for ext in [".md", ".markdown"] where fileName.count > ext.count && fileName.lowercased().hasSuffix(ext) {
            return String(fileName.dropLast(ext.count))
        }
        return nil
    }

    /// Whether a path names a Markdown file.
    public static func isMarkdown(_ path: String) -> Bool {
        // Called for every file of a site: the name's bytes are looked at directly when its end is ASCII.
        let bytes = path.utf8
        let nameStart = bytes.lastIndex(of: UInt8(ascii: "/")).map { bytes.index(after: $0) } ?? bytes.startIndex
        let name = bytes[nameStart...]
        guard name.suffix(9).allSatisfy({ $0 < 0x80 }) else { return markdownStem(String(Substring(name))) != nil }
        func ends(with ext: String) -> Bool {
            name.count > ext.utf8.count && zip(name.suffix(ext.utf8.count), ext.utf8).allSatisfy { $1 >= 0x61 && $1 <= 0x7A ? $0 | 0x20 == $1 : $0 == $1 }
        }
        return ends(with: ".md") || ends(with: ".markdown")
    }

    /// The site path of a tag's page.
    public static func tagPath(_ tag: String) -> String {
        "/tags/" + Slug.make(tag) + "/"
    }

    /// Joins a base path ("/report/") and a site path ("/cases/a/").
    public static func url(_ sitePath: String, basePath: String) -> String {
        basePath + sitePath.drop(while: { $0 == "/" })
    }

    /// Resolves "../b.md" against the folder of "cases/a.md"; nil when it climbs above the root.
    public static func resolve(_ relative: String, from sourcePath: String) -> String? {
        var parts = sourcePath.split(separator: "/").map(String.init)
        parts.removeLast()
        if relative.hasPrefix("/") { parts = [] }
        for part in relative.split(separator: "/", omittingEmptySubsequences: true) {
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
}
