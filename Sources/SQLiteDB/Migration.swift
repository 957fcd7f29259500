/// One numbered schema change: plain SQL, applied once, in order, never edited after it shipped.
public struct Migration: Sendable, Hashable {
    public let version: Int
    public let name: String
    public let sql: String

    public init(version: Int, name: String, sql: String) {
        self.version = version
        self.name = name
        self.sql = sql
    }

    /// A migration from a file named `NNNN_name.sql` (`0001_initial.sql` is version 1, "initial").
    public init(fileName: String, sql: String) throws(MigrationError) {
        let stem = fileName.hasSuffix(".sql") ? String(fileName.dropLast(4)) : fileName
        let parts = stem.split(separator: "_", maxSplits: 1)
        guard parts.count == 2, parts[0].allSatisfy(\.isASCIIDigit), let version = Int(parts[0]), version > 0 else {
            throw MigrationError.badFileName(fileName)
        }
        self.init(version: version, name: String(parts[1]), sql: sql)
    }
}

extension Character {
    fileprivate var isASCIIDigit: Bool {
        isASCII && isNumber
    }
}
