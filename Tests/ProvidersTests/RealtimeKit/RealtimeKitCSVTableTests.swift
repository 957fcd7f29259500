import Archive
import SessionSyncSupport
import SessionSyncTesting
import Testing

@testable import Providers

@Suite("RealtimeKit: export files read with CSV.swift")
struct RealtimeKitCSVTableTests {
    @Test("a byte-order mark, LF line ends, blank lines and short rows are handled")
    func shapes() throws {
        let text = "\u{FEFF}id , payload,createdAt\n1,\"a, \"\"b\"\"\nc\",2026-11-22 10:00:00.5Z\n\n2,plain\n\n"
        let table = try RealtimeKitCSVTable(bytes: Array(text.utf8))
        #expect(table.header == ["id", "payload", "createdAt"])
        #expect(table.rows == [["1", "a, \"b\"\nc", "2026-11-22 10:00:00.5Z"], ["2", "plain"]])
        let messages = try RealtimeKitChatExport.messages(table)
        #expect(messages.map(\.externalID) == ["1", "2"])
        #expect(messages.map(\.body) == ["a, \"b\"\nc", "plain"])
        #expect(messages[0].sentAt?.iso8601 == "2026-11-22T10:00:00.500Z")
        #expect(messages[1].sentAt == nil)
        #expect(messages[1].raw == #"{"id":"2","payload":"plain"}"#)
    }

    @Test("an empty file has no rows; a file without the needed columns is an error naming them")
    func emptyAndWrong() throws {
        #expect(try RealtimeKitChatExport.messages(RealtimeKitCSVTable(bytes: [])).isEmpty)
        #expect(
            try RealtimeKitTranscriptExport.lines(RealtimeKitCSVTable(bytes: Array("Timestamp,Transcript\r\n".utf8)))
                .isEmpty)
        let wrong = try RealtimeKitCSVTable(bytes: Array("when,what\r\n1,2\r\n".utf8))
        #expect(throws: RealtimeKitCSVTable.ReadError.self) { try RealtimeKitTranscriptExport.lines(wrong) }
        do {
            _ = try RealtimeKitChatExport.messages(wrong)
            Issue.record("expected an error")
        } catch {
            #expect(error.description.contains("id, payload"))
        }
    }

    @Test("a transcript line's speaker falls back to the custom id, then the user id; epoch milliseconds are read")
    func transcriptFallbacks() throws {
        let text =
            "Timestamp,Participant ID,User ID,Custom Participant ID,Participant Name,Transcript\r\n1763805600000,p1,u1,c1,,hello\r\nnot a time,p2,u2,,,\r\n"
        let lines = try RealtimeKitTranscriptExport.lines(RealtimeKitCSVTable(bytes: Array(text.utf8)))
        #expect(lines.map(\.speaker) == ["c1", "u2"])
        #expect(lines.map(\.participantExternalID) == ["p1", "p2"])
        #expect(lines[0].spokenAt?.millisecondsSinceEpoch == 1_763_805_600_000)
        #expect(lines[1].spokenAt == nil)
        #expect(lines.map(\.text) == ["hello", ""])
    }
}
