import Archive
import SessionSyncSupport
import SessionSyncTesting
import Testing

@testable import PostgresArchive

@Suite("What PostgreSQL cannot hold (U+0000, lone surrogates) is stored as U+FFFD, and never fails a commit")
struct PostgresStoredTextTests {
    @Test(
        "JSON escapes PostgreSQL's jsonb refuses become \\ufffd; everything else stays as it is",
        arguments: [
            (#"{"a":"x\u0000y"}"#, #"{"a":"x\ufffdy"}"#),
            (#"{"a":"\u0000"}"#, #"{"a":"\ufffd"}"#),
            (#"["\ud800", "\udc00", "\ud83d\ude00", "\uD83D"]"#, #"["\ufffd", "\ufffd", "\ud83d\ude00", "\ufffd"]"#),
            (#"{"a":"\\u0000"}"#, #"{"a":"\\u0000"}"#),
            (#"{"a":"\\\u0000"}"#, #"{"a":"\\\ufffd"}"#),
            (#"{"a":"\u00e9\"\n"}"#, #"{"a":"\u00e9\"\n"}"#),
            (#"{"a":"\ud800\u0041"}"#, #"{"a":"\ufffd\u0041"}"#),
            (#""\u000"#, #""\u000"#),
            ("{\"raw\":\"a\u{0}b\"}", "{\"raw\":\"a\u{FFFD}b\"}"),
        ])
    func json(input: String, stored: String) {
        #expect(PostgresStoredText.json(input) == stored)
    }

    @Test("U+0000 in a text becomes U+FFFD")
    func text() {
        #expect(PostgresStoredText.text("a\u{0}b\u{0}") == "a\u{FFFD}b\u{FFFD}")
        #expect(PostgresStoredText.text("plain é") == "plain é")
    }

    @Test("a page whose payloads and texts hold U+0000 or a lone surrogate commits, and again changes nothing")
    func commitsAndStaysUnchanged() async throws {
        let now = Timestamp(iso8601: "2026-11-22T10:00:00.000Z")!
        var record = SessionRecord(externalID: "n\u{0}1", kind: .chat)
        record.title = "before\u{0}after"
        record.raw = #"{"id":"n1","text":"a\u0000b","emoji":"\ud83d"}"#
        record.metadata = #"{"k":"\u0000"}"#
        record.children = [
            .messages([
                MessageRecord(
                    externalID: "m\u{0}", sender: nil, sentAt: nil, contentType: nil, body: "x\u{0}y",
                    raw: #"{"body":"x\u0000y"}"#)
            ]),
            .metadata([MetadataEntry(key: "k\u{0}", value: "v\u{0}")]),
        ]
        let batch = ArchiveBatch(
            sessions: [record], cursors: [CursorUpdate(stream: "s", value: "c\u{0}")],
            quarantined: [QuarantinedRecord(endpoint: "e", externalID: nil, reason: "r", raw: #"["\u0000"]"#)])
        try await withTemporaryPostgresArchive { archive, client in
            try await archive.ensureSources([("test", "yourgpt")], now: now)
            let sourceID = try #require(try await archive.source(named: "test")).id
            let first = try await archive.commit(batch, sourceID: sourceID, now: now)
            #expect(first.sessionsInserted == 1)
            let again = try await archive.commit(batch, sourceID: sourceID, now: now.adding(.seconds(60)))
            #expect(again.sessionsUnchanged == 1 && again.rowsWritten == 0, "\(again)")
            #expect(
                try await client.rows(
                    "SELECT external_id, title, raw->>'text', raw->>'emoji', metadata->>'k' FROM sessions") == [
                        ["n\u{FFFD}1", "before\u{FFFD}after", "a\u{FFFD}b", "\u{FFFD}", "\u{FFFD}"]
                    ])
            #expect(
                try await client.rows("SELECT external_id, body, raw->>'body' FROM messages") == [
                    ["m\u{FFFD}", "x\u{FFFD}y", "x\u{FFFD}y"]
                ])
            #expect(try await client.value("SELECT value FROM sync_cursors") == "c\u{FFFD}")
            #expect(try await client.value("SELECT raw->>0 FROM quarantine") == "\u{FFFD}")
            // Looked up by the id as the provider gives it.
            #expect(try await archive.session(sourceID: sourceID, externalID: "n\u{0}1")?.externalID == "n\u{FFFD}1")
        }
    }
}
