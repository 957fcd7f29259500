import Foundation
import PostgresArchive

#if canImport(Glibc)
    import Glibc
#endif

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
        var input: [Int32] = [-1, -1]
        var output: [Int32] = [-1, -1]
        guard pipe(&input) == 0, pipe(&output) == 0 else {
            throw TestPostgresError("no pipe could be made to start one (errno \(errno))")
        }
        // Not inherited by the script (it would then never see the end of its input) nor by
        // anything else this process starts.
        for descriptor in input + output { _ = fcntl(descriptor, F_SETFD, FD_CLOEXEC) }
        let errorLog = NSTemporaryDirectory() + "sessionsync-postgres-start-\(UUID().uuidString).log"
        defer { try? FileManager.default.removeItem(atPath: errorLog) }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_adddup2(&actions, input[0], 0)
        posix_spawn_file_actions_adddup2(&actions, output[1], 1)
        posix_spawn_file_actions_addopen(&actions, 2, errorLog, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        // Its own process group: a Ctrl-C meant for the tests stops it through its input's end,
        // after the tests, not halfway through starting.
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETPGROUP))
        let arguments = ["/bin/bash", script, "serve"]
        let argv = arguments.map { strdup($0) } + [nil]
        let environment = ProcessInfo.processInfo.environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { for pointer in argv + environment { free(pointer) } }
        var pid: pid_t = 0
        let spawned = posix_spawn(&pid, "/bin/bash", &actions, &attributes, argv, environment)
        close(input[0])
        close(output[1])
        guard spawned == 0 else {
            close(input[1])
            close(output[0])
            throw TestPostgresError("/bin/bash could not be started (error \(spawned))")
        }
        // input[1] is never closed: it is the script's lifeline, open for as long as this process lives.
        let printed = readToEnd(output[0])
        close(output[0])
        let lines = printed.split(separator: "\n").map(String.init)
        guard let url = lines.first, url.hasPrefix("postgres://") else {
            let log = (try? String(contentsOfFile: errorLog, encoding: .utf8)) ?? ""
            throw TestPostgresError(
                "scripts/postgres-throwaway.sh could not start one: \(log.trimmingCharacters(in: .whitespacesAndNewlines))"
            )
        }
        return url
    }

    /// Everything written to `descriptor` until its writer closes it: the script closes its
    /// output once the URL and folder are printed.
    private static func readToEnd(_ descriptor: Int32) -> String {
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = buffer.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            if count < 0 && errno == EINTR { continue }
            guard count > 0 else { break }
            bytes += buffer[0..<count]
        }
        return String(decoding: bytes, as: UTF8.self)
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
