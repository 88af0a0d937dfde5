/// A text file read from disk, named by its path relative to its root folder.
public struct TextFile: Sendable, Equatable {
    public var path: String
    public var text: String
    public init(path: String, text: String) {
        self.path = path
        self.text = text
    }
}
