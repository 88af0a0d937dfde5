/// The front-matter fields a theme declares beyond the engine's own (`Templates/fields.yaml`), each with its type,
/// so that a theme's pages keep typed, checked fields without the engine knowing them.
public struct ThemeFields: Codable, Sendable, Equatable {
    public var types: [String: FieldType]
    /// The file the declarations came from, for messages (`Templates/fields.yaml`).
    public var file: String
    /// Of the file's text: pages are checked again when it changes.
    public var hash: UInt64

    public init(_ types: [String: FieldType] = [:], file: String = "", hash: UInt64 = 0) {
        self.types = types
        self.file = file
        self.hash = hash
    }

    public var names: [String] { types.keys.sorted() }

    /// The `hash` of declarations read from `file`; 0 without one.
    public static func hash(of file: TextFile?) -> UInt64 { file.map { ContentHash.hash($0.text) } ?? 0 }

    /// Names a theme cannot declare: the engine's own front-matter keys and the names templates already see on a
    /// page, which a declared field would hide.
    public static let reserved: Set<String> = FrontMatter.knownKeys.union([
        "aliases", "year", "tables", "search", "fields", "params", "url", "permalink", "section", "content", "toc", "hasToc",
        "listOfTables", "listOfFigures", "characters", "sourcePath", "isHome", "pdf", "readingMinutes", "dateISO", "dateTime",
        "data", "current",
    ])
}

/// The type of a declared field: a scalar of one of some kinds, a list, or an object with named members.
public indirect enum FieldType: Codable, Sendable, Equatable, CustomStringConvertible {
    case scalar([ScalarKind])
    case list(FieldType)
    case object([FieldMember])

    public var description: String {
        switch self {
        case .scalar(let kinds): return kinds.map(\.rawValue).joined(separator: " | ")
        case .list(let item): return "[\(item)]"
        case .object(let members): return "{" + members.map { "\($0.name): \($0.type)\($0.optional ? "?" : "")" }.joined(separator: ", ") + "}"
        }
    }
}

/// A scalar kind a declared field may hold.
public enum ScalarKind: String, Codable, Sendable, CaseIterable {
    case string, number, integer, bool, date
}

/// One member of an object field; a member is required unless declared with a trailing `?`.
public struct FieldMember: Codable, Sendable, Equatable {
    public var name: String
    public var type: FieldType
    public var optional: Bool

    public init(name: String, type: FieldType, optional: Bool = false) {
        self.name = name
        self.type = type
        self.optional = optional
    }
}
