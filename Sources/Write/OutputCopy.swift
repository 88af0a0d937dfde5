import Foundation

/// A file copied unchanged into the output (a template asset, an image beside a case).
public struct OutputCopy: Sendable, Equatable {
    public var source: URL
    public var path: String
    public init(source: URL, path: String) {
        self.source = source
        self.path = path
    }
}
