import NIOCore

/// How the end of an HTTP/1.1 message body is found.
enum MessageFraming: Equatable {
    /// No body (HEAD responses, 1xx/204/304, requests without length or chunking).
    case none
    /// `Content-Length` bytes.
    case length(Int64)
    /// `Transfer-Encoding: chunked`.
    case chunked
    /// The body runs until the sender closes the connection (responses only).
    case untilClose
}

/// Tracks how much of a message body has passed, without changing any byte.
struct MessageBody {
    enum Failure: Error { case badChunking }

    let framing: MessageFraming
    private var remaining: Int64
    private var chunked = ChunkedBodyScanner()
    private(set) var isComplete: Bool
    /// Body bytes seen so far (framing bytes of chunked bodies included).
    private(set) var transferred: Int64 = 0

    init(framing: MessageFraming) {
        self.framing = framing
        switch framing {
        case .none:
            remaining = 0
            isComplete = true
        case .length(let length):
            remaining = length
            isComplete = length == 0
        case .chunked, .untilClose:
            remaining = 0
            isComplete = false
        }
    }

    /// Number of the readable bytes of `buffer` that belong to this body, counted from its reader index
    /// plus `skipping` bytes that precede the body (a head passed on in the same slice).
    mutating func consume(_ buffer: ByteBuffer, skipping: Int = 0) throws(Failure) -> Int {
        if isComplete { return 0 }
        let available = buffer.readableBytes - skipping
        if available <= 0 { return 0 }
        let taken: Int
        switch framing {
        case .none:
            return 0
        case .length:
            taken = Int(min(Int64(available), remaining))
            remaining -= Int64(taken)
            isComplete = remaining == 0
        case .untilClose:
            taken = available
        case .chunked:
            let result: Result<Int, ChunkedBodyScanner.Failure> = buffer.withUnsafeReadableBytes { readable in
                let bytes = UnsafeRawBufferPointer(rebasing: readable[skipping...])
                do throws(ChunkedBodyScanner.Failure) { return .success(try chunked.scan(bytes)) } catch { return .failure(error) }
            }
            switch result {
            case .success(let count): taken = count
            case .failure: throw .badChunking
            }
            isComplete = chunked.isComplete
        }
        transferred += Int64(taken)
        return taken
    }

    /// Marks a close-delimited body as complete (the sender closed its side).
    mutating func finishAtClose() -> Bool {
        guard case .untilClose = framing else { return isComplete }
        isComplete = true
        return true
    }
}
