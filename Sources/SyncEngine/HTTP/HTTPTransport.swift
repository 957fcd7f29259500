import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import NIOHTTPCompression
import SessionSyncSupport

/// The process's one HTTP client (connection reuse across all sources), with gzip, and with
/// redirects left to ``APIClient`` so that credentials never follow a redirect to another host.
public final class HTTPTransport: Sendable {
    let client: HTTPClient

    public init() {
        var configuration = HTTPClient.Configuration(
            redirectConfiguration: .disallow,
            timeout: HTTPClient.Configuration.Timeout(connect: .seconds(10)),
            // The ratio bounds a decompression bomb; the per-request size cap applies to the result.
            decompression: .enabled(limit: .ratio(200))
        )
        configuration.connectionPool = HTTPClient.Configuration.ConnectionPool(idleTimeout: .seconds(60))
        client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
    }

    /// Closes the connections; call once, when the process is done with HTTP.
    public func shutdown() async {
        try? await client.shutdown()
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
    func perform(method: String, url: String, headers: [(String, String)], body: [UInt8]?, timeout: Duration, maxBytes: Int) async throws -> Reply {
        var request = HTTPClientRequest(url: url)
        request.method = HTTPMethod(rawValue: method)
        for (name, value) in headers {
            request.headers.add(name: name, value: value)
        }
        if !request.headers.contains(name: "Accept-Encoding") {
            request.headers.add(name: "Accept-Encoding", value: "gzip")
        }
        if let body {
            request.body = .bytes(ByteBuffer(bytes: body))
        }
        do {
            let response = try await client.execute(request, timeout: .milliseconds(timeout.milliseconds))
            let buffer = try await response.body.collect(upTo: maxBytes)
            let replyHeaders = response.headers.map { ($0.name, $0.value) }
            return Reply(status: Int(response.status.code), headers: replyHeaders, body: Array(buffer.readableBytesView))
        } catch is NIOTooManyBytesError {
            throw Failure.tooLarge
        } catch let error as HTTPClientError where error == .deadlineExceeded || error == .readTimeout || error == .connectTimeout {
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
