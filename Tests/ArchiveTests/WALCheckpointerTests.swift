import Foundation
import SQLiteDB
import SessionSyncSupport
import SessionSyncTesting
import Testing

@testable import Archive

@Suite("WAL checkpoints run beside the writer, not inside its commits")
struct WALCheckpointerTests {
    @Test("the 16th commit hands a checkpoint to the checkpointer, which copies the WAL into the database file")
    func checkpointsInTheBackground() throws {
        try withTemporaryDirectory { (directory: String) throws in
            let path = directory + "/archive.sqlite"
            let store = try ArchiveStore(path: path, backgroundCheckpoints: true)
            let checkpointer = try #require(store.checkpointer)
            let source = try store.ensureSource(name: "s", provider: "isnotai", now: .now())
            let emptySize = try fileSize(path)

            func commitPage(_ page: Int) throws {
                var batch = ArchiveBatch()
                for index in 0..<10 {
                    var record = SessionRecord(externalID: "p\(page)-\(index)", kind: .activity)
                    record.raw = #"{"padding":"\#(String(repeating: "x", count: 2_000))"}"#
                    batch.sessions.append(record)
                }
                _ = try store.commit(batch, sourceID: source.id, now: .now())
            }
            for page in 0..<15 {
                try commitPage(page)
            }
            checkpointer.drain()
            // Fifteen commits live in the WAL only: nobody has copied them yet.
            #expect(try fileSize(path) == emptySize)
            #expect(try fileSize(path + "-wal") > 15 * 10 * 2_000)

            try commitPage(15)
            checkpointer.drain()
            #expect(try fileSize(path) > emptySize + 16 * 10 * 2_000)
            let reader = try Connection(path: path, options: Connection.Options(mode: .readOnly))
            #expect(try reader.scalarInt("SELECT count(*) FROM sessions") == 160)
        }
    }

    private func fileSize(_ path: String) throws -> Int {
        try (FileManager.default.attributesOfItem(atPath: path)[.size] as? NSNumber)?.intValue ?? -1
    }
}
