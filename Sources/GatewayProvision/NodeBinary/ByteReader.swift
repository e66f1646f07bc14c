import Foundation

/// Bounds-checked reads of fixed-width integers and strings from a file's bytes. Offsets are
/// relative to the start of the file; every read outside it throws ``ELFFormatError``.
struct ByteReader {
    let bytes: Data
    var littleEndian = true

    /// The byte range `offset..<offset+count`, when the file holds all of it.
    func range(offset: UInt64, count: UInt64, what: String) throws(ELFFormatError) -> Range<Int> {
        let (end, overflow) = offset.addingReportingOverflow(count)
        guard !overflow, end <= UInt64(bytes.count) else {
            throw ELFFormatError("the \(what) (\(count) bytes at offset \(offset)) lies beyond the end of the file (\(bytes.count) bytes)")
        }
        return Int(offset)..<Int(end)
    }

    func bytes(at offset: Int, count: Int) throws(ELFFormatError) -> [UInt8] {
        guard offset >= 0, count >= 0, offset <= bytes.count - count else {
            throw ELFFormatError("truncated file: \(count) bytes at offset \(offset) are beyond its end (\(bytes.count) bytes)")
        }
        let start = bytes.startIndex + offset
        return Array(bytes[start..<start + count])
    }

    func u8(at offset: Int) throws(ELFFormatError) -> UInt8 {
        try bytes(at: offset, count: 1)[0]
    }

    func u16(at offset: Int) throws(ELFFormatError) -> UInt16 {
        UInt16(truncatingIfNeeded: try unsigned(at: offset, width: 2))
    }

    func u32(at offset: Int) throws(ELFFormatError) -> UInt32 {
        UInt32(truncatingIfNeeded: try unsigned(at: offset, width: 4))
    }

    func u64(at offset: Int) throws(ELFFormatError) -> UInt64 {
        try unsigned(at: offset, width: 8)
    }

    /// The NUL-terminated string starting at `start`, which must end inside `range`.
    func string(in range: Range<Int>, from start: Int) throws(ELFFormatError) -> String {
        var end = start
        while end < range.upperBound, bytes[bytes.startIndex + end] != 0 { end += 1 }
        guard end < range.upperBound else { throw ELFFormatError("a string at offset \(start) is not NUL-terminated within its table") }
        return String(decoding: bytes[(bytes.startIndex + start)..<(bytes.startIndex + end)], as: UTF8.self)
    }

    private func unsigned(at offset: Int, width: Int) throws(ELFFormatError) -> UInt64 {
        let raw = try bytes(at: offset, count: width)
        let ordered = littleEndian ? raw.reversed() : raw
        return ordered.reduce(0) { ($0 << 8) | UInt64($1) }
    }
}
