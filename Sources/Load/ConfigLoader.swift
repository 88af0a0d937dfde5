import TianshanModel

/// Decodes `site.yaml` into a `SiteConfig`.
public enum ConfigLoader {
    public static func load(_ file: TextFile?, displayRoot: String = "") -> Result<SiteConfig, DiagnosticsError> {
        guard let file else {
            return .failure(DiagnosticsError([.error(
                at: SourceLocation(file: displayRoot + SourceReader.configName), "site configuration not found",
                hint: "create \(SourceReader.configName) with at least 'title:'"
            )]))
        }
        return YAMLDocument.decode(SiteConfig.self, from: file.text, file: displayRoot + file.path)
            .mapError { DiagnosticsError([$0]) }
    }
}
