import NIOCore
import NIOHTTP1
import NIOHTTPCompression
import NIOPosix
import SessionSyncSupport

/// A small HTTP/1.1 server on 127.0.0.1 that plays one ``SimulatedAPI``, with injectable faults
/// and a log of every request. Tests, the demo and the benchmark all use it.
public final class SimulatorServer: Sendable {
    public let api: any SimulatedAPI
    public let faults = FaultInjector()
    public let log = RequestLog()
    public let hooks = RequestHooks()
    public let port: Int
    private let channel: any Channel

    /// Starts serving `api` on 127.0.0.1 (`port` 0 picks a free one).
    public init(api: any SimulatedAPI, port: Int = 0, gzip: Bool = true) async throws {
        self.api = api
        let faults = self.faults
        let log = self.log
        let hooks = self.hooks
        let bootstrap = ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(ChannelOptions.backlog, value: 256)
            .serverChannelOption(ChannelOptions.socketOption(.so_reuseaddr), value: 1)
            .childChannelOption(ChannelOptions.socketOption(.tcp_nodelay), value: 1)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.configureHTTPServerPipeline()
                    if gzip {
                        try channel.pipeline.syncOperations.addHandler(HTTPResponseCompressor())
                    }
                    try channel.pipeline.syncOperations.addHandler(
                        SimulatorHTTPHandler(api: api, faults: faults, log: log, hooks: hooks))
                }
            }
        channel = try await bootstrap.bind(host: "127.0.0.1", port: port).get()
        self.port = channel.localAddress?.port ?? port
    }

    /// `http://127.0.0.1:PORT`.
    public var baseURL: String {
        "http://127.0.0.1:\(port)"
    }

    public func shutdown() async {
        try? await channel.close()
    }
}

/// Collects a request, asks the API (or the fault injector), writes the answer.
final class SimulatorHTTPHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    private let api: any SimulatedAPI
    private let faults: FaultInjector
    private let log: RequestLog
    private let hooks: RequestHooks
    private var head: HTTPRequestHead?
    private var body: [UInt8] = []

    init(api: any SimulatedAPI, faults: FaultInjector, log: RequestLog, hooks: RequestHooks) {
        self.api = api
        self.faults = faults
        self.log = log
        self.hooks = hooks
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let head):
            self.head = head
            body.removeAll(keepingCapacity: true)
        case .body(var buffer):
            body += buffer.readBytes(length: buffer.readableBytes) ?? []
        case .end:
            guard let head else { return }
            self.head = nil
            let request = SimulatedRequest(
                method: head.method.rawValue, uri: head.uri, headers: head.headers.map { ($0.name, $0.value) },
                body: body
            )
            hooks.run(request)
            let fault = faults.fault(for: request)
            let faulted = fault != nil
            let response = fault.map { Self.apply($0, to: request, api: api) } ?? api.respond(to: request)
            log.append(RequestLog.Entry(request: request, status: response.status, faulted: faulted))
            let keepAlive = head.isKeepAlive && !response.dropConnection && response.truncateAfter == nil
            let bound = NIOLoopBound((self, context), eventLoop: context.eventLoop)
            if let delay = response.delay {
                context.eventLoop.scheduleTask(in: .milliseconds(delay.milliseconds)) {
                    let (handler, context) = bound.value
                    handler.write(response, version: head.version, keepAlive: keepAlive, context: context)
                }
            } else {
                write(response, version: head.version, keepAlive: keepAlive, context: context)
            }
        }
    }

    private func write(
        _ response: SimulatedResponse, version: HTTPVersion, keepAlive: Bool, context: ChannelHandlerContext
    ) {
        if response.dropConnection {
            context.close(promise: nil)
            return
        }
        var headers = HTTPHeaders(response.headers)
        headers.replaceOrAdd(name: "Content-Length", value: "\(response.body.count)")
        headers.replaceOrAdd(name: "Connection", value: keepAlive ? "keep-alive" : "close")
        let head = HTTPResponseHead(
            version: version, status: HTTPResponseStatus(statusCode: response.status), headers: headers)
        context.write(wrapOutboundOut(.head(head)), promise: nil)
        var sent = response.body
        if let limit = response.truncateAfter {
            sent = Array(sent.prefix(limit))
        }
        if !sent.isEmpty {
            context.write(
                wrapOutboundOut(.body(.byteBuffer(context.channel.allocator.buffer(bytes: sent)))), promise: nil)
        }
        if response.truncateAfter != nil {
            // Flush what was promised only in part, then hang up: the client sees a short body.
            context.flush()
            context.close(promise: nil)
            return
        }
        let promise: EventLoopPromise<Void>? = keepAlive ? nil : context.eventLoop.makePromise()
        context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: promise)
        if let promise {
            let bound = NIOLoopBound(context, eventLoop: context.eventLoop)
            promise.futureResult.whenComplete { _ in bound.value.close(promise: nil) }
        }
    }

    static func apply(_ fault: Fault, to request: SimulatedRequest, api: any SimulatedAPI) -> SimulatedResponse {
        switch fault {
        case .tooManyRequests(let retryAfter, let body):
            var response = SimulatedResponse.text(body, status: 429)
            if let retryAfter { response.headers.append(("Retry-After", retryAfter)) }
            return response
        case .status(let status, let body, let contentType):
            return SimulatedResponse(
                status: status, headers: body.isEmpty ? [] : [("Content-Type", contentType)], body: Array(body.utf8))
        case .malformedBody:
            return SimulatedResponse.text(
                "<html><body>502 Bad Gateway</body></html>", status: 200, contentType: "application/json")
        case .truncatedBody:
            var response = api.respond(to: request)
            response.truncateAfter = max(1, response.body.count / 2)
            return response
        case .slow(let delay):
            var response = api.respond(to: request)
            response.delay = delay
            return response
        case .dropConnection:
            var response = SimulatedResponse(status: 500)
            response.dropConnection = true
            return response
        case .echoingHeader(let header, let status, let body, let contentType):
            let echoed = body.split(separator: "{value}", omittingEmptySubsequences: false).joined(
                separator: request.header(header) ?? "")
            return SimulatedResponse.text(echoed, status: status, contentType: contentType)
        case .hostile(let hostile):
            return hostile.answer(request, api: api)
        }
    }
}
