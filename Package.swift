// swift-tools-version: 6.2
import PackageDescription

/// Strictness for every target of ours (never applied to dependencies).
let strict: [SwiftSetting] = [
    .swiftLanguageMode(.v6),
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
    .treatAllWarnings(as: .error),
]

/// The migrations live in the top-level `migrations/` folder so that operators can read them;
/// they are compiled into the binary so that a copied executable needs nothing beside it.
let migrationFiles = [
    "0001_initial.sql",
    "0002_run_commit_timing.sql",
    "0003_compact_bookkeeping.sql",
    "0004_schema_drift_and_quarantine.sql",
    "0005_wal_checkpoint_failures.sql",
    "0006_full_text_search.sql",
    "0007_tombstones_and_retention.sql",
]

/// The PostgreSQL archive's own numbered migrations (`migrations/postgres/`), embedded the same way.
let postgresMigrationFiles = [
    "0001_initial.sql",
    "0002_source_leases.sql",
    "0003_sqlite_copy.sql",
]

var fuzzingProducts: [Product] = []
var fuzzingTargets: [Target] = []
/// The libFuzzer harness exists only for `scripts/fuzz.sh`, which sets SESSIONSYNC_FUZZ=1 and
/// builds with `-sanitize=fuzzer,address` in its own scratch folder. It is left out of every
/// other build: its `main` hands over to libFuzzer's driver, which only a sanitizer build links
/// (a plain `swift build` would fail to link it), and its `@testable import`s need a debug build.
if Context.environment["SESSIONSYNC_FUZZ"] == "1" {
    fuzzingProducts.append(.executable(name: "sessionsync-fuzz", targets: ["SessionSyncFuzz"]))
    fuzzingTargets += [
        .target(name: "SessionSyncFuzzDriver"),
        .executableTarget(
            name: "SessionSyncFuzz",
            dependencies: [
                "SessionSyncFuzzDriver", "Providers", "SyncEngine", "Archive", "SessionSyncSupport", "Simulators",
            ],
            swiftSettings: strict
        ),
    ]
}

let package = Package(
    name: "sessionsync",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "sessionsync", targets: ["sessionsync"])
    ] + fuzzingProducts,
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-nio-extras", from: "1.35.2"),
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        // Metrics are recorded through swift-metrics and exposed in Prometheus' text format by swift-prometheus.
        .package(url: "https://github.com/apple/swift-metrics", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
        // RealtimeKit's chat and transcript exports are CSV files (quoted fields, newlines inside messages).
        .package(url: "https://github.com/yaslab/CSV.swift", from: "2.5.2"),
        // HMAC-SHA256 for the tombstones of erased sessions; already in the graph (async-http-client's certificates).
        .package(url: "https://github.com/apple/swift-crypto", from: "4.5.2"),
        // The PostgreSQL archive (issue 17): its wire protocol, TLS and connection pool (PostgresClient).
        .package(url: "https://github.com/vapor/postgres-nio", from: "1.33.2"),
    ],
    targets: [
        .systemLibrary(
            name: "SessionSyncCSQLite",
            pkgConfig: "sqlite3",
            providers: [.apt(["libsqlite3-dev"])]
        ),
        .target(
            name: "SQLiteDB",
            dependencies: ["SessionSyncCSQLite"],
            swiftSettings: strict
        ),
        .target(
            name: "SessionSyncSupport",
            swiftSettings: strict
        ),
        .target(
            name: "Archive",
            dependencies: ["SQLiteDB", "SessionSyncSupport", .product(name: "Crypto", package: "swift-crypto")],
            resources: migrationFiles.map { .embedInCode("../../migrations/\($0)") },
            swiftSettings: strict
        ),
        .target(
            name: "PostgresArchive",
            dependencies: [
                "Archive", "SQLiteDB", "SessionSyncSupport",
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Logging", package: "swift-log"),
            ],
            resources: postgresMigrationFiles.map { .embedInCode("../../migrations/postgres/\($0)") },
            swiftSettings: strict
        ),
        .target(
            name: "SyncEngine",
            dependencies: [
                "Archive", "PostgresArchive", "SessionSyncSupport",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTPCompression", package: "swift-nio-extras"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
                .product(name: "CoreMetrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
            ],
            swiftSettings: strict
        ),
        .target(
            name: "Providers",
            dependencies: [
                "SyncEngine", "Archive", "SessionSyncSupport",
                .product(name: "CSV", package: "CSV.swift"),
            ],
            swiftSettings: strict
        ),
        .target(
            name: "Simulators",
            dependencies: [
                "SessionSyncSupport",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOHTTPCompression", package: "swift-nio-extras"),
            ],
            swiftSettings: strict
        ),
        .target(
            name: "SessionSyncCLI",
            dependencies: [
                "SyncEngine", "Providers", "Archive", "PostgresArchive", "SQLiteDB", "SessionSyncSupport", "Simulators",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
            ],
            swiftSettings: strict
        ),
        .target(
            name: "SessionSyncTesting",
            dependencies: [
                "Providers", "SyncEngine", "Archive", "PostgresArchive", "SQLiteDB", "SessionSyncSupport", "Simulators",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "NIOCore", package: "swift-nio"),
            ],
            swiftSettings: strict
        ),
        .executableTarget(
            name: "sessionsync",
            dependencies: ["SessionSyncCLI"],
            swiftSettings: strict
        ),
        .executableTarget(
            name: "sessionsync-bench",
            dependencies: [
                "Archive", "PostgresArchive", "SQLiteDB", "SessionSyncSupport", "Simulators",
                // The PostgreSQL rows (--postgres): their databases, counts and the COPY baseline.
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
            ],
            swiftSettings: strict
        ),
        .testTarget(
            name: "SQLiteDBTests",
            dependencies: ["SessionSyncTesting", "SQLiteDB"],
            swiftSettings: strict
        ),
        .testTarget(
            name: "SupportTests",
            dependencies: ["SessionSyncSupport"],
            swiftSettings: strict
        ),
        .testTarget(
            name: "ArchiveTests",
            dependencies: ["SessionSyncTesting", "Archive", "SQLiteDB", "SessionSyncSupport"],
            swiftSettings: strict
        ),
        .testTarget(
            name: "SimulatorsTests",
            dependencies: ["Simulators", "SessionSyncSupport"],
            swiftSettings: strict
        ),
        .testTarget(
            name: "SyncEngineTests",
            dependencies: [
                "SessionSyncTesting", "SyncEngine", "Archive", "SQLiteDB", "SessionSyncSupport", "Simulators",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ],
            swiftSettings: strict
        ),
        .testTarget(
            name: "ProvidersTests",
            dependencies: [
                "SessionSyncTesting", "Providers", "SyncEngine", "Archive", "SQLiteDB", "SessionSyncSupport",
                "Simulators",
            ],
            swiftSettings: strict
        ),
        .testTarget(
            name: "PostgresArchiveTests",
            dependencies: [
                "SessionSyncTesting", "PostgresArchive", "SyncEngine", "Providers", "Archive", "SQLiteDB",
                "SessionSyncSupport", "Simulators",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
            ],
            swiftSettings: strict
        ),
        .testTarget(
            name: "EndToEndTests",
            dependencies: [
                "sessionsync", "SessionSyncCLI", "SessionSyncTesting", "SyncEngine", "Archive", "PostgresArchive",
                "SQLiteDB", "SessionSyncSupport", "Simulators",
                .product(name: "PostgresNIO", package: "postgres-nio"),
            ],
            swiftSettings: strict
        ),
    ] + fuzzingTargets
)
