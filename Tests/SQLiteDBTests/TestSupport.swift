import Foundation
import SQLiteDB
import SessionSyncTesting

/// A connection to a new database file in a temporary folder.
func withTemporaryDatabase<T>(_ body: (Connection, String) throws -> T) throws -> T {
    try withTemporaryDirectory { (directory: String) throws in
        let path = directory + "/test.sqlite"
        let connection = try Connection(path: path)
        return try body(connection, path)
    }
}
