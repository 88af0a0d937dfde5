import Foundation

/// Every file under an output folder with its bytes, and the first way one tree differs from another, worded so
/// a failure report says what went stale without opening the files.
struct OutputTree: Equatable {
    var files: [String: Data]

    init(files: [String: Data]) { self.files = files }

    /// A folder that does not exist reads as an empty tree (a first build that failed leaves none).
    init(of folder: URL) throws {
        var files: [String: Data] = [:]
        let root = folder.standardizedFileURL.path
        if let enumerator = FileManager.default.enumerator(atPath: root) {
            while let path = enumerator.nextObject() as? String {
                var isDirectory: ObjCBool = false
                guard FileManager.default.fileExists(atPath: root + "/" + path, isDirectory: &isDirectory), !isDirectory.boolValue else { continue }
                files[path] = try Data(contentsOf: URL(fileURLWithPath: root + "/" + path))
            }
        }
        self.files = files
    }

    /// Nil when both trees hold the same names with the same bytes; otherwise the first differing file (in name
    /// order) with a hint, and how many files differ in all.
    func difference(from expected: OutputTree) -> String? {
        let names = Set(files.keys).union(expected.files.keys).sorted()
        let differing = names.filter { files[$0] != expected.files[$0] }
        guard let first = differing.first else { return nil }
        let hint: String
        switch (expected.files[first], files[first]) {
        case (nil, _): hint = "not in a clean build (stale file left behind)"
        case (_, nil): hint = "missing (a clean build writes it)"
        case (let want?, let got?): hint = Self.hint(want: want, got: got)
        }
        let others = differing.count > 1 ? "; \(differing.count) files differ: \(differing.prefix(6).joined(separator: ", "))\(differing.count > 6 ? ", …" : "")" : ""
        return "\(first): \(hint)\(others)"
    }

    /// Where two versions of a file part: a little of what precedes, then what a clean build has and what the
    /// incremental build has.
    static func hint(want: Data, got: Data) -> String {
        let a = Array(String(decoding: want, as: UTF8.self))
        let b = Array(String(decoding: got, as: UTF8.self))
        var index = 0
        while index < a.count, index < b.count, a[index] == b[index] { index += 1 }
        func excerpt(_ chars: [Character], _ from: Int, _ length: Int) -> String {
            String(chars[min(from, chars.count)..<min(chars.count, from + length)]).replacingOccurrences(of: "\n", with: "⏎")
        }
        let before = excerpt(a, max(0, index - 30), min(30, index))
        return "differs after «…\(before)»: clean build has «\(excerpt(a, index, 60))», incremental has «\(excerpt(b, index, 60))»"
    }
}
