/// One problem found while building, with where it is and what to do about it.
public struct Diagnostic: Error, Hashable, Sendable, Codable, CustomStringConvertible {
    public enum Severity: String, Sendable, Codable, Comparable {
        case warning, error
        public static func < (a: Severity, b: Severity) -> Bool { a == .warning && b == .error }
    }

    public var severity: Severity
    public var location: SourceLocation
    /// The field, key path or template name the problem is about, when there is one.
    public var field: String?
    public var message: String
    public var hint: String?

    public init(_ severity: Severity = .error, at location: SourceLocation, field: String? = nil, _ message: String, hint: String? = nil) {
        self.severity = severity
        self.location = location
        self.field = field
        self.message = message
        self.hint = hint
    }

    public static func error(at location: SourceLocation, field: String? = nil, _ message: String, hint: String? = nil) -> Diagnostic {
        Diagnostic(.error, at: location, field: field, message, hint: hint)
    }

    public static func warning(at location: SourceLocation, field: String? = nil, _ message: String, hint: String? = nil) -> Diagnostic {
        Diagnostic(.warning, at: location, field: field, message, hint: hint)
    }

    public var description: String {
        var text = "\(location): \(severity.rawValue): "
        if let field { text += "[\(field)] " }
        text += message
        if let hint { text += " (hint: \(hint))" }
        return text
    }
}

/// Thrown when a stage found problems; carries all of them, not just the first.
public struct DiagnosticsError: Error, Sendable, CustomStringConvertible {
    public var diagnostics: [Diagnostic]
    public init(_ diagnostics: [Diagnostic]) { self.diagnostics = diagnostics }
    public var description: String { diagnostics.map(\.description).joined(separator: "\n") }
}

extension Array where Element == Diagnostic {
    public var hasErrors: Bool { contains { $0.severity == .error } }
    public var errors: [Diagnostic] { filter { $0.severity == .error } }

    /// Stable order for reports: by file, then position, then text; a problem found twice is listed once.
    public func sortedForReport() -> [Diagnostic] {
        var seen = Set<Diagnostic>()
        return filter { seen.insert($0).inserted }.sorted {
            ($0.location.file, $0.location.line, $0.location.column, $0.message)
                < ($1.location.file, $1.location.line, $1.location.column, $1.message)
        }
    }
}
