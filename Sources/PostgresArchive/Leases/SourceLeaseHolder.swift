#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// How an instance names itself in `source_leases.holder`: the host, the process id, and a
/// random part, so that a restarted process (or a reused pid) is a new holder.
public enum SourceLeaseHolder {
    public static let thisHost: String = {
        var name = [CChar](repeating: 0, count: 256)
        guard gethostname(&name, name.count) == 0 else { return "unknown-host" }
        return String(decoding: name.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }()

    public static let thisProcess = "\(thisHost):\(getpid()):\(String(UInt32.random(in: .min ... .max), radix: 16))"

    /// Whether `holder` names a process of this machine that no longer runs (`isAlive` says):
    /// its lease need not be waited out, since nobody can renew it or write under it.
    public static func isGoneFromThisHost(_ holder: String, isAlive: (Int) -> Bool) -> Bool {
        let parts = holder.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0] == thisHost, let pid = Int(parts[1]) else { return false }
        return pid != Int(getpid()) && !isAlive(pid)
    }
}
