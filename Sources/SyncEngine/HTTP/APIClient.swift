import Foundation
import Logging
import SessionSyncSupport

/// Sends a source's requests: rate limit and concurrency cap, timeout, size cap, retries with
/// backoff on connection errors, 429 and 5xx (honouring `Retry-After`), manual redirects that
/// drop credentials and bodies across origins, every URL checked by the source's
/// ``OutboundURLPolicy``, and the provider's error envelope turned into a message.
public struct APIClient: Sendable {
    public let baseURL: BaseURL
    let urlPolicy: OutboundURLPolicy
    let transport: HTTPTransport
    let credentials: [(String, String)]
    let timeout: Duration
    let maxResponseBytes: Int
    let retry: RetryPolicy
    let rateLimiter: RateLimiter
    let concurrency: ConcurrencyLimiter
    let sleeper: Sleeper
    let describeError: @Sendable (Int, [UInt8]) -> String?
    let logger: Logger
    /// Requests, retries and rate-limit waits, for the metrics.
    let metrics: SourceMetrics

    public init(
        transport: HTTPTransport, baseURL: BaseURL, credentials: [(String, String)], timeout: Duration,
        maxResponseBytes: Int, retry: RetryPolicy, rateLimits: [RateLimit], maxConcurrentRequests: Int,
        sleeper: Sleeper = .real, logger: Logger, metrics: SourceMetrics = .none,
        describeError: @escaping @Sendable (Int, [UInt8]) -> String?
    ) {
        self.transport = transport
        self.baseURL = baseURL
        self.urlPolicy = OutboundURLPolicy(baseURL: baseURL)
        self.credentials = credentials
        self.timeout = timeout
        self.maxResponseBytes = maxResponseBytes
        self.retry = retry
        // Rate limits are about real time, whatever sleeper the retries use.
        self.rateLimiter = RateLimiter(limits: rateLimits, sleeper: .real)
        self.concurrency = ConcurrencyLimiter(limit: maxConcurrentRequests)
        self.sleeper = sleeper
        self.logger = logger
        self.metrics = metrics
        self.describeError = describeError
    }

    /// Sends `request` and returns its successful (2xx) response; `onAttempt` is called for each
    /// request that reaches the network (retries and redirects included), for the run ledger.
    public func send(_ request: APIRequest, onAttempt: @Sendable () async -> Void = {}) async throws -> APIResponse {
        var attempt = 0
        while true {
            try Task.checkCancellation()
            attempt += 1
            let reply: HTTPTransport.Reply
            do {
                reply = try await sendFollowingRedirects(request, onAttempt: onAttempt)
            } catch HTTPTransport.Failure.timedOut {
                if attempt <= retry.retries {
                    try await wait(
                        retry.backoff(attempt: attempt), after: "timeout", request: request, attempt: attempt)
                    continue
                }
                throw SyncError.timeout(endpoint: request.endpoint, after: timeout, attempts: attempt)
            } catch HTTPTransport.Failure.transport(let detail) {
                if attempt <= retry.retries {
                    try await wait(retry.backoff(attempt: attempt), after: detail, request: request, attempt: attempt)
                    continue
                }
                throw SyncError.transport(endpoint: request.endpoint, detail: detail, attempts: attempt)
            } catch HTTPTransport.Failure.tooLarge {
                throw SyncError.responseTooLarge(endpoint: request.endpoint, limit: maxResponseBytes)
            }
            if (200...299).contains(reply.status) {
                return APIResponse(
                    status: reply.status, headers: reply.headers, body: reply.body, endpoint: request.endpoint)
            }
            let retryAfter = APIResponse.header("Retry-After", in: reply.headers).flatMap {
                RetryPolicy.parseRetryAfter($0, now: .now())
            }
            if RetryPolicy.isRetryable(status: reply.status) {
                let canRetry = attempt <= retry.retries && (retryAfter ?? .zero) <= retry.maxRetryAfter
                if canRetry {
                    let delay = retryAfter ?? retry.backoff(attempt: attempt)
                    try await wait(delay, after: "HTTP \(reply.status)", request: request, attempt: attempt)
                    // Counted once waited: the server asked for it (a 429, or a 503's Retry-After).
                    if reply.status == 429 || retryAfter != nil { metrics.rateLimitWait(delay) }
                    continue
                }
                if reply.status == 429 {
                    throw SyncError.rateLimited(endpoint: request.endpoint, retryAfter: retryAfter, attempts: attempt)
                }
            }
            throw SyncError.httpStatus(
                endpoint: request.endpoint, status: reply.status,
                message: describeError(reply.status, reply.body) ?? Self.snippet(reply.body))
        }
    }

    private func wait(_ delay: Duration, after problem: String, request: APIRequest, attempt: Int) async throws {
        metrics.retry(endpoint: request.endpoint)
        logger.notice(
            "retrying request",
            metadata: [
                "http.endpoint": "\(request.endpoint)", "http.problem": "\(problem)", "retry.attempt": "\(attempt)",
                "retry.delay": "\(DurationText.format(delay))",
            ]
        )
        try await sleeper.sleep(for: delay)
    }

    private func sendFollowingRedirects(_ request: APIRequest, onAttempt: @Sendable () async -> Void) async throws
        -> HTTPTransport.Reply
    {
        var url = request.url(base: baseURL)
        var method = request.method
        var body = request.body
        // Credentials go only to the origin the request was meant for; only a redirect can leave it.
        let credentialed = request.authenticated && request.absoluteURL == nil
        var atOrigin = true
        for hop in 0...5 {
            // A path under the base URL stays on the base's host, which the config already vetted:
            // only a redirect or an absolute URL (a download link from an answer) can go elsewhere,
            // and parsing every request's URL again is a cost on every request of a fan-out.
            if hop > 0 || request.absoluteURL != nil, let reason = urlPolicy.refusal(of: url) {
                throw SyncError.refusedURL(
                    endpoint: request.endpoint, url: OutboundURLPolicy.shown(url), reason: reason, redirected: hop > 0)
            }
            var headers = request.headers
            if credentialed && atOrigin {
                headers += credentials
            }
            let clock = ContinuousClock()
            let waitStarted = clock.now
            try await rateLimiter.acquire()
            metrics.rateLimitWait(clock.now - waitStarted)
            await onAttempt()
            let reply: HTTPTransport.Reply
            do {
                reply = try await concurrency.withPermit {
                    [transport, timeout, maxResponseBytes, url, method, headers, body] in
                    try await transport.perform(
                        method: method, url: url, headers: headers, body: body, timeout: timeout,
                        maxBytes: maxResponseBytes)
                }
            } catch {
                metrics.request(endpoint: request.endpoint, status: nil)
                throw error
            }
            metrics.request(endpoint: request.endpoint, status: reply.status)
            guard [301, 302, 303, 307, 308].contains(reply.status),
                let location = APIResponse.header("Location", in: reply.headers)
            else {
                return reply
            }
            let next = Self.resolve(location, against: url)
            atOrigin = atOrigin && Self.origin(of: next) == Self.origin(of: url)
            if reply.status == 303 || ((reply.status == 301 || reply.status == 302) && method == "POST") {
                method = "GET"
                body = nil
            }
            // 307 and 308 repeat the request, body included; a body (a search's filters, ids)
            // goes only to the origin it was written for.
            if body != nil && !atOrigin {
                throw SyncError.bodyNotResent(
                    endpoint: request.endpoint, url: OutboundURLPolicy.shown(next), status: reply.status)
            }
            url = next
        }
        throw SyncError.tooManyRedirects(endpoint: request.endpoint)
    }

    /// `scheme://host:port` of a URL, lower-cased.
    static func origin(of url: String) -> String {
        guard let schemeEnd = url.range(of: "://") else { return url.lowercased() }
        let rest = url[schemeEnd.upperBound...]
        let authority = rest.prefix { $0 != "/" && $0 != "?" && $0 != "#" }
        return (url[..<schemeEnd.upperBound] + authority).lowercased()
    }

    static func resolve(_ location: String, against url: String) -> String {
        if location.contains("://") { return location }
        if location.hasPrefix("//") {
            return String(url.prefix { $0 != ":" }) + ":" + location
        }
        if location.hasPrefix("/") { return origin(of: url) + location }
        let base = url.prefix { $0 != "?" && $0 != "#" }
        return String(base[..<(base.lastIndex(of: "/") ?? base.endIndex)]) + "/" + location
    }

    /// The start of a body that no envelope decoder understood, for the error message.
    static func snippet(_ body: [UInt8]) -> String? {
        guard !body.isEmpty else { return nil }
        var text = String(decoding: body.prefix(300), as: UTF8.self)
        if body.count > 300 {
            // A cut inside a token could leave half of an echoed key, which the redactor cannot
            // recognise: the cut token goes too.
            while let last = text.unicodeScalars.last, isTokenScalar(last) {
                text.unicodeScalars.removeLast()
            }
        }
        text = text.trimmingCharacters(in: .whitespacesAndNewlines)
        return text.isEmpty ? nil : (body.count > 300 ? text + "…" : text)
    }

    private static func isTokenScalar(_ scalar: Unicode.Scalar) -> Bool {
        scalar.properties.isAlphabetic || scalar.properties.numericType != nil
            || "-_.~+/=%".unicodeScalars.contains(scalar)
    }
}
