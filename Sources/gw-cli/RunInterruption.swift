import Dispatch
import Foundation
import Synchronization

/// Runs a long operation so that Ctrl-C (SIGINT), SIGTERM or a closed terminal (SIGHUP) cancels it
/// cleanly: the operation's
/// task is cancelled, which stops the tool gracefully and records the run as canceled, and the
/// command then ends normally. While it runs, `tick` is called every second (for elapsed time).
enum RunInterruption {
    static func run<T: Sendable>(
        tick: @escaping @Sendable () -> Void = {},
        onInterrupt: @escaping @Sendable (_ count: Int) -> Void,
        _ body: @escaping @Sendable () async throws -> T
    ) async throws -> T {
        let task = Task { try await body() }
        let presses = Mutex(0)
        let sources = [SIGINT, SIGTERM, SIGHUP].map { number -> any DispatchSourceSignal in
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler {
                let count = presses.withLock { count -> Int in
                    count += 1
                    return count
                }
                onInterrupt(count)
                task.cancel()
            }
            source.resume()
            return source
        }
        let ticker = Task {
            while !Task.isCancelled {
                try? await Task.sleep(for: .seconds(1))
                if !Task.isCancelled { tick() }
            }
        }
        defer {
            ticker.cancel()
            for source in sources { source.cancel() }
            for number in [SIGINT, SIGTERM, SIGHUP] { signal(number, SIG_DFL) }
        }
        return try await task.value
    }
}
