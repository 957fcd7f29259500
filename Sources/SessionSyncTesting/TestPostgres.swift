import Foundation
import PostgresArchive
import Simulators

/// The PostgreSQL server the tests use: `$SESSIONSYNC_TEST_POSTGRES_URL` when it is set (`.ci/run`
/// sets it to a cluster it started), else a throwaway cluster this test process starts for itself
/// with `scripts/postgres-throwaway.sh serve`, once, on first use.
///
/// The cluster a test process starts is stopped and removed when the process ends, however it
/// ends: the script waits for the end of its standard input, a pipe whose other end only this
/// process holds, and the kernel closes it even when the process is killed. When neither works
/// (no PostgreSQL installed), the tests that need a server fail with a message saying how to
/// give them one; they are never skipped.
public enum TestPostgres {
    /// A superuser's URL on a server the tests may create and drop databases on (no password
    /// in it; `SESSIONSYNC_TEST_POSTGRES_PASSWORD` gives one if the server wants one).
    public static let environmentVariable = "SESSIONSYNC_TEST_POSTGRES_URL"
    public static let passwordVariable = "SESSIONSYNC_TEST_POSTGRES_PASSWORD"

    /// The server, as a location of its maintenance database.
    public static func server() async throws -> PostgresLocation {
        try await shared.value
    }

    /// The password for ``server()``'s user, if the environment gives one.
    public static var password: String? {
        ProcessInfo.processInfo.environment[passwordVariable]
    }

    private static let shared = Task<PostgresLocation, any Error> {
        if let text = ProcessInfo.processInfo.environment[environmentVariable], !text.isEmpty {
            switch PostgresLocation.parse(text) {
            case .success(let location): return location
            case .failure(let error):
                throw TestPostgresError("$\(environmentVariable): the URL \(error.message)")
            }
        }
        let url = try await ThrowawayCluster.start()
        switch PostgresLocation.parse(url) {
        case .success(let location): return location
        case .failure(let error):
            throw TestPostgresError("scripts/postgres-throwaway.sh printed a URL that does not parse: \(error.message)")
        }
    }
}

/// Why the tests have no PostgreSQL server, and how to give them one.
public struct TestPostgresError: Error, CustomStringConvertible {
    public let description: String

    init(_ problem: String) {
        description =
            "PostgreSQL tests need a server, and \(problem). Either install PostgreSQL (Debian: "
            + "`bash .ci/install-deps --with-postgres`, which installs the postgresql package), so that the tests start a "
            + "throwaway cluster of their own, or start one and point the tests at it: "
            + "`scripts/postgres-throwaway.sh start` prints its URL (and folder), then run "
            + "`SESSIONSYNC_TEST_POSTGRES_URL=<that URL> swift test` and `scripts/postgres-throwaway.sh stop <folder>`."
    }
}

/// `scripts/postgres-throwaway.sh serve`, started once per test process and never waited for.
private enum ThrowawayCluster {
    static func start() async throws -> String {
        try await withCheckedThrowingContinuation { continuation in
            // Starting a cluster takes a second or two of blocking reads: off the task pool.
            DispatchQueue.global().async {
                continuation.resume(with: Result { try startBlocking() })
            }
        }
    }

    private static func startBlocking() throws -> String {
        let script = packageRootFolder() + "/scripts/postgres-throwaway.sh"
        guard FileManager.default.fileExists(atPath: script) else {
            throw TestPostgresError("the script \(script) to start one is missing")
        }
        do {
            // Its lifeline is never closed: open for as long as this process lives.
            return try ThrowawayPostgresScript.serve(script).url
        } catch {
            throw TestPostgresError("\(error)")
        }
    }

    private static func packageRootFolder() -> String {
        var url = URL(fileURLWithPath: #filePath)
        while url.path != "/" {
            url.deleteLastPathComponent()
            if FileManager.default.fileExists(atPath: url.appendingPathComponent("Package.swift").path) {
                return url.path
            }
        }
        return FileManager.default.currentDirectoryPath
    }
}
