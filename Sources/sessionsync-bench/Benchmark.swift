import Archive
import Foundation
import PostgresArchive
import SQLiteDB
import SessionSyncSupport
import Simulators

/// `sessionsync-bench`: the real `sessionsync sync` (a release build beside this binary) against
/// pre-rendered answers on 127.0.0.1, for each workload and size, next to a bare-SQLite baseline.
///
/// With `--postgres URL` (or `--postgres-throwaway`, a cluster of its own), each workload and size
/// also runs into a fresh PostgreSQL database, next to a bare `COPY` baseline into the same server.
///
/// Usage: `swift build -c release && .build/release/sessionsync-bench [--sizes 2000,10000,50000] [--workloads list-only,fan-out,detail] [--postgres URL | --postgres-throwaway]`
@main
struct Benchmark {
    static let usage =
        "usage: sessionsync-bench [--sizes 2000,10000,50000] [--workloads list-only,fan-out,detail,chat] [--without-fts] [--postgres URL | --postgres-throwaway]"

    static func main() async throws {
        var sizes = [2_000, 10_000, 50_000]
        var workloads = Workload.allCases
        var fullTextSearch = true
        var postgresURL: String?
        var throwaway = false
        var arguments = CommandLine.arguments.dropFirst()
        while let argument = arguments.popFirst() {
            switch argument {
            case "--sizes":
                sizes = (arguments.popFirst() ?? "").split(separator: ",").compactMap { Int($0) }
            case "--without-fts":
                fullTextSearch = false
            case "--workloads":
                workloads = (arguments.popFirst() ?? "").split(separator: ",").compactMap {
                    Workload(rawValue: String($0))
                }
            case "--postgres":
                guard let url = arguments.popFirst() else {
                    print(usage)
                    exit(2)
                }
                postgresURL = url
            case "--postgres-throwaway":
                throwaway = true
            default:
                print(usage)
                exit(2)
            }
        }
        if throwaway && postgresURL != nil {
            print(usage)
            exit(2)
        }
        let binary = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent(
            "sessionsync"
        ).path
        guard FileManager.default.isExecutableFile(atPath: binary) else {
            print("sessionsync-bench: \(binary) is missing; build it first: swift build -c release")
            exit(1)
        }
        // Started before anything is measured and stopped after the last row; the cluster also
        // goes if the benchmark fails or is killed (see ThrowawayPostgres).
        let cluster = throwaway ? try ThrowawayPostgres() : nil
        defer { cluster?.stop() }
        let postgres = try (cluster?.url ?? postgresURL).map { try BenchPostgres(url: $0) }
        var header =
            "sessionsync benchmark: \(ProcessInfo.processInfo.activeProcessorCount) cores, SQLite \(try sqliteVersion())"
        if let postgres {
            header += ", PostgreSQL \(try await postgres.version()) at \(postgres.server.endpoint)"
            header += cluster == nil ? "" : " (a throwaway cluster, fsync off)"
        }
        print(
            header + ", binary \(binary)\(fullTextSearch ? "" : ", full-text search triggers dropped (SQLite only)")")
        var results: [Measurement] = []
        for workload in workloads {
            for size in sizes {
                let measurements = try await measure(
                    workload, sessions: size, binary: binary, fullTextSearch: fullTextSearch, postgres: postgres)
                for measurement in measurements { print(measurement.line) }
                results += measurements
            }
        }
        print("")
        print(Measurement.table(results))
    }

    /// The SQLite row of `workload` at `count` sessions, then with `postgres` its PostgreSQL row;
    /// both serve the same pre-rendered answers. Without `fullTextSearch`, both SQLite archives
    /// are created beforehand and their FTS triggers dropped: the same run, minus the cost of
    /// keeping the index.
    static func measure(
        _ workload: Workload, sessions count: Int, binary: String, fullTextSearch: Bool, postgres: BenchPostgres?
    ) async throws -> [Measurement] {
        let directory = NSTemporaryDirectory() + "sessionsync-bench-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let api = PrerenderedAPI(workload: workload, sessions: count)
        let database = directory + "/archive.sqlite"
        if !fullTextSearch { try createWithoutFullTextSearch(database) }
        let passes = try await SyncPasses.run(
            workload, sessions: count, api: api, binary: binary, directory: directory, database: database
        ) {
            fileSize(database) + fileSize(database + "-wal")
        }

        let connection = try Connection(path: database, options: Connection.Options(mode: .readOnly))
        let rows = Int(try connection.scalarInt(countRowsSQL) ?? 0)
        let sessions = Int(try connection.scalarInt("SELECT count(*) FROM sessions") ?? 0)
        try check(workload, sessions: count, archived: sessions, rows: rows)
        let maxCommit = Double(try connection.scalarText("SELECT max(max_commit_ms) FROM sync_runs") ?? "0") ?? 0
        let secondWritten = Int(try connection.scalarInt(secondPassWritesSQL) ?? -1)

        let baselinePath = directory + "/baseline.sqlite"
        if !fullTextSearch { try createWithoutFullTextSearch(baselinePath) }
        let baseline = try Baseline.run(workload, sessions: count, path: baselinePath)
        var measurements = [
            Measurement(
                workload: workload, store: .sqlite, sessions: count, rows: rows, passes: passes,
                baselineRowsPerSecond: Double(baseline.rows) / baseline.seconds, maxCommitMilliseconds: maxCommit,
                secondRowsWritten: secondWritten)
        ]
        if let postgres {
            measurements.append(
                try await measurePostgres(
                    workload, sessions: count, api: api, binary: binary, directory: directory, postgres: postgres))
        }
        return measurements
    }

    /// Data rows of an archive: sessions and their children (the same tables in both kinds).
    static let countRowsSQL =
        "SELECT (SELECT count(*) FROM sessions) + (SELECT count(*) FROM participants) + (SELECT count(*) FROM timeline) + (SELECT count(*) FROM page_history) + (SELECT count(*) FROM event_counts) + (SELECT count(*) FROM messages)"

    /// What the last (second) pass wrote.
    static let secondPassWritesSQL = "SELECT rows_written + sessions_upserted FROM sync_runs ORDER BY id DESC LIMIT 1"

    /// A pass that archived other than every session and child row is no measurement.
    static func check(_ workload: Workload, sessions count: Int, archived sessions: Int, rows: Int) throws {
        guard sessions == count, rows == count * workload.rowsPerSession else {
            throw BenchError(
                "\(workload.rawValue) N=\(count): archived \(sessions) sessions and \(rows) rows, expected \(count) and \(count * workload.rowsPerSession)"
            )
        }
    }

    /// A migrated archive at `path` whose full-text indexes are not kept (their triggers dropped).
    static func createWithoutFullTextSearch(_ path: String) throws {
        let connection = try Connection(path: path)
        try ArchiveMigrations.migrator().migrate(connection, now: { Timestamp.now().iso8601 })
        for table in ["messages", "transcripts"] {
            for suffix in ["ai", "ad", "au"] {
                try connection.execute("DROP TRIGGER \(table)_\(suffix)")
            }
        }
    }

    static func sqliteVersion() throws -> String {
        try Connection(path: ":memory:", options: Connection.Options(journalModeWAL: false)).scalarText(
            "SELECT sqlite_version()") ?? "?"
    }

    static func fileSize(_ path: String) -> Int {
        ((try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? NSNumber)?.intValue ?? 0
    }
}

struct BenchError: Error, CustomStringConvertible {
    let description: String

    init(_ description: String) {
        self.description = description
    }
}
