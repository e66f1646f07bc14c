/// Follows the framing of a `Transfer-Encoding: chunked` body without changing a byte, so the proxy
/// knows where the message ends (the bytes themselves, chunk extensions and trailers included, are
/// forwarded as received).
struct ChunkedBodyScanner {
    enum Failure: Error { case badChunkSize, badLineEnding, lineTooLong, trailerTooLong }

    private enum State {
        case size(digits: Int)  // reading hex digits of a chunk size
        case sizeTail  // after the digits: BWS and chunk extensions until CR
        case sizeLF  // CR seen, expecting LF
        case data  // inside chunk data
        case dataCR  // expecting CR after data
        case dataLF  // expecting LF after data
        case trailerLineStart  // start of a trailer line (or the final empty line)
        case trailerLine  // inside a trailer line
        case trailerLF  // CR seen at end of a trailer line
        case finalLF  // CR seen on the empty line ending the message
        case done
    }

    private var state: State = .size(digits: 0)
    private var chunkSize: UInt64 = 0
    private var remaining: UInt64 = 0
    private var lineBytes = 0
    private var trailerBytes = 0
    private var lastChunk = false

    static let maxLineBytes = 4096
    static let maxTrailerBytes = 16 * 1024

    var isComplete: Bool { if case .done = state { return true } else { return false } }

    /// Consumes bytes of `buffer` (from `readerIndex`) that belong to the body and returns how many;
    /// fewer than available means the body ended there. Never consumes past the end of the body.
    mutating func scan(_ buffer: UnsafeRawBufferPointer) throws(Failure) -> Int {
        var index = 0
        let count = buffer.count
        while index < count {
            switch state {
            case .done:
                return index
            case .data:
                let available = UInt64(count - index)
                let take = min(available, remaining)
                index += Int(take)
                remaining -= take
                if remaining == 0 { state = .dataCR }
                continue
            default:
                break
            }
            let byte = buffer[index]
            index += 1
            switch state {
            case .size(let digits):
                if let value = Self.hexValue(byte) {
                    guard digits < 15 else { throw .badChunkSize }
                    chunkSize = chunkSize << 4 | UInt64(value)
                    state = .size(digits: digits + 1)
                } else {
                    guard digits > 0 else { throw .badChunkSize }
                    switch byte {
                    case UInt8(ascii: "\r"): state = .sizeLF
                    case UInt8(ascii: ";"), UInt8(ascii: " "), UInt8(ascii: "\t"):
                        lineBytes = digits + 1
                        state = .sizeTail
                    default: throw .badChunkSize
                    }
                }
            case .sizeTail:
                lineBytes += 1
                guard lineBytes <= Self.maxLineBytes else { throw .lineTooLong }
                if byte == UInt8(ascii: "\r") {
                    state = .sizeLF
                } else if byte == UInt8(ascii: "\n") || byte == 0 {
                    throw .badLineEnding
                }
            case .sizeLF:
                guard byte == UInt8(ascii: "\n") else { throw .badLineEnding }
                if chunkSize == 0 {
                    lastChunk = true
                    state = .trailerLineStart
                } else {
                    remaining = chunkSize
                    chunkSize = 0
                    state = .data
                }
            case .dataCR:
                guard byte == UInt8(ascii: "\r") else { throw .badLineEnding }
                state = .dataLF
            case .dataLF:
                guard byte == UInt8(ascii: "\n") else { throw .badLineEnding }
                state = .size(digits: 0)
            case .trailerLineStart:
                if byte == UInt8(ascii: "\r") {
                    state = .finalLF
                } else {
                    guard byte != UInt8(ascii: "\n"), byte != UInt8(ascii: " "), byte != UInt8(ascii: "\t") else { throw .badLineEnding }
                    trailerBytes += 1
                    state = .trailerLine
                }
            case .trailerLine:
                trailerBytes += 1
                guard trailerBytes <= Self.maxTrailerBytes else { throw .trailerTooLong }
                if byte == UInt8(ascii: "\r") {
                    state = .trailerLF
                } else if byte == UInt8(ascii: "\n") || byte == 0 {
                    throw .badLineEnding
                }
            case .trailerLF:
                guard byte == UInt8(ascii: "\n") else { throw .badLineEnding }
                state = .trailerLineStart
            case .finalLF:
                guard byte == UInt8(ascii: "\n") else { throw .badLineEnding }
                state = .done
                return index
            case .data, .done:
                preconditionFailure("handled above")
            }
        }
        return index
    }

    @inline(__always)
    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return byte &- UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return byte &- UInt8(ascii: "a") &+ 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return byte &- UInt8(ascii: "A") &+ 10
        default: return nil
        }
    }
}
