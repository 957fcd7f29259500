import PostgresArchive
import PostgresNIO

extension Benchmark {
    /// The PostgreSQL row of `workload` at `count` sessions: both passes of `sessionsync sync`
    /// into a fresh database, checked and measured there, then ``PostgresBaseline`` into another
    /// fresh database of the same server. Each database is dropped once it is measured, so the
    /// server holds one benchmark database at a time.
    static func measurePostgres(
        _ workload: Workload, sessions count: Int, api: PrerenderedAPI, binary: String, directory: String,
        postgres: BenchPostgres
    ) async throws -> Measurement {
        let (passes, rows, maxCommit, secondWritten) = try await postgres.withDatabase { location in
            let passes = try await SyncPasses.run(
                workload, sessions: count, api: api, binary: binary, directory: directory,
                database: location.description,
                extraConfig: postgres.password == nil ? "" : #""databasePassword": {"env": "BENCH_DB_PASSWORD"}, "#,
                extraEnvironment: postgres.password.map { ["BENCH_DB_PASSWORD": $0] } ?? [:]
            ) {
                // The whole database, with the catalog every PostgreSQL database has (some 7 MB).
                try await postgres.withConnection(to: location) { connection in
                    Int(
                        try await BenchPostgres.scalar(
                            connection, "SELECT pg_database_size(current_database())", as: Int64.self) ?? 0)
                }
            }
            return try await postgres.withConnection(to: location) { connection in
                let rows = Int(try await BenchPostgres.scalar(connection, countRowsSQL, as: Int64.self) ?? 0)
                let sessions = Int(
                    try await BenchPostgres.scalar(connection, "SELECT count(*) FROM sessions", as: Int64.self) ?? 0)
                try check(workload, sessions: count, archived: sessions, rows: rows)
                let maxCommit =
                    try await BenchPostgres.scalar(
                        connection, "SELECT coalesce(max(max_commit_ms), 0) FROM sync_runs", as: Double.self) ?? 0
                let secondWritten = Int(
                    try await BenchPostgres.scalar(connection, secondPassWritesSQL, as: Int64.self) ?? -1)
                return (passes, rows, maxCommit, secondWritten)
            }
        }
        let baseline = try await postgres.withDatabase { location in
            try await PostgresBaseline.run(workload, sessions: count, location: location, password: postgres.password)
        }
        return Measurement(
            workload: workload, store: .postgres, sessions: count, rows: rows, passes: passes,
            baselineRowsPerSecond: Double(baseline.rows) / baseline.seconds, maxCommitMilliseconds: maxCommit,
            secondRowsWritten: secondWritten)
    }
}
