/// What a caller of the build needs from it; the stages are the same for all.
public struct BuildPolicy: Sendable, Equatable {
    /// Write the output folder (false: `tianshan check`).
    public var writes: Bool
    /// Keep the sources' listing and the output's manifest in memory for the next build, which a watcher tells
    /// which files changed.
    public var keepsTree: Bool
    /// Keep rendered HTML in memory, so a template edit need not render every page's Markdown again.
    public var keepsHTML: Bool
    /// Nobody else touches the output folder (the preview's private folder): kept files need no check.
    public var trustsOutput: Bool
    /// Commit the build state beside the output with every build (the command line). Watch mode saves it
    /// when it stops instead, so an edit does not pay for encoding it.
    public var savesState: Bool

    /// `tianshan build`: one build in a process that ends right after.
    public static let build = BuildPolicy(writes: true, keepsTree: false, keepsHTML: false, trustsOutput: false, savesState: true)
    /// `tianshan check`: every check of a build, nothing written.
    public static let check = BuildPolicy(writes: false, keepsTree: false, keepsHTML: false, trustsOutput: false, savesState: false)
    /// `tianshan build --watch`: the real output folder, rebuilt after every change.
    public static let watch = BuildPolicy(writes: true, keepsTree: true, keepsHTML: true, trustsOutput: false, savesState: false)
    /// `tianshan serve`: a private folder nobody else writes.
    public static let serve = BuildPolicy(writes: true, keepsTree: true, keepsHTML: true, trustsOutput: true, savesState: false)
}
