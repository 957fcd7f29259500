import SessionSyncSupport

/// A request as a simulated API sees it.
public struct SimulatedRequest: Sendable {
    public let method: String
    /// The path without the query, percent-decoded.
    public let path: String
    /// Query parameters in order, percent-decoded.
    public let queryItems: [(String, String)]
    public let headers: [(String, String)]
    public let body: [UInt8]
    public let receivedAt: Timestamp
    /// Monotonic arrival time, for rate measurements.
    public let arrivedAt: ContinuousClock.Instant

    public init(
        method: String, uri: String, headers: [(String, String)], body: [UInt8], receivedAt: Timestamp = .now(),
        arrivedAt: ContinuousClock.Instant = .now
    ) {
        self.method = method
        let parts = uri.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false)
        self.path = Self.percentDecode(String(parts[0]))
        var items: [(String, String)] = []
        if parts.count == 2 {
            for pair in parts[1].split(separator: "&") {
                let kv = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
                let key = Self.percentDecode(String(kv[0]).replacingPlus())
                let value = kv.count == 2 ? Self.percentDecode(String(kv[1]).replacingPlus()) : ""
                items.append((key, value))
            }
        }
        self.queryItems = items
        self.headers = headers
        self.body = body
        self.receivedAt = receivedAt
        self.arrivedAt = arrivedAt
    }

    public func query(_ name: String) -> String? {
        queryItems.first { $0.0 == name }?.1
    }

    public func header(_ name: String) -> String? {
        let lowered = name.lowercased()
        return headers.first { $0.0.lowercased() == lowered }?.1
    }

    /// The body parsed as JSON, or nil when it is not JSON.
    public var json: JSONDocument? {
        try? JSONDocument(bytes: body)
    }

    /// The path's segments: `/a/b/c` → `["a", "b", "c"]`.
    public var segments: [String] {
        path.split(separator: "/").map(String.init)
    }

    static func percentDecode(_ text: String) -> String {
        guard text.contains("%") else { return text }
        var bytes: [UInt8] = []
        var iterator = Array(text.utf8).makeIterator()
        while let byte = iterator.next() {
            if byte == UInt8(ascii: "%"), let high = iterator.next(), let low = iterator.next(),
                let value = UInt8(String(decoding: [high, low], as: UTF8.self), radix: 16)
            {
                bytes.append(value)
            } else {
                bytes.append(byte)
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}

extension String {
    fileprivate func replacingPlus() -> String {
        String(map { $0 == "+" ? " " : $0 })
    }
}
