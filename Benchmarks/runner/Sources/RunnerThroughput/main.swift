// Streams a file of N lines through ProcessRunner (child: `cat FILE`, every line delivered as a typed,
// timestamped, redacted event) and compares with the peer `cat FILE | wc -l` in the same run.
// usage: RunnerThroughput FILE [REPETITIONS]
import Foundation
import GatewayCore

let arguments = CommandLine.arguments
guard arguments.count >= 2 else {
    FileHandle.standardError.write(Data("usage: RunnerThroughput FILE [REPETITIONS]\n".utf8))
    exit(2)
}
let file = arguments[1]
let repetitions = arguments.count > 2 ? max(1, Int(arguments[2]) ?? 5) : 5
let clock = ContinuousClock()
let runner = ProcessRunner()

func seconds(_ duration: Duration) -> Double {
    Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
}

/// Lines streamed through the runner and the wall time, best of `repetitions`.
func runnerBest(secrets: [String]) async throws -> (lines: Int, seconds: Double) {
    var best = Double.infinity
    var lines = 0
    for _ in 0..<repetitions {
        var count = 0
        let start = clock.now
        for try await event in runner.events(for: ProcessCommand(executable: "/bin/cat", arguments: [file], redactedValues: secrets)) {
            if case .output = event { count += 1 }
        }
        best = min(best, seconds(clock.now - start))
        lines = count
    }
    return (lines, best)
}

/// The peer: `cat FILE | wc -l` (a shell pipeline started by Foundation's Process), best of `repetitions`.
func peerBest() throws -> (lines: Int, seconds: Double) {
    var best = Double.infinity
    var lines = 0
    for _ in 0..<repetitions {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", "cat \"$0\" | wc -l", file]
        let pipe = Pipe()
        process.standardOutput = pipe
        let start = clock.now
        try process.run()
        let output = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        best = min(best, seconds(clock.now - start))
        lines = Int(String(decoding: output, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)) ?? -1
    }
    return (lines, best)
}

let peer = try peerBest()
let plain = try await runnerBest(secrets: [])
let redacting = try await runnerBest(secrets: ["hunter2-not-in-the-file", "AKIAEXAMPLEEXAMPLE00"])
func row(_ name: String, _ result: (lines: Int, seconds: Double)) -> String {
    let rate = Double(result.lines) / result.seconds
    return
        "\(name.padding(toLength: 34, withPad: " ", startingAt: 0)) \(String(result.lines).padding(toLength: 9, withPad: " ", startingAt: 0)) \(String(format: "%8.3f s", result.seconds))  \(String(format: "%12.0f", rate)) lines/s  \(String(format: "%.3f", rate / (Double(peer.lines) / peer.seconds)))x peer"
}
print("best of \(repetitions) runs, \(file)")
print(row("peer: cat FILE | wc -l", peer))
print(row("ProcessRunner (cat FILE)", plain))
print(row("ProcessRunner, 2 secrets redacted", redacting))
