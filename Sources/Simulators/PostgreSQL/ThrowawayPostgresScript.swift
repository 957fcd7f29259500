import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// `scripts/postgres-throwaway.sh serve` started as a child: a PostgreSQL cluster in a temporary
/// folder, as much a local stand-in as the simulators, for the tests and the benchmark.
///
/// The script stops the cluster and removes its folder when its standard input ends. The other
/// end of that pipe (``lifeline``) is held only by the caller (close-on-exec, so no child of the
/// caller inherits it): closing it stops the cluster, and so does the caller's end, however it
/// ends, since the kernel closes it even after a kill -9.
public struct ThrowawayPostgresScript: Sendable {
    /// The cluster's URL as the script printed it (superuser `postgres`, no parameters).
    public let url: String
    public let pid: pid_t
    /// The write end of the script's standard input.
    public let lifeline: Int32

    /// Starts `script serve` and waits (a second or two: initdb) until it printed the URL.
    /// The error's text is the script's own standard error when it could not start a cluster.
    public static func serve(_ script: String) throws(ThrowawayPostgresScriptError) -> ThrowawayPostgresScript {
        var input: [Int32] = [-1, -1]
        var output: [Int32] = [-1, -1]
        guard pipe(&input) == 0, pipe(&output) == 0 else {
            throw ThrowawayPostgresScriptError("no pipe could be made (errno \(errno))")
        }
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
        // Its own process group: a Ctrl-C meant for the caller stops the cluster through the end
        // of its input once the caller is gone, not halfway through a start.
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
            throw ThrowawayPostgresScriptError("/bin/bash could not be started (error \(spawned))")
        }
        let printed = readToEnd(output[0])
        close(output[0])
        guard let url = printed.split(separator: "\n").first.map(String.init), url.hasPrefix("postgres://") else {
            close(input[1])
            var status: Int32 = 0
            while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
            let log = (try? String(contentsOfFile: errorLog, encoding: .utf8)) ?? ""
            throw ThrowawayPostgresScriptError(
                "\(script) could not start a cluster: \(log.trimmingCharacters(in: .whitespacesAndNewlines))")
        }
        return ThrowawayPostgresScript(url: url, pid: pid, lifeline: input[1])
    }

    /// Ends the script's input and waits until it has stopped the cluster and removed its folder.
    public func stop() {
        close(lifeline)
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
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
}
