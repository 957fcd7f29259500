import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Where a source's requests may go: every URL sent, the first and each redirect's, passes here.
///
/// - Only `http` and `https` (not `file:`, nor AsyncHTTPClient's `unix:` and `http+unix:`, which
///   reach local sockets).
/// - Never link-local addresses (169.254.0.0/16, fe80::/10) nor known cloud metadata services
///   (`metadata.google.internal`, 100.100.100.200, fd00:ec2::254): that is where a cloud
///   machine's credentials are served, and no API we talk to lives there.
/// - This machine (127.0.0.0/8, ::1, `localhost`) and private networks (10/8, 172.16/12,
///   192.168/16, fc00::/7) only for a source whose own `baseURL` is on one of them.
///
/// Hosts are judged as written: IPv4 in any form the resolver accepts (`2852039166`,
/// `0xA9FEA9FE`, `0251.0376.0251.0376`), IPv6 including IPv4-mapped (`::ffff:169.254.169.254`).
/// DNS names are not resolved, so a public name that resolves to a private address passes; the
/// systemd unit's `IPAddressDeny=` is the line that holds there.
public struct OutboundURLPolicy: Sendable {
    /// What a host is, as far as where a request may go.
    enum HostKind: Equatable {
        case publicHost
        case loopback
        case privateNetwork
        case linkLocal
        case metadataService
    }

    private let base: BaseURL
    private let baseKind: HostKind

    public init(baseURL: BaseURL) {
        base = baseURL
        baseKind = Self.kind(ofHost: baseURL.host)
    }

    /// Why `url` must not be requested, or nil when it may be.
    public func refusal(of url: String) -> String? {
        guard let parsed = URL(string: url), let scheme = parsed.scheme?.lowercased() else {
            return "it is not a URL"
        }
        guard scheme == "http" || scheme == "https" else {
            return "its scheme is \"\(scheme)\"; only http and https URLs are requested"
        }
        guard let host = parsed.host, !host.isEmpty else {
            return "it has no host"
        }
        let kind = Self.kind(ofHost: host)
        switch kind {
        case .publicHost:
            return nil
        case .linkLocal:
            return "\(host) is a link-local address, where clouds serve a machine's metadata and credentials"
        case .metadataService:
            return "\(host) is a cloud metadata service, which serves a machine's credentials"
        case .loopback, .privateNetwork:
            if baseKind == .loopback || baseKind == .privateNetwork { return nil }
            let place = kind == .loopback ? "is this machine (loopback)" : "is on a private network"
            return
                "\(host) \(place), and the source's baseURL \(base) is neither on this machine nor on a private network"
        }
    }

    /// `url` as an error may show it: without user, password, query and fragment, where signed
    /// download links keep their signatures.
    public static func shown(_ url: String) -> String {
        guard var components = URLComponents(string: url) else {
            return String(url.prefix { $0 != "?" && $0 != "#" })
        }
        components.user = nil
        components.password = nil
        components.query = nil
        components.fragment = nil
        return components.string ?? String(url.prefix { $0 != "?" && $0 != "#" })
    }

    // MARK: Hosts

    static func kind(ofHost host: String) -> HostKind {
        var name = host.lowercased()
        if name.hasPrefix("["), name.hasSuffix("]") { name = String(name.dropFirst().dropLast()) }
        // A fully qualified name's final dot, and an IPv6 zone (`fe80::1%eth0`), change nothing.
        if name.hasSuffix(".") { name.removeLast() }
        if let percent = name.firstIndex(of: "%"), name.contains(":") { name = String(name[..<percent]) }
        if let address = ipv4(name) { return kind(ofIPv4: address) }
        if name.contains(":") {
            guard let bytes = ipv6(name) else { return .publicHost }
            return kind(ofIPv6: bytes)
        }
        if name == "localhost" || name.hasSuffix(".localhost") { return .loopback }
        if ["metadata.google.internal", "metadata.goog", "metadata", "instance-data", "instance-data.ec2.internal"]
            .contains(name)
        {
            return .metadataService
        }
        return .publicHost
    }

    /// The address `text` names in any form `inet_aton` (and so the resolver) accepts.
    private static func ipv4(_ text: String) -> UInt32? {
        guard let first = text.utf8.first, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(first) else { return nil }
        var address = in_addr()
        guard inet_aton(text, &address) != 0 else { return nil }
        return UInt32(bigEndian: address.s_addr)
    }

    private static func ipv6(_ text: String) -> [UInt8]? {
        var address = in6_addr()
        guard inet_pton(AF_INET6, text, &address) == 1 else { return nil }
        return withUnsafeBytes(of: &address) { Array($0) }
    }

    private static func kind(ofIPv4 address: UInt32) -> HostKind {
        func within(_ network: UInt32, _ prefix: UInt32) -> Bool {
            address >> (32 - prefix) == network >> (32 - prefix)
        }
        if within(0xA9FE_0000, 16) { return .linkLocal }  // 169.254.0.0/16
        if address == 0x6464_64C8 { return .metadataService }  // 100.100.100.200 (Alibaba Cloud)
        // 0.0.0.0/8 reaches this machine on Linux.
        if within(0x7F00_0000, 8) || within(0, 8) { return .loopback }
        if within(0x0A00_0000, 8) || within(0xAC10_0000, 12) || within(0xC0A8_0000, 16) { return .privateNetwork }
        return .publicHost
    }

    private static func kind(ofIPv6 bytes: [UInt8]) -> HostKind {
        // ::ffff:a.b.c.d (IPv4-mapped) and ::a.b.c.d (IPv4-compatible) reach the IPv4 address.
        let zeroPrefix = bytes[0..<10].allSatisfy { $0 == 0 }
        let mapped = zeroPrefix && bytes[10] == 0xFF && bytes[11] == 0xFF
        let compatible = zeroPrefix && bytes[10] == 0 && bytes[11] == 0 && bytes[12..<15].contains { $0 != 0 }
        if mapped || compatible {
            return kind(ofIPv4: bytes[12..<16].reduce(0) { $0 << 8 | UInt32($1) })
        }
        if bytes[0..<15].allSatisfy({ $0 == 0 }) && bytes[15] <= 1 { return .loopback }  // :: and ::1
        if bytes[0] == 0xFE && bytes[1] & 0xC0 == 0x80 { return .linkLocal }  // fe80::/10
        if bytes == [0xFD, 0x00, 0x0E, 0xC2] + Array(repeating: 0, count: 10) + [0x02, 0x54] {
            return .metadataService
        }  // fd00:ec2::254 (AWS)
        if bytes[0] & 0xFE == 0xFC { return .privateNetwork }  // fc00::/7
        return .publicHost
    }
}
