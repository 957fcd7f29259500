/// Rows per table, in the order they were first counted: what an erasure or a retention pass
/// removed (or, for a dry run, would remove).
public struct TableCounts: Sendable, Equatable {
    public struct Entry: Sendable, Equatable {
        public let table: String
        public var rows: Int
    }

    public private(set) var entries: [Entry] = []

    public init() {}

    /// The rows counted for `table` (0 when it was never counted).
    public subscript(table: String) -> Int {
        entries.first { $0.table == table }?.rows ?? 0
    }

    /// Every table's rows added up.
    public var total: Int {
        entries.reduce(0) { $0 + $1.rows }
    }

    /// Adds `rows` to `table`'s count; a table counted for the first time goes last.
    public mutating func add(_ table: String, _ rows: Int) {
        if let index = entries.firstIndex(where: { $0.table == table }) {
            entries[index].rows += rows
        } else {
            entries.append(Entry(table: table, rows: rows))
        }
    }

    public static func += (lhs: inout TableCounts, rhs: TableCounts) {
        for entry in rhs.entries { lhs.add(entry.table, entry.rows) }
    }
}
