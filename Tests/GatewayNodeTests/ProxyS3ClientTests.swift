import Foundation
import Testing

/// Real S3 clients (awscli, boto3) through `gw-cli proxy` to moto with signature checking on.
@Suite("Proxy with real S3 clients")
struct ProxyS3ClientTests {
    @Test("awscli and boto3 through the proxy: keys, ranges, multipart 200 MiB, presigned, vhost, chunked, 100-continue")
    func realClientsThroughProxy() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let python = try TestPaths.venvTool("python")
        _ = try TestPaths.venvTool("aws")
        let backends = try await MotoBehindRelays(directory: directory, checkSignatures: true)
        let proxy: ProxyProcess
        do {
            proxy = try await ProxyProcess(
                arguments: ["--listen", "127.0.0.1:0", "--drain", "0.2s", "--health-path", MotoBehindRelays.healthPath] + backends.backendArguments,
                directory: directory)
        } catch {
            await backends.stop()
            throw error
        }
        let output: String
        do {
            output = try await runToCompletion(
                python,
                [
                    TestPaths.script("s3_clients_check.py"), "--moto", backends.motoURL, "--proxy", "http://127.0.0.1:\(proxy.port)",
                    "--workdir", directory.url.path, "--big-mib", "200",
                ],
                directory: directory, name: "s3-clients", timeout: .seconds(420))
        } catch {
            await proxy.child.stop()
            await backends.stop()
            throw error
        }
        let status = await proxy.child.stop()
        await backends.stop()

        let line = output.split(separator: "\n").last { $0.hasPrefix("{") }
        let json = try #require(line.flatMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }, "no result: \(output.suffix(2000))")
        let passed = json["passed"] as? [String] ?? []
        let failed = json["failed"] as? [[String: Any]] ?? []
        for failure in failed {
            Issue.record("\(failure["name"] ?? "?"): \(failure["error"] ?? "?")\n\(failure["trace"] ?? "")")
        }
        #expect(failed.isEmpty)
        #expect(passed.count >= 15, "passed: \(passed)")
        #expect(status == 0, "proxy exit status after SIGTERM: \(String(describing: status))")
    }
}
