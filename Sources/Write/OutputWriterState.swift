import Foundation

// Placeholder until the crash-consistent writer lands: the state is written after the output, atomically.
extension OutputWriter {
    var stateURL: URL { stateFolder.appendingPathComponent("state") }

    public func loadState() -> [UInt8]? {
        FileManager.default.contents(atPath: stateURL.path).map { [UInt8]($0) }
    }

    public func saveState(_ bytes: [UInt8]) throws {
        try FileManager.default.createDirectory(at: stateFolder, withIntermediateDirectories: true)
        try Data(bytes).write(to: stateURL, options: .atomic)
    }

    public func checkOutputFolder(content: URL, templates: URL, force: Bool) throws(WriteError) {}
}

extension OutputTransaction {
    public func commit(state: [UInt8]?) async throws -> WriteReport {
        try? FileManager.default.removeItem(at: writer.stateURL)
        let report = try await commit()
        if let state { try writer.saveState(state) }
        return report
    }
}
