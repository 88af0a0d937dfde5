import Foundation
import TianshanModel

/// What `tianshan new site` and `tianshan new page|case|news` write: the theme's starter site
/// (`Templates/starter/<language>/`) and archetypes (`Templates/archetypes/<kind>.md`) with today's date and the
/// page's title filled in (pure: the command line reads and writes the files).
public enum Starter {
    /// The theme's folder of starter sites, one per language, which a new site's theme leaves out.
    public static let folder = "starter/"
    /// The theme's folder of archetypes, the front matter a new page starts from.
    public static let archetypes = "archetypes/"

    /// `text` with `{{date}}` (2026-12-03), `{{year}}`, `{{previousYear}}`, `{{nextYear}}` and, when given,
    /// `{{title}}` (as a quoted YAML string) replaced; other braces are left for the site's own templates.
    /// `today` is read in UTC, as every date of a site is.
    public static func fill(_ text: String, today: Date, title: String? = nil) -> String {
        let year = DateText.year(today)
        var filled = text
            .replacingOccurrences(of: "{{date}}", with: DateText.iso(today))
            .replacingOccurrences(of: "{{previousYear}}", with: String(year - 1))
            .replacingOccurrences(of: "{{nextYear}}", with: String(year + 1))
            .replacingOccurrences(of: "{{year}}", with: String(year))
        if let title { filled = filled.replacingOccurrences(of: "{{title}}", with: quoted(title)) }
        return filled
    }

    /// A title from a file name: the last part without `.md`, dashes and underscores as spaces, a Latin first
    /// letter capitalised ("north-lab" → "North lab"; "禾润鲜" stays).
    public static func title(fromName name: String) -> String {
        let last = String(name.split(separator: "/").last ?? "")
        let stem = SitePaths.markdownStem(last) ?? last
        let words = stem.replacingOccurrences(of: "-", with: " ").replacingOccurrences(of: "_", with: " ")
            .split(separator: " ").joined(separator: " ")
        guard let first = words.first else { return stem }
        return first.uppercased() + words.dropFirst()
    }

    /// The page `tianshan new KIND NAME` writes: its path under the content folder and its text. NAME with a
    /// folder is placed as given; without one, in the archetype's `section:` (which the page does not keep). The
    /// file name is NAME's slug (Chinese kept) with `.md`; the archetype's `{{title}}` and `{{date}}` filled in.
    public static func page(archetype: String?, name: String, today: Date) -> (path: String, text: String) {
        var lines = (archetype ?? "---\ntitle: {{title}}\ndate: {{date}}\n---\n").components(separatedBy: "\n")
        var section: String?
        if lines.first == "---", let end = lines.dropFirst().firstIndex(of: "---") {
            if let index = lines[1..<end].firstIndex(where: { $0.hasPrefix("section:") }) {
                section = lines[index].dropFirst("section:".count).trimmingCharacters(in: .whitespaces)
                lines.remove(at: index)
            }
        }
        let parts = name.split(separator: "/").map(String.init)
        let last = parts.last ?? name
        let stem = SitePaths.markdownStem(last) ?? last
        let file = (Slug.make(stem).isEmpty ? "page" : Slug.make(stem)) + ".md"
        var folder = parts.dropLast().joined(separator: "/")
        if parts.count <= 1, let section, !section.isEmpty { folder = section }
        let path = folder.isEmpty ? file : folder + "/" + file
        return (path, fill(lines.joined(separator: "\n"), today: today, title: title(fromName: name)))
    }

    static func quoted(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }
}
