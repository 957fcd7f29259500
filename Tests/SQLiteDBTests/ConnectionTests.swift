import Foundation
import SQLiteDB
import SessionSyncTesting
import Testing

@Suite("Connection: pragmas, transactions, locking and WAL snapshots")
struct ConnectionTests {
    @Test("a new connection is in WAL mode with foreign keys on and synchronous NORMAL")
    func pragmas() throws {
        try withTemporaryDatabase { (connection: Connection, _: String) throws in
            #expect(try connection.scalarText("PRAGMA journal_mode") == "wal")
            #expect(try connection.scalarInt("PRAGMA foreign_keys") == 1)
            #expect(try connection.scalarInt("PRAGMA synchronous") == 1)
            #expect(try connection.scalarInt("PRAGMA busy_timeout") == 5000)
        }
    }

    @Test("a transaction whose body throws leaves nothing behind")
    func rollbackOnThrow() throws {
        struct Boom: Error {}
        try withTemporaryDatabase { (connection: Connection, _: String) throws in
            try connection.execute("CREATE TABLE t (v INTEGER)")
            do {
                try connection.transaction { () throws -> Void in
                    try connection.execute("INSERT INTO t VALUES (1)")
                    try connection.execute("INSERT INTO t VALUES (2)")
                    throw Boom()
                }
                Issue.record("the transaction should have rethrown the body's error")
            } catch is Boom {
                // expected
            }
            #expect(try connection.scalarInt("SELECT count(*) FROM t") == 0)
            #expect(connection.isAutocommit)
            try connection.transaction { try connection.execute("INSERT INTO t VALUES (3)") }
            #expect(try connection.scalarInt("SELECT count(*) FROM t") == 1)
        }
    }

    @Test("a nested transaction is a savepoint: an inner failure undoes only the inner work")
    func nestedSavepoint() throws {
        struct Boom: Error {}
        try withTemporaryDatabase { (connection: Connection, _: String) throws in
            try connection.execute("CREATE TABLE t (v INTEGER)")
            try connection.transaction {
                try connection.execute("INSERT INTO t VALUES (1)")
                _ = try? connection.transaction {
                    try connection.execute("INSERT INTO t VALUES (2)")
                    throw Boom()
                }
                try connection.execute("INSERT INTO t VALUES (3)")
            }
            #expect(try connection.scalarText("SELECT group_concat(v, ',') FROM t") == "1,3")
        }
    }

    @Test("a writer waits for another connection's write lock for the busy timeout, then fails clearly")
    func busyTimeout() throws {
        try withTemporaryDirectory { (directory: String) throws in
            let path = directory + "/locked.sqlite"
            let holder = try Connection(path: path)
            try holder.execute("CREATE TABLE t (v INTEGER)")
            let waiter = try Connection(path: path, options: Connection.Options(busyTimeoutMilliseconds: 300))
            try holder.execute("BEGIN IMMEDIATE")
            try holder.execute("INSERT INTO t VALUES (1)")
            let started = ContinuousClock.now
            let error = try #require(throws: SQLiteError.self) {
                try waiter.transaction { try waiter.execute("INSERT INTO t VALUES (2)") }
            }
            let waited = ContinuousClock.now - started
            #expect(error.code == .busy)
            #expect(error.message.contains("locked"))
            #expect(error.sql == "BEGIN IMMEDIATE")
            // It waited instead of failing at once (a lower bound only: no upper timing threshold).
            #expect(waited >= .milliseconds(250))
            try holder.execute("COMMIT")
            try waiter.transaction { try waiter.execute("INSERT INTO t VALUES (2)") }
            #expect(try waiter.scalarInt("SELECT count(*) FROM t") == 2)
        }
    }

    @Test("a reader in WAL mode keeps its snapshot while a writer commits")
    func walSnapshot() throws {
        try withTemporaryDirectory { (directory: String) throws in
            let path = directory + "/wal.sqlite"
            let writer = try Connection(path: path)
            try writer.execute("CREATE TABLE t (v INTEGER)")
            try writer.execute("INSERT INTO t VALUES (1)")
            let reader = try Connection(path: path, options: Connection.Options(mode: .readOnly))
            try reader.execute("BEGIN")
            #expect(try reader.scalarInt("SELECT count(*) FROM t") == 1)
            // The writer is not blocked by the open read transaction.
            try writer.transaction {
                try writer.execute("INSERT INTO t VALUES (2)")
                try writer.execute("INSERT INTO t VALUES (3)")
            }
            #expect(try writer.scalarInt("SELECT count(*) FROM t") == 3)
            #expect(try reader.scalarInt("SELECT count(*) FROM t") == 1)
            try reader.execute("COMMIT")
            #expect(try reader.scalarInt("SELECT count(*) FROM t") == 3)
        }
    }

    @Test("a read-only connection refuses writes with SQLITE_READONLY")
    func readOnly() throws {
        try withTemporaryDirectory { (directory: String) throws in
            let path = directory + "/ro.sqlite"
            try Connection(path: path).execute("CREATE TABLE t (v)")
            let reader = try Connection(path: path, options: Connection.Options(mode: .readOnly))
            let error = try #require(throws: SQLiteError.self) { try reader.execute("INSERT INTO t VALUES (1)") }
            #expect(error.code == .readOnly)
        }
    }

    @Test("opening a file that is not a database fails with the path in the message")
    func notADatabase() throws {
        try withTemporaryDirectory { (directory: String) throws in
            let path = directory + "/garbage.sqlite"
            _ = FileManager.default.createFile(atPath: path, contents: Data(repeating: 0x41, count: 4096))
            let error = try #require(throws: SQLiteError.self) { try Connection(path: path) }
            #expect(error.code == .notADatabase)
            #expect(error.message.contains(path) || error.message.contains("not a database"))
        }
    }
}
