import NIOCore

/// The handler of one connection to a backend. While a request uses the connection, every event is
/// handed to its owner, the client connection's handler, on the same event loop; while the connection
/// sits idle in the pool it only watches for the backend closing it.
final class BackendConnectionHandler: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    private var context: ChannelHandlerContext?
    /// The client connection using this connection, if any.
    var owner: ClientConnectionHandler?
    var idleSince: Int64 = 0
    private(set) var readsPaused = false
    private var lastError: (any Error)?
    private var inactive = false

    /// Whether the connection is still open (kept from the channel's events, no channel look-up).
    var isUsable: Bool { !inactive && context != nil }
    /// Whether the channel takes more writes without exceeding its high water mark.
    private(set) var isWritable = true

    func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        self.context = nil
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        if let owner {
            owner.backendRead(self, unwrapInboundIn(data))
        } else {
            // A backend must not send anything between responses.
            context.close(promise: nil)
        }
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        owner?.backendReadComplete()
    }

    func channelWritabilityChanged(context: ChannelHandlerContext) {
        isWritable = context.channel.isWritable
        owner?.backendWritabilityChanged(isWritable)
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        lastError = error
        context.close(promise: nil)
    }

    func channelInactive(context: ChannelHandlerContext) {
        inactive = true
        if let owner {
            self.owner = nil
            owner.backendClosed(self, error: lastError)
        }
    }

    @inline(__always)
    func write(_ buffer: ByteBuffer) {
        context?.write(wrapOutboundOut(buffer), promise: nil)
    }

    @inline(__always)
    func flush() {
        context?.flush()
    }

    /// The channel context to flush at the end of the event loop's I/O batch (nil once removed).
    var flushTarget: ChannelHandlerContext? { context }

    /// Stops or resumes reading from the backend (backpressure from a slow client).
    func setReadsPaused(_ paused: Bool) {
        guard paused != readsPaused, let context else { return }
        readsPaused = paused
        try? context.channel.syncOptions?.setOption(.autoRead, value: !paused)
    }

    func close() {
        owner = nil
        inactive = true
        context?.close(promise: nil)
    }
}
