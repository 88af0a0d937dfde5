/// URL-safe names that keep Chinese (and any other) letters: "新疆 高新·人才" → "新疆-高新-人才".
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
            } else if scalar == "-" || props.isWhitespace || props.generalCategory.isSeparatorLike {
                pendingDash = true
            }
            // Other punctuation and symbols are dropped without a dash, as in "C++" → "c".
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

extension Unicode.GeneralCategory {
    /// Punctuation that separates words (dots, slashes, dashes, Chinese commas and brackets) becomes a dash.
    var isSeparatorLike: Bool {
        switch self {
        case .dashPunctuation, .connectorPunctuation, .otherPunctuation, .openPunctuation, .closePunctuation,
             .initialPunctuation, .finalPunctuation, .spaceSeparator, .mathSymbol:
            return true
        default:
            return false
        }
    }
}
