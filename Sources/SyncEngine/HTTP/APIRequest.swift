/// One request a provider wants sent: relative to the source's base URL (or absolute, for a
/// download from another host), with the provider's authentication unless it says otherwise.
public struct APIRequest: Sendable {
    public var method: String
    /// Path under the base URL, starting with `/` (ignored when `absoluteURL` is set).
    public var path: String
    /// A full URL on any host, e.g. a signed download link. Never carries the source's credentials.
    public var absoluteURL: String?
    public var query: [(String, String)]
    public var headers: [(String, String)]
    public var body: [UInt8]?
    /// Whether the source's credentials are attached (false for presigned downloads).
    public var authenticated: Bool
    /// How errors name the endpoint: `GET /v1/sessions`, with ids left as placeholders.
    public var endpoint: String

    public init(
        method: String = "GET", path: String, query: [(String, String)] = [], headers: [(String, String)] = [],
        body: [UInt8]? = nil, authenticated: Bool = true, endpoint: String? = nil
    ) {
        self.method = method
        self.path = path
        self.absoluteURL = nil
        self.query = query
        self.headers = headers
        self.body = body
        self.authenticated = authenticated
        self.endpoint = endpoint ?? "\(method) \(path)"
    }

    /// A request for a full URL on any host, sent without the source's credentials.
    public static func download(_ url: String, endpoint: String) -> APIRequest {
        var request = APIRequest(method: "GET", path: "", authenticated: false, endpoint: endpoint)
        request.absoluteURL = url
        return request
    }

    /// A JSON POST.
    public static func postJSON(_ path: String, body: [UInt8], endpoint: String? = nil) -> APIRequest {
        APIRequest(
            method: "POST", path: path, headers: [("Content-Type", "application/json")], body: body, endpoint: endpoint)
    }

    /// The URL to send to, from the base URL and the query.
    func url(base: BaseURL) -> String {
        var url = absoluteURL ?? base.url(path)
        if !query.isEmpty {
            url +=
                (url.contains("?") ? "&" : "?")
                + query.map { "\(Self.percentEncode($0.0))=\(Self.percentEncode($0.1))" }.joined(separator: "&")
        }
        return url
    }

    /// An id as one URL path segment: nothing from an answer goes into a path unescaped.
    public static func pathSegment(_ id: String) -> String {
        percentEncode(id)
    }

    /// Percent-encodes everything but RFC 3986's unreserved characters.
    static func percentEncode(_ text: String) -> String {
        guard !text.utf8.allSatisfy(isUnreserved) else { return text }
        let hex = Array("0123456789ABCDEF".utf8)
        var bytes: [UInt8] = []
        bytes.reserveCapacity(text.utf8.count * 3)
        for byte in text.utf8 {
            if isUnreserved(byte) {
                bytes.append(byte)
            } else {
                bytes += [UInt8(ascii: "%"), hex[Int(byte >> 4)], hex[Int(byte & 0x0F)]]
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    private static func isUnreserved(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
            UInt8(ascii: "0")...UInt8(ascii: "9"),
            UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "~"):
            true
        default:
            false
        }
    }
}
