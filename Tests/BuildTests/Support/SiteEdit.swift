/// One step of a differential run: what changed, the sources after it, and how it reaches the disk.
struct SiteEdit {
    enum Kind: String, CaseIterable {
        // Front matter
        case pageTitle, tagAdd, tagRemove, tagRename, tagRenameEverywhere, date, summary, weight, draft, slug, layout
        // Bodies
        case bodyText, bodyLink, heading, tableBlock, image, resave
        // Pages and folders; editor files are backups and swap files the build and the watcher ignore
        case pageAdd, pageMove, pageDelete, folderRename, folderMoveAway, folderMoveIn, sectionIndexAdd, sectionIndexRemove, editorFiles
        // Data
        case dataRowAdd, dataRowRemove, dataRowEdit, dataFileAdd, dataFileRemove
        // site.yaml
        case configTitle, configBaseURL, configNavigation, configPaginate, configParams
        // Assets
        case contentAssetAdd, contentAssetEdit, contentAssetRemove, templateAssetAdd, templateAssetEdit, templateAssetRemove
        // Templates
        case partialEdit, layoutEdit, layoutFileAdd, layoutFileRemove
        // Edits that make the site invalid, and the edit that repairs it
        case breakBadDate, breakMissingPage, breakMissingAnchor, breakMissingPartial, breakUnknownLayout, breakBadData
        case breakBadConfig, breakSlugCollision, breakDuplicateData, breakDeletedTarget, breakRemovedHeading, breakUnknownField
        case fix

        var breaksSite: Bool { rawValue.hasPrefix("break") }
    }

    /// A folder moved as a whole (model keys: "Content/cases" → "Content/studies"); nil is a place outside the
    /// site, for a folder moved in from elsewhere or away. A watcher sees only the folder's names, not the files
    /// inside.
    struct FolderMove: Equatable {
        var from: String?
        var to: String?
    }

    var kind: Kind
    var detail: String
    /// The sources after the edit.
    var model: SiteModel
    var folderMoves: [FolderMove] = []
    /// Files saved again with the bytes they had (model keys).
    var resaved: [String] = []
    /// What the checker predicts the build reports; empty means the build must succeed.
    var problems: [String] = []
    /// Made while an earlier breakage was still unrepaired.
    var whileBroken = false

    var description: String { "\(kind.rawValue)\(whileBroken ? " (site still broken)" : ""): \(detail)" }
}
