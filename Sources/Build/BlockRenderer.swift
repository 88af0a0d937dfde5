import TianshanModel

/// Renders fenced blocks that hold data specs (```table, ```chart) inside Markdown.
struct BlockRenderer: Sendable {
    let site: Site

    func render(info: String, literal: String, at location: SourceLocation) -> Result<String, DiagnosticsError>? {
        nil
    }
}
