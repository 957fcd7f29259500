/// Why the PostgreSQL archive's schema could not be brought up to date.
public struct PostgresMigrationError: Error, Sendable, CustomStringConvertible, Equatable {
    private enum Reason: Equatable {
        case badFileName(String)
        case duplicateVersion(Int)
        case databaseNewer(database: Int, binary: Int)
        case failed(version: Int, name: String, statement: Int, message: String)
        case interrupted(atVersion: Int, message: String)
    }

    private let reason: Reason

    public static func badFileName(_ name: String) -> PostgresMigrationError {
        PostgresMigrationError(reason: .badFileName(name))
    }

    public static func duplicateVersion(_ version: Int) -> PostgresMigrationError {
        PostgresMigrationError(reason: .duplicateVersion(version))
    }

    public static func databaseNewer(database: Int, binary: Int) -> PostgresMigrationError {
        PostgresMigrationError(reason: .databaseNewer(database: database, binary: binary))
    }

    /// Statement `statement` (counted from 1) of `migration` failed with the server's `message`.
    public static func failed(_ migration: PostgresMigration, statement: Int, message: String)
        -> PostgresMigrationError
    {
        PostgresMigrationError(
            reason: .failed(version: migration.version, name: migration.name, statement: statement, message: message))
    }

    /// The server or the connection failed outside a migration's own statements (a lost
    /// connection, a refused COMMIT); the database is at schema version `atVersion`.
    public static func interrupted(atVersion version: Int, message: String) -> PostgresMigrationError {
        PostgresMigrationError(reason: .interrupted(atVersion: version, message: message))
    }

    /// True when the database was written by a newer release than this binary.
    public var isDatabaseNewer: Bool {
        if case .databaseNewer = reason { return true }
        return false
    }

    public var description: String {
        switch reason {
        case .badFileName(let name):
            "PostgreSQL migration file \(name) is not named NNNN_name.sql"
        case .duplicateVersion(let version):
            "two PostgreSQL migrations share version \(version)"
        case .databaseNewer(let database, let binary):
            "the database is at schema version \(database) but this sessionsync only knows versions up to \(binary); "
                + "it was written by a newer release. Upgrade sessionsync (or point it at another database); "
                + "nothing was changed."
        case .failed(let version, let name, let statement, let message):
            "migration \(version) (\(name)) failed at its statement \(statement) and was rolled back, "
                + "the database is unchanged: \(message)"
        case .interrupted(let version, let message):
            "migrating stopped with the database at schema version \(version): \(message). Each migration is "
                + "applied whole or not at all: run it again to go on from there."
        }
    }
}
