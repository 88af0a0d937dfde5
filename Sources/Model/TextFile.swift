/// A text file read from disk, named by its path relative to its root folder.
public struct TextFile: Sendable, Equatable {
    public var path: String
    public var text: String
    /// The file's bytes when it is not text (a spreadsheet); `text` is then empty.
    public var bytes: [UInt8]?

    public init(path: String, text: String, bytes: [UInt8]? = nil) {
        self.path = path
        self.text = text
        self.bytes = bytes
    }

    /// Whether the file is read as bytes rather than text (an `.xlsx` workbook is a zip archive).
    public static func isBinary(_ path: String) -> Bool {
        path.lowercased().hasSuffix(".xlsx")
    }
}
