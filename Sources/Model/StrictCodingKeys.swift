/// Coding keys of a type whose YAML keys are all Tianshan's: a key that is none of them is an error naming the
/// closest known key, because a misspelt option that is silently ignored is worse than a failed build.
public protocol StrictCodingKeys: CodingKey, CaseIterable {
    static var knownNames: [String] { get }
}

extension StrictCodingKeys {
    public static var knownNames: [String] { allCases.map(\.stringValue) }
}
