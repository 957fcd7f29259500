import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// A PostgreSQL cluster for one benchmark run (`--postgres-throwaway`), started with
/// `scripts/postgres-throwaway.sh serve`: initdb in a temporary folder, trust authentication,
/// 127.0.0.1 on a free port, `fsync=off`.
///
/// The script stops the cluster and removes its folder when its standard input ends. The other
/// end of that pipe is held only by this process (close-on-exec, so no `sessionsync sync` child
/// inherits it), so the cluster goes however the benchmark ends: ``stop()`` at the end of a run,
/// the kernel closing the pipe when the benchmark exits on an error or is killed.
final class ThrowawayPostgres {
    /// The cluster's URL (its `postgres` maintenance database, superuser `postgres`).
    let url: String
    private let pid: pid_t
    private var lifeline: Int32

    /// Starts the cluster; it takes a few seconds (initdb), which the benchmark waits for before
    /// anything is measured.
    init() throws {
        let script = try Self.script()
        var input: [Int32] = [-1, -1]
        var output: [Int32] = [-1, -1]
        guard pipe(&input) == 0, pipe(&output) == 0 else {
            throw BenchError("--postgres-throwaway: no pipe could be made (errno \(errno))")
        }
        for descriptor in input + output { _ = fcntl(descriptor, F_SETFD, FD_CLOEXEC) }
        let errorLog = NSTemporaryDirectory() + "sessionsync-bench-postgres-\(UUID().uuidString).log"
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
        // Its own process group: a Ctrl-C of the benchmark stops the cluster through the end of
        // its input once the benchmark is gone, not halfway through a start.
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
            throw BenchError("--postgres-throwaway: /bin/bash could not be started (error \(spawned))")
        }
        let printed = Self.readToEnd(output[0])
        close(output[0])
        guard let url = printed.split(separator: "\n").first.map(String.init), url.hasPrefix("postgres://") else {
            close(input[1])
            var status: Int32 = 0
            waitpid(pid, &status, 0)
            let log = (try? String(contentsOfFile: errorLog, encoding: .utf8)) ?? ""
            throw BenchError(
                "--postgres-throwaway: scripts/postgres-throwaway.sh could not start a cluster: "
                    + log.trimmingCharacters(in: .whitespacesAndNewlines))
        }
        self.url = url + "?sslmode=disable"
        self.pid = pid
        self.lifeline = input[1]
    }

    /// Ends the script's input and waits until it has stopped the cluster and removed its folder.
    func stop() {
        guard lifeline >= 0 else { return }
        close(lifeline)
        lifeline = -1
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
    }

    deinit {
        stop()
    }

    /// `scripts/postgres-throwaway.sh` of the checkout: the benchmark runs from the package's
    /// folder (`.build/release/sessionsync-bench`), else from the checkout it was built in.
    private static func script() throws -> String {
        let relative = "scripts/postgres-throwaway.sh"
        var candidates = [FileManager.default.currentDirectoryPath + "/" + relative]
        var folder = URL(fileURLWithPath: #filePath)
        while folder.path != "/" {
            folder.deleteLastPathComponent()
            candidates.append(folder.appendingPathComponent(relative).path)
        }
        guard let found = candidates.first(where: { FileManager.default.fileExists(atPath: $0) }) else {
            throw BenchError("--postgres-throwaway: \(relative) not found; run the benchmark from the package's folder")
        }
        return found
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
