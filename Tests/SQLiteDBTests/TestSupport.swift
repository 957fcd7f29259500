import Foundation
import SQLiteDB

/// A fresh folder under the system's temporary directory, removed afterwards.
func withTemporaryDirectory<T>(_ body: (String) throws -> T) throws -> T {
    let path = NSTemporaryDirectory() + "sessionsync-tests-" + UUID().uuidString
    try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: path) }
    return try body(path)
}

/// A connection to a new database file in a temporary folder.
func withTemporaryDatabase<T>(_ body: (Connection, String) throws -> T) throws -> T {
    try withTemporaryDirectory { (directory: String) throws in
        let path = directory + "/test.sqlite"
        let connection = try Connection(path: path)
        return try body(connection, path)
    }
}
