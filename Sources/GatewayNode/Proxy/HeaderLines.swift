/// Header lines of a head (byte ranges, CRLF included) in the order they appear. The first line is
/// stored inline, so the common case, one `Connection` header, allocates nothing per message.
struct HeaderLines: Sequence {
    private var leading: Range<Int>?
    private var others: [Range<Int>] = []

    var isEmpty: Bool { leading == nil }
    var count: Int { leading == nil ? 0 : 1 + others.count }

    /// Adds a line at its place in head order; a line already present is not added twice.
    mutating func insert(_ line: Range<Int>) {
        guard let first = leading else {
            leading = line
            return
        }
        if line == first || others.contains(line) { return }
        if line.lowerBound < first.lowerBound {
            others.insert(first, at: 0)
            leading = line
            return
        }
        let index = others.firstIndex { $0.lowerBound > line.lowerBound } ?? others.count
        others.insert(line, at: index)
    }

    func makeIterator() -> Iterator { Iterator(lines: self) }

    struct Iterator: IteratorProtocol {
        fileprivate let lines: HeaderLines
        private var index = 0

        fileprivate init(lines: HeaderLines) { self.lines = lines }

        mutating func next() -> Range<Int>? {
            defer { index += 1 }
            if index == 0 { return lines.leading }
            return index - 1 < lines.others.count ? lines.others[index - 1] : nil
        }
    }
}
