import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Speaks systemd's notify protocol (`READY=1`, `STATUS=...`, `WATCHDOG=1`, `STOPPING=1`) by
/// sending datagrams to `$NOTIFY_SOCKET`, without libsystemd. Does nothing outside systemd.
///
/// Protocol: <https://www.freedesktop.org/software/systemd/man/sd_notify.html>
public struct SystemdNotifier: Sendable {
    let socketPath: String?
    /// Half the unit's `WatchdogSec=`, when the watchdog is on for this process.
    public let watchdogInterval: Duration?

    public init(environment: [String: String] = ProcessInfo.processInfo.environment) {
        let path = environment["NOTIFY_SOCKET"].flatMap { $0.isEmpty ? nil : $0 }
        socketPath = path
        var interval: Duration?
        if let usecText = environment["WATCHDOG_USEC"], let usec = Int64(usecText), usec > 0 {
            let pidMatches = environment["WATCHDOG_PID"].map { Int32($0) == getpid() } ?? true
            if pidMatches { interval = .microseconds(usec / 2) }
        }
        watchdogInterval = path == nil ? nil : interval
    }

    public var isEnabled: Bool {
        socketPath != nil
    }

    /// Sends one notification; failures are ignored (systemd may have closed the socket).
    @discardableResult
    public func notify(_ state: String) -> Bool {
        guard let socketPath else { return false }
        #if canImport(Glibc)
            let fd = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
            guard fd >= 0 else { return false }
            defer { close(fd) }
            var address = sockaddr_un()
            address.sun_family = sa_family_t(AF_UNIX)
            var pathBytes = Array(socketPath.utf8)
            // An '@' prefix names Linux's abstract namespace, spelled with a leading NUL.
            if pathBytes.first == UInt8(ascii: "@") { pathBytes[0] = 0 }
            let capacity = MemoryLayout.size(ofValue: address.sun_path)
            guard pathBytes.count < capacity else { return false }
            withUnsafeMutableBytes(of: &address.sun_path) { raw in
                raw.copyBytes(from: pathBytes)
            }
            let length = socklen_t(MemoryLayout<sa_family_t>.size + pathBytes.count + (pathBytes.first == 0 ? 0 : 1))
            let message = Array(state.utf8)
            let sent = withUnsafePointer(to: &address) { pointer in
                pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { sockaddrPointer in
                    message.withUnsafeBytes { bytes in
                        sendto(fd, bytes.baseAddress, bytes.count, Int32(MSG_NOSIGNAL), sockaddrPointer, length)
                    }
                }
            }
            return sent == message.count
        #else
            return false
        #endif
    }
}
