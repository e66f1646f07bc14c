/// Runs one call with a time limit: when the limit passes first, the call is cancelled (an AWS call's
/// transfer or a tool's process stops) and ``CallDeadline/Exceeded`` is thrown.
enum CallDeadline {
    /// The call did not finish within its limit.
    struct Exceeded: Error, Sendable, Equatable, CustomStringConvertible {
        let call: String
        let limit: Duration
        var description: String { "\(call) did not answer within \(limit.formattedSeconds)" }
    }

    private enum Outcome<Value: Sendable>: Sendable {
        case finished(Value)
        case timedOut
    }

    static func run<Value: Sendable>(
        _ call: String, limit: Duration, _ body: @escaping @Sendable () async throws -> Value
    ) async throws -> Value {
        try await withThrowingTaskGroup(of: Outcome<Value>.self) { group in
            group.addTask { .finished(try await body()) }
            group.addTask {
                try await Task.sleep(for: limit)
                return .timedOut
            }
            defer { group.cancelAll() }
            switch try await group.next() {
            case .finished(let value): return value
            case .timedOut: throw Exceeded(call: call, limit: limit)
            case nil: throw CancellationError()
            }
        }
    }
}

extension Duration {
    /// `20 s`, `0.5 s`.
    var formattedSeconds: String {
        let seconds = Double(components.seconds) + Double(components.attoseconds) / 1e18
        return seconds == seconds.rounded() ? "\(Int(seconds)) s" : "\(seconds) s"
    }
}
