import Foundation
import TianshanModel

#if canImport(Glibc)
import Glibc
#endif

/// One build's writes into the output folder, made visible all at once by `commit` (see `OutputWriter.begin`).
public actor OutputTransaction {
    /// What the writer knows of the output folder as the transaction starts.
    enum Mode {
        /// There is no output folder: write a staging folder and rename it into place.
        case first
        /// A record describes the folder in place (its spare may still be unknown).
        case incremental(Manifest)
        /// An output folder no record describes. `carry`: a record was there (or the previous version's), so
        /// files the site does not produce may be someone else's and are carried along, except `owned` ones.
        case unknown(carry: Bool, owned: Set<String>)
    }

    /// Where a file of the new output comes from, for a path the spare does not hold yet.
    enum Source: Sendable {
        /// A hard link to the output folder's file, whose bytes are already the new ones.
        case output
        /// New bytes, waiting at this path in the scratch folder.
        case scratch(String)
    }

    /// Points between the steps of a commit, where a test can stop it as if the process had been killed.
    enum CrashPoint: Sendable, CaseIterable {
        case recordWritten, spareHalfUpdated, spareUpdated, outputMovedAside, swapped, promoted
    }

    let writer: OutputWriter
    var mode: Mode
    /// Nobody else touches the output folder or the state folder: kept files need no `stat`.
    let trusted: Bool
    /// A look at the output folder taken since the last commit, standing in for a walk of it now.
    let check: OutputCheck?
    /// The caller keeps the committed manifest and passes it to the next `begin`.
    let keptInMemory: Bool
    /// The staging folder (first build) or the scratch folder in the state folder, where new bytes wait.
    let scratchPath: String
    var scratchReady = false
    /// This transaction made the state folder, so one that fails leaves none behind.
    var madeStateFolder = false
    /// `record.next` was written (or the record removed) and the spare may have been changed since.
    var spareTouched = false
    var madeFolders = Set<String>()

    /// Files of the new output decided by `keep` and `put`, with their records.
    var chosen: [String: Manifest.File] = [:]
    /// What the spare needs at each path it does not hold as it should.
    var sources: [String: Source] = [:]
    var putPaths = Set<String>()
    /// After `keepAll(except:)`: every file of the last output stays unless it is in `exceptions`.
    var keptAll = false
    var exceptions = Set<String>()
    var counter = 0
    var failure: WriteError?
    /// What the output holds after `commit`.
    public private(set) var committed: Manifest?

    var scanned: FileSystem.Scan?
    /// Taken before this transaction looked at the output folder: what its record says of the folders dates
    /// from then at the latest.
    let begunAt = KnownFolders.now()

    var crashPoint: CrashPoint?
    var crashed = false
    var exchangeRefused = false

    init(writer: OutputWriter, mode: Mode, trusted: Bool, keptInMemory: Bool, check: OutputCheck? = nil) {
        self.writer = writer
        self.mode = mode
        self.trusted = trusted
        self.check = trusted ? nil : check
        self.keptInMemory = keptInMemory
        let token = "\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        if case .first = mode {
            scratchPath = writer.statePath + "/staging-" + token
        } else {
            scratchPath = writer.statePath + "/scratch-" + token
        }
    }

    /// Set once `commit` starts, after which `previous` no longer describes the folder in place.
    var commitTried = false

    /// The record of the folder in place this transaction started from. After a commit that kept every file,
    /// it lists only the paths that commit changed.
    public var previous: Manifest? {
        if case .incremental(let manifest) = mode { return manifest }
        return nil
    }

    // MARK: Keeping files

    /// Keeps files the build did not render again because none of their inputs changed; returns those still
    /// in place (a file deleted or changed behind the build's back must be rendered again).
    public func keep(_ paths: [String]) -> Set<String> {
        guard failure == nil, let previous else { return [] }
        var kept = Set<String>()
        for path in paths {
            guard let file = previous.files[path], let (reused, source) = reuse(path, file.signature, previous) else { continue }
            chosen[path] = reused
            sources[path] = source
            kept.insert(path)
        }
        return kept
    }

    /// Keeps every file of the last write that is among `expected` (nil: all of them) and still in place, for a
    /// build that knows which few outputs it renders again (a file put later replaces the kept one). Returns the
    /// paths it could not keep because they are not in place as recorded: their outputs must be rendered again.
    public func keepAll(expected: Set<String>?) -> Set<String>? {
        guard failure == nil, !keptAll, let previous else { return nil }
        var paths = Set<String>()
        if let expected { for path in previous.files.keys where !expected.contains(path) { paths.insert(path) } }
        var lost = check?.tampered ?? []
        paths.formUnion(lost)
        var decided: [(String, Manifest.File, Source?)] = []
        if trusted || check != nil, let spare = previous.spare {
            // Only where the spare differs from the output is there anything to do.
            for (path, entry) in spare where !paths.contains(path) && chosen[path] == nil {
                guard let file = previous.files[path] else { continue }
                if case .file(let held) = entry, held.signature == file.signature {
                    decided.append((path, held, nil))
                } else {
                    decided.append((path, file, .output))
                }
            }
        } else {
            for (path, file) in previous.files where !paths.contains(path) && chosen[path] == nil {
                guard let (reused, source) = reuse(path, file.signature, previous) else {
                    lost.insert(path)
                    paths.insert(path)
                    continue
                }
                if reused != file || source != nil { decided.append((path, reused, source)) }
            }
        }
        for (path, file, source) in decided {
            chosen[path] = file
            if let source { sources[path] = source }
        }
        keptAll = true
        exceptions = paths
        return lost
    }

    /// Where the new output's file at `path` with these bytes can come from without writing it: the spare's
    /// file (no source needed) or a link to the output's; nil when neither holds them as recorded.
    ///
    /// The output's files are checked against what a scan of the folder found (unless trusted). The spare's
    /// need no check of their own: the record of each was made from that scan when the spare was last the
    /// output folder, and nobody touches the spare since, except through a file it shares with the output (the
    /// same inode), which an edit in place there changes here too.
    func reuse(_ path: String, _ signature: String, _ previous: Manifest) -> (Manifest.File, Source?)? {
        if let check {
            // Checked since the last commit: what was in place as recorded still is, as in a trusted folder.
            if check.tampered.contains(path) { return nil }
            if let held = previous.spareFile(path), held.signature == signature { return (held, nil) }
            if let output = previous.files[path], output.signature == signature { return (output, .output) }
            return nil
        }
        let found = trusted ? nil : observed(path)
        if let held = previous.spareFile(path), held.signature == signature, found?.inode != held.inode || held.matches(found) {
            return (held, nil)
        }
        if let output = previous.files[path], output.signature == signature, trusted || output.matches(found) {
            return (output, .output)
        }
        return nil
    }

    /// What the scan of the output folder found at `path`.
    func observed(_ path: String) -> FileSystem.Stamp? {
        outputScan().files[path]
    }

    /// The output folder as it is now, read once (every folder listed, every file's `stat`), for callers that
    /// do not trust it.
    func outputScan() -> FileSystem.Scan {
        if let scanned { return scanned }
        let scan = FileSystem.scan(writer.outputPath, known: previous.flatMap(KnownFolders.init))
        scanned = scan
        return scan
    }

    // MARK: Putting files

    /// Adds rendered files (hashing them; files whose bytes the output or the spare already hold are not written).
    public func put(_ files: [OutputFile]) throws(WriteError) {
        if let failure { throw failure }
        var writes: [Write] = []
        for file in files {
            let signature = "h" + String(ContentHash.hash(file.bytes), radix: 16)
            if try claim(file.path, signature) { continue }
            writes.append(Write(path: file.path, signature: signature, content: .bytes(file.bytes)))
        }
        try perform(writes)
    }

    /// Adds files copied as they are; a copy whose source kept its size and modification time is not read.
    public func copy(_ copies: [OutputCopy]) throws(WriteError) {
        if let failure { throw failure }
        var writes: [Write] = []
        for copy in copies {
            let signature = OutputWriter.copySignature(copy.source)
            if try claim(copy.path, signature) { continue }
            writes.append(Write(path: copy.path, signature: signature, content: .copy(copy.source.path)))
        }
        try perform(writes)
    }

    struct Write: Sendable {
        enum Content: Sendable {
            case bytes(Data)
            case copy(String)
        }
        var path: String
        var signature: String
        var content: Content
        /// Where the bytes go: under the staging folder, or a numbered name in the scratch folder.
        var target = ""
    }

    /// Takes `path` for this build's output; true when nothing needs writing (the spare or the output already
    /// holds these bytes, or the path was kept with them).
    func claim(_ path: String, _ signature: String) throws(WriteError) -> Bool {
        guard OutputWriter.isSafe(path) else { throw .unsafePath(path) }
        guard putPaths.insert(path).inserted else { throw .duplicatePath(path) }
        if let kept = chosen[path] ?? keptByKeepAll(path) {
            if kept.signature == signature { return true }
            // Kept by `keepAll`, and now rendered with new bytes: the new ones replace it.
            guard keptAll, !exceptions.contains(path) else { throw .duplicatePath(path) }
            chosen[path] = nil
            sources[path] = nil
        }
        guard let previous, let (reused, source) = reuse(path, signature, previous) else { return false }
        chosen[path] = reused
        sources[path] = source
        return true
    }

    func keptByKeepAll(_ path: String) -> Manifest.File? {
        guard keptAll, !exceptions.contains(path) else { return nil }
        return previous?.files[path]
    }

    /// Writes new bytes on all cores, stopping at the first failure.
    func perform(_ writes: [Write]) throws(WriteError) {
        guard !writes.isEmpty else { return }
        try prepareScratch()
        var writes = writes
        if case .first = mode {
            try makeFolders(for: writes.map(\.path), under: scratchPath)
            for index in writes.indices { writes[index].target = scratchPath + "/" + writes[index].path }
        } else {
            for index in writes.indices {
                counter += 1
                writes[index].target = scratchPath + "/" + String(counter)
            }
        }
        let stop = Parallel.Flag()
        let results = Parallel.map(writes, serialBelow: 8) { write -> Result<FileSystem.Stamp, FileSystem.Failure>? in
            if stop.isSet { return nil }
            do throws(FileSystem.Failure) {
                switch write.content {
                case .bytes(let data):
                    return .success(try FileSystem.write(data, to: write.target))
                case .copy(let source):
                    return .success(try FileSystem.copy(source, to: write.target))
                }
            } catch {
                stop.set()
                return .failure(error)
            }
        }
        for (write, result) in zip(writes, results) {
            guard case .failure(let error) = result else { continue }
            let step: WriteError.SystemFailure.Step
            if case .copy(let source) = write.content {
                step = error.onSource ? .reading(OutputSafety.display(source)) : .copying(OutputSafety.display(source))
            } else {
                step = .writing
            }
            throw fail(.system(.init(code: error.code, folder: writer.folderName, path: write.path, step: step)))
        }
        for (write, result) in zip(writes, results) {
            guard case .success(let stamp) = result else { continue }
            chosen[write.path] = Manifest.File(signature: write.signature, stamp)
            if case .first = mode { continue }
            sources[write.path] = .scratch(write.target)
        }
    }

    // MARK: Committing

    /// Makes the new site visible in one step and records what the output holds, with the caller's `state`
    /// (opaque bytes that `OutputWriter.loadState` returns for as long as this output is in place).
    ///
    /// The steps, and why the output folder is one complete site at every instant:
    /// 1. Files someone else put in the output are found (and carried along).
    /// 2. `record.next` is written, describing both trees as they will be after the swap. From here a build
    ///    that is killed leaves `record.next` beside an output it does not name; the next build discards it,
    ///    keeps `record` (which still names the output in place) and treats the spare as unknown.
    /// 3. The spare is brought up to date: stale files unlinked, new ones linked from the output or renamed in
    ///    from the scratch folder. Nothing is changed in place, since files are hard links shared with the
    ///    output; the output folder is untouched.
    /// 4. The spare and the output are swapped in one `renameat2(RENAME_EXCHANGE)`: before it the old site is
    ///    in place, after it the new one. Where the file system refuses to exchange, the output is renamed aside
    ///    and the spare renamed in: there is then a moment with no output folder, but never a mixed one, and the
    ///    next `begin` finishes or undoes an interrupted swap.
    /// 5. `record.next` becomes `record`. Until it does, the next build finds `record.next` naming the output
    ///    in place and promotes it itself.
    public func commit(state: StateBytes? = nil) throws(WriteError) -> WriteReport {
        if let failure { throw failure }
        commitTried = true
        do {
            let report: WriteReport
            if case .first = mode { report = try commitFirst(state: state) } else { report = try commitSwap(state: state) }
            cleanUp()
            return report
        } catch {
            if !crashed { _ = fail(error) }
            throw error
        }
    }

    /// When what the new record says of the output's folders dates from: this transaction's start, or the
    /// earlier look it used instead of its own.
    var examinedAt: Int64 {
        min(begunAt, check?.takenAt ?? begunAt)
    }

    /// Whether this commit writes the record: not for a trusted caller that keeps the manifest in memory (the
    /// preview's private folder), unless it has state to keep.
    func persists(_ state: StateBytes?) -> Bool {
        !(keptInMemory && trusted) || state != nil
    }

    func commitFirst(state: StateBytes?) throws(WriteError) -> WriteReport {
        try prepareScratch()
        guard let staging = FileSystem.folderID(scratchPath) else { throw fail(preparing(ENOENT)) }
        let manifest = Manifest(files: chosen, spare: nil, foreign: [:], outputFolder: staging, spareFolder: nil, examinedAt: examinedAt)
        try writeNextRecord(manifest, state: state)
        try reach(.recordWritten)
        do { try FileSystem.rename(scratchPath, writer.outputPath) } catch {
            unlink(writer.nextRecordPath)
            throw replacing(error.code)
        }
        scratchReady = false
        try reach(.swapped)
        promote(state)
        committed = manifest
        return WriteReport(written: chosen.count, unchanged: 0, removed: 0, fullSwap: true)
    }

    func commitSwap(state: StateBytes?) throws(WriteError) -> WriteReport {
        var files: [String: Manifest.File] = [:]
        if keptAll, case .incremental(var last) = mode {
            // The new table starts as the last one, moved rather than copied: what follows asks the last record
            // only about the paths this commit changes, so it keeps those alone.
            mode = .first
            files = last.files
            var changed: [String: Manifest.File] = [:]
            for path in exceptions { changed[path] = files[path] }
            for path in chosen.keys { changed[path] = files[path] }
            last.files = changed
            mode = .incremental(last)
            for path in exceptions { files[path] = nil }
        }
        let previous = self.previous
        for (path, file) in chosen { files[path] = file }
        let foreign = try foreignEntries(files)
        try prepareScratch()
        let spareKnown = previous?.spare != nil
        if !spareKnown {
            // What the spare holds is unknown: start a new one, moving the old out of the way for deletion.
            if FileSystem.stamp(writer.sparePath) != nil {
                do { try FileSystem.rename(writer.sparePath, scratchPath + "/old-spare") } catch { throw preparing(error.code) }
            }
            do { try FileSystem.makeFolder(writer.sparePath) } catch { throw preparing(error.code) }
            // Every file comes from the output or the scratch folder.
            for path in files.keys where sources[path] == nil { sources[path] = .output }
        }
        guard let spareFolder = FileSystem.folderID(writer.sparePath), let outputFolder = FileSystem.folderID(writer.outputPath) else {
            throw preparing(ENOENT)
        }
        var spare: [String: Manifest.SpareEntry]?
        if let previous {
            // What the old output holds, as found by the scan: that becomes the spare's record.
            var diff: [String: Manifest.SpareEntry] = [:]
            func compare(_ path: String) {
                guard let old = previous.files[path] else {
                    if files[path] != nil { diff[path] = .absent }
                    return
                }
                if let check {
                    let intact = !check.tampered.contains(path)
                    if intact && old == files[path] { return }
                    diff[path] = intact ? .file(old) : check.missing.contains(path) ? .absent : .file(.unknown)
                    return
                }
                let found = trusted ? nil : observed(path)
                let intact = trusted || old.matches(found)
                if intact && old == files[path] { return }
                diff[path] = intact ? .file(old) : found == nil ? .absent : .file(.unknown)
            }
            if keptAll { for path in exceptions { compare(path) } } else { for path in previous.files.keys { compare(path) } }
            for path in chosen.keys where keptAll || previous.files[path] == nil { compare(path) }
            spare = diff
        }
        var manifest = Manifest(
            files: files, spare: spare, foreign: foreign, outputFolder: spareFolder, spareFolder: previous == nil ? nil : outputFolder,
            examinedAt: examinedAt
        )
        if spareKnown {
            // The record first: a commit stopped while it changes the spare leaves `record.next`, which says the
            // spare is no longer what the record in place says.
            try writeNextRecord(manifest, state: state)
            try reach(.recordWritten)
            try updateSpare(files: files, foreign: foreign, spareKnown: spareKnown)
        } else {
            // A new spare, which no record describes yet (a stop half-way leaves it unknown, as it was): made
            // first, so the record can date what it says of the new output's folders, all made by this commit
            // where no one else writes, from now rather than from before they were made.
            spareTouched = true
            try updateSpare(files: files, foreign: foreign, spareKnown: spareKnown)
            manifest.examinedAt = KnownFolders.now()
            try writeNextRecord(manifest, state: state)
            try reach(.recordWritten)
        }
        // The new output folder takes the old one's permissions, which someone may have changed.
        if let mode = FileSystem.mode(writer.outputPath), FileSystem.mode(writer.sparePath) != mode { chmod(writer.sparePath, mode) }
        try reach(.spareUpdated)
        try swap()
        try reach(.swapped)
        promote(state)
        try reach(.promoted)
        // The old output's own files are unknown without a record: it cannot serve as the spare.
        if previous == nil { FileSystem.removeTree(writer.sparePath) }
        committed = manifest

        var written = 0
        for (path, file) in chosen where previous?.files[path]?.signature != file.signature { written += 1 }
        var removed = 0
        if let previous {
            if keptAll {
                for path in exceptions where previous.files[path] != nil && files[path] == nil { removed += 1 }
            } else {
                for path in previous.files.keys where files[path] == nil { removed += 1 }
            }
        }
        return WriteReport(written: written, unchanged: files.count - written, removed: removed, fullSwap: previous == nil)
    }

    /// Files and folders in the output that no record says Tianshan wrote, which the new output carries along:
    /// found by walking the output unless it is trusted. One in the way of the new site is an error, except a
    /// file at the very path of a new file, which the site replaces (as it always did).
    func foreignEntries(_ files: [String: Manifest.File]) throws(WriteError) -> [String: Manifest.Foreign] {
        var found: [String: Manifest.Foreign]
        switch mode {
        case .incremental(let previous):
            // `files` holds what the last record listed but for the paths this commit changes, which it still lists.
            found = trusted ? previous.foreign : check?.foreign ?? scan { files[$0] != nil || previous.files[$0] != nil }
        case .unknown(let carry, let owned):
            found = carry ? scan { owned.contains($0) } : [:]
        case .first:
            found = [:]
        }
        guard !found.isEmpty else { return found }
        for (path, entry) in found where files[path] != nil {
            guard !entry.isFolder else { throw fail(.system(.init(code: EISDIR, folder: writer.folderName, path: path, step: .writing))) }
            found[path] = nil
        }
        // Only a path the last output did not have can need a folder where a foreign file is.
        for (path, _) in chosen where previous?.files[path] == nil {
            var folder = Self.parent(path)
            while !folder.isEmpty {
                if let entry = found[folder], !entry.isFolder {
                    throw fail(.system(.init(code: EEXIST, folder: writer.folderName, path: folder, step: .makingFolder)))
                }
                folder = Self.parent(folder)
            }
        }
        return found
    }

    /// Entries of the output folder that `isSite` does not claim: files, and folders with no site file below.
    func scan(_ isSite: (String) -> Bool) -> [String: Manifest.Foreign] {
        OutputCheck.foreign(in: outputScan(), isSite: isSite)
    }

    /// Brings the spare to the new output: removals first (so a folder can become a file and back), then the
    /// carried foreign entries, then the site's new and changed files.
    func updateSpare(files: [String: Manifest.File], foreign: [String: Manifest.Foreign], spareKnown: Bool) throws(WriteError) {
        let spare = writer.sparePath
        let output = writer.outputPath
        var emptied = Set<String>()
        let oldForeign = spareKnown ? previous?.foreign ?? [:] : [:]
        if spareKnown, let previous {
            func removeIfGone(_ path: String) {
                guard files[path] == nil, previous.spareFile(path) != nil else { return }
                unlink(spare + "/" + path)
                emptied.insert(Self.parent(path))
            }
            if keptAll { for path in exceptions { removeIfGone(path) } } else { for path in previous.files.keys { removeIfGone(path) } }
            if let held = previous.spare { for path in held.keys { removeIfGone(path) } }
        }
        for (path, entry) in oldForeign where foreign[path] != entry {
            if entry.isFolder { emptied.insert(path) } else {
                unlink(spare + "/" + path)
                emptied.insert(Self.parent(path))
            }
        }
        var folders = Set<String>()
        for folder in emptied where !folder.isEmpty {
            var current = folder
            while !current.isEmpty, folders.insert(current).inserted { current = Self.parent(current) }
        }
        // Deepest first, so a folder emptied by its children goes too; rmdir refuses folders that are not empty.
        for folder in folders.sorted(by: { $0.count > $1.count }) { rmdir(spare + "/" + folder) }

        let added = foreign.filter { oldForeign[$0.key] != $0.value }
        try makeFolders(for: added.filter(\.value.isFolder).map { $0.key + "/" }, under: spare, fresh: true)
        try makeFolders(for: added.filter { !$0.value.isFolder }.map(\.key), under: spare, fresh: true)
        for (path, entry) in added where !entry.isFolder {
            do { try place(link: output + "/" + path, at: path) } catch where error.onSource {
                continue  // removed from the output since the walk: nothing to carry
            } catch {
                throw fail(.system(.init(code: error.code, folder: writer.folderName, path: path, step: .writing)))
            }
        }

        let actions = Array(sources)
        try makeFolders(for: actions.map(\.key), under: spare, fresh: true)
        let half = actions.count / 2
        let stop = Parallel.Flag()
        let indexed = Array(actions.enumerated())
        let crashHalf = crashPoint == .spareHalfUpdated
        let results = Parallel.map(indexed, serialBelow: crashHalf ? Int.max : 512) { index, action -> FileSystem.Failure? in
            if stop.isSet || (crashHalf && index >= half) { return nil }
            do throws(FileSystem.Failure) {
                switch action.value {
                case .output: try self.place(link: output + "/" + action.key, at: action.key)
                case .scratch(let name): try FileSystem.rename(name, spare + "/" + action.key)
                }
                return nil
            } catch {
                stop.set()
                return error
            }
        }
        for ((_, action), failure) in zip(indexed, results) {
            guard let failure else { continue }
            throw fail(.system(.init(code: failure.code, folder: writer.folderName, path: action.key, step: .writing)))
        }
        try reach(.spareHalfUpdated)
    }

    /// Hard-links `source` at `path` in the spare, replacing what is there through a rename.
    nonisolated func place(link source: String, at path: String) throws(FileSystem.Failure) {
        let target = writer.sparePath + "/" + path
        do {
            try FileSystem.link(source, target)
        } catch where error.code == EEXIST {
            let temporary = scratchPath + "/l-" + String(UInt64.random(in: 0...UInt64.max), radix: 36)
            try FileSystem.link(source, temporary)
            do { try FileSystem.rename(temporary, target) } catch {
                unlink(temporary)
                throw error
            }
        }
    }

    /// Puts the spare in the output's place and the old output in the spare's.
    func swap() throws(WriteError) {
        let output = writer.outputPath
        let spare = writer.sparePath
        do throws(FileSystem.Failure) {
            if exchangeRefused { throw FileSystem.Failure(EINVAL) }
            try FileSystem.exchange(spare, output)
            return
        } catch where error.code == EINVAL || error.code == ENOSYS {
            // Below: the file system cannot exchange.
        } catch {
            throw replacing(error.code)
        }
        let aside = writer.asidePath
        do { try FileSystem.rename(output, aside) } catch { throw replacing(error.code) }
        try reach(.outputMovedAside)
        do { try FileSystem.rename(spare, output) } catch {
            _ = Glibc.rename(aside, output)
            throw replacing(error.code)
        }
        // If this fails the next `begin` moves it (`OutputWriter.recoverInterruptedSwap`).
        _ = Glibc.rename(aside, spare)
    }

    func writeNextRecord(_ manifest: Manifest, state: StateBytes?) throws(WriteError) {
        spareTouched = true
        if persists(state) {
            do { try RecordFile.save(manifest, state: state, to: writer.nextRecordPath) } catch {
                throw fail(.system(.init(code: error.code, folder: writer.folderName, path: nil, step: .savingRecord(writer.stateName + "record.next"))))
            }
        } else {
            // Kept in memory only: a record left on disk would describe trees about to change.
            unlink(writer.recordPath)
            unlink(writer.nextRecordPath)
        }
    }

    /// Makes `record.next` the record. The output is already in place, so a failure here is no failure of the
    /// commit: the next build promotes `record.next` itself.
    func promote(_ state: StateBytes?) {
        if persists(state) { _ = Glibc.rename(writer.nextRecordPath, writer.recordPath) }
    }

    /// Throws away everything staged; the output folder is untouched. Returns the record the transaction
    /// started from, which still describes it, unless a commit was tried.
    @discardableResult
    public func abort() -> Manifest? {
        if !crashed { removeScratch() }
        if failure == nil { failure = .system(.init(code: ECANCELED, folder: writer.folderName, path: nil, step: .replacing)) }
        return commitTried ? nil : previous
    }

    // MARK: Helpers

    /// Remembers the first failure (later calls throw it again, so one cause is reported once) and removes
    /// everything staged.
    func fail(_ error: WriteError) -> WriteError {
        if failure == nil { failure = error }
        if !crashed { removeScratch() }
        return failure ?? error
    }

    func removeScratch() {
        if spareTouched {
            // A failed commit may have changed the spare half-way: it goes, and with it `record.next`, whose only
            // use was to mark the spare as unknown.
            if Glibc.rename(writer.sparePath, scratchPath + "/dirty-spare") == 0 || errno == ENOENT { unlink(writer.nextRecordPath) }
            spareTouched = false
        }
        FileSystem.removeTree(scratchPath)
        FileSystem.ScratchRegistry.shared.remove(scratchPath)
        scratchReady = false
        if madeStateFolder { rmdir(writer.statePath) }
    }

    func preparing(_ code: Int32) -> WriteError {
        fail(.system(.init(code: code, folder: writer.folderName, path: nil, step: .preparing(writer.stateName))))
    }

    func replacing(_ code: Int32) -> WriteError {
        fail(.system(.init(code: code, folder: writer.folderName, path: nil, step: .replacing)))
    }

    func prepareScratch() throws(WriteError) {
        guard !scratchReady else { return }
        if FileSystem.stamp(writer.statePath) == nil { madeStateFolder = true }
        FileSystem.ScratchRegistry.shared.insert(scratchPath)
        do {
            try FileSystem.makeFolders(writer.statePath)
            try FileSystem.makeFolder(scratchPath)
        } catch {
            throw preparing(error.code)
        }
        scratchReady = true
    }

    /// Creates the folders `paths` need under `root`, parents first; `fresh` forgets which exist (another tree).
    func makeFolders(for paths: [String], under root: String, fresh: Bool = false) throws(WriteError) {
        if fresh { madeFolders = [] }
        var needed = Set<String>()
        for path in paths {
            var folder = Self.parent(path)
            while !folder.isEmpty, !madeFolders.contains(folder), needed.insert(folder).inserted { folder = Self.parent(folder) }
        }
        for folder in needed.sorted(by: { $0.count < $1.count }) {
            do { try FileSystem.makeFolder(root + "/" + folder) } catch {
                throw fail(.system(.init(code: error.code, folder: writer.folderName, path: folder, step: .makingFolder)))
            }
            madeFolders.insert(folder)
        }
        if fresh { madeFolders = [] }
    }

    /// After a commit: scratch gone, leftovers of killed builds swept, the previous version's record retired.
    func cleanUp() {
        FileSystem.removeTree(scratchPath)
        FileSystem.ScratchRegistry.shared.remove(scratchPath)
        scratchReady = false
        spareTouched = false
        unlink(writer.legacyManifestPath)
        writer.sweepLeftovers()
    }

    func reach(_ point: CrashPoint) throws(WriteError) {
        guard crashPoint == point else { return }
        crashed = true
        FileSystem.ScratchRegistry.shared.remove(scratchPath)
        failure = .system(.init(code: ECANCELED, folder: writer.folderName, path: nil, step: .replacing))
        throw failure!
    }

    /// Test hook: stop the next commit at `point` as if the process had been killed there.
    func simulateCrash(at point: CrashPoint?) { crashPoint = point }

    /// Test hook: behave as on a file system that cannot exchange two folders.
    func refuseExchange() { exchangeRefused = true }

    static func parent(_ path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "" }
        return String(path[..<slash])
    }
}
