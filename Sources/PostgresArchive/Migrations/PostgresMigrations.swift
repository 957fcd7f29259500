/// The migrations compiled into the binary from `migrations/postgres/`.
///
/// Adding one takes a line here and a line in Package.swift's `postgresMigrationFiles`; a test
/// checks that this list and the folder hold the same files, byte for byte.
public enum PostgresMigrations {
    /// File name and bytes of each embedded migration, in order.
    public static let files: [(name: String, bytes: [UInt8])] = [
        ("0001_initial.sql", PackageResources._001_initial_sql),
        ("0002_source_leases.sql", PackageResources._002_source_leases_sql),
        ("0003_sqlite_copy.sql", PackageResources._003_sqlite_copy_sql),
    ]

    public static func migrator() throws(PostgresMigrationError) -> PostgresMigrator {
        var migrations: [PostgresMigration] = []
        for file in files {
            migrations.append(
                try PostgresMigration(fileName: file.name, sql: String(decoding: file.bytes, as: UTF8.self)))
        }
        return try PostgresMigrator(migrations: migrations)
    }
}
