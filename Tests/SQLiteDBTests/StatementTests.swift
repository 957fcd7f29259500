import Foundation
import SQLiteDB
import SessionSyncTesting
import Testing

@Suite("Statement binds and reads every type")
struct StatementTests {
    static let roundTrips: [SQLiteValue] = [
        .null,
        .integer(0),
        .integer(Int64.max),
        .integer(Int64.min),
        .integer(-1),
        .real(3.141592653589793),
        .real(-0.0),
        .real(1e308),
        .text(""),
        .text("plain ascii"),
        .text("unicode: żółć 日本語 🚀 e\u{301}"),
        .text("embedded\u{0}nul"),
        .text(String(repeating: "long text ", count: 200_000)),
        .blob([]),
        .blob([0, 1, 2, 255, 0]),
        .blob((0..<1_000_000).map { UInt8(truncatingIfNeeded: $0 &* 31) }),
    ]

    @Test("a value round-trips through a real file", arguments: roundTrips)
    func roundTrip(value: SQLiteValue) throws {
        try withTemporaryDatabase { (connection: Connection, _: String) throws in
            try connection.execute("CREATE TABLE t (v)")
            let insert = try connection.prepare("INSERT INTO t (v) VALUES (?)")
            try insert.bind(value, at: 1)
            try insert.run()
            let select = try connection.prepare("SELECT v, typeof(v) FROM t")
            #expect(try select.step())
            #expect(select.value(at: 0) == value)
            let expectedType: String =
                switch value {
                case .null: "null"
                case .integer: "integer"
                case .real: "real"
                case .text: "text"
                case .blob: "blob"
                }
            #expect(select.text(at: 1) == expectedType)
        }
    }

    @Test("typed binds and reads: Int64, Double, Text, Blob, NULL, Bool")
    func typedAccessors() throws {
        try withTemporaryDatabase { (connection: Connection, _: String) throws in
            try connection.execute("CREATE TABLE t (i INTEGER, d REAL, s TEXT, b BLOB, n TEXT, f INTEGER)")
            let insert = try connection.prepare("INSERT INTO t VALUES (?, ?, ?, ?, ?, ?)")
            try insert.bind(Int64.min, at: 1)
            try insert.bind(2.5, at: 2)
            try insert.bind("ü", at: 3)
            try insert.bind([UInt8]([9, 8]), at: 4)
            try insert.bindNull(at: 5)
            try insert.bind(true, at: 6)
            try insert.run()
            let select = try connection.prepare("SELECT i, d, s, b, n, f FROM t")
            #expect(try select.step())
            #expect(select.int64(at: 0) == Int64.min)
            #expect(select.double(at: 1) == 2.5)
            #expect(select.text(at: 2) == "ü")
            #expect(select.blob(at: 3) == [9, 8])
            #expect(select.text(at: 4) == nil)
            #expect(select.isNull(at: 4))
            #expect(select.optionalInt64(at: 4) == nil)
            #expect(select.bool(at: 5))
            #expect(select.columnName(at: 2) == "s")
            #expect(try select.step() == false)
        }
    }

    @Test("parameters bind by name with any prefix")
    func namedParameters() throws {
        try withTemporaryDatabase { (connection: Connection, _: String) throws in
            try connection.execute("CREATE TABLE t (a, b, c)")
            let insert = try connection.prepare("INSERT INTO t VALUES (:a, @b, $c)")
            try insert.bind(named: [":a": 1, "@b": "two", "$c": .null])
            try insert.run()
            #expect(try connection.scalarText("SELECT a || b || coalesce(c, '-') FROM t") == "1two-")
            #expect(throws: SQLiteError.self) { try insert.bind(1, named: ":missing") }
        }
    }

    @Test("a statement is reset and reused with new bindings")
    func resetAndReuse() throws {
        try withTemporaryDatabase { (connection: Connection, _: String) throws in
            try connection.execute("CREATE TABLE t (v INTEGER)")
            let insert = try connection.cachedStatement("INSERT INTO t VALUES (?)")
            for value in 1...100 {
                try insert.bind(Int64(value), at: 1)
                try insert.run()
            }
            // The cache hands back the same compiled statement.
            let again = try connection.cachedStatement("INSERT INTO t VALUES (?)")
            #expect(again === insert)
            #expect(try connection.scalarInt("SELECT sum(v) FROM t") == 5050)
            let select = try connection.prepare("SELECT v FROM t WHERE v > ? ORDER BY v")
            try select.bind(98, at: 1)
            var seen: [Int64] = []
            try select.forEachRow { seen.append($0.int64(at: 0)) }
            try select.bind(99, at: 1)
            try select.forEachRow { seen.append($0.int64(at: 0)) }
            #expect(seen == [99, 100, 100])
        }
    }

    @Test("a constraint violation is a typed error carrying the codes, message and SQL")
    func constraintViolation() throws {
        try withTemporaryDatabase { (connection: Connection, _: String) throws in
            try connection.execute("CREATE TABLE parent (id INTEGER PRIMARY KEY, name TEXT UNIQUE NOT NULL)")
            try connection.execute("CREATE TABLE child (parent_id INTEGER REFERENCES parent(id))")
            try connection.execute("INSERT INTO parent (id, name) VALUES (1, 'a')")
            let duplicate = try connection.prepare("INSERT INTO parent (name) VALUES (?)")
            try duplicate.bind("a", at: 1)
            let error = try #require(throws: SQLiteError.self) { try duplicate.run() }
            #expect(error.code == .constraint)
            #expect(error.extendedCode == .constraintUnique)
            #expect(error.message.contains("UNIQUE constraint failed: parent.name"))
            #expect(error.sql == "INSERT INTO parent (name) VALUES (?)")
            #expect(error.description.contains("INSERT INTO parent"))
            // Bound values never appear in the error.
            #expect(!error.description.contains("'a'"))

            let orphan = try connection.prepare("INSERT INTO child (parent_id) VALUES (42)")
            let foreignKey = try #require(throws: SQLiteError.self) { try orphan.run() }
            #expect(foreignKey.extendedCode == .constraintForeignKey)
            if case ResultCode.constraint = foreignKey.extendedCode {
            } else {
                Issue.record("a primary code pattern should match its extended codes")
            }

            let notNull = try connection.prepare("INSERT INTO parent (name) VALUES (NULL)")
            #expect(throws: SQLiteError.self) { try notNull.run() }
        }
    }

    @Test("bad SQL fails at prepare with the SQL in the error")
    func syntaxError() throws {
        try withTemporaryDatabase { (connection: Connection, _: String) throws in
            let error = try #require(throws: SQLiteError.self) { try connection.prepare("SELEC 1") }
            #expect(error.code == .error)
            #expect(error.sql == "SELEC 1")
            #expect(error.message.contains("syntax error"))
        }
    }

    @Test("a statement keeps its connection open after the Connection object is gone")
    func statementOutlivesConnection() throws {
        try withTemporaryDirectory { (directory: String) throws in
            let path = directory + "/lifetime.sqlite"
            let writer = try Connection(path: path)
            try writer.execute("CREATE TABLE t (v TEXT); INSERT INTO t VALUES ('alpha'), ('beta'), ('alphabet')")
            // The Connection is a temporary: only the statement holds the database open.
            let statement = try Connection(path: path, options: Connection.Options(mode: .readOnly)).prepare(
                "SELECT count(*) FROM t WHERE v LIKE ?")
            try statement.bind("alpha%", at: 1)
            #expect(try statement.step())
            #expect(statement.int(at: 0) == 2)
        }
    }
}
