import Archive
import Foundation
import SQLiteDB
import SessionSyncSupport
import SessionSyncTesting
import Simulators
import SyncEngine
import Synchronization
import Testing

@Suite("Sync engine: atomic pages and cursors, idempotence, readers, the run ledger")
struct SyncEngineTests {
    @Test("a failure on page 3 leaves pages 1-2 and a cursor covering exactly them", arguments: ArchiveChoice.allCases)
    func failureMidListing(archive: ArchiveChoice) async throws {
        try await ProviderHarness.withItems(count: 35, pageSize: 10, archive: archive) { harness, simulator throws in
            harness.server.faults.inject(
                FaultRule(
                    query: ("page", "3"), times: nil, fault: .status(400, body: #"{"message": "page three is broken"}"#)
                ))
            let outcome = await harness.pass()
            guard case .failed(let message) = outcome.result else {
                Issue.record("expected a failed run, got \(outcome.result)")
                return
            }
            #expect(message.contains("GET /items answered HTTP 400: page three is broken"))
            #expect(
                try await harness.rows("SELECT external_id FROM sessions ORDER BY started_at").map { $0[0] }
                    == (0..<20).map { "item-\($0)" })
            #expect(
                try await harness.text("SELECT value FROM sync_cursors WHERE stream = 'created'")
                    == simulator.all[19].created.iso8601)
            #expect(try await harness.text("SELECT status FROM sync_runs") == "failed")
            #expect(try await harness.text("SELECT error FROM sync_runs")?.contains("page three is broken") == true)
            #expect(try await harness.count("SELECT sessions_upserted FROM sync_runs") == 20)
            #expect(try await harness.count("SELECT requests FROM sync_runs") == 3)

            // The next pass continues from the cursor: nothing lost, nothing twice.
            harness.server.faults.clear()
            harness.server.log.clear()
            #expect(await harness.pass().result == .succeeded)
            #expect(try await harness.count("SELECT count(*) FROM sessions") == 35)
            #expect(try await harness.count("SELECT count(DISTINCT external_id) FROM sessions") == 35)
            #expect(harness.server.log.all.first?.request.query("since") == simulator.all[19].created.iso8601)
            #expect(
                try await harness.text("SELECT value FROM sync_cursors WHERE stream = 'created'")
                    == simulator.all[34].created.iso8601)
        }
    }

    @Test(
        "an unchanged second pass changes no row; a changed value moves only its row's updated_at",
        arguments: ArchiveChoice.allCases)
    func idempotence(archive: ArchiveChoice) async throws {
        try await ProviderHarness.withItems(count: 35, pageSize: 10, archive: archive) { harness, simulator in
            #expect(await harness.pass().result == .succeeded)
            let digest = try await harness.archiveDigest()
            let second = await harness.pass()
            #expect(second.result == .succeeded)
            #expect(second.stats.rowsWritten == 0)
            #expect(second.stats.sessionsUnchanged >= 1)
            #expect(try await harness.archiveDigest() == digest)
            #expect(try await harness.count("SELECT count(*) FROM sync_runs WHERE status = 'succeeded'") == 2)
            // The first run wrote pages: it recorded how long its longest write transaction took.
            #expect(try await harness.count("SELECT count(*) FROM sync_runs WHERE id = 1 AND max_commit_ms > 0") == 1)

            // item-34 is inside the re-read window (its created time is the cursor).
            let before = try await harness.rows("SELECT external_id, updated_at FROM sessions ORDER BY id")
            simulator.setValue("item-34", "changed")
            let third = await harness.pass()
            #expect(third.stats.sessionsChanged == 1)
            let after = try await harness.rows("SELECT external_id, updated_at FROM sessions ORDER BY id")
            let moved = zip(before, after).filter { $0.0[1] != $0.1[1] }.map { $0.1[0] }
            #expect(moved == ["item-34"])
            #expect(try await harness.text("SELECT title FROM sessions WHERE external_id = 'item-34'") == "changed")
        }
    }

    // SQLite only: about a second connection's WAL snapshot on the SQLite file.
    @Test("a reader holding a read transaction through a whole sync keeps its snapshot, and the sync completes")
    func readerDuringSync() async throws {
        try await ProviderHarness.withItems(count: 35, pageSize: 10) { harness, _ in
            let reader = try harness.connection()
            try reader.execute("BEGIN")
            #expect(try reader.scalarInt("SELECT count(*) FROM sessions") == 0)
            let outcome = await harness.pass()
            #expect(outcome.result == .succeeded)
            #expect(try reader.scalarInt("SELECT count(*) FROM sessions") == 0)
            try reader.execute("COMMIT")
            #expect(try reader.scalarInt("SELECT count(*) FROM sessions") == 35)
        }
    }

    @Test(
        "malformed and truncated bodies fail the run with the endpoint named and touch nothing",
        arguments: [Fault.malformedBody, .truncatedBody], ArchiveChoice.allCases)
    func badBodies(fault: Fault, archive: ArchiveChoice) async throws {
        try await ProviderHarness.withItems(count: 15, pageSize: 10, archive: archive) { harness, simulator in
            #expect(await harness.pass().result == .succeeded)
            let digest = try await harness.archiveDigest()
            simulator.setValue("item-14", "should not arrive")
            harness.server.faults.inject(FaultRule(times: nil, fault: fault))
            let outcome = await harness.pass(retry: RetryPolicy(retries: 1))
            guard case .failed(let message) = outcome.result else {
                Issue.record("expected a failed run, got \(outcome.result)")
                return
            }
            #expect(message.contains("GET /items"))
            #expect(message.contains("could not be read") || message.contains("could not be reached"))
            #expect(try await harness.archiveDigest() == digest)
        }
    }

    @Test(
        "a pass cancelled mid-way is recorded as interrupted and keeps its committed pages",
        arguments: ArchiveChoice.allCases)
    func cancellation(archive: ArchiveChoice) async throws {
        try await ProviderHarness.withItems(count: 35, pageSize: 10, archive: archive) { harness, _ throws in
            let (reachedPage3, signal) = AsyncStream<Void>.makeStream()
            harness.server.hooks.add { request, _ in
                if request.query("page") == "3" { signal.yield() }
            }
            harness.server.faults.inject(FaultRule(query: ("page", "3"), fault: .slow(.seconds(120))))
            let pass = Task { await harness.pass() }
            for await _ in reachedPage3 { break }
            pass.cancel()
            let outcome = await pass.value
            #expect(outcome.result == .interrupted)
            #expect(try await harness.count("SELECT count(*) FROM sessions") == 20)
            #expect(try await harness.text("SELECT status FROM sync_runs") == "interrupted")
            #expect(try await harness.text("SELECT error FROM sync_runs")?.contains("interrupted") == true)
        }
    }

    @Test(
        "a run left running by a dead process becomes interrupted; a live one keeps the source to itself",
        arguments: ArchiveChoice.allCases)
    func abandonedRuns(archive: ArchiveChoice) async throws {
        try await ProviderHarness.withItems(count: 5, pageSize: 10, archive: archive) { harness, _ in
            let dead = Process()
            dead.executableURL = URL(fileURLWithPath: "/bin/true")
            try dead.run()
            dead.waitUntilExit()
            let deadPID = Int(dead.processIdentifier)
            _ = try await harness.backend.openRun(source: "test", provider: "items", pid: deadPID) { _ in true }
            #expect(await harness.pass().result == .succeeded)
            #expect(
                try await harness.rows("SELECT status FROM sync_runs ORDER BY id").map { $0[0] } == [
                    "interrupted", "succeeded",
                ])
            #expect(
                try await harness.text("SELECT error FROM sync_runs WHERE id = 1")?.contains("pid \(deadPID)") == true)

            // A live process (here: `cat` waiting on its input) holding a run keeps others out.
            let live = Process()
            live.executableURL = URL(fileURLWithPath: "/bin/cat")
            let input = Pipe()
            live.standardInput = input
            try live.run()
            defer {
                try? input.fileHandleForWriting.close()
                live.waitUntilExit()
            }
            let held = try await harness.backend.openRun(
                source: "test", provider: "items", pid: Int(live.processIdentifier)
            ) { _ in false }
            #expect(held.runID != nil)
            let skipped = await harness.pass()
            guard case .skipped = skipped.result else {
                Issue.record("expected the pass to be skipped, got \(skipped.result)")
                return
            }
            #expect(try await harness.count("SELECT count(*) FROM sync_runs WHERE status = 'running'") == 1)
        }
    }
}
