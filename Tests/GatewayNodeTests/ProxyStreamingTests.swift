import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// Big bodies stream through with bounded memory.
@Suite("Proxy streaming")
struct ProxyStreamingTests {
    @Test("4 × 2 GiB at once (2 downloads, 2 uploads) keep the proxy's RSS under 64 MiB")
    func memoryStaysBounded() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let python = try TestPaths.venvTool("python")
        let backend = try await StreamBackend(directory: directory, name: "backend")
        defer { backend.child.signal(SIGKILL) }
        let proxy = try await ProxyProcess(
            arguments: ["--listen", "127.0.0.1:0", "--backend", backend.url, "--drain", "0.2s"], directory: directory)
        let size = 2 << 30
        let clients = try ChildProcess(
            python, [TestPaths.script("stream_clients.py"), "\(proxy.port)", "\(size)", "2", "2"], logPath: directory.path("clients.out"))
        var peakKiB = 0
        var samples = 0
        while clients.isRunning {
            peakKiB = max(peakKiB, proxy.child.residentKiB)
            samples += 1
            try await Task.sleep(for: .milliseconds(100))
            if samples > 1800 { break }
        }
        let status = await clients.waitForExit(timeout: .seconds(5))
        if status == nil { await clients.stop() }
        let line = clients.log.split(separator: "\n").last { $0.hasPrefix("{") }
        let result = try #require(line.flatMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }, "\(clients.log.suffix(1000))")
        #expect(status == 0, "transfers failed: \(result)")
        #expect((result["gets"] as? [Int]) == [size, size], "\(result)")
        #expect((result["puts"] as? [Int]) == [size, size], "\(result)")
        #expect(peakKiB > 0 && peakKiB < 64 * 1024, "peak RSS \(peakKiB) KiB")
        print("streaming 4 × 2 GiB: peak proxy RSS \(peakKiB) KiB over \(samples) samples, \(result["seconds"] ?? "?") s")
        #expect(await proxy.child.stop() == 0)
    }
}
