extension StringProtocol {
    /// The text without any of `characters` at either end (a set given as a string, for short literal sets).
    public func trimming(_ characters: String) -> String {
        var s = self[...]
        while let first = s.first, characters.contains(first) { s = s.dropFirst() }
        while let last = s.last, characters.contains(last) { s = s.dropLast() }
        return String(s)
    }
}
