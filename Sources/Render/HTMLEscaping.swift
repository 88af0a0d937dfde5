import Mustache
import TianshanModel

/// The escaping every template uses: `HTMLText.escape`, the same five replacements as swift-mustache's HTML
/// content type (output byte for byte the same). Its built-in escaper looks up every Character in a dictionary,
/// which for Chinese text means a grapheme-cluster walk per character.
struct HTMLEscaping: MustacheContentType {
    /// The name templates are compiled with (`{{%CONTENT_TYPE:…}}`).
    static let name = "TIANSHAN_HTML"
    /// Prepended to every template on its own line (a standalone tag renders nothing, newline included).
    static let pragma = "{{%CONTENT_TYPE:\(name)}}\n"

    static let registered: Void = MustacheContentTypes.register(HTMLEscaping(), named: name)

    func escapeText(_ text: String) -> String {
        HTMLText.escape(text)
    }
}
