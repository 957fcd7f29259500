#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Whether a process id belongs to a running process, for runs left `running` by a dead one.
public enum ProcessLiveness {
    @Sendable public static func isAlive(_ pid: Int) -> Bool {
        guard pid > 0 else { return false }
        if kill(pid_t(pid), 0) == 0 { return true }
        // EPERM: it exists but belongs to another user (e.g. the service's DynamicUser).
        return errno == EPERM
    }
}
