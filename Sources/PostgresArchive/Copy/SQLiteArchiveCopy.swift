import Archive
import Logging
import PostgresNIO
import SQLiteDB
import SessionSyncSupport

/// Copies a SQLite archive into a PostgreSQL archive (`sessionsync copy`), table by table in
/// chunks, each chunk one PostgreSQL transaction together with its table's progress row
/// (`copy_from_sqlite_tables`, migrations/postgres/0003): a copy stopped at any instant keeps
/// what it committed, and the next run continues after it, never writing a row twice.
///
/// The source is read in one read transaction for the whole run (``openSource(_:)``), so the
/// run copies one state of the file even when a writer appends to its WAL meanwhile; a run after
/// an interruption reads the file anew, which is why the daemon must be stopped first. Rows are
/// paged along each table's primary key (keyset paging: every chunk starts with an index seek
/// after the last key, never an OFFSET over what was copied), and ids are kept, so every
/// foreign key holds; identities are moved past the largest ids at the end (``finish()``).
public struct SQLiteArchiveCopy {
    /// How a run found the target.
    public enum Start: Sendable, Equatable {
        /// Empty: this run started the copy.
        case new
        /// A copy of the same file that stopped; it continues.
        case resumed(startedAt: String)
        /// A copy of the same file that finished; only the verification runs again.
        case finished(at: String)
    }

    let source: Connection
    let sourceFile: String
    let archive: PostgresArchiveDatabase
    let chunkRows: Int

    /// - Parameters:
    ///   - source: from ``openSource(_:)``.
    ///   - sourceFile: the file as the copy records it, to tell a later run's `--from` apart.
    ///   - chunkRows: rows per transaction.
    public init(source: Connection, sourceFile: String, archive: PostgresArchiveDatabase, chunkRows: Int) {
        self.source = source
        self.sourceFile = sourceFile
        self.archive = archive
        self.chunkRows = max(1, chunkRows)
    }

    /// The SQLite archive `path`, opened read-only (nothing is written to it, not even a
    /// migration) inside a read transaction that lasts until the connection is closed: every
    /// table is read as of the same instant. Its schema must be this release's.
    public static func openSource(_ path: String) throws -> Connection {
        let connection = try Connection(
            path: path, options: Connection.Options(mode: .readOnly, journalModeWAL: false, foreignKeys: false))
        let migrator = try ArchiveMigrations.migrator()
        let version = try migrator.currentVersion(of: connection)
        guard version == migrator.latestVersion else {
            throw SQLiteArchiveCopyError.sourceSchema(path, version: version, latest: migrator.latestVersion)
        }
        try connection.execute("BEGIN DEFERRED")
        // The first read takes the snapshot the whole copy reads.
        _ = try connection.scalarInt("SELECT count(*) FROM sqlite_master")
        return connection
    }

    /// Rows of `table` in the source.
    public func sourceRows(_ table: CopiedTable) throws -> Int64 {
        try source.scalarInt("SELECT count(*) FROM \"\(table.name)\"") ?? 0
    }

    // MARK: Starting

    /// Claims an empty target for this copy, or finds the copy of the same file an earlier run
    /// began. Refuses a target with rows it did not write, and a copy of another file.
    public func start() async throws -> Start {
        try await archive.withStore("start the copy") { store in
            // One copy starts at a time: a second waits here, then finds the first one's claim.
            try await store.run("LOCK TABLE copy_from_sqlite IN SHARE ROW EXCLUSIVE MODE")
            let claims = try await store.rows(
                """
                SELECT source_file, \(PostgresTime.text("started_at")), \(PostgresTime.text("finished_at"))
                FROM copy_from_sqlite WHERE id = 1
                """, as: (String, String, String?).self)
            if let claim = claims.first {
                guard claim.0 == sourceFile else {
                    throw SQLiteArchiveCopyError.otherSource(archive.server, started: claim.0, given: sourceFile)
                }
                if let finished = claim.2 { return .finished(at: finished) }
                try await checkOnlyCopiedRows(store)
                return .resumed(startedAt: claim.1)
            }
            let filled = try await store.column(
                CopiedTable.all.map { "SELECT '\($0.name)' WHERE EXISTS (SELECT 1 FROM \($0.name))" }
                    .joined(separator: " UNION ALL "), as: String.self)
            guard filled.isEmpty else { throw SQLiteArchiveCopyError.foreignTarget(archive.server, tables: filled) }
            try await store.run(
                "INSERT INTO copy_from_sqlite (id, source_file, started_at) VALUES (1, $1, now())", [.text(sourceFile)])
            try await store.run(
                """
                INSERT INTO copy_from_sqlite_tables (table_name, rows_copied)
                SELECT name, 0 FROM unnest($1::text[]) AS name
                """, [.texts(CopiedTable.all.map(\.name))])
            return .new
        }
    }

    /// Each copied table holds exactly the rows the copy recorded: nothing else wrote to the
    /// target since the copy's last run (a daemon started on it too early).
    private func checkOnlyCopiedRows(_ store: PostgresArchiveStore) async throws {
        let recorded = try await store.rows(
            "SELECT table_name, rows_copied FROM copy_from_sqlite_tables", as: (String, Int64).self)
        for (table, copied) in recorded {
            guard CopiedTable.all.contains(where: { $0.name == table }) else { continue }
            let found = try await store.column("SELECT count(*) FROM \(table)", as: Int64.self).first ?? 0
            guard found == copied else {
                throw SQLiteArchiveCopyError.changedTarget(archive.server, table: table, copied: copied, found: found)
            }
        }
    }

    // MARK: Copying

    /// Copies the rows of `table` the target lacks, calling `progress` with the rows copied so
    /// far after each chunk commits. Returns the rows copied in all, and how many of them an
    /// earlier run had copied.
    @discardableResult
    public func copy(
        _ table: CopiedTable, progress: (Int64) -> Void = { _ in }
    ) async throws -> (copied: Int64, earlier: Int64) {
        let state = try await archive.withStore("read the copy's progress", transaction: false) { store in
            try await store.rows(
                "SELECT rows_copied, done FROM copy_from_sqlite_tables WHERE table_name = $1", [.text(table.name)],
                as: (Int64, Bool).self
            ).first
        }
        let earlier = state?.0 ?? 0
        if state?.1 == true { return (earlier, earlier) }
        var copied = earlier
        var reader = try SQLiteChunkReader(table: table, connection: source, chunkRows: chunkRows)
        if copied > 0 {
            guard try reader.skip(copied) else {
                throw SQLiteArchiveCopyError.changedSource(sourceFile, table: table.name, copied: copied)
            }
        }
        while true {
            let rows = try reader.next()
            if rows.isEmpty { break }
            let parameters = try rows.map { try Self.parameters(of: $0, in: table) }
            try await commit(parameters, of: table, source: rows, after: copied)
            copied += Int64(rows.count)
            progress(copied)
            if rows.count < chunkRows { break }
        }
        try await archive.withStore("record that \(table.name) is copied") { store in
            _ = try await store.run(
                "UPDATE copy_from_sqlite_tables SET done = true WHERE table_name = $1", [.text(table.name)])
        }
        return (copied, earlier)
    }

    /// One chunk and its progress, in one transaction. The progress row moves only from what this
    /// run last saw (`after`): a second copy working on the same table is caught, not doubled.
    private func commit(
        _ rows: [[PostgresParameter]], of table: CopiedTable, source: [[SQLiteValue]], after copied: Int64
    ) async throws {
        do {
            try await archive.withStore("copy rows of \(table.name)") { store in
                try await insert(rows, into: table, store)
                let moved = try await store.count(
                    """
                    UPDATE copy_from_sqlite_tables SET rows_copied = $1
                    WHERE table_name = $2 AND rows_copied = $3 AND NOT done RETURNING 1
                    """, [.int(copied + Int64(rows.count)), .text(table.name), .int(copied)])
                guard moved == 1 else { throw SQLiteArchiveCopyError.concurrentCopy(archive.server, table: table.name) }
            }
        } catch let error as PostgresArchiveError where error.sqlState != nil {
            // The server refused the chunk: find the row it refuses, to name it.
            throw await locate(error, rows, of: table, source: source)
        }
    }

    /// Inserts `rows` with multi-row INSERTs of at most 1,000 rows and 65,535 parameters each.
    private func insert(_ rows: [[PostgresParameter]], into table: CopiedTable, _ store: PostgresArchiveStore)
        async throws
    {
        let perStatement = max(1, min(1_000, 65_535 / table.columns.count))
        for start in stride(from: 0, to: rows.count, by: perStatement) {
            let slice = rows[start..<min(start + perStatement, rows.count)]
            try await store.run(table.insertSQL(rows: slice.count), Array(slice.joined()))
        }
    }

    /// The row of `rows` the server refuses, tried one by one in a transaction that is always
    /// rolled back; `error` itself when no single row is refused (or the search fails).
    private func locate(
        _ error: PostgresArchiveError, _ rows: [[PostgresParameter]], of table: CopiedTable, source: [[SQLiteValue]]
    ) async -> any Error {
        do {
            try await archive.withStore("find the refused row of \(table.name)") { store in
                for (row, values) in zip(rows, source) {
                    try await store.run("SAVEPOINT copy_row")
                    do {
                        try await insert([row], into: table, store)
                    } catch let refused as PostgresArchiveError {
                        throw RefusedRow(
                            error: .row(
                                table.name, key: table.describeKey(of: values),
                                problem: "PostgreSQL refuses it: \(refused.message)"))
                    }
                    try await store.run("RELEASE SAVEPOINT copy_row")
                }
                throw RefusedRow(error: nil)
            }
        } catch let refused as RefusedRow {
            return refused.error ?? error
        } catch {}
        return error
    }

    /// Ends the search for a refused row, rolling its transaction back.
    private struct RefusedRow: Error {
        let error: SQLiteArchiveCopyError?
    }

    /// The parameters of one source row, each checked for what its column holds.
    static func parameters(of row: [SQLiteValue], in table: CopiedTable) throws -> [PostgresParameter] {
        var parameters: [PostgresParameter] = []
        parameters.reserveCapacity(row.count)
        for (value, column) in zip(row, table.columns) {
            guard let parameter = CopiedValue.parameter(value, column.kind) else {
                throw SQLiteArchiveCopyError.row(
                    table.name, key: table.describeKey(of: row),
                    problem:
                        "\(column.name) holds \(CopiedValue.describe(value)), not \(CopiedValue.describe(column.kind))"
                )
            }
            parameters.append(parameter)
        }
        return parameters
    }

    // MARK: Finishing

    /// Moves every identity past its table's largest id, so that a daemon's next insert does not
    /// collide with a copied row, and records that the copy finished. Running it again is harmless.
    /// The SQLite file whose copy into `archive` was started and not finished, if any: a daemon
    /// must not write into a half-copied archive (the copy would then refuse to go on, and the
    /// daemon would carry on from cursors of a file only partly there).
    public static func unfinished(in archive: PostgresArchiveDatabase) async throws -> String? {
        try await archive.withStore("look for an unfinished copy", transaction: false) { store in
            try await store.column(
                "SELECT source_file FROM copy_from_sqlite WHERE finished_at IS NULL", as: String.self
            ).first
        }
    }

    public func finish() async throws {
        try await archive.withStore("finish the copy") { store in
            for table in CopiedTable.all where table.hasIdentity {
                try await store.run(
                    """
                    SELECT setval(pg_get_serial_sequence('\(table.name)', 'id'), coalesce(max(id), 0) + 1, false)
                    FROM \(table.name)
                    """)
            }
            _ = try await store.run(
                "UPDATE copy_from_sqlite SET finished_at = coalesce(finished_at, now()) WHERE id = 1")
        }
    }
}

@available(*, unavailable)
extension SQLiteArchiveCopy: Sendable {}
