import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Runs a program to completion and reports its wall time, CPU time and peak resident set size.
///
/// The peak comes from the child's own `VmHWM` in `/proc/PID/status`, read every few
/// milliseconds until it exits: `wait4`'s `ru_maxrss` cannot be used, because Linux carries the
/// spawning process's high-water mark across `exec` into the child's figure, so a benchmark
/// holding its pre-rendered answers in memory would be charged to sessionsync.
enum ChildProcess {
    struct Result {
        let status: Int32
        let wallSeconds: Double
        /// User plus system time of the child, from `wait4`.
        let cpuSeconds: Double
        let peakRSSBytes: Int
    }

    static func run(_ path: String, _ arguments: [String], environment: [String: String], output: String) throws
        -> Result
    {
        var fileActions: posix_spawn_file_actions_t = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&fileActions)
        defer { posix_spawn_file_actions_destroy(&fileActions) }
        posix_spawn_file_actions_addopen(&fileActions, 1, output, O_WRONLY | O_CREAT | O_APPEND, 0o644)
        posix_spawn_file_actions_addopen(&fileActions, 2, output, O_WRONLY | O_CREAT | O_APPEND, 0o644)
        let argv = ([path] + arguments).map { strdup($0) } + [nil]
        let envp = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            for pointer in argv { free(pointer) }
            for pointer in envp { free(pointer) }
        }
        var pid: pid_t = 0
        let clock = ContinuousClock()
        let started = clock.now
        let spawned = posix_spawn(&pid, path, &fileActions, nil, argv, envp)
        guard spawned == 0 else {
            throw POSIXError(POSIXErrorCode(rawValue: spawned) ?? .EIO)
        }
        var status: Int32 = 0
        var usage = rusage()
        var peakKilobytes = 0
        while true {
            if let hwm = highWaterMark(pid) { peakKilobytes = max(peakKilobytes, hwm) }
            let reaped = wait4(pid, &status, WNOHANG, &usage)
            if reaped == pid { break }
            if reaped < 0 && errno != EINTR { break }
            usleep(2_000)
        }
        let elapsed = clock.now - started
        let exitStatus = (status & 0x7f) == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f)
        return Result(
            status: exitStatus,
            wallSeconds: Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18,
            cpuSeconds: seconds(usage.ru_utime) + seconds(usage.ru_stime),
            peakRSSBytes: peakKilobytes * 1024
        )
    }

    private static func seconds(_ time: timeval) -> Double {
        Double(time.tv_sec) + Double(time.tv_usec) / 1e6
    }

    /// `VmHWM` of a running process, in kB.
    private static func highWaterMark(_ pid: pid_t) -> Int? {
        guard let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8) else { return nil }
        for line in status.split(separator: "\n") where line.hasPrefix("VmHWM:") {
            return Int(line.dropFirst(6).trimmingCharacters(in: .whitespaces).split(separator: " ").first ?? "")
        }
        return nil
    }
}
