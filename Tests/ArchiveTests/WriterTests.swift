import Foundation
import SQLiteDB
import SessionSyncSupport
import SessionSyncTesting
import Testing

@testable import Archive

@Suite("The archive writer: its own thread, fingerprints computed ahead, new rows told from updated ones")
struct WriterTests {
    @Test("writes run on the writer's own thread, named for `top -H`")
    func ownThread() async throws {
        try await withTemporaryDirectory { path in
            let archive = try ArchiveDatabase(path: path + "/archive.sqlite")
            let names = try await archive.withStore { _ in [Self.kernelThreadName(), Thread.isMainThread ? "main" : ""]
            }
            #expect(names == ["archive-writer", ""])
        }
    }

    /// The calling thread's name as the kernel holds it (what `top -H` shows).
    static func kernelThreadName() -> String {
        let name = (try? String(contentsOfFile: "/proc/thread-self/comm", encoding: .utf8)) ?? Thread.current.name ?? ""
        return name.trimmingCharacters(in: .newlines)
    }

    @Test("a record whose child sets change after fingerprinting is written with the new sets' fingerprints")
    func fingerprintsFollowTheChildren() throws {
        try withTemporaryDirectory { (directory: String) throws in
            let store = try ArchiveStore(path: directory + "/archive.sqlite")
            let source = try store.ensureSource(name: "s", provider: "isnotai", now: .now())
            func record(_ counts: [Int64]) -> SessionRecord {
                var record = SessionRecord(externalID: "a", kind: .activity)
                record.raw = "{}"
                record.children = [
                    .eventCounts(
                        counts.enumerated().map {
                            EventCount(eventType: ["total", "mouse"][$0.offset], count: $0.element)
                        })
                ]
                return record
            }
            var first = ArchiveBatch(sessions: [record([1, 2])])
            first.computeFingerprints()
            first.sessions[0].children = record([3, 4]).children
            _ = try store.commit(first, sourceID: source.id, now: .now())

            var again = ArchiveBatch(sessions: [record([3, 4])])
            again.computeFingerprints()
            let stats = try store.commit(again, sourceID: source.id, now: .now())
            #expect(stats.rowsWritten == 0, "the stored fingerprint is the one of the rows written: \(stats)")
            #expect(try store.connection.scalarInt("SELECT sum(count) FROM event_counts") == 7)
        }
    }

    @Test("a session written twice at the same instant is new once, and its second page history replaces the first")
    func sameInstant() throws {
        try withTemporaryDirectory { (directory: String) throws in
            let store = try ArchiveStore(path: directory + "/archive.sqlite")
            let now = Timestamp(iso8601: "2026-11-22T10:00:00.000Z")!
            let source = try store.ensureSource(name: "s", provider: "isnotai", now: now)
            func batch(_ urls: [String]) -> ArchiveBatch {
                var record = SessionRecord(externalID: "a", kind: .activity)
                record.raw = "{}"
                record.children = [
                    .pageHistory(urls.map { PageVisit(url: $0, visitedAt: nil, type: nil, durationMilliseconds: nil) })
                ]
                return ArchiveBatch(sessions: [record])
            }
            let first = try store.commit(batch(["/a", "/b"]), sourceID: source.id, now: now)
            let second = try store.commit(batch(["/c"]), sourceID: source.id, now: now)
            #expect(first.sessionsInserted == 1)
            #expect(second.sessionsInserted == 0)
            let urls = try store.connection.prepare("SELECT url FROM page_history ORDER BY seq")
            var read: [String] = []
            try urls.forEachRow { read.append($0.text(at: 0) ?? "") }
            #expect(read == ["/c"])
        }
    }

    @Test(
        "child sets fetched apart from their session replace its set without touching kind, last_seen_at or presence, and never create a session"
    )
    func sessionChildren() throws {
        try withTemporaryDirectory { (directory: String) throws in
            let store = try ArchiveStore(path: directory + "/archive.sqlite")
            let listed = Timestamp(iso8601: "2026-11-22T10:00:00.000Z")!
            let later = listed.adding(.seconds(60))
            let source = try store.ensureSource(name: "s", provider: "realtimekit", now: listed)
            var record = SessionRecord(externalID: "m1", kind: .livestream)
            record.status = "live"
            _ = try store.commit(ArchiveBatch(sessions: [record]), sourceID: source.id, now: listed)
            try store.connection.execute("UPDATE sessions SET absent_listings = 2")

            let participant = ParticipantRecord(
                externalID: "p1", userID: "u1", displayName: "Ada", role: nil, joinedAt: nil, leftAt: nil,
                durationSeconds: nil, raw: "{}")
            let batch = ArchiveBatch(sessionChildren: [
                SessionChildren(externalID: "m1", children: [.participants([participant])]),
                SessionChildren(externalID: "gone", children: [.participants([participant])]),
            ])
            let stats = try store.commit(batch, sourceID: source.id, now: later)
            #expect(stats.rowsWritten == 1 && stats.childSetsDropped == 1 && stats.sessionsUpserted == 0)
            let select = try store.connection.prepare(
                "SELECT kind, last_seen_at, updated_at, absent_listings FROM sessions")
            var row: [String?] = []
            try select.forEachRow { row = [$0.text(at: 0), $0.text(at: 1), $0.text(at: 2), $0.text(at: 3)] }
            #expect(
                row == ["livestream", listed.iso8601, later.iso8601, "2"],
                "the kind and presence as listed; updated_at moves with the new set")
            #expect(
                try store.connection.scalarInt("SELECT count(*) FROM sessions") == 1,
                "no session made up for children of an unknown one")
            #expect(try store.connection.scalarInt("SELECT count(*) FROM participants") == 1)

            let again = try store.commit(batch, sourceID: source.id, now: later.adding(.seconds(60)))
            #expect(again.rowsWritten == 0, "an unchanged set writes nothing")
        }
    }

    @Test(
        "many-row child sets are written whole and in order across several statements; of two buckets with one time, the later wins"
    )
    func manyRows() throws {
        try withTemporaryDirectory { (directory: String) throws in
            let store = try ArchiveStore(path: directory + "/archive.sqlite")
            let now = Timestamp(iso8601: "2026-11-22T10:00:00.000Z")!
            let source = try store.ensureSource(name: "s", provider: "isnotai", now: now)
            var record = SessionRecord(externalID: "a", kind: .activity)
            record.raw = "{}"
            let visits = (0..<45).map {
                PageVisit(url: "/p/\($0)", visitedAt: nil, type: nil, durationMilliseconds: Int64($0))
            }
            // Bucket 30 repeats bucket 3's time: a later point in the same bucket.
            let buckets = (0..<45).map { index in
                TimelineBucket(
                    bucketAt: now.adding(.seconds(Int64(index == 30 ? 3 : index) * 30)), eventCount: Int64(index),
                    dominantEventType: nil, activityLevel: nil)
            }
            record.children = [.pageHistory(visits), .timeline(buckets)]
            _ = try store.commit(ArchiveBatch(sessions: [record]), sourceID: source.id, now: now)

            let pages = try store.connection.prepare("SELECT seq, url, duration_ms FROM page_history ORDER BY seq")
            var read: [String] = []
            try pages.forEachRow { read.append("\($0.int(at: 0)) \($0.text(at: 1) ?? "") \($0.int(at: 2))") }
            #expect(read == (0..<45).map { "\($0) /p/\($0) \($0)" })
            #expect(try store.connection.scalarInt("SELECT count(*) FROM timeline") == 44)
            #expect(
                try store.connection.scalarInt(
                    "SELECT event_count FROM timeline WHERE bucket_at = ?", .text(now.adding(.seconds(90)).iso8601))
                    == 30)
        }
    }

    @Test("work fulfilled in a batch leaves its queue item exactly as a request and its completion would, new or not")
    func fulfilledEqualsRequestThenDone() throws {
        try withTemporaryDirectory { (directory: String) throws in
            let now = Timestamp(iso8601: "2026-11-22T10:00:00.000Z")!
            let later = now.adding(.seconds(60))
            func queue(at path: String, fulfilling: Bool) throws -> [[String]] {
                let store = try ArchiveStore(path: path)
                let source = try store.ensureSource(name: "s", provider: "isnotai", now: now)
                // "old" was requested at v1 and done; "failing" was tried and failed; "new" is not queued.
                var setup = ArchiveBatch(enqueue: [
                    QueueRequest(kind: "details", externalID: "old", version: "v1"),
                    QueueRequest(kind: "details", externalID: "failing", version: "v1"),
                ])
                setup.completions = [
                    QueueCompletion(kind: "details", externalID: "old", outcome: .done(version: "v1")),
                    QueueCompletion(
                        kind: "details", externalID: "failing",
                        outcome: .retry(error: "HTTP 404", notBefore: nil, countsAsAttempt: true, maxAttempts: 5)),
                ]
                _ = try store.commit(setup, sourceID: source.id, now: now)
                let requests = [
                    QueueRequest(kind: "details", externalID: "new", version: "v1"),
                    QueueRequest(kind: "details", externalID: "old", version: "v2"),
                    QueueRequest(kind: "details", externalID: "failing", version: "v2"),
                ]
                var batch = ArchiveBatch()
                if fulfilling {
                    batch.fulfilled = requests
                } else {
                    batch.enqueue = requests
                    batch.completions = requests.map {
                        QueueCompletion(kind: $0.kind, externalID: $0.externalID, outcome: .done(version: $0.version))
                    }
                }
                _ = try store.commit(batch, sourceID: source.id, now: later)
                let rows = try store.connection.prepare(
                    "SELECT external_id, version, done_version, state, attempts, last_error, queued_at, last_attempt_at, next_attempt_at, done_at FROM fetch_queue ORDER BY external_id"
                )
                var read: [[String]] = []
                try rows.forEachRow { row in read.append((0..<10).map { row.text(at: Int32($0)) ?? "NULL" }) }
                return read
            }
            let viaFulfilled = try queue(at: directory + "/a.sqlite", fulfilling: true)
            #expect(viaFulfilled == (try queue(at: directory + "/b.sqlite", fulfilling: false)))
            #expect(viaFulfilled.map { $0[3] } == ["done", "done", "done"])
        }
    }
}
