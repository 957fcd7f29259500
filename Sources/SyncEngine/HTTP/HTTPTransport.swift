import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import NIOHTTPCompression
import NIOPosix
import SessionSyncSupport

/// The process's one HTTP client (connection reuse across all sources), with gzip, and with
/// redirects left to ``APIClient`` so that credentials never follow a redirect to another host.
public final class HTTPTransport: Sendable {
    let client: HTTPClient
    private let group: MultiThreadedEventLoopGroup

    public init() {
        var configuration = HTTPClient.Configuration(
            redirectConfiguration: .disallow,
            timeout: HTTPClient.Configuration.Timeout(connect: .seconds(10)),
            // The ratio bounds a decompression bomb; the per-request size cap applies to the result.
            decompression: .enabled(limit: .ratio(200))
        )
        configuration.connectionPool = HTTPClient.Configuration.ConnectionPool(idleTimeout: .seconds(60))
        // One event-loop thread: the sockets need little CPU, and every extra thread that takes
        // turns with the task pool and the archive writer adds wake-ups and context switches
        // per response.
        group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        client = HTTPClient(eventLoopGroup: group, configuration: configuration)
    }

    /// Closes the connections; call once, when the process is done with HTTP.
    public func shutdown() async {
        try? await client.shutdown()
        try? await group.shutdownGracefully()
    }

    struct Reply {
        let status: Int
        let headers: [(String, String)]
        let body: [UInt8]
    }

    enum Failure: Error {
        case tooLarge
        case timedOut
        case transport(String)
    }

    /// Sends one request and collects its body up to `maxBytes`.
    ///
    /// The body is gathered on the event loop and handed over once, when complete: streaming it
    /// part by part into the calling task costs a thread hand-off per part.
    func perform(
        method: String, url: String, headers: [(String, String)], body: [UInt8]?, timeout: Duration, maxBytes: Int
    ) async throws -> Reply {
        var requestHeaders = HTTPHeaders(headers)
        if !requestHeaders.contains(name: "Accept-Encoding") {
            requestHeaders.add(name: "Accept-Encoding", value: "gzip")
        }
        let request: HTTPClient.Request
        do {
            request = try HTTPClient.Request(
                url: url, method: HTTPMethod(rawValue: method), headers: requestHeaders, body: body.map { .bytes($0) }
            )
        } catch {
            throw Failure.transport(String(describing: error))
        }
        let task = client.execute(
            request: request,
            delegate: ResponseAccumulator(request: request, maxBodySize: maxBytes),
            deadline: .now() + .milliseconds(timeout.milliseconds)
        )
        do {
            let response = try await withTaskCancellationHandler {
                try await task.futureResult.get()
            } onCancel: {
                task.cancel()
            }
            let replyHeaders = response.headers.map { ($0.name, $0.value) }
            return Reply(
                status: Int(response.status.code), headers: replyHeaders,
                body: response.body.map { Array($0.readableBytesView) } ?? [])
        } catch is ResponseAccumulator.ResponseTooBigError {
            throw Failure.tooLarge
        } catch let error as HTTPClientError
            where error == .deadlineExceeded || error == .readTimeout || error == .connectTimeout
        {
            throw Failure.timedOut
        } catch is CancellationError {
            throw CancellationError()
        } catch let error as HTTPClientError where error == .cancelled {
            throw CancellationError()
        } catch {
            throw Failure.transport(String(describing: error))
        }
    }
}
