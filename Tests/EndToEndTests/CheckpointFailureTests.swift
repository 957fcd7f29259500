import Foundation
import SQLiteDB
import SessionSyncSupport
import SessionSyncTesting
import SyncEngine
import Testing

@testable import Archive
@testable import SessionSyncCLI

@Suite("WAL checkpoint failures: counted, logged once per kind, recorded, shown by status")
struct CheckpointFailureTests {
    @Test(
        "failures reach the metrics, the log (once per kind), wal_checkpoint_failures and `status`, text and JSON")
    func checkpointFailures() async throws {
        try await withTemporaryDirectory { directory in
            let databasePath = directory + "/archive.sqlite"
            let configPath = try writeFile(
                "config.json",
                #"{"database": "\#(databasePath)", "sources": [{"name": "chat", "provider": "yourgpt", "baseURL": "http://127.0.0.1:9", "apiKey": {"env": "YG_KEY"}}]}"#,
                in: directory)
            let configuration = Configuration(file: configPath, database: databasePath, sources: [])
            let logs = LogCapture()
            let metrics = EngineMetrics()
            // The daemon's own path: the archive opened as `run` opens it.
            let archive = try CommandEnvironment(configuration: configuration, databasePath: databasePath)
                .openArchiveDatabase(logger: logs.logger, metrics: metrics)

            // No checkpoint can be made to fail on demand: hand the store's failure log what
            // SQLite would have said.
            try await archive.withStore { store in
                store.checkpoints.failures.record(
                    SQLiteError(code: .ioError, message: "disk I/O error while copying the WAL"))
                store.checkpoints.failures.record(
                    SQLiteError(code: .ioError, message: "disk I/O error while copying the WAL, again"))
                store.checkpoints.failures.record(SQLiteError(code: .busy, message: "database is locked"))
            }
            // Failures are written to the archive between transactions, after the next commit.
            _ = try await archive.commit(ArchiveBatch(), sourceID: 0)

            let exposition = Exposition(
                String(decoding: await metrics.scrape(archive: archive, watching: []), as: UTF8.self))
            #expect(exposition.sum("sessionsync_wal_checkpoint_failures_total") == 3)

            let warnings = logs.text.split(separator: "\n").filter { $0.contains("WAL checkpoint failed") }
            #expect(warnings.count == 2, "\(logs.text)")
            #expect(warnings.contains { $0.contains("disk I/O error while copying the WAL") })
            #expect(warnings.contains { $0.contains("database is locked") })
            #expect(!logs.text.contains("again"), "a second failure of a kind is not logged")

            let recorded = try await archive.withStore { store in
                try store.vitals().checkpointFailures.map { [$0.kind, "\($0.count)", $0.lastMessage] }
            }
            #expect(
                recorded.sorted { $0[0] < $1[0] } == [
                    ["database is locked", "1", "database is locked"],
                    ["disk I/O error", "2", "disk I/O error while copying the WAL, again"],
                ])

            // `status`, another process, reads them from the archive.
            let text = try runSessionSync(["status", "--config", configPath])
            #expect(text.status == 0, "\(text.stderr)")
            #expect(
                text.stdout.contains("  checkpoint: 3 WAL checkpoint(s) failed (")
                    && text.stdout.contains("disk I/O error: 2") && text.stdout.contains("database is locked: 1"),
                "\(text.stdout)")
            #expect(text.stdout.contains("  files:      "), "\(text.stdout)")
            let json = try runSessionSync(["status", "--config", configPath, "--json"])
            let object = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
            let failures = try #require(
                (object["archive"] as? [String: Any])?["checkpointFailures"] as? [String: Any], "\(json.stdout)")
            #expect(failures["count"] as? Int == 3)
            #expect((failures["kinds"] as? [Any])?.count == 2)
            #expect((failures["lastError"] as? String)?.isEmpty == false)
        }
    }
}
