import Foundation
import Testing

/// The node as it runs on AWS, booted in virtual machines (see ``NodeVM``): the image built from the
/// rendered provisioning script, the first boot from the rendered user data, the failure paths. Every
/// claim is its own check, reported by the guest and asserted here.
@Suite("A node boots in a VM", .serialized)
struct NodeBootVMTests {
    @Test("the image builds from the rendered provision.sh and holds no per-instance identity")
    func imageBuild() async throws {
        let result = try await NodeVM.shared.result(.imageBuild)
        expect(
            result,
            [
                "the rendered provision.sh succeeds",
                "gw-cli runs on the image without the Swift toolchain",
                "LucidLink client, VersityGW and the CloudWatch agent are installed",
                "the node setup unit is installed but not enabled",
                "the image holds no machine id",
                "the image holds no systemd credential key",
                "the image holds no LucidLink client state or credentials",
            ])
        report(result, ["provision_seconds"])
    }

    @Test("the first boot sets up storage, LucidLink, the gateways and the proxy, and serves each filespace as a bucket")
    func firstBoot() async throws {
        let result = try await NodeVM.shared.result(.firstBoot)
        expect(
            result,
            [
                "the rendered user-data.sh runs to its end",
                "node setup succeeded",
                "proxy health is 200",
                "the CloudWatch agent (FAKE) accepted the rendered config",
                "first boot builds md RAID 0 over all four NVMe disks",
                "XFS stripe unit and width match the array (su=256k, sw=4)",
                "the cache is mounted at /data with the reference options",
                "fstab mounts the cache by UUID with nofail",
                "the LucidLink unit gets its password through the encrypted credential",
                "each filespace is a live FUSE mount",
                "the LucidLink cache is sized from the array's space and placed on it",
                "the three gateway units start only after both filespace mounts",
                "the gateways listen on loopback only",
                "the proxy answers S3 PUT, GET and LIST on port 8000",
                "the object lands as a file on the filespace mount",
                "the buckets are the filespaces: ListBuckets names both, each object lands in its own filespace",
                "a bucket cannot be created outside the filespaces",
                "the instance has a machine id of its own",
            ])
        report(result, ["boot_to_healthy_seconds", "cache_size_gib"])
    }

    @Test("a LucidLink crash stops the gateways and turns the proxy unhealthy; all recover with the filespace")
    func lucidLinkOutage() async throws {
        let result = try await NodeVM.shared.result(.firstBoot)
        expect(
            result,
            [
                "killing the LucidLink client leaves its mount answering ENOTCONN",
                "the gateways stop with the LucidLink client",
                "proxy health turns 503 within the health window (fall x interval + timeout + interval)",
                "LucidLink, the gateways and the proxy recover when the filespace is back",
            ])
        report(result, ["seconds_to_unhealthy", "seconds_to_recover"])
    }

    @Test("a second node apply changes nothing")
    func secondApply() async throws {
        expect(try await NodeVM.shared.result(.firstBoot), ["a second node apply changes nothing", "scenario ran to its end"])
    }

    @Test("a reboot assembles the existing array and keeps the cache's data")
    func reboot() async throws {
        let result = try await NodeVM.shared.result(.reboot)
        expect(
            result,
            [
                "node setup succeeded",
                "proxy health is 200",
                "a reboot keeps the existing array (same UUID, four members)",
                "a reboot creates no filesystem (no mkfs)",
                "a reboot keeps the cache's data",
                "the first boot's object is still served from the filespace",
                "scenario ran to its end",
            ])
        report(result, ["boot_to_healthy_seconds"])
    }

    @Test("a stop/start (blank instance storage) rebuilds the array")
    func stopStart() async throws {
        let result = try await NodeVM.shared.result(.stopStart)
        expect(
            result,
            [
                "node setup succeeded",
                "proxy health is 200",
                "a stop/start builds a new array over the blank disks",
                "the new cache starts empty",
                "the user data does not run again for the same instance",
                "the first boot's object is still served from the filespace",
                "scenario ran to its end",
            ])
        report(result, ["boot_to_healthy_seconds"])
    }

    @Test("a second instance boots although the CloudWatch agent fails, with an identity of its own")
    func newInstanceWithFailingAgent() async throws {
        let result = try await NodeVM.shared.result(.newInstance)
        expect(
            result,
            [
                "node setup succeeded",
                "proxy health is 200",
                "the boot succeeds although the CloudWatch agent fails",
                "the boot log names the monitoring failure",
                "each instance creates its own machine id and credential key",
                "the first boot's object is still served from the filespace",
                "scenario ran to its end",
            ])
        report(result, ["boot_to_healthy_seconds"])
    }

    /// Each named check passed; a check the guest did not report fails too (with the console's end).
    private func expect(_ result: VMBootResult, _ names: [String], sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(result.qemuStatus == 0, "\(result.stage.rawValue): qemu ended with \(result.qemuStatus) (124: killed at the deadline)\n\(result.consoleTail)", sourceLocation: sourceLocation)
        for name in names {
            guard let check = result.check(name) else {
                Issue.record("\(result.stage.rawValue): the guest did not report \"\(name)\"; results in \(result.resultsDirectory.path)\n\(result.consoleTail)", sourceLocation: sourceLocation)
                continue
            }
            #expect(check.ok, "\(result.stage.rawValue): \(name)\n\(check.detail)", sourceLocation: sourceLocation)
        }
    }

    /// The figures the issue asks for, on the test's output.
    private func report(_ result: VMBootResult, _ names: [String]) {
        let figures = names.map { "\($0)=\(result.figures[$0] ?? "?")" }.joined(separator: " ")
        FileHandle.standardError.write(Data("vm \(result.stage.rawValue): qemu \(String(format: "%.1f", result.wallSeconds)) s, \(figures)\n".utf8))
    }
}
