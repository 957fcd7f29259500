import Foundation
import SQLiteDB
import Testing

@Suite("Full-text search after a real pass of all four sources")
struct FullTextSearchEndToEndTests {
    @Test(
        "MATCH finds the simulators' accents, quotes and CJK exactly where LIKE does, and both indexes pass FTS5's integrity check"
    )
    func searchAfterPass() async throws {
        try await FourSourceFixture.with { fixture in
            let run = try fixture.sync()
            #expect(run.waitForExit(limit: 600) == 0, "\(String(run.outputAfterExit().suffix(2000)))")
            // Each term is in the simulators' sample texts (chat exports, YourGPT messages, transcripts).
            let terms: [(match: String, like: String)] = [
                ("café", "%café%"), ("日本語", "%日本語%"), (#""quotes""#, #"%"quotes"%"#),
            ]
            for (match, like) in terms {
                let found = try fixture.query(
                    "SELECT count(*) FROM messages_fts WHERE messages_fts MATCH '\(match.replacingOccurrences(of: "'", with: "''"))'"
                )
                let expected = try fixture.query("SELECT count(*) FROM messages WHERE body LIKE '\(like)'")
                #expect(found == expected, "\(match)")
                #expect(expected != [["0"]], "the simulators sent no message with \(match)")
            }
            let spoken = try fixture.query("SELECT count(*) FROM transcripts_fts WHERE transcripts_fts MATCH 'tres'")
            #expect(spoken == (try fixture.query("SELECT count(*) FROM transcripts WHERE text LIKE '%très%'")))
            // The integrity check is a command, so it needs a writable connection.
            let connection = try Connection(path: fixture.databasePath)
            try connection.execute("INSERT INTO messages_fts (messages_fts) VALUES ('integrity-check')")
            try connection.execute("INSERT INTO transcripts_fts (transcripts_fts) VALUES ('integrity-check')")
        }
    }
}
