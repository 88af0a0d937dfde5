import Foundation

/// How the pages of some layouts number their tables, figures and headings (`numbering:` in `site.yaml`), as a
/// report does: 表1, 图1 (or 表2-1 by chapter), 一、（一）1.（1）.
public struct NumberingSettings: Codable, Sendable, Equatable {
    /// Layout names, as in a page's `layout:`; pages with another layout number nothing.
    public var layouts: [String]
    /// The label of the n-th table; `{n}` is its number ("表{n}" → 表3, or 表2-1 by chapter).
    public var tables: String
    /// The label of the n-th figure (a chart).
    public var figures: String
    /// Number tables and figures within each top-level heading (表2-1) instead of through the page (表5).
    public var byChapter: Bool
    /// How headings are numbered.
    public var headings: HeadingStyle

    /// Heading numbers: none, the Chinese official style (一、（一）1.（1）), or decimal (1, 1.1, 1.1.1).
    public enum HeadingStyle: String, Codable, Sendable, Equatable, CaseIterable {
        case none, chinese, decimal
    }

    /// Empty label formats are filled in from the theme's strings (`numbering.table`, `numbering.figure`).
    public init(layouts: [String] = [], tables: String = "Table {n}", figures: String = "Figure {n}", byChapter: Bool = false, headings: HeadingStyle = .none) {
        self.layouts = layouts
        self.tables = tables
        self.figures = figures
        self.byChapter = byChapter
        self.headings = headings
    }

    enum CodingKeys: String, StrictCodingKeys {
        case layouts, tables, figures, byChapter = "by_chapter", headings
    }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        layouts = try c.decodeIfPresent([String].self, forKey: .layouts) ?? []
        // Filled in from the theme's strings by the loader when absent.
        tables = try c.decodeIfPresent(String.self, forKey: .tables) ?? ""
        figures = try c.decodeIfPresent(String.self, forKey: .figures) ?? ""
        byChapter = try c.decodeIfPresent(Bool.self, forKey: .byChapter) ?? false
        let style = try c.decodeIfPresent(String.self, forKey: .headings) ?? "none"
        guard let known = HeadingStyle(rawValue: style) else {
            throw DecodingError.dataCorruptedError(
                forKey: .headings, in: c,
                debugDescription: "'\(style)' is not a heading style: use \(HeadingStyle.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        headings = known
        for (key, format) in [(CodingKeys.tables, tables), (.figures, figures)] where !format.isEmpty && !format.contains("{n}") {
            throw DecodingError.dataCorruptedError(forKey: key, in: c, debugDescription: "'\(format)' has no '{n}' for the number")
        }
    }

    /// Whether pages of this layout are numbered.
    public func numbers(layout: String?) -> Bool {
        layout.map(layouts.contains) ?? false
    }

    /// The label for a table or figure number ("2", "2-1").
    public func label(_ format: String, number: String) -> String {
        format.replacingOccurrences(of: "{n}", with: number)
    }
}
