import Foundation
import SQLiteDB
import SessionSyncSupport
import SessionSyncTesting
import Testing

@testable import Archive

@Suite("Tombstones: the writer never writes an erased or expired session again")
struct TombstoneTests {
    static let now = Timestamp(iso8601: "2026-11-22T10:00:00.000Z")!

    /// A session with a child set, as a listing would bring it.
    static func record(_ id: String, user: String? = nil, title: String = "t") -> SessionRecord {
        var record = SessionRecord(externalID: id, kind: .activity)
        record.raw = #"{"id": "\#(id)"}"#
        record.userID = user
        record.title = title
        record.children = [.eventCounts([EventCount(eventType: "total", count: 5)])]
        return record
    }

    static func count(_ store: ArchiveStore, _ sql: String, _ values: SQLiteValue...) throws -> Int64 {
        let statement = try store.connection.prepare(sql)
        try statement.bind(values)
        return try statement.step() ? statement.int64(at: 0) : -1
    }

    @Test(
        "a tombstoned session's record, child sets, queue requests and fulfilled work are skipped and counted; other sessions and the same id in another source are written"
    )
    func writerSkipsTombstoned() throws {
        try withTemporaryDirectory { (directory: String) throws in
            let store = try ArchiveStore(path: directory + "/archive.sqlite")
            let source = try store.ensureSource(name: "s", provider: "isnotai", now: Self.now)
            let other = try store.ensureSource(name: "t", provider: "isnotai", now: Self.now)
            _ = try store.commit(
                ArchiveBatch(
                    sessions: [Self.record("gone", user: "u1"), Self.record("kept", user: "u2")],
                    enqueue: [QueueRequest(kind: "details", externalID: "gone", version: "v1")]),
                sourceID: source.id, now: Self.now)
            let report = try store.erase(userID: "u1", now: Self.now)
            #expect(report.removed["sessions"] == 1 && report.removed["fetch_queue"] == 1)
            #expect(try store.isTombstoned(sourceID: source.id, externalID: "gone"))
            #expect(try !store.isTombstoned(sourceID: source.id, externalID: "kept"))
            #expect(try !store.isTombstoned(sourceID: other.id, externalID: "gone"), "tombstones are per source")

            var batch = ArchiveBatch(
                sessions: [Self.record("gone", user: "u1", title: "again"), Self.record("kept", title: "changed")],
                sessionChildren: [
                    SessionChildren(externalID: "gone", children: [.metadata([MetadataEntry(key: "k", value: "v")])])
                ],
                enqueue: [
                    QueueRequest(kind: "details", externalID: "gone", version: "v2"),
                    QueueRequest(kind: "details", externalID: "kept", version: "v2"),
                ]
            )
            batch.fulfilled = [QueueRequest(kind: "revisit", externalID: "gone", version: "v3")]
            batch.computeFingerprints()
            let stats = try store.commit(batch, sourceID: source.id, now: Self.now.adding(.seconds(60)))
            #expect(stats.sessionsTombstoned == 1 && stats.childSetsTombstoned == 1 && stats.childSetsDropped == 0)
            #expect(stats.sessionsChanged == 1)
            #expect(try Self.count(store, "SELECT count(*) FROM sessions WHERE external_id = 'gone'") == 0)
            #expect(try Self.count(store, "SELECT count(*) FROM sessions WHERE title = 'changed'") == 1)
            #expect(try Self.count(store, "SELECT count(*) FROM session_metadata") == 0)
            #expect(
                try Self.count(store, "SELECT count(*) FROM fetch_queue WHERE external_id = 'gone'") == 0,
                "neither an enqueued nor a fulfilled item of a tombstoned session")
            #expect(try Self.count(store, "SELECT count(*) FROM fetch_queue WHERE external_id = 'kept'") == 1)

            let elsewhere = try store.commit(
                ArchiveBatch(sessions: [Self.record("gone")]), sourceID: other.id, now: Self.now)
            #expect(elsewhere.sessionsInserted == 1 && elsewhere.sessionsTombstoned == 0)
        }
    }

    @Test("a tombstone written by another connection (another process) counts at this writer's next commit")
    func anotherProcessErases() throws {
        try withTemporaryDirectory { (directory: String) throws in
            let path = directory + "/archive.sqlite"
            let daemon = try ArchiveStore(path: path)
            let source = try daemon.ensureSource(name: "s", provider: "isnotai", now: Self.now)
            _ = try daemon.commit(
                ArchiveBatch(sessions: [Self.record("a", user: "u")]), sourceID: source.id, now: Self.now)
            // The daemon's writer has already committed with no tombstone in the table.
            let command = try ArchiveStore(path: path)
            #expect(try command.erase(userID: "u", now: Self.now).removed["sessions"] == 1)
            let stats = try daemon.commit(
                ArchiveBatch(sessions: [Self.record("a", user: "u")]), sourceID: source.id, now: Self.now)
            #expect(stats.sessionsTombstoned == 1 && stats.sessionsInserted == 0)
            #expect(try Self.count(daemon, "SELECT count(*) FROM sessions") == 0)
        }
    }

    @Test("detail requests for a tombstoned session are dropped when a pass drains them; the others are queued")
    func detailRequests() throws {
        try withTemporaryDirectory { (directory: String) throws in
            let store = try ArchiveStore(path: directory + "/archive.sqlite")
            let source = try store.ensureSource(name: "s", provider: "isnotai", now: Self.now)
            _ = try store.commit(
                ArchiveBatch(sessions: [Self.record("gone", user: "u")]), sourceID: source.id, now: Self.now)
            _ = try store.erase(userID: "u", now: Self.now)
            _ = try store.requestDetails(sourceName: "s", externalIDs: ["gone", "new"], now: Self.now)
            let moved = try store.drainDetailRequests(
                sourceName: "s", sourceID: source.id, kind: "details", now: Self.now)
            #expect(moved == 1)
            #expect(try Self.count(store, "SELECT count(*) FROM detail_requests") == 0)
            let queued = try store.dueQueueItems(sourceID: source.id, kind: "details", now: Self.now, limit: 10)
            #expect(queued.map(\.externalID) == ["new"])
        }
    }

    @Test(
        "without tombstones the writer neither makes nor reads a key: one statement per commit is the whole cost"
    )
    func noTombstonesNoKey() throws {
        try withTemporaryDirectory { (directory: String) throws in
            let store = try ArchiveStore(path: directory + "/archive.sqlite")
            let source = try store.ensureSource(name: "s", provider: "isnotai", now: Self.now)
            for index in 0..<3 {
                _ = try store.commit(
                    ArchiveBatch(
                        sessions: [Self.record("s\(index)")],
                        enqueue: [QueueRequest(kind: "details", externalID: "s\(index)")]),
                    sourceID: source.id, now: Self.now)
            }
            #expect(try !store.tombstones.isActive(on: store.connection))
            #expect(try Self.count(store, "SELECT count(*) FROM tombstone_key") == 0)
            #expect(try Self.count(store, "SELECT count(*) FROM sessions") == 3)
            // An erasure that matches nothing makes no key either.
            #expect(try store.erase(userID: "nobody", now: Self.now).removed.total == 0)
            #expect(try Self.count(store, "SELECT count(*) FROM tombstone_key") == 0)
        }
    }

    @Test(
        "a tombstone names a session only by a keyed hash: 32 bytes, not the id, and another archive's key gives another digest"
    )
    func keyedDigest() throws {
        try withTemporaryDirectory { (directory: String) throws in
            var digests: [[UInt8]] = []
            for name in ["a", "b"] {
                let store = try ArchiveStore(path: directory + "/\(name).sqlite")
                let source = try store.ensureSource(name: "s", provider: "isnotai", now: Self.now)
                _ = try store.commit(
                    ArchiveBatch(sessions: [Self.record("ses_0b9f4c1d2e", user: "u")]), sourceID: source.id,
                    now: Self.now)
                _ = try store.erase(userID: "u", now: Self.now)
                let select = try store.connection.prepare("SELECT digest, reason FROM tombstones")
                #expect(try select.step())
                let digest = try #require(select.blob(at: 0))
                #expect(digest.count == 32)
                #expect(select.text(at: 1) == "erased")
                #expect(!String(decoding: digest, as: UTF8.self).contains("ses_0b9f4c1d2e"))
                let key = try #require(try TombstoneFilter.key(on: store.connection, create: false))
                #expect(TombstoneDigest(key: key).digest(sourceID: source.id, externalID: "ses_0b9f4c1d2e") == digest)
                #expect(
                    TombstoneDigest(key: key).digest(sourceID: source.id + 1, externalID: "ses_0b9f4c1d2e") != digest)
                digests.append(digest)
            }
            #expect(digests[0] != digests[1], "each archive has its own random key")
        }
    }

    @Test("a dry run reports exactly what the erasure then removes, and changes nothing")
    func dryRunMatches() throws {
        try withTemporaryDirectory { (directory: String) throws in
            let store = try ArchiveStore(path: directory + "/archive.sqlite")
            let source = try store.ensureSource(name: "s", provider: "realtimekit", now: Self.now)
            // The user's own session, and a meeting of someone else where they spoke and wrote.
            var meeting = SessionRecord(externalID: "m", kind: .meeting)
            meeting.raw = "{}"
            meeting.children = [
                .participants([
                    ParticipantRecord(
                        externalID: "peer-u", userID: "u", displayName: "U", role: nil, joinedAt: nil, leftAt: nil,
                        durationSeconds: nil, raw: #"{"user_id": "u"}"#),
                    ParticipantRecord(
                        externalID: "peer-o", userID: "o", displayName: "O", role: nil, joinedAt: nil, leftAt: nil,
                        durationSeconds: nil, raw: #"{"user_id": "o"}"#),
                ]),
                .messages([
                    MessageRecord(
                        externalID: "1", sender: "U", sentAt: nil, contentType: nil, body: "mine",
                        raw: #"{"participantId": "peer-u"}"#),
                    MessageRecord(
                        externalID: "2", sender: "O", sentAt: nil, contentType: nil, body: "theirs",
                        raw: #"{"participantId": "peer-o"}"#),
                ]),
                .transcripts([
                    TranscriptLine(spokenAt: nil, participantExternalID: "peer-u", speaker: "U", text: "I said"),
                    TranscriptLine(spokenAt: nil, participantExternalID: "peer-o", speaker: "O", text: "they said"),
                    TranscriptLine(spokenAt: nil, participantExternalID: nil, speaker: "u", text: "named by id"),
                ]),
            ]
            _ = try store.commit(
                ArchiveBatch(sessions: [Self.record("own", user: "u"), meeting]), sourceID: source.id, now: Self.now)
            try store.connection.execute(
                """
                INSERT INTO quarantine (source_id, endpoint, reason, raw, raw_hash, first_seen_at, last_seen_at, count)
                VALUES (1, 'e', 'no id', '{"user": "u"}', 'h', 'x', 'x', 1);
                INSERT INTO schema_drift (source_id, endpoint, json_path, expected, found_sample, first_seen_at, last_seen_at, count)
                VALUES (1, 'e', 'p', 'a number', 'a string: "u"', 'x', 'x', 1);
                """)
            let dry = try store.erase(userID: "u", dryRun: true, now: Self.now)
            #expect(try Self.count(store, "SELECT count(*) FROM sessions") == 2)
            #expect(try Self.count(store, "SELECT count(*) FROM participants") == 2)
            #expect(try Self.count(store, "SELECT count(*) FROM tombstone_key") == 0)
            #expect(dry.checkpoint == nil)
            let real = try store.erase(userID: "u", now: Self.now)
            #expect(real.removed == dry.removed && real.cleared == dry.cleared)
            #expect(real.tombstonesAdded == 1 && dry.tombstonesAdded == 1)
            #expect(real.removed["sessions"] == 1 && real.removed["participants"] == 1)
            #expect(real.removed["messages"] == 1 && real.removed["transcripts"] == 2)
            #expect(real.removed["quarantine"] == 1 && real.cleared["schema_drift"] == 1)
            #expect(real.checkpoint?.busy == false)
            let texts = try store.connection.prepare(
                "SELECT group_concat(body) FROM messages UNION ALL SELECT group_concat(text) FROM transcripts")
            var read: [String?] = []
            try texts.forEachRow { read.append($0.text(at: 0)) }
            #expect(read == ["theirs", "they said"])
        }
    }

    @Test(
        "retention is due when never applied, a day after it was, or with another window; it removes only inactive sessions"
    )
    func retentionOncePerDay() throws {
        try withTemporaryDirectory { (directory: String) throws in
            let store = try ArchiveStore(path: directory + "/archive.sqlite")
            let source = try store.ensureSource(name: "s", provider: "isnotai", now: Self.now)
            var old = Self.record("old")
            old.endedAt = Self.now.subtracting(.seconds(10 * 86_400))
            _ = try store.commit(
                ArchiveBatch(sessions: [old, Self.record("recent")]), sourceID: source.id, now: Self.now)
            let window = Duration.seconds(7 * 86_400)
            #expect(try store.retentionDue(sourceID: source.id, retention: window, now: Self.now))
            let removed = try store.applyRetention(sourceID: source.id, retention: window, now: Self.now, chunkSize: 1)
            #expect(removed["sessions"] == 1 && removed["event_counts"] == 1 && removed["session_fingerprints"] == 1)
            #expect(try store.isTombstoned(sourceID: source.id, externalID: "old"))
            #expect(try store.oldestActivity(sourceID: source.id) == Self.now.iso8601)
            #expect(
                try !store.retentionDue(sourceID: source.id, retention: window, now: Self.now.adding(.seconds(3600))))
            #expect(try store.retentionDue(sourceID: source.id, retention: .seconds(86_400), now: Self.now))
            #expect(
                try store.retentionDue(sourceID: source.id, retention: window, now: Self.now.adding(.seconds(86_400))))
            #expect(try store.retentionState(sourceID: source.id)?.sessionsDeleted == 1)
        }
    }
}
