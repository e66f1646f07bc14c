import Foundation
import GatewayCore
import Testing

/// Every unit the toolkit renders passes `systemd-analyze verify` with no output at all (warnings are
/// printed with exit status 0, so silence is the criterion), checked offline in a fake root that holds
/// the system's units and stub executables for every `Exec*=` path.
@Suite("systemd units")
struct UnitVerificationTests {
    @Test("reference node units verify cleanly", arguments: ["reference", "twoFilespaces"])
    func unitsVerify(sample: String) async throws {
        let node = sample == "reference" ? SampleNodes.reference() : SampleNodes.twoFilespaces()
        guard let analyze = NodeTestTools.require("systemd-analyze", package: "systemd") else { return }
        let root = try NodeTestTools.temporaryDirectory("units")
        defer { try? FileManager.default.removeItem(atPath: root) }
        try FileManager.default.createDirectory(atPath: "\(root)/usr/lib/systemd", withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: "/usr/lib/systemd/system", toPath: "\(root)/usr/lib/systemd/system")
        let units = NodeUnits.all(for: node)
        for unit in units {
            try NodeTestTools.write(unit.text, to: "\(root)\(NodePaths.unitDirectory)/\(unit.name)")
            for key in ["ExecStart", "ExecStartPre", "ExecStop"] {
                for line in unit.values(key, in: "Service") {
                    let program = String(line.split(separator: " ").first ?? "")
                    try NodeTestTools.write("#!/bin/sh\n", to: root + program, mode: 0o755)
                }
            }
        }
        var names = units.map(\.name).filter { $0 != NodeUnitNames.gatewayTemplate }
        names += node.gateways.ports.map { NodeUnitNames.gateway(port: $0) }
        for name in names {
            let output = try await NodeTestTools.run([analyze, "verify", "--root=\(root)", name])
            #expect(output.exitCode == 0, "\(name): \(output.standardError)")
            #expect(output.standardOutput.isEmpty && output.standardError.isEmpty, "\(name) printed:\n\(output.standardOutput)\(output.standardError)")
        }
    }

    @Test("a broken directive is caught (the check can fail)")
    func brokenUnitIsReported() async throws {
        guard let analyze = NodeTestTools.require("systemd-analyze", package: "systemd") else { return }
        let root = try NodeTestTools.temporaryDirectory("units-broken")
        defer { try? FileManager.default.removeItem(atPath: root) }
        try FileManager.default.createDirectory(atPath: "\(root)/usr/lib/systemd", withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: "/usr/lib/systemd/system", toPath: "\(root)/usr/lib/systemd/system")
        var unit = ProxyUnit.file(for: SampleNodes.reference())
        unit.sections[1].entries.append(("Restart", "sometimes"))
        try NodeTestTools.write(unit.text, to: "\(root)\(NodePaths.unitDirectory)/\(unit.name)")
        try NodeTestTools.write("#!/bin/sh\n", to: root + NodePaths.gatewayCLI, mode: 0o755)
        let output = try await NodeTestTools.run([analyze, "verify", "--root=\(root)", unit.name])
        #expect(!(output.standardOutput + output.standardError).isEmpty)
    }

    @Test("the LucidLink unit states the daemon, its credential and its cache")
    func lucidLinkUnitText() {
        let node = SampleNodes.reference()
        let unit = LucidLinkUnit.file(for: node.filespaces[0], in: node)
        #expect(unit.name == "lucidlink-mycompany.service")
        #expect(unit.values("LoadCredentialEncrypted", in: "Service") == ["lucidlink-password:/etc/credstore.encrypted/lucidlink-mycompany.cred"])
        #expect(
            unit.values("ExecStart", in: "Service") == [
                "/usr/local/bin/gw-cli node exec --stdin-credential lucidlink-password -- /usr/local/bin/lucid3 --instance 2001 daemon --fs mycompany.dmpfs --user gateway@example.com --mount-point /media/lucidlink/mycompany --root-point / --root-path /data/lucidlink/mycompany --config-path /data/lucidlink/mycompany --fuse-allow-other"
            ])
        #expect(unit.values("ExecStop", in: "Service") == ["/usr/local/bin/lucid3 --instance 2001 exit"])
        #expect(unit.values("RequiresMountsFor", in: "Unit") == ["/data"])
        #expect(!unit.text.contains("password="))
    }

    @Test("values are escaped for systemd: specifiers, variables, quotes and spaces")
    func escaping() {
        let node = SampleNodes.twoFilespaces()
        let lucid = LucidLinkUnit.file(for: node.filespaces[0], in: node)
        #expect(lucid.values("ExecStart", in: "Service")[0].contains("--root-point \"/Projects 2024/100%% done\""))
        let gateway = GatewayUnit.file(for: node)
        let environment = gateway.values("Environment", in: "Service")
        #expect(environment.contains("\"NOTE=50%% \\\"quoted\\\" $HOME\""))
        #expect(environment.contains("GOMEMLIMIT=6GiB"))
        #expect(environment.first == "VGW_PORT=127.0.0.1:%i")
        #expect(gateway.values("BindsTo", in: "Unit") == ["lucidlink-studio.service lucidlink-archive.service"])
        #expect(gateway.values("ExecStartPre", in: "Service") == ["/usr/bin/mountpoint -q /media/lucidlink/studio", "/usr/bin/mountpoint -q /media/lucidlink/archive"])
        #expect(SystemdSyntax.execArgument("a$b") == "\"a$$b\"")
        #expect(SystemdSyntax.execArgument("line\nbreak") == "\"line\\nbreak\"")
        #expect(SystemdSyntax.plainValue("100% on\tline") == "100%% on line")
        #expect(SystemdSyntax.mountUnitName(for: "/data") == "data.mount")
        #expect(SystemdSyntax.mountUnitName(for: "/mnt/nvme-cache/") == "mnt-nvme\\x2dcache.mount")
    }
}
