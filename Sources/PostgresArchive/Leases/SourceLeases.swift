import Archive
import Logging
import PostgresNIO

/// Leases on sources (`source_leases`), so that several daemons share one archive and each
/// source is synced by one of them at a time. Every time is the server's (`now()`), so the
/// instances' clocks need not agree; a lease's period is what the caller renews it within.
public struct SourceLeases: Sendable {
    let client: PostgresClient
    let logger: Logger

    public init(client: PostgresClient, logger: Logger) {
        self.client = client
        self.logger = logger
    }

    /// Takes the source for `holder` for `period`: when it is free, expired, or already this
    /// holder's (then renewed, keeping its epoch). Nil while another holder's lease runs.
    public func acquire(sourceID: Int64, holder: String, period: Duration) async throws -> SourceLease? {
        try await client.withConnection { connection in
            try await Self.acquire(sourceID: sourceID, holder: holder, period: period, on: connection, logger: logger)
        }
    }

    /// ``acquire(sourceID:holder:period:)`` on `connection` (inside the caller's transaction, if any).
    public static func acquire(
        sourceID: Int64, holder: String, period: Duration, on connection: PostgresConnection, logger: Logger
    ) async throws -> SourceLease? {
        let rows = try await connection.query(
            """
            INSERT INTO source_leases (source_id, holder, epoch, acquired_at, renewed_at, expires_at)
            VALUES (\(sourceID), \(holder), 1, now(), now(), now() + \(Self.milliseconds(period)) * interval '1 millisecond')
            ON CONFLICT (source_id) DO UPDATE SET
                holder = excluded.holder,
                epoch = source_leases.epoch + CASE WHEN source_leases.holder = excluded.holder THEN 0 ELSE 1 END,
                acquired_at = CASE WHEN source_leases.holder = excluded.holder
                    THEN source_leases.acquired_at ELSE excluded.acquired_at END,
                renewed_at = excluded.renewed_at,
                expires_at = excluded.expires_at
            WHERE source_leases.holder = excluded.holder OR source_leases.expires_at < now()
            RETURNING epoch, \(unescaped: Self.isoText("expires_at"))
            """,
            logger: logger)
        for try await (epoch, expiresAt) in rows.decode((Int64, String).self) {
            return SourceLease(sourceID: sourceID, holder: holder, epoch: epoch, expiresAt: expiresAt)
        }
        return nil
    }

    /// Takes the source from `holder`'s lease of `epoch` before it expires, with the next epoch:
    /// for a holder known to be gone (a process of this machine that no longer runs). Nil when
    /// the lease changed meanwhile.
    public static func takeOver(
        sourceID: Int64, from previous: String, epoch: Int64, holder: String, period: Duration,
        on connection: PostgresConnection, logger: Logger
    ) async throws -> SourceLease? {
        let rows = try await connection.query(
            """
            UPDATE source_leases SET holder = \(holder), epoch = epoch + 1, acquired_at = now(), renewed_at = now(),
                expires_at = now() + \(Self.milliseconds(period)) * interval '1 millisecond'
            WHERE source_id = \(sourceID) AND holder = \(previous) AND epoch = \(epoch)
            RETURNING epoch, \(unescaped: Self.isoText("expires_at"))
            """,
            logger: logger)
        for try await (newEpoch, expiresAt) in rows.decode((Int64, String).self) {
            return SourceLease(sourceID: sourceID, holder: holder, epoch: newEpoch, expiresAt: expiresAt)
        }
        return nil
    }

    /// Extends `lease` by `period`; nil when it passed to another holder meanwhile (its epoch
    /// moved), even if it had expired: an expired lease nobody took is still this holder's.
    public func renew(_ lease: SourceLease, period: Duration) async throws -> SourceLease? {
        try await client.withConnection { connection in
            try await Self.renew(lease, period: period, on: connection, logger: logger)
        }
    }

    /// ``renew(_:period:)`` on `connection`.
    public static func renew(_ lease: SourceLease, period: Duration, on connection: PostgresConnection, logger: Logger)
        async throws -> SourceLease?
    {
        let rows = try await connection.query(
            """
            UPDATE source_leases SET renewed_at = now(),
                expires_at = now() + \(Self.milliseconds(period)) * interval '1 millisecond'
            WHERE source_id = \(lease.sourceID) AND holder = \(lease.holder) AND epoch = \(lease.epoch)
            RETURNING \(unescaped: Self.isoText("expires_at"))
            """,
            logger: logger)
        for try await expiresAt in rows.decode(String.self) {
            return SourceLease(sourceID: lease.sourceID, holder: lease.holder, epoch: lease.epoch, expiresAt: expiresAt)
        }
        return nil
    }

    /// Lets the source go at once (a clean stop), so that another instance need not wait for
    /// the lease to expire. The row stays, with its epoch, for the next holder to increment.
    public func release(_ lease: SourceLease) async throws {
        try await client.withConnection { connection in
            try await Self.release(lease, on: connection, logger: logger)
        }
    }

    /// ``release(_:)`` on `connection`.
    public static func release(_ lease: SourceLease, on connection: PostgresConnection, logger: Logger) async throws {
        try await connection.query(
            """
            UPDATE source_leases SET expires_at = now() - interval '1 millisecond'
            WHERE source_id = \(lease.sourceID) AND holder = \(lease.holder) AND epoch = \(lease.epoch)
            """,
            logger: logger)
    }

    /// Throws ``SourceLeaseLost`` unless `lease` is still held, on `connection` inside the
    /// transaction of a write: the row is locked until that transaction ends, so a takeover waits
    /// for the write, and a write after a takeover is refused.
    public static func checkHeld(_ lease: SourceLease, on connection: PostgresConnection, logger: Logger) async throws {
        let rows = try await connection.query(
            "SELECT holder, epoch FROM source_leases WHERE source_id = \(lease.sourceID) FOR SHARE", logger: logger)
        var current: (String, Int64)?
        for try await row in rows.decode((String, Int64).self) { current = row }
        guard let current, current.0 == lease.holder, current.1 == lease.epoch else {
            throw SourceLeaseLost(lease: lease, currentHolder: current?.0, currentEpoch: current?.1)
        }
    }

    /// Who holds each source now (expired leases included, with their expiry), for `status`.
    public func holders() async throws -> [Int64: LeaseHolding] {
        try await client.withConnection { connection in try await Self.holders(on: connection, logger: logger) }
    }

    /// ``holders()`` on `connection`.
    static func holders(on connection: PostgresConnection, logger: Logger) async throws -> [Int64: LeaseHolding] {
        let rows = try await connection.query(
            """
            SELECT source_id, holder, epoch, \(unescaped: Self.isoText("expires_at")), expires_at < now()
            FROM source_leases
            """,
            logger: logger)
        var holders: [Int64: LeaseHolding] = [:]
        for try await (source, holder, epoch, expiresAt, expired) in rows.decode(
            (Int64, String, Int64, String, Bool).self)
        {
            holders[source] = LeaseHolding(holder: holder, epoch: epoch, expiresAt: expiresAt, expired: expired)
        }
        return holders
    }

    /// A period in whole milliseconds (negative periods make a lease that has already expired).
    static func milliseconds(_ period: Duration) -> Int64 {
        period.components.seconds * 1000 + period.components.attoseconds / 1_000_000_000_000_000
    }

    /// A `timestamptz` column as the archive's ISO-8601 text (UTC, milliseconds).
    static func isoText(_ column: String) -> String {
        #"to_char(\#(column) AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')"#
    }
}
