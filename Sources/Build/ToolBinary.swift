import Foundation
import TianshanLoad

/// The running tianshan binary. Another build of it may render differently, so everything saved beside the
/// output (the input fingerprint, the build cache) names it.
enum ToolBinary {
    static let path = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments.first ?? ""
    static let stamp = FileStamp(of: path)
}
