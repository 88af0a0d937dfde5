// swift-tools-version: 6.0
import PackageDescription

// The folders under Sources/ are the pipeline: Load → Model → Markdown/Render → Write,
// wired together by Build. Each folder is one module so that a stage can only reach
// the stages it is meant to see. Networking (the preview server) stays out of all of them.
// Linux only: the watcher uses inotify, the writer renameat2, the build /proc/self/exe and st_mtim.
let package = Package(
    name: "Tianshan",
    products: [
        .executable(name: "tianshan", targets: ["tianshan"]),
        .library(name: "TianshanBuild", targets: ["TianshanBuild"]),
    ],
    dependencies: [
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache", from: "2.1.1"),
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/yaslab/CSV.swift", from: "2.5.2"),
        // Excel data files (.xlsx): a zip of XML parts.
        .package(url: "https://github.com/weichsel/ZIPFoundation", from: "0.9.20"),
        .package(url: "https://github.com/CoreOffice/XMLCoder", from: "0.18.2"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        // Both already come with Hummingbird; named here because the preview imports them directly.
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
    ],
    targets: [
        // Debian's libcmark (apt: libcmark-dev), found through pkg-config.
        .systemLibrary(name: "Ccmark", path: "Sources/Ccmark", pkgConfig: "libcmark", providers: [.apt(["libcmark-dev"])]),
        .target(name: "TianshanModel", path: "Sources/Model"),
        .target(
            name: "TianshanLoad",
            dependencies: [
                "TianshanModel",
                .product(name: "Yams", package: "Yams"),
                .product(name: "CSV", package: "CSV.swift"),
                .product(name: "ZIPFoundation", package: "ZIPFoundation"),
                .product(name: "XMLCoder", package: "XMLCoder"),
            ],
            path: "Sources/Load"
        ),
        .target(name: "TianshanMarkdown", dependencies: ["Ccmark", "TianshanModel"], path: "Sources/Markdown"),
        .target(
            name: "TianshanRender",
            dependencies: [
                "TianshanModel", "TianshanMarkdown",
                .product(name: "Mustache", package: "swift-mustache"),
            ],
            path: "Sources/Render"
        ),
        .target(name: "TianshanTables", dependencies: ["TianshanModel"], path: "Sources/Tables"),
        .target(name: "TianshanCharts", dependencies: ["TianshanModel", "TianshanTables"], path: "Sources/Charts"),
        // renameat2(RENAME_EXCHANGE), which Glibc does not export to Swift.
        .target(name: "CTianshanSystem", path: "Sources/CTianshanSystem"),
        .target(name: "TianshanPDF", dependencies: ["TianshanModel"], path: "Sources/PDF"),
        // The static search index (token shards and document chunks) the theme's search script reads.
        .target(name: "TianshanSearch", dependencies: ["TianshanModel"], path: "Sources/Search"),
        .target(name: "TianshanWrite", dependencies: ["TianshanModel", "CTianshanSystem"], path: "Sources/Write"),
        // `tianshan new`: new files written from existing ones (the next edition of a report).
        .target(name: "TianshanScaffold", dependencies: ["TianshanModel", "TianshanLoad"], path: "Sources/Scaffold"),
        .target(
            name: "TianshanBuild",
            dependencies: [
                "TianshanModel", "TianshanLoad", "TianshanMarkdown", "TianshanTables", "TianshanCharts", "TianshanRender", "TianshanWrite", "TianshanPDF",
                "TianshanSearch", .product(name: "Yams", package: "Yams"),
            ],
            path: "Sources/Build"
        ),
        // Fuzzing: the harness is a library so tests can replay what the fuzzer found; `make fuzz` builds the
        // executable with -sanitize=fuzzer,address and -DFUZZING.
        .target(name: "TianshanFuzzSupport", dependencies: ["TianshanLoad", "TianshanMarkdown"], path: "Sources/FuzzSupport"),
        .executableTarget(name: "tianshan-fuzz", dependencies: ["TianshanFuzzSupport"], path: "Sources/Fuzz"),
        // Linux inotify, shared by `build --watch` and the preview, so watching needs no HTTP server.
        .target(name: "TianshanWatch", path: "Sources/Watch"),
        // The preview server: the only module that talks HTTP.
        .target(
            name: "TianshanPreview",
            dependencies: [
                "TianshanBuild", "TianshanModel", "TianshanWatch",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            path: "Sources/Preview"
        ),
        // External link checking: the only other module that uses the network (tianshan check --external).
        .target(name: "TianshanLinkCheck", dependencies: ["TianshanModel"], path: "Sources/LinkCheck"),
        .executableTarget(
            name: "tianshan",
            dependencies: [
                "TianshanBuild", "TianshanLinkCheck", "TianshanWatch",
                "TianshanPreview", "TianshanScaffold",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            path: "Sources/CLI"
        ),
        .testTarget(name: "LoadTests", dependencies: ["TianshanLoad", .product(name: "ZIPFoundation", package: "ZIPFoundation")], path: "Tests/LoadTests"),
        .testTarget(name: "ModelTests", dependencies: ["TianshanModel"], path: "Tests/ModelTests"),
        .testTarget(name: "MarkdownTests", dependencies: ["TianshanMarkdown"], path: "Tests/MarkdownTests"),
        .testTarget(name: "RenderTests", dependencies: ["TianshanRender", "TianshanLoad"], path: "Tests/RenderTests"),
        .testTarget(name: "TablesTests", dependencies: ["TianshanTables", "TianshanCharts", "TianshanLoad"], path: "Tests/TablesTests"),
        .testTarget(
            name: "LinkCheckTests",
            dependencies: [
                "TianshanLinkCheck", "TianshanModel",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "Tests/LinkCheckTests"
        ),
        .testTarget(name: "FuzzTests", dependencies: ["TianshanFuzzSupport"], path: "Tests/FuzzTests"),
        .testTarget(name: "SearchTests", dependencies: ["TianshanSearch"], path: "Tests/SearchTests"),
        .testTarget(name: "WriteTests", dependencies: ["TianshanWrite"], path: "Tests/WriteTests"),
        .testTarget(name: "ScaffoldTests", dependencies: ["TianshanScaffold", "TianshanModel"], path: "Tests/ScaffoldTests"),
        .testTarget(name: "WatchTests", dependencies: ["TianshanWatch"], path: "Tests/WatchTests"),
        .testTarget(name: "BuildTests", dependencies: ["TianshanBuild", "TianshanWrite", "TianshanLoad", "TianshanRender", "TianshanMarkdown", "TianshanSearch"], path: "Tests/BuildTests"),
        // Runs the tianshan executable built beside the tests (kills it during its write phase).
        .testTarget(name: "EndToEndTests", dependencies: ["TianshanModel"], path: "Tests/EndToEndTests"),
        .testTarget(
            name: "PreviewTests",
            dependencies: [
                "TianshanPreview", "TianshanModel",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            path: "Tests/PreviewTests"
        ),
    ]
)
