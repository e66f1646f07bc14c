#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Cuts a byte stream into lines at `\n` (dropping a `\r` before it), carrying an unfinished line
/// from one chunk to the next. Lines longer than the limit are delivered in pieces.
struct OutputLineSplitter {
    private var pending: [UInt8] = []
    private let maximumLineLength: Int

    init(maximumLineLength: Int) {
        self.maximumLineLength = maximumLineLength
    }

    /// Calls `emit` with each complete line in `chunk`; keeps the unfinished rest for later.
    mutating func split(_ chunk: UnsafeRawBufferPointer, emit: (UnsafeRawBufferPointer) -> Void) {
        guard let base = chunk.baseAddress, chunk.count > 0 else { return }
        var start = 0
        while start < chunk.count {
            let remaining = chunk.count - start
            guard let hit = memchr(base + start, 0x0A, remaining) else {
                append(UnsafeRawBufferPointer(start: base + start, count: remaining), emit: emit)
                return
            }
            let end = base.distance(to: UnsafeRawPointer(hit))
            let piece = UnsafeRawBufferPointer(start: base + start, count: end - start)
            if pending.isEmpty, piece.count <= maximumLineLength {
                emit(Self.trimmingCarriageReturn(piece))
            } else {
                append(piece, emit: emit)
                flush(emit: emit)
            }
            start = end + 1
        }
    }

    /// Delivers the unfinished last line, if any, at the end of the stream.
    mutating func finish(emit: (UnsafeRawBufferPointer) -> Void) {
        if !pending.isEmpty { flush(emit: emit) }
    }

    private mutating func append(_ bytes: UnsafeRawBufferPointer, emit: (UnsafeRawBufferPointer) -> Void) {
        var rest = bytes
        while pending.count + rest.count > maximumLineLength {
            let take = maximumLineLength - pending.count
            pending.append(contentsOf: rest.prefix(take))
            pending.withUnsafeBytes { emit($0) }
            pending.removeAll(keepingCapacity: true)
            rest = UnsafeRawBufferPointer(rebasing: rest.dropFirst(take))
        }
        pending.append(contentsOf: rest)
    }

    private mutating func flush(emit: (UnsafeRawBufferPointer) -> Void) {
        pending.withUnsafeBytes { emit(Self.trimmingCarriageReturn($0)) }
        pending.removeAll(keepingCapacity: true)
    }

    private static func trimmingCarriageReturn(_ line: UnsafeRawBufferPointer) -> UnsafeRawBufferPointer {
        if let last = line.last, last == 0x0D {
            return UnsafeRawBufferPointer(rebasing: line.dropLast())
        }
        return line
    }
}
