import TianshanModel
import TianshanRender

/// The outputs the search finds and those the sitemap lists, worked out from a plan once and carried with it:
/// a build that reuses the plan looks again only at the jobs of the pages it loaded again and at the rows' pages.
struct OutputLists {
    /// Whether the site has a search (a search page in the theme and `search` on in the config).
    let searches: Bool
    /// By job index, the URL and title of each output the search finds.
    var searched: [Int: (url: String, title: String)]
    /// The jobs whose entry a page's front matter decides, by page index; and the rows' pages, whose titles
    /// come from data the plan does not hash.
    private var pageJobs: [Int: [Int]]
    private var rowJobs: [Int]
    /// The jobs the sitemap lists, and the hash of their site paths.
    let sitemapJobs: [PageJob]
    let sitemapHash: UInt64

    init(jobs: [PageJob], site: Site, searches: Bool) {
        self.searches = searches
        searched = [:]
        pageJobs = [:]
        rowJobs = []
        var sitemap: [PageJob] = []
        var hash = StableHash()
        for index in jobs.indices {
            if SitePlanner.isInSitemap(jobs[index], site: site) {
                sitemap.append(jobs[index])
                hash.add(jobs[index].sitePath)
            }
            guard searches else { continue }
            switch jobs[index].kind {
            case .content(let page): pageJobs[page, default: []].append(index)
            case .row: rowJobs.append(index)
            default: continue
            }
            searched[index] = Self.entry(of: jobs[index], site: site)
        }
        sitemapJobs = sitemap
        sitemapHash = hash.value
    }

    /// These lists for the same plan over a site whose pages at `fresh` were loaded again (with the same
    /// listings: `Site.replacing`) and whose data may have changed.
    func updating(_ fresh: [Int], jobs: [PageJob], site: Site) -> OutputLists {
        var lists = self
        guard searches else { return lists }
        for index in fresh.flatMap({ pageJobs[$0] ?? [] }) + rowJobs { lists.searched[index] = Self.entry(of: jobs[index], site: site) }
        return lists
    }

    /// The URL and title the search finds a job's output by, or nil when it does not find it: the site's pages
    /// (not listings, the home page or the not-found page; not the search page, nor a page whose front matter
    /// says `search: false`) and the data rows' pages.
    static func entry(of job: PageJob, site: Site) -> (url: String, title: String)? {
        switch job.kind {
        case .content(let page):
            guard site.pages[page].kind == .page, job.outputPath != "404.html", job.layout != BuildSession.searchLayout,
                  site.pages[page].frontMatter.params["search"] != .bool(false) else { return nil }
            return (site.url(job.sitePath), site.pages[page].title)
        case .row(let name, let row):
            guard let set = site.dataSets[name], let pages = set.pages else { return nil }
            return (site.url(job.sitePath), set.rows[row][pages.titleField].text)
        default:
            return nil
        }
    }
}
