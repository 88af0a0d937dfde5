/// The word that makes a figure approximate, as Chinese sources write it: 2000余家, 近120家, 超过721.4亿元.
/// A figure keeps it wherever it is shown, so a page never states a bound or an estimate as an exact count.
public struct Qualifier: Hashable, Sendable {
    /// Written before the number (近, 约, 超过) or after it (余, 多, 以上).
    public var word: String
    public var position: Position
    public var bound: Bound

    public enum Position: String, Sendable { case before, after }

    /// What the figure is: at least the number (2000余), at most it (近120), or about it (约).
    public enum Bound: Sendable { case lower, upper, about }

    public init(word: String, position: Position, bound: Bound) {
        self.word = word
        self.position = position
        self.bound = bound
    }

    /// Longest first, so 超过 is found before 超 and 以上 before anything shorter.
    public static let known: [Qualifier] = [
        Qualifier(word: "不少于", position: .before, bound: .lower), Qualifier(word: "超过", position: .before, bound: .lower),
        Qualifier(word: "不到", position: .before, bound: .upper), Qualifier(word: "不足", position: .before, bound: .upper),
        Qualifier(word: "将近", position: .before, bound: .upper), Qualifier(word: "接近", position: .before, bound: .upper),
        Qualifier(word: "大约", position: .before, bound: .about),
        Qualifier(word: "逾", position: .before, bound: .lower), Qualifier(word: "超", position: .before, bound: .lower),
        Qualifier(word: "近", position: .before, bound: .upper), Qualifier(word: "约", position: .before, bound: .about),
        Qualifier(word: "以上", position: .after, bound: .lower), Qualifier(word: "左右", position: .after, bound: .about),
        Qualifier(word: "以下", position: .after, bound: .upper),
        Qualifier(word: "余", position: .after, bound: .lower), Qualifier(word: "多", position: .after, bound: .lower),
    ]

    /// The qualifier a word names, before or after a number.
    public static func named(_ word: String) -> Qualifier? { known.first { $0.word == word } }

    /// Splits "2000余" / "近120" / "超过721.4" into the number text and its qualifier; nil when the text carries
    /// no known qualifier.
    public static func split(_ text: String) -> (number: String, qualifier: Qualifier)? {
        let trimmed = text.trimming(" \t")
        for qualifier in known {
            switch qualifier.position {
            case .before where trimmed.hasPrefix(qualifier.word):
                return (String(trimmed.dropFirst(qualifier.word.count)).trimming(" \t"), qualifier)
            case .after where trimmed.hasSuffix(qualifier.word):
                return (String(trimmed.dropLast(qualifier.word.count)).trimming(" \t"), qualifier)
            default:
                continue
            }
        }
        return nil
    }

    /// The number as shown with the qualifier: "近120", "2,000余".
    public func apply(to number: String) -> String {
        position == .before ? word + number : number + word
    }

    /// The qualifier of a sum of figures with these qualifiers (nil for exact figures): lower bounds add up to a
    /// lower bound, upper bounds to an upper bound, anything else to an estimate.
    public static func ofSum(_ qualifiers: [Qualifier?]) -> Qualifier? {
        let present = qualifiers.compactMap { $0 }
        guard !present.isEmpty else { return nil }
        // Exact figures and lower bounds add up to a lower bound; exact figures and upper bounds to an upper one.
        if present.allSatisfy({ $0.bound == .lower }) { return named("余") }
        if present.allSatisfy({ $0.bound == .upper }) { return named("近") }
        return named("约")
    }
}
