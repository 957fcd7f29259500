/// A column that `sessionsync copy` carries from the SQLite archive to PostgreSQL, with what its
/// values are: how a value is bound for PostgreSQL, and how both archives' values are written
/// the same way for ``ArchiveTableDigest``.
public struct CopiedColumn: Sendable {
    /// What a column holds, in the SQLite archive's terms (PostgreSQL's type in brackets).
    public enum Kind: Sendable {
        /// An INTEGER (`bigint`).
        case integer
        /// A REAL (`double precision`).
        case real
        /// A TEXT (`text`).
        case text
        /// JSON text (`jsonb`).
        case json
        /// An ISO-8601 time as text (`timestamptz`).
        case time
        /// A BLOB (`bytea`).
        case bytes
    }

    public let name: String
    public let kind: Kind

    init(_ name: String, _ kind: Kind) {
        self.name = name
        self.kind = kind
    }

    /// The name as an identifier for either database: `"text"` and `"key"` are column names here.
    var quoted: String {
        "\"\(name)\""
    }

    /// The cast that follows its parameter in an INSERT (`$3::timestamptz`).
    var cast: String {
        switch kind {
        case .integer: "::int8"
        case .real: "::float8"
        case .text: "::text"
        case .json: "::jsonb"
        case .time: "::timestamptz"
        case .bytes: "::bytea"
        }
    }
}
