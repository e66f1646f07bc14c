import NIOCore
import NIOPosix

#if canImport(Glibc)
import Glibc
#endif

/// One client connection: reads request heads, picks a backend, glues the client channel to a backend
/// channel on the same event loop and relays bytes both ways with backpressure. Request lines and
/// headers are forwarded as received (only hop-by-hop headers are dropped), bodies pass unchanged.
final class ClientConnectionHandler: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    private enum Phase { case awaitingHead, connecting, exchanging, closing }
    private enum ContinueState { case none, awaiting, relayed, streamingWithout }
    enum DeadlineKind { case none, idle, head, expectContinue, response, requestBody, responseBody, closing }

    private struct ReadPause: OptionSet {
        let rawValue: UInt8
        static let backendBackpressure = ReadPause(rawValue: 1)
        static let inputBuffered = ReadPause(rawValue: 2)
    }

    /// The handler's event loop context. A strong reference: the context lives as long as the proxy and
    /// drops its reference to this handler when the connection closes.
    let loop: LoopContext
    private var context: ChannelHandlerContext!
    var registryIndex = -1
    private(set) var deadline: Int64 = .max
    private var deadlineKind: DeadlineKind = .none

    private var phase: Phase = .awaitingHead
    private var inbound: ByteBuffer
    private var headScanOffset = 0
    private var readPause: ReadPause = []
    /// The client channel's writability, kept from its events.
    private var clientWritable = true
    private var closeAfterResponse = false
    private var counted = false
    private var exchangeID: UInt64 = 0
    private var peerDescription: String?

    // the current exchange
    private var request = RequestHead()
    private var requestHeadOut: ByteBuffer
    private var requestBody = MessageBody(framing: .none)
    private var requestBodySent: Int64 = 0
    private var continueState: ContinueState = .none
    private var operation: S3OperationClass = .other
    private var backend: BackendConnectionHandler?
    private var target: LoopBackend?
    private var tried: UInt64 = 0
    private var attempts = 0
    private var responseHeadBuffer: ByteBuffer
    private var responseHeadDone = false
    private var responseHead = ResponseHead()
    private var responseBody = MessageBody(framing: .none)
    private var backendReusable = false
    private var responseStarted = false
    private var holding = false
    private var held: CircularBuffer<ByteBuffer> = CircularBuffer(initialCapacity: 4)
    private var pendingClientFlush = false
    private var pendingBackendFlush = false
    private var startNanos: Int64 = 0
    private var firstByteNanos: Int64 = 0
    private var bytesIn: Int64 = 0
    private var bytesOut: Int64 = 0
    private var status = 0
    private var outcome: ExchangeOutcome = .ok
    private var logHead: ByteBuffer?
    private var backendRequestID: String?
    private var lastBackendLabel: String?
    /// The current attempt uses a pooled keep-alive connection (a close before any answer may just be
    /// the backend dropping an idle connection, so it does not count against the backend).
    private var reusedConnection = false

    init(loop: LoopContext) {
        self.loop = loop
        self.inbound = loop.allocator.buffer(capacity: 0)
        self.requestHeadOut = inbound
        self.responseHeadBuffer = inbound
    }

    // MARK: channel events

    func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
    }

    func channelActive(context: ChannelHandlerContext) {
        let runtime = loop.runtime
        if runtime.openConnections.add(1, ordering: .relaxed).newValue > runtime.maxConnections || loop.shuttingDown {
            runtime.openConnections.subtract(1, ordering: .relaxed)
            runtime.metrics.rejectedConnections.increment()
            phase = .closing
            context.close(promise: nil)
            return
        }
        counted = true
        runtime.metrics.acceptedConnections.increment()
        loop.register(self)
        setDeadline(.idle, loop.now &+ loop.settings.idleTimeout)
        context.fireChannelActive()
    }

    func channelInactive(context: ChannelHandlerContext) {
        let wasPhase = phase
        phase = .closing
        if wasPhase == .connecting || wasPhase == .exchanging {
            outcome = .clientAbort
            if let backend {
                self.backend = nil
                backend.close()
            }
            releaseTarget()
            recordExchange()
        }
        loop.unregister(self)
        if counted {
            counted = false
            loop.runtime.openConnections.subtract(1, ordering: .relaxed)
        }
        deadline = .max
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        context.close(promise: nil)
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        var buffer = unwrapInboundIn(data)
        bytesIn &+= Int64(buffer.readableBytes)
        switch phase {
        case .awaitingHead:
            appendInbound(&buffer)
            processInbound()
        case .exchanging where canSendBody:
            if inbound.readableBytes == 0 {
                forwardBody(&buffer)
                if buffer.readableBytes > 0 { appendInbound(&buffer) }
            } else {
                appendInbound(&buffer)
                forwardBufferedBody()
            }
        case .connecting, .exchanging:
            appendInbound(&buffer)
        case .closing:
            break
        }
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        flushBackendAfterBatch()
        flushClientAfterBatch()
    }

    func channelWritabilityChanged(context: ChannelHandlerContext) {
        clientWritable = context.channel.isWritable
        backend?.setReadsPaused(!clientWritable)
    }

    // MARK: reading requests

    private var canSendBody: Bool {
        !requestBody.isComplete && (continueState == .none || continueState == .relayed || continueState == .streamingWithout)
    }

    private func appendInbound(_ buffer: inout ByteBuffer) {
        if inbound.readableBytes == 0 {
            inbound = buffer
        } else {
            inbound.writeBuffer(&buffer)
        }
        if inbound.readableBytes > loop.settings.maxBufferedInput && phase != .awaitingHead {
            pauseClientReads(.inputBuffered)
        }
    }

    /// Parses the next request head from the buffered input and starts its exchange.
    private func processInbound() {
        guard phase == .awaitingHead else { return }
        // Tolerate empty lines before a request line (RFC 9112 §2.2).
        while inbound.readableBytes > 0, let byte = inbound.getInteger(at: inbound.readerIndex, as: UInt8.self), byte == 0x0D || byte == 0x0A {
            inbound.moveReaderIndex(forwardBy: 1)
        }
        let available = inbound.readableBytes
        if available == 0 {
            if readPause.contains(.inputBuffered) { resumeClientReads(.inputBuffered) }
            setDeadline(.idle, loop.now &+ loop.settings.idleTimeout)
            return
        }
        let length = inbound.withUnsafeReadableBytes { HTTPHeadParser.headLength($0, from: headScanOffset) }
        guard let length else {
            if available > loop.settings.maxHeadBytes {
                startLocalExchange()
                respondError(HeadParseError.tooLarge, close: true)
                return
            }
            headScanOffset = max(0, available - 3)
            if deadlineKind != .head { setDeadline(.head, loop.now &+ loop.settings.requestHeadTimeout) }
            return
        }
        headScanOffset = 0
        if length > loop.settings.maxHeadBytes {
            startLocalExchange()
            respondError(HeadParseError.tooLarge, close: true)
            return
        }
        let parsed: Result<RequestHead, HeadParseError> = inbound.withUnsafeReadableBytes { bytes in
            do throws(HeadParseError) {
                return .success(try HTTPHeadParser.parseRequest(bytes, length: length))
            } catch {
                return .failure(error)
            }
        }
        switch parsed {
        case .failure(let error):
            startLocalExchange()
            respondError(error, close: true)
        case .success(let head):
            let headBytes = inbound.readSlice(length: length)!
            startExchange(head, headBytes)
        }
    }

    private func resetExchange() {
        exchangeID &+= 1
        requestBodySent = 0
        continueState = .none
        backend = nil
        target = nil
        tried = 0
        attempts = 0
        responseHeadDone = false
        responseStarted = false
        holding = false
        held.removeAll(keepingCapacity: true)
        backendReusable = false
        firstByteNanos = 0
        status = 0
        outcome = .ok
        logHead = nil
        backendRequestID = nil
        lastBackendLabel = nil
        startNanos = MonotonicClock.nanoseconds()
    }

    private func startLocalExchange() {
        resetExchange()
        request = RequestHead()
        requestBody = MessageBody(framing: .none)
        operation = .other
    }

    private func startExchange(_ head: RequestHead, _ headBytes: ByteBuffer) {
        resetExchange()
        request = head
        requestBody = MessageBody(framing: head.framing)
        operation = headBytes.withUnsafeReadableBytes { S3OperationClass.classify(head, $0) }
        if !head.clientWantsKeepAlive || loop.shuttingDown { closeAfterResponse = true }
        if loop.settings.accessLogEnabled { logHead = headBytes }

        if isOwnHealthPath(headBytes) {
            respondHealth()
            return
        }
        requestHeadOut = outgoingRequestHead(headBytes)
        continueState = head.expectContinue ? .awaiting : .none
        dispatch()
    }

    private func isOwnHealthPath(_ headBytes: ByteBuffer) -> Bool {
        let path = loop.settings.healthPath
        let target = request.target
        guard target.count >= path.count else { return false }
        return headBytes.withUnsafeReadableBytes { bytes in
            for offset in 0..<path.count where bytes[target.lowerBound + offset] != path[offset] { return false }
            return target.count == path.count || bytes[target.lowerBound + path.count] == UInt8(ascii: "?")
        }
    }

    /// The head sent to the backend: the client's bytes, minus hop-by-hop header lines, plus
    /// `X-Forwarded-For`/`X-Forwarded-Proto` when configured.
    private func outgoingRequestHead(_ headBytes: ByteBuffer) -> ByteBuffer {
        let forwarded = loop.settings.addForwardedHeaders
        if request.dropLines.isEmpty && !forwarded { return headBytes }
        var drop = request.dropLines
        if forwarded, let line = request.forwardedForLine { drop.insert(line) }
        var out = loop.allocator.buffer(capacity: headBytes.readableBytes + 96)
        var position = 0
        let bodyEnd = headBytes.readableBytes - 2  // before the final CRLF
        for line in drop where line.lowerBound >= position {
            if line.lowerBound > position {
                out.writeImmutableBuffer(headBytes.getSlice(at: headBytes.readerIndex + position, length: line.lowerBound - position)!)
            }
            position = line.upperBound
        }
        if bodyEnd > position {
            out.writeImmutableBuffer(headBytes.getSlice(at: headBytes.readerIndex + position, length: bodyEnd - position)!)
        }
        if forwarded {
            out.writeStaticString("X-Forwarded-For: ")
            if let existing = request.forwardedFor, !existing.isEmpty {
                out.writeImmutableBuffer(headBytes.getSlice(at: headBytes.readerIndex + existing.lowerBound, length: existing.count)!)
                out.writeStaticString(", ")
            }
            out.writeString(peerAddress())
            out.writeStaticString("\r\nX-Forwarded-Proto: http\r\n")
        }
        out.writeStaticString("\r\n")
        return out
    }

    private func peerAddress() -> String {
        if let peerDescription { return peerDescription }
        let text = context.channel.remoteAddress?.ipAddress ?? "unknown"
        peerDescription = text
        return text
    }

    // MARK: choosing and connecting a backend

    private func dispatch() {
        guard let chosen = loop.select(excluding: tried) else {
            noBackendAvailable()
            return
        }
        tried |= 1 << UInt64(chosen.slot)
        attempts += 1
        target = chosen
        if loop.settings.accessLogEnabled { lastBackendLabel = chosen.backend.label }
        chosen.outstanding += 1
        if let connection = chosen.takeIdle() {
            reusedConnection = true
            attach(connection)
        } else {
            reusedConnection = false
            connect(chosen)
        }
    }

    private func connect(_ chosen: LoopBackend) {
        phase = .connecting
        setDeadline(.none, .max)
        let id = exchangeID
        let settings = loop.settings
        chosen.backend.connectionsOpened.increment()
        let bootstrap = ClientBootstrap(group: loop.eventLoop)
            .connectTimeout(.nanoseconds(settings.connectTimeout))
            .channelOption(.tcpOption(.tcp_nodelay), value: 1)
            .channelOption(.recvAllocator, value: FixedSizeRecvByteBufferAllocator(capacity: Self.backendReadSize))
            .channelOption(.writeBufferWaterMark, value: .init(low: 256 * 1024, high: 768 * 1024))
            .channelOption(.maxMessagesPerRead, value: 1)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(BackendConnectionHandler())
                }
            }
        bootstrap.connect(to: chosen.backend.address).assumeIsolated().whenComplete { [self] result in
            switch result {
            case .success(let channel):
                guard let handler = try? channel.pipeline.syncOperations.handler(type: BackendConnectionHandler.self) else {
                    channel.close(promise: nil)
                    if exchangeID == id && phase == .connecting { connectFailed(chosen, error: ChannelError.ioOnClosedChannel) }
                    return
                }
                if exchangeID == id && phase == .connecting && target === chosen {
                    attach(handler)
                } else {
                    loop.release(handler, to: chosen)
                }
            case .failure(let error):
                if exchangeID == id && phase == .connecting && target === chosen {
                    connectFailed(chosen, error: error)
                }
            }
        }
    }

    private func connectFailed(_ chosen: LoopBackend, error: any Error) {
        let backend = chosen.backend
        if let ioError = error as? IOError, ioError.errnoCode == ECONNREFUSED {
            if backend.markDown(.connectRefused) {
                loop.runtime.logger.warning("backend refused a connection; taken out of rotation", metadata: ["backend": "\(backend.label)"])
            }
        } else if backend.recordFailure(threshold: loop.settings.failureThreshold) {
            loop.runtime.logger.warning(
                "backend failed \(loop.settings.failureThreshold) requests in a row; taken out of rotation",
                metadata: ["backend": "\(backend.label)", "error": "\(error)"])
        }
        releaseTarget()
        // Nothing was sent: any request may go to another backend.
        loop.countRetry(.connectFailure)
        phase = .exchanging
        dispatch()
    }

    private func attach(_ connection: BackendConnectionHandler) {
        phase = .exchanging
        backend = connection
        connection.owner = self
        connection.write(requestHeadOut)
        pendingBackendFlush = true
        switch continueState {
        case .awaiting:
            setDeadline(.expectContinue, loop.now &+ loop.settings.expectContinueTimeout)
        default:
            if requestBody.isComplete {
                requestFullySent()
            } else {
                setDeadline(.requestBody, loop.now &+ loop.settings.bodyIdleTimeout)
                if inbound.readableBytes > 0 { forwardBufferedBody() }
            }
        }
        flushBackendAfterBatch()
        if !connection.isWritable { pauseClientReads(.backendBackpressure) }
        if connection.readsPaused == clientWritable { connection.setReadsPaused(!clientWritable) }
    }

    private func releaseTarget() {
        if let target {
            target.outstanding -= 1
            self.target = nil
        }
    }

    // MARK: request body

    /// Forwards body bytes waiting in `inbound`. The buffer is moved out first: forwarding can re-enter
    /// this handler (a write error closes the backend synchronously), which may touch `inbound` again.
    private func forwardBufferedBody() {
        var pending = inbound
        inbound = loop.allocator.buffer(capacity: 0)
        forwardBody(&pending)
        if pending.readableBytes > 0 {
            if inbound.readableBytes > 0 { pending.writeBuffer(&inbound) }
            inbound = pending
        }
    }

    /// Forwards the part of `buffer` that belongs to the request body; the rest stays in `buffer`.
    private func forwardBody(_ buffer: inout ByteBuffer) {
        guard let backend else { return }
        let count: Int
        do {
            count = try requestBody.consume(buffer)
        } catch {
            badRequestBody()
            return
        }
        if count > 0 {
            let slice = buffer.readSlice(length: count)!
            backend.write(slice)
            requestBodySent &+= Int64(count)
            pendingBackendFlush = true
            if count >= 16 * 1024 {
                pendingBackendFlush = false
                backend.flush()
                guard self.backend === backend else { return }  // the write failed and closed the backend
            }
            if !responseHeadDone { setDeadline(.requestBody, loop.now &+ loop.settings.bodyIdleTimeout) }
        }
        if requestBody.isComplete { requestFullySent() }
        if readPause.contains(.inputBuffered) && inbound.readableBytes <= loop.settings.maxBufferedInput / 2 {
            resumeClientReads(.inputBuffered)
        }
    }

    private func requestFullySent() {
        if !responseHeadDone {
            let timeout = operation.isLongRunning(method: request.method) ? loop.settings.longOperationTimeout : loop.settings.responseTimeout
            setDeadline(.response, loop.now &+ timeout)
        }
    }

    private func badRequestBody() {
        outcome = .badRequest
        closeAfterResponse = true
        if let backend {
            self.backend = nil
            backend.close()
        }
        releaseTarget()
        if responseStarted {
            abortClient()
        } else {
            respondS3Error(status: 400, code: "InvalidRequest", message: "Invalid chunked request body.", close: true)
        }
    }

    // MARK: backend events

    func backendRead(_ connection: BackendConnectionHandler, _ data: ByteBuffer) {
        guard connection === backend, phase == .exchanging else { return }
        var buffer = data
        if !responseHeadDone {
            if firstByteNanos == 0 { firstByteNanos = MonotonicClock.nanoseconds() }
            if responseHeadBuffer.readableBytes == 0 {
                responseHeadBuffer = buffer
            } else {
                responseHeadBuffer.writeBuffer(&buffer)
            }
            guard let headBytes = parseResponseHeads() else { return }
            buffer = responseHeadBuffer
            responseHeadBuffer = loop.allocator.buffer(capacity: 0)
            // An unchanged head leaves with the body bytes behind it: one slice, one write.
            forwardResponseBody(&buffer, headBytes: headBytes)
            return
        } else if deadlineKind == .responseBody {
            deadline = loop.now &+ loop.settings.bodyIdleTimeout
        }
        forwardResponseBody(&buffer)
    }

    /// Parses interim and final response heads from `responseHeadBuffer`. Once the final head was
    /// handled, returns the length of the head still at the front of the buffer (0 when it was
    /// rewritten and written already); the body bytes follow it. Nil while the head is incomplete
    /// or the exchange ended.
    private func parseResponseHeads() -> Int? {
        while true {
            let length = responseHeadBuffer.withUnsafeReadableBytes { HTTPHeadParser.headLength($0, from: 0) }
            guard let length else {
                if responseHeadBuffer.readableBytes > loop.settings.maxHeadBytes { backendProtocolError() }
                return nil
            }
            let parsed: Result<ResponseHead, HeadParseError> = responseHeadBuffer.withUnsafeReadableBytes { bytes in
                do throws(HeadParseError) {
                    return .success(try HTTPHeadParser.parseResponse(bytes, length: length))
                } catch {
                    return .failure(error)
                }
            }
            guard case .success(let head) = parsed, head.status != 101 else {
                backendProtocolError()
                return nil
            }
            let raw = responseHeadBuffer.readSlice(length: length)!
            if head.status < 200 {
                if head.status == 100 {
                    if continueState == .awaiting {
                        continueState = .relayed
                        writeClient(raw)
                        flushClient()
                        setDeadline(.requestBody, loop.now &+ loop.settings.bodyIdleTimeout)
                        if inbound.readableBytes > 0 { forwardBufferedBody() }
                        if pendingBackendFlush {
                            pendingBackendFlush = false
                            backend?.flush()
                        }
                        if phase != .exchanging { return nil }
                    }
                    // A 100 nobody waits for is dropped; a second one too.
                } else {
                    writeClient(raw)
                    flushClient()
                }
                continue
            }
            var unchangedHead = 0
            if handleFinalHead(head, raw) {
                // Passed on unchanged: the head goes out together with the first body bytes.
                responseHeadBuffer.moveReaderIndex(to: responseHeadBuffer.readerIndex - length)
                unchangedHead = length
            }
            return phase == .exchanging ? unchangedHead : nil
        }
    }

    /// Starts the response. Returns true when the head goes to the client unchanged; the caller then
    /// passes it on with the body bytes that follow it, otherwise the rewritten head is written here.
    private func handleFinalHead(_ head: ResponseHead, _ raw: ByteBuffer) -> Bool {
        responseHeadDone = true
        responseHead = head
        status = head.status
        if let target { target.backend.recordSuccess() }
        let framing = head.framing(requestMethod: request.method)
        responseBody = MessageBody(framing: framing)
        if continueState == .awaiting {
            // A final answer instead of 100 Continue: the body is never sent; neither connection can be reused.
            continueState = .none
            closeAfterResponse = true
        }
        if !requestBody.isComplete { closeAfterResponse = true }
        if framing == .untilClose { closeAfterResponse = true }
        backendReusable = head.backendKeepsAlive && framing != .untilClose && requestBody.isComplete
        if loop.settings.accessLogEnabled, let id = head.requestID {
            backendRequestID = raw.getString(at: raw.readerIndex + id.lowerBound, length: id.count)
        }
        if case .length(let length) = framing, length <= Int64(loop.settings.retryBufferBytes), retryAllowed {
            holding = true
        }
        if !responseBody.isComplete {
            setDeadline(.responseBody, loop.now &+ loop.settings.bodyIdleTimeout)
        }
        guard let out = outgoingResponseHead(head, raw) else { return true }
        if holding {
            held.append(out)
        } else {
            writeClient(out)
        }
        return false
    }

    /// The head sent to the client: the backend's bytes minus hop-by-hop headers, with the
    /// client connection's own `Connection` decision; nil when the backend's head can go unchanged.
    private func outgoingResponseHead(_ head: ResponseHead, _ raw: ByteBuffer) -> ByteBuffer? {
        let closing = closeAfterResponse
        let needsVersion = head.minorVersion == 0
        if head.dropLines.isEmpty && !closing && !needsVersion { return nil }
        if !closing && !needsVersion && head.dropLines.count == 1 && !head.connectionClose && head.connectionKeepAlive {
            // Only "Connection: keep-alive": true for the client connection too.
            return nil
        }
        var out = loop.allocator.buffer(capacity: raw.readableBytes + 24)
        var position = 0
        if needsVersion {
            out.writeStaticString("HTTP/1.1")
            position = 8
        }
        let end = raw.readableBytes - 2
        for line in head.dropLines where line.lowerBound >= position {
            if line.lowerBound > position {
                out.writeImmutableBuffer(raw.getSlice(at: raw.readerIndex + position, length: line.lowerBound - position)!)
            }
            position = line.upperBound
        }
        if end > position { out.writeImmutableBuffer(raw.getSlice(at: raw.readerIndex + position, length: end - position)!) }
        if closing { out.writeStaticString("Connection: close\r\n") }
        out.writeStaticString("\r\n")
        return out
    }

    /// Passes on the response body bytes at the front of `buffer`, after `headBytes` bytes of an
    /// unchanged response head that leave in the same slice.
    private func forwardResponseBody(_ buffer: inout ByteBuffer, headBytes: Int = 0) {
        let count: Int
        do {
            count = try headBytes + responseBody.consume(buffer, skipping: headBytes)
        } catch {
            backendProtocolError()
            return
        }
        if count > 0 {
            let slice = buffer.readSlice(length: count)!
            if holding {
                held.append(slice)
            } else {
                writeClient(slice)
                // Stream at once: waiting for the end of the read batch only adds burstiness and memory.
                if count >= 16 * 1024 { flushClient() }
                guard phase == .exchanging else { return }  // the client went away during the write
            }
        }
        if responseBody.isComplete {
            if buffer.readableBytes > 0 { backendReusable = false }  // bytes after the response: do not reuse
            finishExchange()
        }
    }

    func backendReadComplete() {
        flushClientAfterBatch()
    }

    func backendWritabilityChanged(_ writable: Bool) {
        if writable {
            resumeClientReads(.backendBackpressure)
        } else {
            pauseClientReads(.backendBackpressure)
        }
    }

    func backendClosed(_ connection: BackendConnectionHandler, error: (any Error)?) {
        guard connection === backend else { return }
        backend = nil
        let nothingSent = !responseHeadDone || (holding && !responseStarted)
        if nothingSent {
            if !reusedConnection, let target, target.backend.recordFailure(threshold: loop.settings.failureThreshold) {
                loop.runtime.logger.warning(
                    "backend failed \(loop.settings.failureThreshold) requests in a row; taken out of rotation",
                    metadata: ["backend": "\(target.backend.label)"])
            }
            releaseTarget()
            if retryAllowed {
                loop.countRetry(.closedBeforeResponse)
                responseHeadDone = false
                holding = false
                held.removeAll(keepingCapacity: true)
                responseHeadBuffer = loop.allocator.buffer(capacity: 0)
                firstByteNanos = 0
                status = 0
                dispatch()
            } else {
                outcome = .backendAbort
                closeAfterResponse = true
                respondS3Error(status: 502, code: "BadGateway", message: "The backend closed the connection before it answered.", close: true)
            }
            return
        }
        if error == nil, responseBody.finishAtClose() {
            finishExchange()
            return
        }
        outcome = .backendAbort
        releaseTarget()
        abortClient()
    }

    /// A retry is safe while no byte of the request body left the client and no response byte reached
    /// it, for idempotent requests without a body and for uploads gated by `Expect: 100-continue`
    /// whose `100 Continue` has not been relayed yet.
    private var retryAllowed: Bool {
        guard attempts < loop.settings.maxAttempts, requestBodySent == 0, !responseStarted else { return false }
        if request.expectContinue { return continueState == .awaiting }
        return request.framing == .none && request.method.isIdempotent
    }

    private func backendProtocolError() {
        if let backend {
            self.backend = nil
            backend.close()
        }
        releaseTarget()
        outcome = .backendAbort
        if responseStarted {
            abortClient()
        } else {
            respondS3Error(status: 502, code: "BadGateway", message: "The backend sent an invalid response.", close: true)
        }
    }

    // MARK: finishing

    private func finishExchange() {
        guard phase == .exchanging else { return }
        setDeadline(.none, .max)
        if holding {
            holding = false
            while let buffer = held.popFirst() { writeClient(buffer) }
        }
        if let backend, let target {
            self.backend = nil
            backend.owner = nil
            if backendReusable && requestBody.isComplete {
                if backend.readsPaused { backend.setReadsPaused(false) }
                loop.release(backend, to: target)
            } else {
                backend.close()
            }
        }
        releaseTarget()
        recordExchange()
        completeResponse()
    }

    /// After the last byte of a response: keep the connection for the next request or close it.
    private func completeResponse() {
        if closeAfterResponse {
            closeAfterFlush()
            return
        }
        flushClientAfterBatch()
        phase = .awaitingHead
        readPause.remove(.backendBackpressure)
        if readPause.isEmpty || (readPause == .inputBuffered) { resumeClientReads(.inputBuffered) }
        processInbound()
    }

    private func recordExchange() {
        let end = MonotonicClock.nanoseconds()
        loop.recordLatency(operation, total: end - startNanos, firstByte: firstByteNanos > 0 ? firstByteNanos - startNanos : nil)
        let finalStatus = status == 0 ? 499 : status
        loop.countRequest(method: request.method, operation: operation, status: finalStatus, outcome: outcome, received: bytesIn, sent: bytesOut)
        if loop.settings.accessLogEnabled { writeAccessLog(status: status, durationNanos: end - startNanos) }
        bytesIn = 0
        bytesOut = 0
    }

    private func writeAccessLog(status: Int, durationNanos: Int64) {
        let client = peerAddress()
        let head = logHead
        let request = request
        let operation = operation
        let backendLabel = lastBackendLabel
        let attempts = attempts
        let received = bytesIn
        let sent = bytesOut
        let firstByte = firstByteNanos > 0 ? firstByteNanos - startNanos : -1
        let requestID = backendRequestID
        let outcome = outcome
        loop.appendAccessLog { line in
            AccessLogLine.append(
                to: &line, client: client, head: head, request: request, operation: operation, status: status,
                received: received, sent: sent, durationNanos: durationNanos, firstByteNanos: firstByte,
                backend: backendLabel, attempts: attempts, requestID: requestID, outcome: outcome)
        }
    }

    // MARK: local responses

    private func respondHealth() {
        let runtime = loop.runtime
        let healthy = runtime.healthyBackendCount()
        let draining = runtime.isDraining
        let ok = !draining && healthy >= loop.settings.minimumHealthyBackends && healthy > 0
        let state = draining ? "draining" : (ok ? "ok" : "unavailable")
        let body = "{\"status\":\"\(state)\",\"healthyBackends\":\(healthy),\"backends\":\(runtime.backendCount())}\n"
        status = ok ? 200 : 503
        outcome = .local
        if !requestBody.isComplete { closeAfterResponse = true }
        let response = LocalResponse.make(
            status: status, contentType: "application/json", body: body, close: closeAfterResponse,
            omitBody: request.method == .head, allocator: loop.allocator)
        writeClient(response)
        recordExchange()
        completeResponse()
    }

    private func noBackendAvailable() {
        releaseTarget()
        outcome = .noBackend
        if !requestBody.isComplete || continueState == .awaiting { closeAfterResponse = true }
        respondS3Error(
            status: 503, code: "SlowDown", message: "No backend is available. Please reduce your request rate and retry.",
            retryAfter: 1, close: closeAfterResponse)
    }

    private func respondError(_ error: HeadParseError, close: Bool) {
        outcome = .badRequest
        closeAfterResponse = true
        let (code, message): (String, String)
        switch error {
        case .malformed(let reason): (code, message) = ("InvalidRequest", "Malformed request: \(reason).")
        case .tooLarge: (code, message) = ("RequestHeaderSectionTooLarge", "The request head is too large.")
        case .unsupportedVersion: (code, message) = ("HttpVersionNotSupported", "Only HTTP/1.0 and HTTP/1.1 are supported.")
        case .notImplemented(let reason): (code, message) = ("NotImplemented", "Not supported: \(reason).")
        }
        respondS3Error(status: error.status, code: code, message: message, close: close)
    }

    private func respondS3Error(status: Int, code: String, message: String, retryAfter: Int? = nil, close: Bool) {
        setDeadline(.none, .max)
        self.status = status
        if outcome == .ok { outcome = .local }
        let response = LocalResponse.s3Error(
            status: status, code: code, message: message, requestID: loop.makeRequestID(), retryAfterSeconds: retryAfter,
            close: close || closeAfterResponse, omitBody: request.method == .head, allocator: loop.allocator)
        if close { closeAfterResponse = true }
        writeClient(response)
        recordExchange()
        completeResponse()
    }

    // MARK: client output

    @inline(__always)
    private func writeClient(_ buffer: ByteBuffer) {
        bytesOut &+= Int64(buffer.readableBytes)
        responseStarted = true
        context.write(wrapOutboundOut(buffer), promise: nil)
        pendingClientFlush = true
    }

    private func flushClient() {
        if pendingClientFlush {
            pendingClientFlush = false
            context.flush()
        }
    }

    /// Flushes pending client writes at the end of the event loop's I/O batch (see `LoopContext.flushAfterBatch`).
    private func flushClientAfterBatch() {
        if pendingClientFlush {
            pendingClientFlush = false
            loop.flushAfterBatch(context)
        }
    }

    /// Flushes pending backend writes at the end of the event loop's I/O batch.
    private func flushBackendAfterBatch() {
        if pendingBackendFlush {
            pendingBackendFlush = false
            if let backend { loop.flushAfterBatch(backend.flushTarget) }
        }
    }

    /// Bytes read from a backend at a time. One size for every connection keeps many large downloads at
    /// once fair: with reads that adapt per connection (2 KiB to 256 KiB) the connections whose reads
    /// had grown got several times the share of the others, and the p99 of 64 parallel 16 MiB
    /// downloads was about twice the median; with 128 KiB for all it is within 1.4 times.
    static let backendReadSize = 128 * 1024

    /// How long a closing connection goes on reading (and dropping) what the client still sends.
    static let lingerNanos: Int64 = 2_000_000_000

    /// Ends the connection after the answer without resetting it: the answer is flushed and the
    /// sending side shut (FIN); what the client still sends (an upload the backend answered early,
    /// e.g. 403 to a bad signature) is read and dropped until the client closes or the linger time
    /// ends. A plain close with unread input would send a reset, and the client could lose the answer.
    private func closeAfterFlush() {
        phase = .closing
        pendingClientFlush = false
        inbound.clear()
        setDeadline(.closing, loop.now &+ min(loop.settings.bodyIdleTimeout, Self.lingerNanos))
        let context = self.context!
        let promise = context.eventLoop.makePromise(of: Void.self)
        context.writeAndFlush(wrapOutboundOut(loop.allocator.buffer(capacity: 0)), promise: promise)
        promise.futureResult.assumeIsolated().whenComplete { result in
            guard case .success = result, context.channel.isActive else {
                context.close(promise: nil)
                return
            }
            context.close(mode: .output, promise: nil)
            if !self.readPause.isEmpty {
                self.readPause = []
                try? context.channel.syncOptions?.setOption(.autoRead, value: true)
            }
            context.read()
        }
    }

    /// Cuts the client connection so a truncated response cannot look complete.
    private func abortClient() {
        phase = .closing
        if outcome == .ok { outcome = .backendAbort }
        recordExchange()
        context.close(promise: nil)
    }

    private func pauseClientReads(_ reason: ReadPause) {
        let wasEmpty = readPause.isEmpty
        readPause.insert(reason)
        if wasEmpty { try? context.channel.syncOptions?.setOption(.autoRead, value: false) }
    }

    private func resumeClientReads(_ reason: ReadPause) {
        guard readPause.contains(reason) else { return }
        readPause.remove(reason)
        if readPause.isEmpty { try? context.channel.syncOptions?.setOption(.autoRead, value: true) }
    }

    // MARK: timers and shutdown

    @inline(__always)
    private func setDeadline(_ kind: DeadlineKind, _ value: Int64) {
        deadlineKind = kind
        deadline = value
    }

    func deadlineExpired() {
        let kind = deadlineKind
        setDeadline(.none, .max)
        switch kind {
        case .none:
            break
        case .idle, .closing:
            phase = .closing
            context.close(promise: nil)
        case .head:
            startLocalExchange()
            outcome = .badRequest
            respondS3Error(status: 408, code: "RequestTimeout", message: "The request head was not received in time.", close: true)
        case .expectContinue:
            // The backend did not answer the Expect: the client sends its body anyway after its own wait.
            continueState = .streamingWithout
            setDeadline(.requestBody, loop.now &+ loop.settings.bodyIdleTimeout)
            if inbound.readableBytes > 0 { forwardBufferedBody() }
            if pendingBackendFlush {
                pendingBackendFlush = false
                backend?.flush()
            }
        case .response:
            outcome = .backendTimeout
            if let target, target.backend.recordFailure(threshold: loop.settings.failureThreshold) {
                loop.runtime.logger.warning(
                    "backend timed out \(loop.settings.failureThreshold) requests in a row; taken out of rotation",
                    metadata: ["backend": "\(target.backend.label)"])
            }
            dropBackend()
            if responseStarted {
                abortClient()
            } else {
                respondS3Error(status: 504, code: "GatewayTimeout", message: "The backend did not answer in time.", close: !requestBody.isComplete)
            }
        case .requestBody:
            outcome = .clientAbort
            dropBackend()
            if responseStarted {
                abortClient()
            } else {
                respondS3Error(status: 408, code: "RequestTimeout", message: "The request body stalled.", close: true)
            }
        case .responseBody:
            outcome = .backendTimeout
            dropBackend()
            abortClient()
        }
    }

    private func dropBackend() {
        if let backend {
            self.backend = nil
            backend.close()
        }
        releaseTarget()
    }

    func shutdownRequested() {
        closeAfterResponse = true
        if phase == .awaitingHead && inbound.readableBytes == 0 {
            phase = .closing
            context.close(promise: nil)
        }
    }

    func forceClose() {
        if phase == .connecting || phase == .exchanging { outcome = .clientAbort }
        context.close(promise: nil)
    }
}
