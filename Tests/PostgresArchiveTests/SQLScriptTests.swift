import Testing

@testable import PostgresArchive

@Suite("Cutting a migration file into statements, as psql would")
struct SQLScriptTests {
    /// (SQL, the statements it holds)
    static let cases: [(String, [String])] = [
        ("CREATE TABLE a (x int);\nCREATE TABLE b (y int);\n", ["CREATE TABLE a (x int)", "CREATE TABLE b (y int)"]),
        ("SELECT 1", ["SELECT 1"]),
        ("  ;\n ; SELECT 1;;", ["SELECT 1"]),
        ("-- a comment; not a statement\nSELECT 1; -- trailing; comment\n", ["SELECT 1"]),
        ("/* outer /* nested; */ still; comment */ SELECT 2;", ["SELECT 2"]),
        ("SELECT 'a;b', 'it''s; fine';", ["SELECT 'a;b', 'it''s; fine'"]),
        (#"SELECT E'back\'slash;', e'x';"#, [#"SELECT E'back\'slash;', e'x'"#]),
        // Outside an E'' string a backslash escapes nothing (standard_conforming_strings).
        (#"SELECT 'a\'; SELECT 2;"#, [#"SELECT 'a\'"#, "SELECT 2"]),
        (#"SELECT "odd;name", "with "" quote;" FROM t;"#, [#"SELECT "odd;name", "with "" quote;" FROM t"#]),
        (
            "CREATE FUNCTION f() RETURNS int AS $$ SELECT 1; $$ LANGUAGE sql; SELECT 3;",
            ["CREATE FUNCTION f() RETURNS int AS $$ SELECT 1; $$ LANGUAGE sql", "SELECT 3"]
        ),
        (
            "DO $body$ BEGIN PERFORM 1; END $body$; SELECT $1;",
            ["DO $body$ BEGIN PERFORM 1; END $body$", "SELECT $1"]
        ),
        ("SELECT a$b; SELECT 4;", ["SELECT a$b", "SELECT 4"]),
        ("SELECT 5 - 1; SELECT 6 / 2;", ["SELECT 5 - 1", "SELECT 6 / 2"]),
    ]

    @Test("semicolons end statements only outside strings, names, dollar quotes and comments", arguments: cases)
    func statements(sql: String, expected: [String]) {
        #expect(SQLScript.statements(in: sql) == expected)
    }

    @Test("the shipped migrations cut into statements that each start with a command")
    func shippedMigrations() throws {
        for migration in try PostgresMigrations.migrator().migrations {
            let statements = migration.statements
            // The initial schema is many statements; a later migration may be one.
            #expect(statements.count > (migration.version == 1 ? 10 : 0), "\(migration.name)")
            for statement in statements {
                #expect(
                    ["CREATE ", "ALTER ", "DROP ", "INSERT ", "UPDATE ", "DELETE ", "COMMENT "].contains {
                        statement.hasPrefix($0)
                    }, "a statement of \(migration.name) starts oddly: \(statement.prefix(80))")
            }
        }
    }
}
