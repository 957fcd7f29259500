import Archive
import Foundation
import PostgresNIO
import SessionSyncTesting
import Testing

@testable import PostgresArchive

@Suite("Source leases: one holder at a time, taken over only after expiry, fenced by epoch")
struct SourceLeasesTests {
    /// A migrated database with one source, for `body`.
    func withSource(_ body: (SourceLeases, PostgresClient, Int64) async throws -> Void) async throws {
        try await withTemporaryPostgresDatabase { database in
            try await withClient(database) { client in
                try await PostgresMigrations.migrator().migrate(client, logger: quietLogger)
                let id = try #require(
                    try await client.value(
                        "INSERT INTO sources (name, provider, created_at) VALUES ('s', 'yourgpt', now()) RETURNING id::text"
                    ).flatMap { Int64($0) })
                try await body(SourceLeases(client: client, logger: quietLogger), client, id)
            }
        }
    }

    @Test("a held lease is refused to another holder and renewed for its own, keeping its epoch")
    func oneHolder() async throws {
        try await withSource { leases, _, source in
            let first = try #require(try await leases.acquire(sourceID: source, holder: "a", period: .seconds(60)))
            #expect(first.epoch == 1)
            #expect(try await leases.acquire(sourceID: source, holder: "b", period: .seconds(60)) == nil)
            let again = try #require(try await leases.acquire(sourceID: source, holder: "a", period: .seconds(60)))
            #expect(again.epoch == 1)
            let renewed = try #require(try await leases.renew(again, period: .seconds(120)))
            #expect(renewed.epoch == 1 && renewed.expiresAt > first.expiresAt)
        }
    }

    @Test(
        "after expiry another holder takes the source with the next epoch; the old holder can neither renew nor write"
    )
    func takeoverFences() async throws {
        try await withSource { leases, client, source in
            // A lease whose period is already over: expired for the server at once, without waiting.
            let old = try #require(try await leases.acquire(sourceID: source, holder: "a", period: .seconds(-1)))
            let new = try #require(try await leases.acquire(sourceID: source, holder: "b", period: .seconds(60)))
            #expect(new.epoch == old.epoch + 1)
            #expect(try await leases.renew(old, period: .seconds(60)) == nil)
            #expect(try await leases.acquire(sourceID: source, holder: "a", period: .seconds(60)) == nil)

            // postgres-nio wraps what the transaction's body threw.
            let refused = await #expect(throws: PostgresTransactionError.self) {
                try await client.withTransaction(logger: quietLogger) { connection in
                    try await SourceLeases.checkHeld(old, on: connection, logger: quietLogger)
                }
            }
            let lost = try #require(refused?.closureError as? SourceLeaseLost)
            #expect(lost.currentHolder == "b" && lost.currentEpoch == 2)
            #expect(lost.description.contains("no longer holds the lease"))
            try await client.withTransaction(logger: quietLogger) { connection in
                try await SourceLeases.checkHeld(new, on: connection, logger: quietLogger)
            }
            let holders = try await leases.holders()
            #expect(holders[source]?.holder == "b" && holders[source]?.epoch == 2 && holders[source]?.expired == false)
        }
    }

    @Test("an expired lease nobody took is still its holder's: renewing it keeps the epoch")
    func expiredButUntaken() async throws {
        try await withSource { leases, _, source in
            let lease = try #require(try await leases.acquire(sourceID: source, holder: "a", period: .seconds(-1)))
            let renewed = try #require(try await leases.renew(lease, period: .seconds(60)))
            #expect(renewed.epoch == lease.epoch)
        }
    }

    @Test("a released lease is taken at once by another holder, with the next epoch")
    func release() async throws {
        try await withSource { leases, _, source in
            let lease = try #require(try await leases.acquire(sourceID: source, holder: "a", period: .seconds(60)))
            try await leases.release(lease)
            let next = try #require(try await leases.acquire(sourceID: source, holder: "b", period: .seconds(60)))
            #expect(next.epoch == 2)
        }
    }

    @Test("holders racing for a free source: exactly one gets it")
    func race() async throws {
        try await withSource { leases, _, source in
            let winners = try await withThrowingTaskGroup(of: SourceLease?.self) { group in
                for index in 0..<8 {
                    group.addTask {
                        try await leases.acquire(sourceID: source, holder: "h\(index)", period: .seconds(60))
                    }
                }
                var won: [SourceLease] = []
                for try await lease in group { if let lease { won.append(lease) } }
                return won
            }
            #expect(winners.count == 1)
            #expect(winners.first?.epoch == 1)
        }
    }
}
