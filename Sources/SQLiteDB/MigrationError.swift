/// Why the schema could not be brought up to date.
public struct MigrationError: Error, Sendable, CustomStringConvertible, Equatable {
    private enum Reason: Equatable {
        case badFileName(String)
        case duplicateVersion(Int)
        case databaseNewer(database: Int, binary: Int)
        case failed(version: Int, name: String, message: String)
        case foreignKeyViolations(version: Int, name: String, count: Int)
    }

    private let reason: Reason

    public static func badFileName(_ name: String) -> MigrationError {
        MigrationError(reason: .badFileName(name))
    }

    public static func duplicateVersion(_ version: Int) -> MigrationError {
        MigrationError(reason: .duplicateVersion(version))
    }

    public static func databaseNewer(database: Int, binary: Int) -> MigrationError {
        MigrationError(reason: .databaseNewer(database: database, binary: binary))
    }

    public static func failed(_ migration: Migration, message: String) -> MigrationError {
        MigrationError(reason: .failed(version: migration.version, name: migration.name, message: message))
    }

    public static func foreignKeyViolations(_ migration: Migration, count: Int) -> MigrationError {
        MigrationError(reason: .foreignKeyViolations(version: migration.version, name: migration.name, count: count))
    }

    /// True when the database was written by a newer release than this binary.
    public var isDatabaseNewer: Bool {
        if case .databaseNewer = reason { return true }
        return false
    }

    public var description: String {
        switch reason {
        case .badFileName(let name):
            "migration file \(name) is not named NNNN_name.sql"
        case .duplicateVersion(let version):
            "two migrations share version \(version)"
        case .databaseNewer(let database, let binary):
            "the database is at schema version \(database) but this sessionsync only knows versions up to \(binary); "
                + "it was written by a newer release. Upgrade sessionsync (or point it at another database); "
                + "nothing was changed."
        case .failed(let version, let name, let message):
            "migration \(version) (\(name)) failed and was rolled back, the database is unchanged: \(message)"
        case .foreignKeyViolations(let version, let name, let count):
            "migration \(version) (\(name)) left \(count) foreign-key violation(s) and was rolled back"
        }
    }
}
