/// The known name an unknown one was most likely meant to be ("baseurl" → "base_url", "titel" → "title").
public enum Suggestion {
    /// The closest of `names` by edit distance (ignoring case, `_` and `-`), if it is close enough to be a
    /// likely misspelling rather than a different word.
    public static func closest(to name: String, among names: [String]) -> String? {
        let wanted = normalized(name)
        var best: (name: String, distance: Int)?
        for candidate in names {
            let distance = editDistance(wanted, normalized(candidate))
            if best == nil || distance < best!.distance { best = (candidate, distance) }
        }
        guard let best else { return nil }
        let limit = max(1, min(3, wanted.count / 3))
        return best.distance <= limit ? best.name : nil
    }

    static func normalized(_ name: String) -> [Character] {
        Array(name.lowercased().filter { $0 != "_" && $0 != "-" })
    }

    /// Levenshtein distance, with a swap of two neighbours counting as one edit.
    static func editDistance(_ a: [Character], _ b: [Character]) -> Int {
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var previous2 = [Int](repeating: 0, count: b.count + 1)
        var previous = Array(0...b.count)
        var current = [Int](repeating: 0, count: b.count + 1)
        for i in 1...a.count {
            current[0] = i
            for j in 1...b.count {
                let cost = a[i - 1] == b[j - 1] ? 0 : 1
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
                if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] { current[j] = min(current[j], previous2[j - 2] + 1) }
            }
            (previous2, previous, current) = (previous, current, previous2)
        }
        return previous[b.count]
    }
}
