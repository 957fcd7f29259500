import SessionSyncSupport

/// A failure a simulator can be told to answer with, as real APIs sometimes do.
public enum Fault: Sendable {
    /// 429 with a `Retry-After` header (seconds, or an HTTP-date) and an optional body.
    case tooManyRequests(retryAfter: String?, body: String = "Too Many Requests")
    /// Any status with a body, e.g. 503, or 401 with an empty body.
    case status(Int, body: String = "", contentType: String = "application/json")
    /// 200 with a body that is not JSON.
    case malformedBody
    /// 200 whose JSON body stops halfway.
    case truncatedBody
    /// The normal answer, after a delay.
    case slow(Duration)
    /// The connection closes without an answer.
    case dropConnection
    /// `status` with `body`, in which `{value}` stands for the request's `header` (empty when it
    /// has none): a gateway that quotes the credentials it refused, e.g. `"bad key: {value}"`.
    case echoingHeader(String, status: Int = 401, body: String, contentType: String = "text/plain")
    /// The normal answer made hostile: values of named JSON members, headers, status, pages.
    case hostile(HostileAnswer)
}

/// Applies a ``Fault`` to matching requests, a given number of times.
public struct FaultRule: Sendable {
    public var method: String?
    /// A substring the request path must contain (nil: any path).
    public var pathContains: String?
    /// A query parameter the request must carry with this value (nil: any query).
    public var query: (name: String, value: String)?
    /// Let this many matching requests through first.
    public var skip: Int
    /// How many matching requests get the fault (then the rule is spent); nil: forever.
    public var times: Int?
    public var fault: Fault

    public init(
        method: String? = nil, pathContains: String? = nil, query: (name: String, value: String)? = nil, skip: Int = 0,
        times: Int? = 1, fault: Fault
    ) {
        self.method = method
        self.pathContains = pathContains
        self.query = query
        self.skip = skip
        self.times = times
        self.fault = fault
    }

    func matches(_ request: SimulatedRequest) -> Bool {
        (method == nil || method == request.method) && (pathContains.map { request.path.contains($0) } ?? true)
            && (query.map { request.query($0.name) == $0.value } ?? true)
    }
}
