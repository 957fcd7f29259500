import Foundation
import SessionSyncSupport
import Simulators
import Testing

@Suite("erase through the binary", .serialized)
struct ErasureTests {
    /// A user with two live OpenReplay sessions and two YourGPT conversations (its contact id):
    /// twelve digits that occur nowhere else in the archive's bytes.
    static let user = "731946285019"
    static let contactEmail = "contact731946285019@example.com"
    /// A word of the user's messages found nowhere else: also a term a full-text index would keep.
    static let canaryWord = "zqxcanaryw"

    @Test(
        "erase removes a user's sessions and their rows from other sessions, to the last byte of the files; a dry run changes nothing; no later pass brings them back"
    )
    func eraseUser() async throws {
        try await FourSourceFixture.with { fixture in
            for _ in 0..<2 {
                fixture.openreplay.startSession { $0.userID = Self.user }
            }
            let conversations = Array(fixture.yourgpt.uidsNewestFirst.suffix(2))
            var canaries: [String] = []
            for uid in conversations {
                fixture.yourgpt.setContact(of: uid, to: Int64(Self.user)!)
                let text = "erasure canary of \(uid): the user's own words \(Self.canaryWord)"
                fixture.yourgpt.addMessage(to: uid, text: text)
                canaries.append(text)
            }
            let first = try fixture.sync()
            #expect(first.waitForExit() == 0, "\(first.text)")

            let erasedSessions = try fixture.query(
                "SELECT s.source_id, s.external_id FROM sessions s WHERE s.user_id = '\(Self.user)' ORDER BY 1, 2")
            #expect(erasedSessions.count == 4, "two web sessions and two conversations: \(erasedSessions)")
            #expect(try fixture.archivedIDs(.openreplay, where: "s.user_id = '\(Self.user)'").count == 2)
            #expect(try fixture.archivedIDs(.yourgpt, where: "s.user_id = '\(Self.user)'") == conversations.sorted())
            let ownMessages = try fixture.query(
                "SELECT count(*) FROM messages m JOIN sessions s ON s.id = m.session_id WHERE s.user_id = '\(Self.user)'"
            )
            let ownMessageCount = try #require(Int(ownMessages.first?.first.flatMap { $0 } ?? ""))
            #expect(ownMessageCount >= 4)

            // A RealtimeKit participant who wrote in a meeting's chat and spoke in its transcript,
            // beside other participants: only their rows of that meeting go.
            let speaker = try #require(
                try fixture.query(
                    """
                    SELECT p.user_id, p.session_id, p.external_id FROM participants p
                    WHERE EXISTS (SELECT 1 FROM messages m WHERE m.session_id = p.session_id
                            AND json_extract(m.raw, '$.participantId') = p.external_id)
                        AND EXISTS (SELECT 1 FROM transcripts t WHERE t.session_id = p.session_id
                            AND t.participant_external_id = p.external_id)
                        AND (SELECT count(*) FROM participants o WHERE o.session_id = p.session_id) > 1
                    ORDER BY p.id LIMIT 1
                    """
                ).first)
            let (participantUser, meeting, peer) = (speaker[0] ?? "", speaker[1] ?? "", speaker[2] ?? "")
            let speakerMessages = try fixture.query(
                "SELECT external_id FROM messages WHERE session_id = \(meeting) AND json_extract(raw, '$.participantId') = '\(peer)'"
            ).map { $0[0] ?? "" }

            // Every other row, before and after: what erasure must leave exactly as it was.
            let others = OtherRows(user: Self.user, participantUser: participantUser, meeting: meeting, peer: peer)
            let othersBefore = try others.digest(fixture)
            let everythingBefore = try OtherRows.everything(fixture)
            let secrets = [Self.user, Self.contactEmail, participantUser, Self.canaryWord] + canaries
            for secret in secrets {
                #expect(try archiveBytesContain(fixture.databasePath, secret), "the check must see \(secret) at first")
            }

            let dryRun = try runSessionSync(
                ["erase", "--config", fixture.configPath, "--user", Self.user, "--dry-run"],
                environment: FourSourceFixture.keys)
            #expect(dryRun.status == 0, "\(dryRun.stderr)")
            #expect(dryRun.stdout.contains("dry run"), "\(dryRun.stdout)")
            #expect(dryRun.stdout.contains("  sessions            4\n"), "\(dryRun.stdout)")
            #expect(dryRun.stdout.contains("  messages            \(ownMessageCount)\n"), "\(dryRun.stdout)")
            #expect(dryRun.stdout.contains("  tombstones added    4\n"), "\(dryRun.stdout)")
            #expect(try OtherRows.everything(fixture) == everythingBefore, "a dry run changes nothing")
            #expect(try fixture.query("SELECT count(*) FROM tombstones") == [["0"]])

            let erase = try runSessionSync(
                ["erase", "--config", fixture.configPath, "--user", Self.user], environment: FourSourceFixture.keys)
            #expect(erase.status == 0, "\(erase.stderr)")
            #expect(erase.stdout.countLines == dryRun.stdout.countLines, "the dry run printed the counts erase had")
            let eraseParticipant = try runSessionSync(
                ["erase", "--config", fixture.configPath, "--user", participantUser, "--source", "realtimekit"],
                environment: FourSourceFixture.keys)
            #expect(eraseParticipant.status == 0, "\(eraseParticipant.stderr)")
            #expect(eraseParticipant.stdout.contains("  sessions            0\n"))
            #expect(eraseParticipant.stdout.contains("  participants        1\n"), "\(eraseParticipant.stdout)")
            #expect(eraseParticipant.stdout.contains("  messages            \(speakerMessages.count)\n"))

            #expect(try others.digest(fixture) == othersBefore, "other users' rows are untouched")
            try expectErased(fixture, secrets: secrets, meeting: meeting, peer: peer, messages: speakerMessages)
            #expect(try fixture.query("SELECT reason, count(*) FROM tombstones GROUP BY reason") == [["erased", "4"]])

            // The user's sessions are still upstream, and listed again: a pass, then a pass from
            // each source's `since`, archive none of them.
            let othersCount = try fixture.query("SELECT count(*) FROM sessions")
            let second = try fixture.sync()
            #expect(second.waitForExit() == 0, "\(second.text)")
            try expectErased(fixture, secrets: secrets, meeting: meeting, peer: peer, messages: speakerMessages)
            for provider in FourSourceFixture.Provider.allCases {
                let reset = try runSessionSync(
                    ["reset-cursor", "--config", fixture.configPath, "--source", provider.rawValue],
                    environment: FourSourceFixture.keys)
                #expect(reset.status == 0, "\(reset.stderr)")
            }
            let third = try fixture.sync()
            #expect(third.waitForExit() == 0, "\(third.text)")
            try expectErased(fixture, secrets: secrets, meeting: meeting, peer: peer, messages: speakerMessages)
            #expect(try fixture.query("SELECT count(*) FROM sessions") == othersCount)
        }
    }

    /// Nothing of the erased rows is left, in the tables or in the files' bytes.
    private func expectErased(
        _ fixture: FourSourceFixture, secrets: [String], meeting: String, peer: String, messages: [String]
    ) throws {
        #expect(try fixture.query("SELECT count(*) FROM sessions WHERE user_id = '\(Self.user)'") == [["0"]])
        #expect(
            try fixture.query(
                "SELECT count(*) FROM participants WHERE session_id = \(meeting) AND external_id = '\(peer)'") == [
                    ["0"]
                ])
        #expect(
            try fixture.query(
                "SELECT count(*) FROM transcripts WHERE session_id = \(meeting) AND participant_external_id = '\(peer)'"
            )
                == [["0"]])
        let ids = messages.map { "'\($0)'" }.joined(separator: ", ")
        #expect(
            try fixture.query("SELECT count(*) FROM messages WHERE session_id = \(meeting) AND external_id IN (\(ids))")
                == [["0"]])
        #expect(try fixture.query("PRAGMA foreign_key_check").isEmpty)
        #expect(try fixture.query("PRAGMA integrity_check") == [["ok"]])
        for secret in secrets {
            #expect(try !archiveBytesContain(fixture.databasePath, secret), "\(secret) is still in the archive's files")
        }
    }
}

/// The rows erasure must leave as they were: every row of the content tables, less those of the
/// user's sessions and of one participant's rows in one meeting (given as values, so the same
/// query reads the same rows before and after).
struct OtherRows {
    let user: String
    let participantUser: String
    let meeting: String
    let peer: String

    func digest(_ fixture: FourSourceFixture) throws -> [String: [[String?]]] {
        let notUsers = "session_id NOT IN (SELECT id FROM sessions WHERE user_id = '\(user)')"
        let queries = [
            "sessions": "SELECT * FROM sessions WHERE user_id IS NOT '\(user)' ORDER BY id",
            "participants":
                "SELECT * FROM participants WHERE \(notUsers) AND user_id IS NOT '\(participantUser)' ORDER BY id",
            "messages":
                "SELECT * FROM messages WHERE \(notUsers) AND NOT (session_id = \(meeting) AND json_extract(raw, '$.participantId') = '\(peer)') ORDER BY id",
            "transcripts":
                "SELECT * FROM transcripts WHERE \(notUsers) AND NOT (session_id = \(meeting) AND participant_external_id = '\(peer)') ORDER BY session_id, seq",
            "page_history": "SELECT * FROM page_history WHERE \(notUsers) ORDER BY session_id, seq",
            "timeline": "SELECT * FROM timeline WHERE \(notUsers) ORDER BY session_id, bucket_at",
            "event_counts": "SELECT * FROM event_counts WHERE \(notUsers) ORDER BY session_id, event_type",
            "session_metadata": "SELECT * FROM session_metadata WHERE \(notUsers) ORDER BY session_id, key",
            "session_fingerprints": "SELECT * FROM session_fingerprints WHERE \(notUsers) ORDER BY session_id",
            "fetch_queue": """
            SELECT * FROM fetch_queue q WHERE NOT EXISTS (SELECT 1 FROM sessions s
                WHERE s.source_id = q.source_id AND s.external_id = q.external_id AND s.user_id = '\(user)')
            ORDER BY source_id, kind, external_id
            """,
        ]
        return try queries.mapValues { try fixture.query($0) }
    }

    /// Every row of every table.
    static func everything(_ fixture: FourSourceFixture) throws -> [String: [[String?]]] {
        let tables = try fixture.query("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").map {
            $0[0] ?? ""
        }
        var rows: [String: [[String?]]] = [:]
        for table in tables {
            // Sorted here: a table may have one column (an FTS5 table's), or rows alike in the first two.
            rows[table] = try fixture.query("SELECT * FROM \"\(table)\"").sorted {
                $0.map { $0 ?? "NULL" }.lexicographicallyPrecedes($1.map { $0 ?? "NULL" })
            }
        }
        return rows
    }
}

/// Whether the bytes of the archive or its WAL contain `text` (UTF-8).
func archiveBytesContain(_ database: String, _ text: String) throws -> Bool {
    let needle = Data(text.utf8)
    for path in [database, database + "-wal"] where FileManager.default.fileExists(atPath: path) {
        let bytes = try Data(contentsOf: URL(fileURLWithPath: path))
        if bytes.range(of: needle) != nil { return true }
    }
    return false
}

extension String {
    /// The lines of `erase`'s report that count rows (indented), as printed.
    fileprivate var countLines: [Substring] {
        split(separator: "\n").filter { $0.hasPrefix("  ") }
    }
}
