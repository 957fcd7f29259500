import SessionSyncSupport

/// Why a request or a pass failed, worded for the person reading `status` or the journal:
/// what failed, where (endpoint, JSON path), and what to do about it.
public struct SyncError: Error, Sendable, CustomStringConvertible {
    enum Reason: Sendable {
        case httpStatus(status: Int, message: String?)
        case providerError(message: String)
        case transport(detail: String, attempts: Int)
        case timeout(seconds: Int64, attempts: Int)
        case responseTooLarge(limit: Int)
        case malformedResponse(detail: String)
        case rateLimited(retryAfter: Duration?, attempts: Int)
        case tooManyRedirects
        case refusedURL(url: String, reason: String, redirected: Bool)
        case bodyNotResent(url: String, status: Int)
    }

    let reason: Reason
    public let endpoint: String

    public static func httpStatus(endpoint: String, status: Int, message: String?) -> SyncError {
        SyncError(reason: .httpStatus(status: status, message: message), endpoint: endpoint)
    }

    /// An error the provider reported inside a successful HTTP answer (YourGPT's RXERROR, `success: false`).
    public static func providerError(endpoint: String, message: String) -> SyncError {
        SyncError(reason: .providerError(message: message), endpoint: endpoint)
    }

    public static func transport(endpoint: String, detail: String, attempts: Int) -> SyncError {
        SyncError(reason: .transport(detail: detail, attempts: attempts), endpoint: endpoint)
    }

    public static func timeout(endpoint: String, after timeout: Duration, attempts: Int) -> SyncError {
        SyncError(reason: .timeout(seconds: timeout.components.seconds, attempts: attempts), endpoint: endpoint)
    }

    public static func responseTooLarge(endpoint: String, limit: Int) -> SyncError {
        SyncError(reason: .responseTooLarge(limit: limit), endpoint: endpoint)
    }

    public static func malformedResponse(endpoint: String, detail: String) -> SyncError {
        SyncError(reason: .malformedResponse(detail: detail), endpoint: endpoint)
    }

    /// A shape problem in a parsed response.
    public static func malformedResponse(endpoint: String, _ error: JSONShapeError) -> SyncError {
        SyncError(reason: .malformedResponse(detail: error.description), endpoint: endpoint)
    }

    public static func rateLimited(endpoint: String, retryAfter: Duration?, attempts: Int) -> SyncError {
        SyncError(reason: .rateLimited(retryAfter: retryAfter, attempts: attempts), endpoint: endpoint)
    }

    public static func tooManyRedirects(endpoint: String) -> SyncError {
        SyncError(reason: .tooManyRedirects, endpoint: endpoint)
    }

    /// A URL the ``OutboundURLPolicy`` refused (`url` as ``OutboundURLPolicy/shown(_:)`` shows it).
    public static func refusedURL(endpoint: String, url: String, reason: String, redirected: Bool) -> SyncError {
        SyncError(reason: .refusedURL(url: url, reason: reason, redirected: redirected), endpoint: endpoint)
    }

    /// A 307 or 308 that would resend the request's body to another origin.
    public static func bodyNotResent(endpoint: String, url: String, status: Int) -> SyncError {
        SyncError(reason: .bodyNotResent(url: url, status: status), endpoint: endpoint)
    }

    /// The HTTP status, when the server answered with an error status.
    public var httpStatus: Int? {
        if case .httpStatus(let status, _) = reason { return status }
        return nil
    }

    /// True when the provider's rate budget is spent: the pass keeps what it committed and the
    /// next pass continues, instead of failing.
    public var isRateLimited: Bool {
        if case .rateLimited = reason { return true }
        return false
    }

    /// True for 401/403: the credentials are wrong, and retrying will not help.
    public var isAuthenticationFailure: Bool {
        httpStatus == 401 || httpStatus == 403
    }

    public var description: String {
        switch reason {
        case .httpStatus(let status, let message):
            var text = "\(endpoint) answered HTTP \(status)"
            if let message, !message.isEmpty { text += ": \(message)" }
            switch status {
            case 401: text += " (the API key was refused: check the source's key and that it belongs to this base URL)"
            case 403: text += " (the key lacks permission for this resource)"
            default: break
            }
            return text
        case .providerError(let message):
            return "\(endpoint) reported an error: \(message)"
        case .transport(let detail, let attempts):
            return "\(endpoint) could not be reached after \(attempts) attempt(s): \(detail)"
        case .timeout(let seconds, let attempts):
            return
                "\(endpoint) did not answer within \(seconds)s (\(attempts) attempt(s)); raise the source's \"timeout\" if the API is slow"
        case .responseTooLarge(let limit):
            return
                "\(endpoint) sent a response larger than \(limit) bytes; raise the source's \"maxResponseBytes\" or lower its \"pageSize\""
        case .malformedResponse(let detail):
            return "\(endpoint) sent a response that could not be read: \(detail)"
        case .rateLimited(let retryAfter, let attempts):
            var text = "\(endpoint) is rate-limited (HTTP 429 after \(attempts) attempt(s)"
            if let retryAfter { text += ", Retry-After \(DurationText.format(retryAfter))" }
            return text + "); the rate budget is spent, the next pass continues where this one stopped"
        case .tooManyRedirects:
            return "\(endpoint) redirected more than 5 times"
        case .refusedURL(let url, let reason, let redirected):
            let what = redirected ? "redirected to \(url), which was not followed" : "was not sent to \(url)"
            return "\(endpoint) \(what): \(reason)"
        case .bodyNotResent(let url, let status):
            return
                "\(endpoint) answered HTTP \(status) to \(url), another host, which was not followed: a request's body "
                + "is resent only to the host it was meant for; if the API moved, point the source's baseURL at the new host"
        }
    }
}
