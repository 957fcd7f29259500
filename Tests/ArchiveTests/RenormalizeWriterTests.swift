import Foundation
import SQLiteDB
import SessionSyncSupport
import SessionSyncTesting
import Testing

@testable import Archive

@Suite("renormalize's writer: only what differs, never a new session, never a pass's bookkeeping")
struct RenormalizeWriterTests {
    @Test(
        "a remapped record updates differing columns only, skips insert-only ones, and leaves last_seen_at and the presence count alone"
    )
    func columns() throws {
        try withTemporaryDirectory { (directory: String) throws in
            let store = try ArchiveStore(path: directory + "/archive.sqlite")
            let source = try store.ensureSource(name: "s", provider: "openreplay", now: .now()).id
            var listed = SessionRecord(externalID: "a", kind: .web)
            listed.title = "Old"
            listed.country = "FR"
            listed.raw = #"{"id":"a"}"#
            _ = try store.commit(
                ArchiveBatch(sessions: [listed]), sourceID: source, now: Timestamp(iso8601: "2026-01-01T00:00:00.000Z")!
            )
            try store.connection.execute("UPDATE sessions SET absent_listings = 1")
            let before = try Self.row(store)

            var remapped = SessionRecord(externalID: "a", kind: .web)
            remapped.title = "Old"
            remapped.country = "FR"
            remapped.raw = #"{"id":"a"}"#
            var unchanged = remapped
            unchanged.startedAt = Timestamp(iso8601: "2025-01-01T00:00:00.000Z")
            unchanged.insertOnly = [.startedAt]
            let same = try store.renormalize(sourceID: source, afterSessionID: 0, limit: 10, now: .now()) { _ in
                RemappedSession(record: unchanged)
            }
            #expect(same.sessionsRead == 1 && same.sessionsChanged == 0 && same.rowsWritten == 0)
            #expect(try Self.row(store) == before, "an insert-only column is a placeholder for new rows only")

            remapped.title = "New"
            let changed = try store.renormalize(sourceID: source, afterSessionID: 0, limit: 10, now: .now()) { _ in
                RemappedSession(record: remapped)
            }
            #expect(changed.sessionsChanged == 1 && changed.rowsWritten == 1)
            let after = try Self.row(store)
            #expect(after["title"] == "New")
            #expect(after["updated_at"] != before["updated_at"])
            for column in ["last_seen_at", "first_seen_at", "absent_listings", "country", "started_at"] {
                #expect(after[column] == before[column], "\(column)")
            }
        }
    }

    @Test(
        "child rows are compared one by one: a differing row is rewritten, a vanished key deleted, the rest untouched")
    func childRows() throws {
        try withTemporaryDirectory { (directory: String) throws in
            let store = try ArchiveStore(path: directory + "/archive.sqlite")
            let source = try store.ensureSource(name: "s", provider: "realtimekit", now: .now()).id
            func participant(_ id: String, _ name: String) -> ParticipantRecord {
                ParticipantRecord(
                    externalID: id, userID: nil, displayName: name, role: nil, joinedAt: nil, leftAt: nil,
                    durationSeconds: nil, raw: #"{"id":"\#(id)"}"#)
            }
            var session = SessionRecord(externalID: "m", kind: .meeting)
            session.raw = "{}"
            session.children = [
                .participants([participant("p1", "Ann"), participant("p2", "Bo"), participant("p3", "Cy")])
            ]
            _ = try store.commit(ArchiveBatch(sessions: [session]), sourceID: source, now: .now())
            let ids = try Self.participantIDs(store)

            var remapped = SessionRecord(externalID: "m", kind: .meeting)
            remapped.children = [.participants([participant("p1", "Ann"), participant("p2", "Bob")])]
            let chunk = try store.renormalize(sourceID: source, afterSessionID: 0, limit: 10, now: .now()) { _ in
                RemappedSession(record: remapped)
            }
            // p2 updated, p3 deleted, and the session's updated_at.
            #expect(chunk.rowsWritten == 3)
            let after = try Self.participantIDs(store)
            #expect(after.map(\.0) == ["p1", "p2"])
            #expect(after.map(\.1) == ["Ann", "Bob"])
            // Rows keep their ids: an update in place, not a delete and insert.
            #expect(after.map(\.2) == Array(ids.map(\.2).prefix(2)))
            let fingerprint = try store.connection.prepare(
                "SELECT json_extract(child_sets, '$.participants') FROM session_fingerprints")
            _ = try fingerprint.step()
            #expect(fingerprint.text(at: 0) == ChildSetFingerprint.of(remapped.children[0]))
        }
    }

    @Test("a session missing from the archive is never created")
    func neverInserts() throws {
        try withTemporaryDirectory { (directory: String) throws in
            let store = try ArchiveStore(path: directory + "/archive.sqlite")
            let source = try store.ensureSource(name: "s", provider: "openreplay", now: .now()).id
            let chunk = try store.renormalize(sourceID: source, afterSessionID: 0, limit: 10, now: .now()) { _ in
                Issue.record("no session to remap")
                return RemappedSession(record: nil)
            }
            #expect(chunk.lastSessionID == nil && chunk.sessionsRead == 0)
            #expect(try store.sessionCount(sourceID: source) == 0)
        }
    }

    static func row(_ store: ArchiveStore) throws -> [String: String] {
        let statement = try store.connection.prepare("SELECT * FROM sessions")
        _ = try statement.step()
        var row: [String: String] = [:]
        for index in 0..<statement.columnCount {
            row[statement.columnName(at: index)] = statement.text(at: index) ?? "NULL"
        }
        return row
    }

    static func participantIDs(_ store: ArchiveStore) throws -> [(String, String, String)] {
        let statement = try store.connection.prepare(
            "SELECT external_id, display_name, id FROM participants ORDER BY external_id")
        var rows: [(String, String, String)] = []
        while try statement.step() {
            rows.append((statement.text(at: 0) ?? "", statement.text(at: 1) ?? "", statement.text(at: 2) ?? ""))
        }
        return rows
    }
}
