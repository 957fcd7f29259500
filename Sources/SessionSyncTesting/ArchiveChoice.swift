/// Which archive a harness writes to.
public enum ArchiveChoice: String, Sendable, CaseIterable, CustomStringConvertible {
    case sqlite, postgres

    public var description: String {
        self == .sqlite ? "SQLite" : "PostgreSQL"
    }
}
