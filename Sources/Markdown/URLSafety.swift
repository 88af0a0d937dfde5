/// Link targets that must never reach a page, whatever the Markdown options.
public enum URLSafety {
    public static func isDangerous(_ url: String, isImage: Bool) -> Bool {
        // Browsers ignore ASCII whitespace and control characters inside a scheme ("java\tscript:").
        let scheme = String(url.unicodeScalars.filter { $0.value > 0x20 && $0 != "\u{7F}" }.prefix(16)).lowercased()
        if scheme.hasPrefix("javascript:") || scheme.hasPrefix("vbscript:") || scheme.hasPrefix("file:") { return true }
        if scheme.hasPrefix("data:") {
            // Only raster images may be inlined, and only as images.
            let allowed = ["data:image/png", "data:image/gif", "data:image/jpeg", "data:image/webp"]
            return !(isImage && allowed.contains { scheme.hasPrefix($0) })
        }
        return false
    }
}
