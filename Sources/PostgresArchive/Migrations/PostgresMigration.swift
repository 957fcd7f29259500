/// One numbered schema change of the PostgreSQL archive: plain SQL from `migrations/postgres/`,
/// applied once, in order, in its own transaction, never edited after it shipped.
public struct PostgresMigration: Sendable, Hashable {
    public let version: Int
    public let name: String
    public let sql: String

    public init(version: Int, name: String, sql: String) {
        self.version = version
        self.name = name
        self.sql = sql
    }

    /// A migration from a file named `NNNN_name.sql` (`0001_initial.sql` is version 1, "initial").
    public init(fileName: String, sql: String) throws(PostgresMigrationError) {
        let stem = fileName.hasSuffix(".sql") ? String(fileName.dropLast(4)) : fileName
        let parts = stem.split(separator: "_", maxSplits: 1)
        guard parts.count == 2, parts[0].allSatisfy({ $0.isASCII && $0.isNumber }), let version = Int(parts[0]),
            version > 0
        else {
            throw PostgresMigrationError.badFileName(fileName)
        }
        self.init(version: version, name: String(parts[1]), sql: sql)
    }

    /// The statements of ``sql``, one by one: postgres-nio speaks only the extended protocol,
    /// which runs a single statement per query.
    public var statements: [String] {
        SQLScript.statements(in: sql)
    }
}
