import NIOCore

/// Serves `GET /metrics` (Prometheus text format) on the metrics listener; one request per connection.
final class MetricsEndpointHandler: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    private let runtime: ProxyRuntime
    private var received = ByteBuffer()
    private var answered = false

    init(runtime: ProxyRuntime) {
        self.runtime = runtime
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard !answered else { return }
        var buffer = unwrapInboundIn(data)
        received.writeBuffer(&buffer)
        let length = received.withUnsafeReadableBytes { HTTPHeadParser.headLength($0, from: 0) }
        guard let length else {
            if received.readableBytes > 16 * 1024 { respond(context, status: 431, body: Array("request head too large\n".utf8), head: false) }
            return
        }
        let parsed: RequestHead? = received.withUnsafeReadableBytes { bytes in try? HTTPHeadParser.parseRequest(bytes, length: length) }
        guard let head = parsed else {
            respond(context, status: 400, body: Array("bad request\n".utf8), head: false)
            return
        }
        let path = received.getString(at: received.readerIndex + head.target.lowerBound, length: head.target.count) ?? ""
        let pathOnly = path.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false).first.map(String.init) ?? path
        guard head.method == .get || head.method == .head else {
            respond(context, status: 405, body: Array("only GET\n".utf8), head: false)
            return
        }
        if pathOnly == "/metrics" {
            respond(context, status: 200, body: runtime.renderMetrics(), head: head.method == .head)
        } else {
            respond(context, status: 404, body: Array("metrics are at /metrics\n".utf8), head: head.method == .head)
        }
    }

    private func respond(_ context: ChannelHandlerContext, status: Int, body: [UInt8], head: Bool) {
        answered = true
        let contentType = status == 200 ? "text/plain; version=0.0.4; charset=utf-8" : "text/plain; charset=utf-8"
        var out = context.channel.allocator.buffer(capacity: body.count + 160)
        out.writeString("HTTP/1.1 \(status) \(LocalResponse.reason(status))\r\nContent-Type: \(contentType)\r\n")
        out.writeString("Content-Length: \(body.count)\r\nConnection: close\r\n\r\n")
        if !head { out.writeBytes(body) }
        context.writeAndFlush(wrapOutboundOut(out)).assumeIsolated().whenComplete { _ in context.close(promise: nil) }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        context.close(promise: nil)
    }
}
