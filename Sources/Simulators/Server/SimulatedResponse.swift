import SessionSyncSupport

/// What a simulated API answers.
public struct SimulatedResponse: Sendable {
    public var status: Int
    public var headers: [(String, String)]
    public var body: [UInt8]
    /// Wait this long before answering (a slow API).
    public var delay: Duration?
    /// Send only this many bytes of the body, then close (a truncated answer).
    public var truncateAfter: Int?
    /// Close the connection without answering.
    public var dropConnection = false

    public init(status: Int = 200, headers: [(String, String)] = [], body: [UInt8] = []) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    public static func json(_ value: JSONOutput, status: Int = 200, headers: [(String, String)] = [])
        -> SimulatedResponse
    {
        SimulatedResponse(status: status, headers: [("Content-Type", "application/json")] + headers, body: value.bytes)
    }

    public static func text(_ text: String, status: Int, contentType: String = "text/plain") -> SimulatedResponse {
        SimulatedResponse(status: status, headers: [("Content-Type", contentType)], body: Array(text.utf8))
    }

    public static func empty(status: Int) -> SimulatedResponse {
        SimulatedResponse(status: status)
    }
}
