import Foundation
import Logging
import PostgresNIO
import SQLiteDB
import SessionSyncSupport

/// A table's row count and content digest, the same for a SQLite and a PostgreSQL archive that
/// hold the same rows: what `sessionsync copy` prints for both sides and compares.
///
/// Every value is first written in one canonical form for its ``CopiedColumn/Kind``, whichever
/// archive it comes from: a time as `2022-06-28T17:39:26.459Z`, JSON in ``CanonicalJSON``'s
/// form, text as PostgreSQL stores it (U+0000 as U+FFFD), bytes as hex, numbers as Swift
/// writes an `Int64` or a `Double`. Each row is hashed (``StableHasher``) and the row hashes are
/// added up, so the digest does not depend on the order rows are read in (PostgreSQL's collation
/// may sort text keys differently from SQLite's bytes), while a row counted twice still changes it.
public struct ArchiveTableDigest: Sendable, Equatable {
    public let table: String
    public let rows: Int64
    /// 16 hex digits.
    public let digest: String

    init(table: String, rows: Int64, sum: UInt64) {
        self.table = table
        self.rows = rows
        let hex = String(sum, radix: 16)
        self.digest = String(repeating: "0", count: 16 - hex.count) + hex
    }

    /// `table` of the SQLite archive on `connection`, read in the connection's current transaction
    /// (the copy reads every table in one, so it sees one state of the file).
    public static func sqlite(_ table: CopiedTable, connection: Connection) throws -> ArchiveTableDigest {
        let select = try connection.prepare(
            "SELECT \(table.columns.map(\.quoted).joined(separator: ", ")) FROM \"\(table.name)\"")
        var rows: Int64 = 0
        var sum: UInt64 = 0
        while try select.step() {
            var hasher = StableHasher()
            for (index, column) in table.columns.enumerated() {
                combine(canonical(select.value(at: Int32(index)), column.kind), into: &hasher)
            }
            rows += 1
            sum &+= UInt64(hasher.hexDigest, radix: 16) ?? 0
        }
        return ArchiveTableDigest(table: table.name, rows: rows, sum: sum)
    }

    /// `table` of the PostgreSQL archive `client` is connected to, streamed (not held in memory).
    public static func postgres(
        _ table: CopiedTable, client: PostgresClient, logger: Logger
    ) async throws -> ArchiveTableDigest {
        let expressions = table.columns.map { column in
            switch column.kind {
            case .integer, .real, .text: column.quoted
            case .json: "\(column.quoted)::text"
            case .time: PostgresTime.text(column.quoted)
            case .bytes: "encode(\(column.quoted), 'hex')"
            }
        }
        let sql = "SELECT \(expressions.joined(separator: ", ")) FROM \(table.name)"
        var rows: Int64 = 0
        var sum: UInt64 = 0
        do {
            for try await row in try await client.query(PostgresQuery(unsafeSQL: sql), logger: logger) {
                var hasher = StableHasher()
                for (cell, column) in zip(row, table.columns) {
                    combine(try canonical(cell, column.kind), into: &hasher)
                }
                rows += 1
                sum &+= UInt64(hasher.hexDigest, radix: 16) ?? 0
            }
        } catch {
            throw PostgresArchiveError(statement: sql, error: error)
        }
        return ArchiveTableDigest(table: table.name, rows: rows, sum: sum)
    }

    /// A SQLite archive's value in the form ``postgres(_:client:logger:)`` reads PostgreSQL's.
    /// A value of an unexpected type (text in an INTEGER column) keeps a form of its own, so it
    /// can only match what the copy made of it by chance of its spelling, never silently.
    static func canonical(_ value: SQLiteValue, _ kind: CopiedColumn.Kind) -> String? {
        switch (value, kind) {
        case (.null, _): nil
        case (.integer(let integer), .real): "\(Double(integer))"
        case (.integer(let integer), _): "\(integer)"
        // SQLite stores a NaN as NULL: a REAL here is never one.
        case (.real(let real), _): "\(real)"
        case (.text(let text), .json): CanonicalJSON.text(text) ?? text
        case (.text(let text), .time): Timestamp(iso8601: text)?.iso8601 ?? text
        case (.text(let text), _): PostgresStoredText.text(text)
        case (.blob(let bytes), _): bytes.map { String(format: "%02x", $0) }.joined()
        }
    }

    /// A PostgreSQL archive's value, as its SELECT expression reads it, in canonical form.
    private static func canonical(_ cell: PostgresCell, _ kind: CopiedColumn.Kind) throws -> String? {
        switch kind {
        case .integer: return try cell.decode(Int64?.self).map { "\($0)" }
        case .real: return try cell.decode(Double?.self).map { "\($0)" }
        case .json: return try cell.decode(String?.self).map { CanonicalJSON.text($0) ?? $0 }
        case .text, .time, .bytes: return try cell.decode(String?.self)
        }
    }

    private static func combine(_ text: String?, into hasher: inout StableHasher) {
        if let text { hasher.combine(text) } else { hasher.combineNil() }
    }
}
