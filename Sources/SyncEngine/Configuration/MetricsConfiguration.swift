import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// The config's `metrics` key: where `sessionsync run` serves `/metrics` (Prometheus) and
/// `/healthz`. Absent: nothing is served.
public struct MetricsConfiguration: Sendable, Equatable {
    /// What `"metrics": {}` listens on: loopback, on the port Prometheus exporters conventionally use.
    public static let defaultListen = ListenAddress(host: "127.0.0.1", port: 9464)

    public var listen: ListenAddress
    /// Whether `listen` may be an address other hosts can reach.
    public var allowRemote: Bool

    public init(listen: ListenAddress = Self.defaultListen, allowRemote: Bool = false) {
        self.listen = listen
        self.allowRemote = allowRemote
    }
}

/// A host and port to listen on: an IPv4 address, an IPv6 address in brackets, or `localhost`
/// (which listens on 127.0.0.1). Host names are refused: what a name resolves to can change, and
/// whether it is loopback must be known when the config is read.
public struct ListenAddress: Sendable, Hashable, CustomStringConvertible {
    /// The address without brackets (`127.0.0.1`, `::1`, `localhost`).
    public let host: String
    public let port: Int

    public init(host: String, port: Int) {
        self.host = host
        self.port = port
    }

    /// Parses `127.0.0.1:9464`, `[::1]:9464`, `localhost:9464`, or returns why it cannot.
    public static func parse(_ text: String) -> Result<ListenAddress, ListenAddressError> {
        let example = "write host:port, e.g. \"127.0.0.1:9464\" or \"[::1]:9464\""
        let host: Substring
        let portText: Substring
        if text.hasPrefix("[") {
            guard let close = text.firstIndex(of: "]"), text[text.index(after: close)...].hasPrefix(":") else {
                return .failure(ListenAddressError("\"\(text)\" is not host:port; \(example)"))
            }
            host = text[text.index(after: text.startIndex)..<close]
            portText = text[text.index(close, offsetBy: 2)...]
            guard host.contains(":"), Self.ipv6(String(host)) != nil else {
                return .failure(ListenAddressError("\"\(host)\" in brackets is not an IPv6 address"))
            }
        } else {
            guard let colon = text.lastIndex(of: ":") else {
                return .failure(ListenAddressError("\"\(text)\" has no port; \(example)"))
            }
            host = text[..<colon]
            portText = text[text.index(after: colon)...]
            if host.contains(":") {
                return .failure(
                    ListenAddressError("\"\(text)\": an IPv6 address is written in brackets, e.g. \"[::1]:9464\""))
            }
            guard host.lowercased() == "localhost" || Self.ipv4(String(host)) != nil else {
                return .failure(
                    ListenAddressError(
                        "\"\(host)\" is not an IP address; listen on an address (\"127.0.0.1\", \"[::1]\", "
                            + "\"0.0.0.0\" for every interface) or \"localhost\""
                    ))
            }
        }
        guard !portText.isEmpty, portText.allSatisfy(\.isASCII), portText.allSatisfy(\.isNumber),
            let port = Int(portText), (1...65_535).contains(port)
        else {
            return .failure(ListenAddressError("\"\(portText)\" in \"\(text)\" is not a port (1 to 65535)"))
        }
        return .success(ListenAddress(host: host.lowercased() == "localhost" ? "localhost" : String(host), port: port))
    }

    /// Whether only this machine can connect: 127.0.0.0/8, `::1` (or an IPv4-mapped 127 address)
    /// and `localhost`. `0.0.0.0` and `::` listen on every interface, so they are not.
    public var isLoopback: Bool {
        if host == "localhost" { return true }
        if let bytes = Self.ipv4(host) { return bytes[0] == 127 }
        if let bytes = Self.ipv6(host) {
            let mapped = bytes[0..<10].allSatisfy { $0 == 0 } && bytes[10] == 0xFF && bytes[11] == 0xFF
            let one = bytes[0..<15].allSatisfy { $0 == 0 } && bytes[15] == 1
            return one || (mapped && bytes[12] == 127)
        }
        return false
    }

    /// The address to bind: `localhost` listens on 127.0.0.1.
    public var bindHost: String {
        host == "localhost" ? "127.0.0.1" : host
    }

    /// `127.0.0.1:9464`, `[::1]:9464`.
    public var description: String {
        host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)"
    }

    /// `http://127.0.0.1:9464`.
    public var url: String {
        "http://\(description)"
    }

    private static func ipv4(_ text: String) -> [UInt8]? {
        var address = in_addr()
        guard inet_pton(AF_INET, text, &address) == 1 else { return nil }
        return withUnsafeBytes(of: &address) { Array($0) }
    }

    private static func ipv6(_ text: String) -> [UInt8]? {
        var address = in6_addr()
        guard inet_pton(AF_INET6, text, &address) == 1 else { return nil }
        return withUnsafeBytes(of: &address) { Array($0) }
    }
}

public struct ListenAddressError: Error, Sendable {
    public let message: String

    init(_ message: String) {
        self.message = message
    }
}
