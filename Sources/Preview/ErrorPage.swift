import TianshanModel

/// The page the preview shows instead of the site while the latest build failed.
public enum ErrorPage {
    /// A complete HTML document listing every diagnostic as `file:line:column`, escaped; it carries the
    /// reload script so it disappears by itself after the next good build.
    public static func html(diagnostics: [Diagnostic], build: Int) -> String {
        let errors = diagnostics.errors.count
        var items = ""
        for diagnostic in diagnostics {
            items += "<li class=\"\(diagnostic.severity.rawValue)\"><code class=\"location\">\(escape(diagnostic.location.description))</code> "
            items += "<span class=\"severity\">\(diagnostic.severity.rawValue)</span>"
            if let field = diagnostic.field { items += " <span class=\"field\">[\(escape(field))]</span>" }
            items += " <span class=\"message\">\(escape(diagnostic.message))</span>"
            if let hint = diagnostic.hint { items += "<br><span class=\"hint\">hint: \(escape(hint))</span>" }
            items += "</li>\n"
        }
        return """
        <!DOCTYPE html>
        <html lang="en"><head><meta charset="utf-8"><title>Build failed · tianshan preview</title>
        <style>
        body{font:15px/1.5 system-ui,sans-serif;margin:2rem auto;max-width:60rem;padding:0 1rem;color:#222}
        h1{color:#b00020;font-size:1.4rem} ol{padding-left:1.2rem} li{margin:.6rem 0}
        code{background:#f4f4f4;padding:.1rem .3rem;border-radius:3px} .severity{font-weight:bold;color:#b00020}
        .warning .severity{color:#8a6d00} .hint{color:#555}
        </style></head>
        <body>
        <h1>Build failed: \(errors) error\(errors == 1 ? "" : "s")</h1>
        <p>The preview shows the site again as soon as a build succeeds; this page reloads by itself.</p>
        <ol>
        \(items)</ol>
        \(ReloadScript.tag(build: build))
        </body></html>

        """
    }

    /// Escapes the five characters that matter in HTML text and attribute values.
    public static func escape(_ text: String) -> String { HTMLText.escape(text) }
}
