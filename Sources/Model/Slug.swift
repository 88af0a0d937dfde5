/// URL-safe names that keep Chinese (and any other) letters, as GitHub makes heading anchors:
/// letters and digits stay, white space becomes "-", other punctuation is dropped ("一、现有 基础" → "一现有-基础").
public enum Slug {
    public static func make(_ text: String) -> String {
        var out = ""
        var pendingDash = false
        for scalar in text.unicodeScalars {
            let props = scalar.properties
            if props.isAlphabetic || props.numericType != nil || scalar == "_" {
                if pendingDash, !out.isEmpty { out.append("-") }
                pendingDash = false
                if props.isUppercase {
                    out += String(scalar).lowercased()
                } else {
                    out.unicodeScalars.append(scalar)
                }
            } else if scalar == "-" || props.isWhitespace || scalar == "\u{3000}" {
                pendingDash = true
            }
        }
        return out
    }

    /// Makes `slug` unique among `used`, appending -1, -2, … as GitHub and Hugo do for repeated headings.
    public static func unique(_ slug: String, in used: inout Set<String>) -> String {
        let base = slug.isEmpty ? "section" : slug
        var candidate = base
        var counter = 0
        while used.contains(candidate) {
            counter += 1
            candidate = "\(base)-\(counter)"
        }
        used.insert(candidate)
        return candidate
    }
}
