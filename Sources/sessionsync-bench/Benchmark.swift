import Archive
import Foundation
import SQLiteDB
import SessionSyncSupport
import Simulators

/// `sessionsync-bench`: the real `sessionsync sync` (a release build beside this binary) against
/// pre-rendered answers on 127.0.0.1, for each workload and size, next to a bare-SQLite baseline.
///
/// Usage: `swift build -c release && .build/release/sessionsync-bench [--sizes 2000,10000,50000] [--workloads list-only,fan-out,detail]`
@main
struct Benchmark {
    static func main() async throws {
        var sizes = [2_000, 10_000, 50_000]
        var workloads = Workload.allCases
        var fullTextSearch = true
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
            default:
                print(
                    "usage: sessionsync-bench [--sizes 2000,10000,50000] [--workloads list-only,fan-out,detail,chat] [--without-fts]"
                )
                exit(2)
            }
        }
        let binary = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent(
            "sessionsync"
        ).path
        guard FileManager.default.isExecutableFile(atPath: binary) else {
            print("sessionsync-bench: \(binary) is missing; build it first: swift build -c release")
            exit(1)
        }
        print(
            "sessionsync benchmark: \(ProcessInfo.processInfo.activeProcessorCount) cores, SQLite \(try sqliteVersion()), binary \(binary)\(fullTextSearch ? "" : ", full-text search triggers dropped")"
        )
        var results: [Measurement] = []
        for workload in workloads {
            for size in sizes {
                let measurement = try await measure(
                    workload, sessions: size, binary: binary, fullTextSearch: fullTextSearch)
                print(measurement.line)
                results.append(measurement)
            }
        }
        print("")
        print(Measurement.table(results))
    }

    /// Without `fullTextSearch`, both archives are created beforehand and their FTS triggers
    /// dropped: the same run, minus the cost of keeping the index.
    static func measure(_ workload: Workload, sessions count: Int, binary: String, fullTextSearch: Bool) async throws
        -> Measurement
    {
        let directory = NSTemporaryDirectory() + "sessionsync-bench-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let api = PrerenderedAPI(workload: workload, sessions: count)
        let server = try await SimulatorServer(api: api, gzip: false)
        let database = directory + "/archive.sqlite"
        if !fullTextSearch { try createWithoutFullTextSearch(database) }
        let config = directory + "/config.json"
        try
            #"{"database": "\#(database)", "logLevel": "warning", "sources": [\#(workload.source(baseURL: server.baseURL))]}"#
            .write(toFile: config, atomically: true, encoding: .utf8)
        var environment = ["BENCH_KEY": Workload.key, "PATH": "/usr/bin:/bin"]
        // Allocator settings to try (MALLOC_ARENA_MAX, ...) reach the measured process.
        for (name, value) in ProcessInfo.processInfo.environment where name.hasPrefix("MALLOC_") {
            environment[name] = value
        }
        let log = directory + "/sync.log"

        let first = try ChildProcess.run(binary, ["sync", "--config", config], environment: environment, output: log)
        guard first.status == 0 else {
            throw BenchError("the first pass of \(workload.rawValue) N=\(count) exited \(first.status): \(tail(log))")
        }
        let firstRequests = server.log.count
        let size = fileSize(database) + fileSize(database + "-wal")
        server.log.clear()
        let second = try ChildProcess.run(binary, ["sync", "--config", config], environment: environment, output: log)
        guard second.status == 0 else {
            throw BenchError("the second pass of \(workload.rawValue) N=\(count) exited \(second.status): \(tail(log))")
        }
        let secondRequests = server.log.count
        await server.shutdown()

        let connection = try Connection(path: database, options: Connection.Options(mode: .readOnly))
        let rows = Int(
            try connection.scalarInt(
                "SELECT (SELECT count(*) FROM sessions) + (SELECT count(*) FROM participants) + (SELECT count(*) FROM timeline) + (SELECT count(*) FROM page_history) + (SELECT count(*) FROM event_counts) + (SELECT count(*) FROM messages)"
            ) ?? 0)
        let sessions = Int(try connection.scalarInt("SELECT count(*) FROM sessions") ?? 0)
        guard sessions == count, rows == count * workload.rowsPerSession else {
            throw BenchError(
                "\(workload.rawValue) N=\(count): archived \(sessions) sessions and \(rows) rows, expected \(count) and \(count * workload.rowsPerSession)"
            )
        }
        let maxCommit = Double(try connection.scalarText("SELECT max(max_commit_ms) FROM sync_runs") ?? "0") ?? 0
        let secondWritten = Int(
            try connection.scalarInt("SELECT rows_written + sessions_upserted FROM sync_runs ORDER BY id DESC LIMIT 1")
                ?? -1)

        let baselinePath = directory + "/baseline.sqlite"
        if !fullTextSearch { try createWithoutFullTextSearch(baselinePath) }
        let baseline = try Baseline.run(workload, sessions: count, path: baselinePath)
        return Measurement(
            workload: workload, sessions: count, rows: rows, seconds: first.wallSeconds, cpuSeconds: first.cpuSeconds,
            requests: firstRequests,
            peakRSS: first.peakRSSBytes, databaseBytes: size,
            baselineRowsPerSecond: Double(baseline.rows) / baseline.seconds,
            maxCommitMilliseconds: maxCommit, secondRequests: secondRequests, secondSeconds: second.wallSeconds,
            secondRowsWritten: secondWritten, secondPeakRSS: second.peakRSSBytes
        )
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

    static func tail(_ path: String) -> String {
        let text = (try? String(contentsOfFile: path, encoding: .utf8)) ?? ""
        return String(text.suffix(2000))
    }
}

struct BenchError: Error, CustomStringConvertible {
    let description: String

    init(_ description: String) {
        self.description = description
    }
}
