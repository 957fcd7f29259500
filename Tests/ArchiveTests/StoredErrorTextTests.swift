import SQLiteDB
import SessionSyncSupport
import SessionSyncTesting
import Testing

@testable import Archive

@Suite("StoredErrorText: the archive keeps error texts of a bounded length")
struct StoredErrorTextTests {
    @Test("a text within the limit is kept as it is")
    func short() {
        let text = String(repeating: "x", count: StoredErrorText.maximumCharacters)
        #expect(StoredErrorText.capped(text) == text)
        #expect(StoredErrorText.capped(nil) == nil)
    }

    @Test("a longer text keeps its start and says how much was cut, within the limit")
    func long() throws {
        let text = "GET /v1/sessions answered HTTP 500: " + String(repeating: "é", count: 100_000)
        let capped = try #require(StoredErrorText.capped(text))
        #expect(capped.count <= StoredErrorText.maximumCharacters)
        #expect(capped.hasPrefix("GET /v1/sessions answered HTTP 500: éé"))
        #expect(capped.hasSuffix("characters cut)"))
        let cut = text.count - (StoredErrorText.maximumCharacters - 40)
        #expect(capped.contains("(\(cut) characters cut)"))
    }

    @Test("a run's error and warnings and a queue item's error are stored capped")
    func stored() throws {
        try withTemporaryDirectory { directory in
            let store = try ArchiveStore(path: directory + "/archive.sqlite")
            let source = try store.ensureSource(name: "s", provider: "isnotai", now: .now())
            let run = try #require(
                try store.startRun(sourceID: source.id, pid: 1, now: .now(), isAlive: { _ in false }))
            let long = String(repeating: "a", count: 10_000)
            var progress = RunProgress()
            progress.warnings = [long, long]
            try store.finishRun(runID: run, status: .failed, progress: progress, error: long, now: .now())
            var batch = ArchiveBatch()
            batch.enqueue = [QueueRequest(kind: "details", externalID: "x", version: "1")]
            _ = try store.commit(batch, sourceID: source.id, now: .now())
            var failure = ArchiveBatch()
            failure.completions = [QueueCompletion(kind: "details", externalID: "x", outcome: .giveUp(error: long))]
            _ = try store.commit(failure, sourceID: source.id, now: .now())

            let lengths = try store.connection.prepare(
                "SELECT (SELECT length(error) FROM sync_runs), (SELECT length(warnings) FROM sync_runs), (SELECT length(last_error) FROM fetch_queue)"
            )
            #expect(try lengths.step())
            for column: Int32 in 0..<3 {
                let length = lengths.int(at: column)
                #expect(length > 1_900 && length <= StoredErrorText.maximumCharacters, "column \(column): \(length)")
            }
        }
    }
}
