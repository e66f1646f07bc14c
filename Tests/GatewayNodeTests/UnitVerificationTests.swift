import Foundation
import GatewayCore
import Testing

/// Every unit of a node (the same text the bundle renders and the runtime installs) passes
/// `systemd-analyze verify` with no output at all (warnings are printed with exit status 0, so silence
/// is the criterion), checked offline in a fake root that holds the system's units and stub executables
/// for every `Exec*=` path.
@Suite("systemd units")
struct UnitVerificationTests {
    static func values(_ unit: SystemdUnit, _ key: String, in section: String) -> [String] {
        unit.sections.filter { $0.name == section }.flatMap { $0.entries.filter { $0.key == key }.map(\.value) }
    }

    func fakeRoot(_ purpose: String) throws -> String {
        let root = try NodeTestTools.temporaryDirectory(purpose)
        try FileManager.default.createDirectory(atPath: "\(root)/usr/lib/systemd", withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: "/usr/lib/systemd/system", toPath: "\(root)/usr/lib/systemd/system")
        return root
    }

    func install(_ unit: SystemdUnit, in root: String) throws {
        try NodeTestTools.write(unit.text, to: "\(root)\(NodeLayout.unitDirectory)/\(unit.name)")
        for key in ["ExecStart", "ExecStartPre", "ExecStartPost", "ExecStop"] {
            for line in Self.values(unit, key, in: "Service") {
                let program = String(line.split(separator: " ").first ?? "")
                try NodeTestTools.write("#!/bin/sh\n", to: root + program, mode: 0o755)
            }
        }
    }

    @Test("every node unit verifies cleanly", arguments: ["reference", "twoFilespaces"])
    func unitsVerify(sample: String) async throws {
        let node = sample == "reference" ? SampleNodes.reference() : SampleNodes.twoFilespaces()
        guard let analyze = NodeTestTools.require("systemd-analyze", package: "systemd") else { return }
        let root = try fakeRoot("units")
        defer { try? FileManager.default.removeItem(atPath: root) }
        let units = NodeUnits.all(for: node)
        for unit in units { try install(unit, in: root) }
        var names = units.map(\.name).filter { $0 != NodeLayout.gatewayTemplateUnit }
        names += NodeUnits.gatewayUnits(node)
        for name in names {
            let output = try await NodeTestTools.run([analyze, "verify", "--root=\(root)", name])
            #expect(output.exitCode == 0, "\(name): \(output.standardError)")
            #expect(output.standardOutput.isEmpty && output.standardError.isEmpty, "\(name) printed:\n\(output.standardOutput)\(output.standardError)")
        }
    }

    @Test("a broken directive is caught (the check can fail)")
    func brokenUnitIsReported() async throws {
        guard let analyze = NodeTestTools.require("systemd-analyze", package: "systemd") else { return }
        let root = try fakeRoot("units-broken")
        defer { try? FileManager.default.removeItem(atPath: root) }
        let node = SampleNodes.reference()
        var unit = NodeUnits.proxy(node, header: NodeUnits.header(for: node))
        unit.sections[1].entries.append((key: "Restart", value: "sometimes"))
        for other in NodeUnits.all(for: node) where other.name != unit.name { try install(other, in: root) }
        try install(unit, in: root)
        let output = try await NodeTestTools.run([analyze, "verify", "--root=\(root)", unit.name])
        #expect(!(output.standardOutput + output.standardError).isEmpty)
    }

    @Test("the units load their secrets as encrypted credentials from the node layout, never as text")
    func credentials() {
        let node = SampleNodes.reference()
        let units = Dictionary(uniqueKeysWithValues: NodeUnits.all(for: node).map { ($0.name, $0) })
        let lucid = try? #require(units["lucidlink-mycompany.service"])
        #expect(lucid.map { Self.values($0, "LoadCredentialEncrypted", in: "Service") } == ["lucidlink-password:/var/lib/gateway/credentials/lucidlink-mycompany.cred"])
        let gateway = try? #require(units["versitygw@.service"])
        #expect(gateway.map { Self.values($0, "LoadCredentialEncrypted", in: "Service") } == ["root-access-key:/var/lib/gateway/credentials/root-access-key.cred", "root-secret-key:/var/lib/gateway/credentials/root-secret-key.cred"])
        #expect(gateway.map { Self.values($0, "ExecStartPre", in: "Service") } == ["/usr/local/lib/gateway/mount-ready 300 /media/lucidlink/mycompany", "/usr/bin/mkdir -p /media/lucidlink/mycompany/.vgw"])
        #expect(units["gateway-node-setup.service"].map { Self.values($0, "ExecStart", in: "Service") } == ["/usr/local/bin/gw-cli node apply /etc/gateway/node.json"])
        #expect(units["gateway.target"].map { Self.values($0, "WantedBy", in: "Install") } == ["multi-user.target"])
    }

    @Test("mount unit names are escaped as systemd-escape --path does")
    func mountUnitNames() {
        #expect(SystemdEscaping.mountUnitName(for: "/data") == "data.mount")
        #expect(SystemdEscaping.mountUnitName(for: "/mnt/nvme-cache/") == "mnt-nvme\\x2dcache.mount")
        #expect(SystemdEscaping.mountUnitName(for: "/srv/cache.d") == "srv-cache.d.mount")
    }
}
