import Foundation
import TianshanModel
import TianshanRender

/// How a page looks in listings: `ContextBuilder.summaryValue` plus the theme's summary partial rendered as
/// `summaryHTML`. The view stage makes it for the pages whose view inputs changed and keeps its hash; the saved
/// state leaves the view itself out (it was half the state's bytes), so a later build makes it again, here,
/// for the pages the outputs it renders show.
struct ListingViews: Sendable {
    let site: Site
    let templates: TemplateLibrary
    let siteValue: TemplateValue
    /// `strings`, made once for every view (`ContextBuilder.stringsValue`).
    let strings: TemplateValue
    let hashes: InputHashes
    /// The closure hash of the summary partial, 0 when the theme has none.
    let summaryTemplate: UInt64
    /// By page index: the URL of the page's PDF, which listings show (a report series lists its editions' PDFs).
    let pdfLinks: [Int: String]

    /// What a page's view is made from besides the build-wide inputs it reads: its text, its Markdown, the
    /// summary partial and its PDF.
    func key(_ index: Int, record: PageRecord, configHash: UInt64) -> UInt64 {
        var pdf = StableHash()
        pdf.add(pdfLinks[index] ?? "")
        return StableHash.of(record.hash, record.contentHash, configHash, summaryTemplate, pdf.value)
    }

    /// The view of the page at `index` and what its summary partial read.
    func make(_ index: Int, content: PageContent?) -> (view: TemplateValue, reads: [String: UInt64]) {
        let base = ContextBuilder.summaryValue(
            site.pages[index], content: content ?? PageContent(html: "", headings: [], summary: "", characters: 0, readingMinutes: 1), site: site,
            pdf: pdfLinks[index]
        )
        guard summaryTemplate != 0 else { return (base, [:]) }
        // A recorder of its own: when made on demand, the reads are the view's, not the output's that asked.
        let recorder = ReadRecorder()
        let html = recorder.recording {
            templates.render(BuildPipeline.summaryView, ContextBuilder.summaryViewContext(base, site: site, siteValue: siteValue, strings: strings, hashes: hashes)) ?? ""
        }
        return (ContextBuilder.withSummaryHTML(base, html), recorder.recorded)
    }
}

/// Views made on demand while outputs render in parallel, each made once.
final class ListingViewCache: @unchecked Sendable {
    // @unchecked: `views` is only touched under `lock`.
    private let lock = NSLock()
    private var views: [Int: TemplateValue] = [:]

    func view(_ index: Int, make: () -> TemplateValue) -> TemplateValue {
        if let made = lock.withLock({ views[index] }) { return made }
        let made = make()
        lock.withLock { views[index] = made }
        return made
    }
}
