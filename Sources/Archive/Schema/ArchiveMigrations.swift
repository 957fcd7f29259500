import SQLiteDB

/// The migrations compiled into the binary from the top-level `migrations/` folder.
///
/// Adding a migration takes a line here and a line in Package.swift's `migrationFiles`; a test
/// checks that this list and the folder hold the same files, byte for byte.
public enum ArchiveMigrations {
    /// File name and bytes of each embedded migration, in order.
    public static let files: [(name: String, bytes: [UInt8])] = [
        ("0001_initial.sql", PackageResources._001_initial_sql),
        ("0002_run_commit_timing.sql", PackageResources._002_run_commit_timing_sql),
        ("0003_compact_bookkeeping.sql", PackageResources._003_compact_bookkeeping_sql),
        ("0004_schema_drift_and_quarantine.sql", PackageResources._004_schema_drift_and_quarantine_sql),
        ("0005_wal_checkpoint_failures.sql", PackageResources._005_wal_checkpoint_failures_sql),
        ("0006_full_text_search.sql", PackageResources._006_full_text_search_sql),
        ("0007_tombstones_and_retention.sql", PackageResources._007_tombstones_and_retention_sql),
    ]

    public static func migrator() throws(MigrationError) -> Migrator {
        var migrations: [Migration] = []
        for file in files {
            migrations.append(try Migration(fileName: file.name, sql: String(decoding: file.bytes, as: UTF8.self)))
        }
        return try Migrator(migrations: migrations)
    }
}
