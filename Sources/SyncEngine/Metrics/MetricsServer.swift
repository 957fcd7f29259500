import NIOCore
import NIOHTTP1
import NIOPosix
import Synchronization

/// One answer of the metrics listener.
struct MetricsResponse: Sendable {
    var status: HTTPResponseStatus
    var contentType: String
    var body: [UInt8]
    var headers: [(String, String)] = []

    static func text(_ text: String, status: HTTPResponseStatus) -> MetricsResponse {
        MetricsResponse(status: status, contentType: "text/plain; charset=utf-8", body: Array(text.utf8))
    }
}

/// A small HTTP/1.1 server on one address: it answers GET requests through `respond` (given the
/// path, without its query) and refuses every other method with 405. Keep-alive and pipelined
/// requests are served in order; request bodies are read and dropped.
///
/// ``close()`` stops listening and closes the connections still open (a scraper keeps its
/// connection alive between scrapes), so that a listener that was replaced answers nothing.
final class MetricsServer: Sendable {
    let address: ListenAddress
    /// The port listened on (the one asked for, or the one the system chose for port 0).
    let port: Int
    private let channel: any Channel
    private let connections: Connections

    /// The connections accepted and still open.
    final class Connections: Sendable {
        private let open = Mutex<[ObjectIdentifier: any Channel]>([:])

        func add(_ channel: any Channel) {
            let id = ObjectIdentifier(channel)
            open.withLock { $0[id] = channel }
            channel.closeFuture.whenComplete { [self] _ in
                _ = open.withLock { $0.removeValue(forKey: id) }
            }
        }

        func all() -> [any Channel] {
            open.withLock { Array($0.values) }
        }
    }

    private init(address: ListenAddress, port: Int, channel: any Channel, connections: Connections) {
        self.address = address
        self.port = port
        self.channel = channel
        self.connections = connections
    }

    /// Listens on `address`; throws the system's error (address in use, not available) when it cannot.
    static func bind(
        _ address: ListenAddress, group: any EventLoopGroup,
        respond: @escaping @Sendable (String) async -> MetricsResponse
    ) async throws -> MetricsServer {
        let connections = Connections()
        let bootstrap = ServerBootstrap(group: group)
            .serverChannelOption(ChannelOptions.backlog, value: 64)
            .serverChannelOption(ChannelOptions.socketOption(.so_reuseaddr), value: 1)
            .childChannelOption(ChannelOptions.socketOption(.tcp_nodelay), value: 1)
            .childChannelInitializer { channel in
                connections.add(channel)
                return channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.configureHTTPServerPipeline()
                    try channel.pipeline.syncOperations.addHandler(MetricsHTTPHandler(respond: respond))
                }
            }
        let channel = try await bootstrap.bind(host: address.bindHost, port: address.port).get()
        return MetricsServer(
            address: address, port: channel.localAddress?.port ?? address.port, channel: channel,
            connections: connections)
    }

    /// Stops listening and closes every open connection.
    func close() async {
        try? await channel.close()
        for connection in connections.all() {
            try? await connection.close()
        }
    }
}

/// Reads one request at a time and writes the answer `respond` gives for its path.
final class MetricsHTTPHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    private let respond: @Sendable (String) async -> MetricsResponse
    private var head: HTTPRequestHead?

    init(respond: @escaping @Sendable (String) async -> MetricsResponse) {
        self.respond = respond
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let head):
            self.head = head
        case .body:
            break
        case .end:
            guard let head else { return }
            self.head = nil
            guard head.method == .GET else {
                var response = MetricsResponse.text(
                    "\(head.method.rawValue) is not allowed here; use GET\n", status: .methodNotAllowed)
                response.headers.append(("Allow", "GET"))
                write(response, head: head, context: context)
                return
            }
            let path = String(head.uri.prefix { $0 != "?" && $0 != "#" })
            let respond = self.respond
            let bound = NIOLoopBound((self, context), eventLoop: context.eventLoop)
            context.eventLoop.makeFutureWithTask { await respond(path) }.whenSuccess { response in
                let (handler, context) = bound.value
                handler.write(response, head: head, context: context)
            }
        }
    }

    private func write(_ response: MetricsResponse, head request: HTTPRequestHead, context: ChannelHandlerContext) {
        guard context.channel.isActive else { return }
        let keepAlive = request.isKeepAlive
        var headers = HTTPHeaders(response.headers)
        headers.replaceOrAdd(name: "Content-Type", value: response.contentType)
        headers.replaceOrAdd(name: "Content-Length", value: "\(response.body.count)")
        headers.replaceOrAdd(name: "Cache-Control", value: "no-store")
        headers.replaceOrAdd(name: "Connection", value: keepAlive ? "keep-alive" : "close")
        let head = HTTPResponseHead(version: request.version, status: response.status, headers: headers)
        context.write(wrapOutboundOut(.head(head)), promise: nil)
        if !response.body.isEmpty {
            context.write(
                wrapOutboundOut(.body(.byteBuffer(context.channel.allocator.buffer(bytes: response.body)))),
                promise: nil)
        }
        let promise: EventLoopPromise<Void>? = keepAlive ? nil : context.eventLoop.makePromise()
        context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: promise)
        if let promise {
            let bound = NIOLoopBound(context, eventLoop: context.eventLoop)
            promise.futureResult.whenComplete { _ in bound.value.close(promise: nil) }
        }
    }
}
