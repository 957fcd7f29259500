import Foundation

/// A provider's base URL, checked: http(s), a host, no query or fragment, no trailing slash.
public struct BaseURL: Sendable, Equatable, CustomStringConvertible {
    public let scheme: String
    public let host: String
    public let port: Int?
    /// The path prefix without a trailing slash (`/client/v4`, or empty).
    public let path: String

    /// Parses `text`, or returns why it cannot be used.
    public static func parse(_ text: String) -> Result<BaseURL, BaseURLError> {
        guard let components = URLComponents(string: text), let scheme = components.scheme?.lowercased() else {
            return .failure(BaseURLError(message: "\"\(text)\" is not a URL"))
        }
        guard scheme == "http" || scheme == "https" else {
            return .failure(
                BaseURLError(message: "\"\(text)\" must start with https:// (or http:// for a local test server)"))
        }
        guard let host = components.host, !host.isEmpty else {
            return .failure(BaseURLError(message: "\"\(text)\" has no host"))
        }
        guard components.query == nil, components.fragment == nil else {
            return .failure(BaseURLError(message: "\"\(text)\" must not have a query or fragment"))
        }
        guard components.user == nil, components.password == nil else {
            return .failure(
                BaseURLError(message: "\"\(text)\" must not carry credentials; use the source's secret keys"))
        }
        var path = components.path
        while path.hasSuffix("/") { path.removeLast() }
        return .success(BaseURL(scheme: scheme, host: host, port: components.port, path: path))
    }

    /// True for `localhost`, 127.0.0.0/8 and `::1` (in any form ``OutboundURLPolicy`` reads).
    public var isLoopback: Bool {
        OutboundURLPolicy.kind(ofHost: host) == .loopback
    }

    /// `scheme://host[:port]`.
    public var origin: String {
        let hostPart = host.contains(":") && !host.hasPrefix("[") ? "[\(host)]" : host
        return "\(scheme)://\(hostPart)" + (port.map { ":\($0)" } ?? "")
    }

    /// The full URL of `pathSuffix` (which starts with `/`).
    public func url(_ pathSuffix: String) -> String {
        origin + path + pathSuffix
    }

    public var description: String {
        origin + path
    }
}

public struct BaseURLError: Error, Sendable {
    public let message: String
}
