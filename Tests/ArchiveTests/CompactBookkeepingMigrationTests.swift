import Foundation
import SQLiteDB
import SessionSyncSupport
import SessionSyncTesting
import Testing

@testable import Archive

@Suite("Migration 3: one fingerprint row per session, and a queue index of pending items only")
struct CompactBookkeepingMigrationTests {
    static let now = Timestamp(iso8601: "2026-11-22T10:00:00.000Z")!

    static func record(counts: [Int64], pages: [String]) -> SessionRecord {
        var record = SessionRecord(externalID: "a", kind: .activity)
        record.raw = "{}"
        record.children = [
            .eventCounts(
                counts.enumerated().map { EventCount(eventType: ["total", "mouse"][$0.offset], count: $0.element) }),
            .pageHistory(pages.map { PageVisit(url: $0, visitedAt: nil, type: nil, durationMilliseconds: nil) }),
        ]
        return record
    }

    /// The fingerprints the current writer stores for `record`, by child-set name.
    static func fingerprints(of record: SessionRecord, directory: String) throws -> [String: String] {
        let store = try ArchiveStore(path: directory + "/reference.sqlite")
        let source = try store.ensureSource(name: "s", provider: "isnotai", now: now)
        _ = try store.commit(ArchiveBatch(sessions: [record]), sourceID: source.id, now: now)
        let select = try store.connection.prepare("SELECT key, value FROM session_fingerprints, json_each(child_sets)")
        var result: [String: String] = [:]
        try select.forEachRow { result[$0.text(at: 0) ?? ""] = $0.text(at: 1) }
        return result
    }

    @Test("fingerprints written one row per set under schema 2 still say 'unchanged' after migrating")
    func fingerprintsSurvive() throws {
        try withTemporaryDirectory { (directory: String) throws in
            let original = Self.record(counts: [3, 4], pages: ["/a", "/b"])
            let expected = try Self.fingerprints(of: original, directory: directory)
            #expect(expected.keys.sorted() == ["event_counts", "page_history"])

            // An archive as schema 2 left it: the session, its rows, one fingerprint row per set.
            let path = directory + "/archive.sqlite"
            let connection = try Connection(path: path)
            let all = try ArchiveMigrations.migrator().migrations
            _ = try Migrator(migrations: Array(all.prefix(2))).migrate(connection, now: { Self.now.iso8601 })
            try connection.execute(
                """
                INSERT INTO sources (id, name, provider, created_at) VALUES (1, 's', 'isnotai', '2026-11-22T09:00:00.000Z');
                INSERT INTO sessions (id, source_id, external_id, kind, raw, first_seen_at, last_seen_at, updated_at)
                    VALUES (7, 1, 'a', 'activity', '{}', '2026-11-22T09:00:00.000Z', '2026-11-22T09:00:00.000Z', '2026-11-22T09:00:00.000Z');
                INSERT INTO event_counts VALUES (7, 'total', 3), (7, 'mouse', 4);
                INSERT INTO page_history (session_id, seq, url) VALUES (7, 0, '/a'), (7, 1, '/b');
                """
            )
            let insert = try connection.prepare(
                "INSERT INTO session_child_sets (session_id, child_set, fingerprint, rows, written_at) VALUES (7, ?, ?, 2, '2026-11-22T09:00:00.000Z')"
            )
            for (name, fingerprint) in expected {
                try insert.bind(name, at: 1)
                try insert.bind(fingerprint, at: 2)
                try insert.run()
            }

            let store = try ArchiveStore(path: path)
            #expect(
                try store.connection.scalarInt("SELECT max(version) FROM schema_migrations")
                    == Int64(ArchiveMigrations.files.count))
            #expect(
                try store.connection.scalarInt("SELECT count(*) FROM sqlite_schema WHERE name = 'session_child_sets'")
                    == 0)
            #expect(
                try store.connection.scalarText(
                    "SELECT child_sets ->> 'page_history' FROM session_fingerprints WHERE session_id = 7")
                    == expected["page_history"])

            let unchanged = try store.commit(ArchiveBatch(sessions: [original]), sourceID: 1, now: Self.now)
            #expect(unchanged.rowsWritten == 0, "the migrated fingerprints match the stored rows: \(unchanged)")

            // A changed set is rewritten; the other keeps its migrated fingerprint.
            let changed = try store.commit(
                ArchiveBatch(sessions: [Self.record(counts: [3, 4], pages: ["/c"])]), sourceID: 1, now: Self.now)
            #expect(
                changed.rowsWritten == 1 + 2 + 1,
                "the session, the two old pages deleted, the new one inserted: \(changed)")
            #expect(
                try store.connection.scalarText("SELECT group_concat(url) FROM page_history WHERE session_id = 7")
                    == "/c")
            #expect(
                try store.connection.scalarText(
                    "SELECT child_sets ->> 'event_counts' FROM session_fingerprints WHERE session_id = 7")
                    == expected["event_counts"])
            #expect(
                try store.connection.scalarText(
                    "SELECT child_sets ->> 'page_history' FROM session_fingerprints WHERE session_id = 7")
                    != expected["page_history"])
        }
    }

    @Test("due queue items are found through the pending-only index")
    func pendingIndex() throws {
        try withTemporaryDirectory { (directory: String) throws in
            let store = try ArchiveStore(path: directory + "/archive.sqlite")
            let source = try store.ensureSource(name: "s", provider: "isnotai", now: Self.now)
            var batch = ArchiveBatch()
            batch.enqueue = [QueueRequest(kind: "details", externalID: "pending", version: "1")]
            batch.fulfilled = [QueueRequest(kind: "details", externalID: "done", version: "1")]
            _ = try store.commit(batch, sourceID: source.id, now: Self.now)

            let due = try store.dueQueueItems(sourceID: source.id, kind: "details", now: Self.now, limit: 10)
            #expect(due.map(\.externalID) == ["pending"])
            // The plan of the very statement `dueQueueItems` runs.
            let plan = try store.connection.prepare("EXPLAIN QUERY PLAN " + ArchiveStore.dueItemsSQL)
            try plan.bind(source.id, at: 1)
            try plan.bind("details", at: 2)
            try plan.bind(Self.now.iso8601, at: 3)
            try plan.bind(Int64(10), at: 4)
            var details: [String] = []
            try plan.forEachRow { details.append($0.text(at: 3) ?? "") }
            #expect(details.contains { $0.contains("fetch_queue_pending_due") }, "\(details)")
            #expect(try store.connection.scalarInt("SELECT count(*) FROM fetch_queue WHERE state = 'done'") == 1)
        }
    }
}
