import Foundation
import TianshanLoad
import TianshanModel

/// The default theme's zh-CN strings, which the expectations of these tests are written in.
let zhWords: ThemeStrings = themeWords("zh-CN")

/// The shipped theme's strings for `language`, read as a build reads them.
func themeWords(_ language: String) -> ThemeStrings {
    let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Templates")
    let files = ["zh-CN", "en"].map { name in
        TextFile(path: "i18n/\(name).yaml", text: (try? String(contentsOf: root.appendingPathComponent("i18n/\(name).yaml"), encoding: .utf8)) ?? "")
    }
    var config = SiteConfig()
    config.language = language
    return StringsLoader.load(files, config: config, templates: [], templatesDisplay: "Templates/", contentDisplay: "").0
}
