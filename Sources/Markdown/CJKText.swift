/// Character classes for the rule that soft line breaks inside Chinese text vanish instead of becoming spaces.
public enum CJKText {
    /// Ideographs, kana, CJK and full-width punctuation: characters written without spaces between them.
    public static func isWideScript(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x2E80...0x2FDF,   // radicals
             0x3000...0x303F,   // CJK symbols and punctuation (、。「」)
             0x3040...0x30FF,   // hiragana, katakana
             0x3100...0x312F, 0x31A0...0x31BF, // bopomofo
             0x31C0...0x31EF, 0x3200...0x33FF,
             0x3400...0x4DBF,   // extension A
             0x4E00...0x9FFF,   // unified ideographs
             0xF900...0xFAFF,   // compatibility ideographs
             0xFE10...0xFE1F, 0xFE30...0xFE4F, // vertical and compatibility forms
             0xFF00...0xFF60, 0xFFE0...0xFFE6, // full-width forms (，：！（）)
             0x20000...0x3FFFF: // extensions B and later
            return true
        // Quotes, ellipsis and dashes as Chinese text uses them.
        case 0x2018, 0x2019, 0x201C, 0x201D, 0x2014, 0x2026, 0x00B7:
            return true
        default:
            return false
        }
    }

    /// Counts characters for reading time: each CJK character is a unit, other runs of letters are words.
    public static func readingUnits(_ text: String) -> (cjk: Int, words: Int) {
        var cjk = 0
        var words = 0
        var inWord = false
        for scalar in text.unicodeScalars {
            let value = scalar.value
            // ASCII and the ideograph blocks decide without Unicode property lookups, which are slow.
            if value < 0x80 {
                let isWordCharacter = (value >= 0x30 && value <= 0x39) || (value >= 0x41 && value <= 0x5A) || (value >= 0x61 && value <= 0x7A)
                if isWordCharacter, !inWord { words += 1 }
                inWord = isWordCharacter
            } else if (0x4E00...0x9FFF).contains(value) || (0x3400...0x4DBF).contains(value) {
                cjk += 1
                inWord = false
            } else if isWideScript(scalar) {
                if scalar.properties.isAlphabetic { cjk += 1 }
                inWord = false
            } else if scalar.properties.isAlphabetic || scalar.properties.numericType != nil {
                if !inWord { words += 1 }
                inWord = true
            } else {
                inWord = false
            }
        }
        return (cjk, words)
    }
}
