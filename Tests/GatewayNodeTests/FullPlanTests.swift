import Foundation
import GatewayCore
import Testing

@testable import GatewayNode

/// The whole plan of a reference node: every step in order, and the exact commands and files of the
/// LucidLink, gateway and proxy phases.
@Suite("full node plans")
struct FullPlanTests {
    func plan(root: HostRoot = .system, node: NodeConfig = SampleNodes.reference()) throws -> NodePlan {
        try NodePlanner(config: node, layout: try BlockDeviceLayout(lsblkJSON: Data(SavedLayouts.twoDevices.utf8)), root: root).plan()
    }

    func operations(_ plan: NodePlan, _ id: String) -> [StepOperation] {
        plan.steps.first { $0.id == id }?.operations ?? []
    }

    @Test("the steps of a reference node, in order")
    func stepOrder() throws {
        let plan = try plan()
        #expect(
            plan.steps.map(\.id) == [
                "host.user", "host.sysctl-file", "host.sysctl", "host.fuse",
                "storage.array", "storage.mdadm-conf", "storage.filesystem", "storage.mount-point", "storage.mount", "storage.fstab", "storage.daemon-reload",
                "lucidlink.mycompany.mount-point", "lucidlink.mycompany.state", "lucidlink.mycompany.cache", "lucidlink.mycompany.password", "lucidlink.unit.lucidlink-mycompany.service",
                "lucidlink.daemon-reload", "lucidlink.mycompany.start", "lucidlink.mycompany.active", "lucidlink.mycompany.linked", "lucidlink.mycompany.mounted",
                "lucidlink.mycompany.cache-location", "lucidlink.mycompany.cache-size",
                "gateways.credential.root-access-key", "gateways.credential.root-secret-key", "gateways.unit.versitygw@.service", "gateways.daemon-reload", "gateways.iam-dir",
                "gateways.start", "gateways.7070.active", "gateways.7071.active", "gateways.7072.active",
                "proxy.unit.gateway-proxy.service", "proxy.unit.gateway-node.service", "proxy.daemon-reload", "proxy.start", "proxy.node-setup", "proxy.active",
            ])
        #expect(plan.secrets.map(\.field) == ["filespaces[0].password", "gateways.rootAccessKey", "gateways.rootSecretKey"])
    }

    @Test("host, LucidLink, gateway and proxy steps state their exact commands and files")
    func exactOperations() throws {
        let node = SampleNodes.reference()
        let plan = try plan(node: node)
        #expect(operations(plan, "host.user") == [.run(["useradd", "--system", "--user-group", "--no-create-home", "--home-dir", "/nonexistent", "--shell", "/usr/sbin/nologin", "gateway"])])
        #expect(operations(plan, "host.sysctl") == [.run(["sysctl", "--load=/etc/sysctl.d/60-gateway.conf"])])
        #expect(
            operations(plan, "host.sysctl-file") == [
                .writeFile(
                    path: "/etc/sysctl.d/60-gateway.conf", mode: 0o644,
                    contents: """
                        # Network tuning for the S3 gateway (gw-cli).
                        net.core.rmem_max = 134217728
                        net.core.wmem_max = 134217728
                        net.ipv4.tcp_rmem = 4096 87380 134217728
                        net.ipv4.tcp_wmem = 4096 65536 134217728
                        net.core.netdev_max_backlog = 5000
                        net.ipv4.tcp_window_scaling = 1
                        net.ipv4.tcp_congestion_control = bbr
                        net.core.default_qdisc = fq

                        """)
            ])
        #expect(
            operations(plan, "lucidlink.mycompany.password") == [
                .encryptCredential(
                    name: "lucidlink-password", path: "/etc/credstore.encrypted/lucidlink-mycompany.cred", field: "filespaces[0].password", reference: "ssm:/s3-gateway/prod/filespaces/0/password"),
                .run(["systemd-creds", "encrypt", "--name=lucidlink-password", "/run/gateway-node/<plaintext>", "/etc/credstore.encrypted/lucidlink-mycompany.cred"]),
            ])
        #expect(
            operations(plan, "lucidlink.unit.lucidlink-mycompany.service") == [
                .writeFile(path: "/etc/systemd/system/lucidlink-mycompany.service", mode: 0o644, contents: LucidLinkUnit.file(for: node.filespaces[0], in: node).text)
            ])
        #expect(operations(plan, "lucidlink.mycompany.start") == [.run(["systemctl", "enable", "--now", "lucidlink-mycompany.service"])])
        #expect(
            operations(plan, "lucidlink.mycompany.linked") == [
                .waitFor(condition: "`/usr/local/bin/lucid3 --instance 2001 status` reports Linked", probe: ["/usr/local/bin/lucid3", "--instance", "2001", "status"], timeoutSeconds: 180)
            ])
        #expect(operations(plan, "lucidlink.mycompany.mounted") == [.waitFor(condition: "/media/lucidlink/mycompany is a FUSE mount", probe: nil, timeoutSeconds: 60)])
        #expect(
            operations(plan, "lucidlink.mycompany.cache-location") == [
                .run(["/usr/local/bin/lucid3", "--instance", "2001", "config", "--set", "--DataCache.Location", "/data/lucidlink/mycompany/cache"])
            ])
        #expect(
            operations(plan, "lucidlink.mycompany.cache-size") == [
                .computed(
                    description: "DataCache.Size = 80% of the capacity of /data / 1 filespace, clamped to 10-600 GiB (about 600 GiB for 884 GiB of devices); computed when applied",
                    command: ["/usr/local/bin/lucid3", "--instance", "2001", "config", "--set", "--DataCache.Size", "<size>GiB"])
            ])
        #expect(operations(plan, "gateways.unit.versitygw@.service") == [.writeFile(path: "/etc/systemd/system/versitygw@.service", mode: 0o644, contents: GatewayUnit.file(for: node).text)])
        #expect(operations(plan, "gateways.iam-dir") == [.run(["runuser", "-u", "gateway", "--", "mkdir", "-p", "/media/lucidlink/mycompany/.vgw"])])
        #expect(operations(plan, "gateways.start") == [.run(["systemctl", "enable", "--now", "versitygw@7070.service", "versitygw@7071.service", "versitygw@7072.service"])])
        #expect(operations(plan, "proxy.start") == [.run(["systemctl", "enable", "--now", "gateway-proxy.service"])])
    }

    @Test("each filespace a bucket: the gateways' root stays root's, no IAM directory is made, every mount is waited for")
    func filespaceBuckets() throws {
        let node = SampleNodes.filespaceBuckets()
        let plan = try plan(node: node)
        let gateways = plan.steps.filter { $0.phase == .gateways }.map(\.id)
        #expect(
            gateways == [
                "gateways.credential.root-access-key", "gateways.credential.root-secret-key", "gateways.unit.versitygw@.service", "gateways.daemon-reload", "gateways.data-root",
                "gateways.start", "gateways.7070.active", "gateways.7071.active",
            ])
        #expect(operations(plan, "gateways.data-root") == [.makeDirectory(path: "/media/lucidlink", mode: 0o755, owner: "root")])
        let unit = GatewayUnit.file(for: node).text
        #expect(unit.contains("BindsTo=lucidlink-studio.service lucidlink-archive.service\n"))
        #expect(!unit.contains("VGW_IAM_DIR"))
    }

    @Test("with --root the units are enabled in the tree, nothing is started or waited for")
    func offlineTree() throws {
        let root = HostRoot(directory: "/srv/image")
        let plan = try plan(root: root)
        let commands = plan.steps.flatMap(\.operations).compactMap { operation -> [String]? in
            if case .run(let argv) = operation { return argv } else { return nil }
        }
        #expect(commands.contains(["useradd", "--root", "/srv/image", "--system", "--user-group", "--no-create-home", "--home-dir", "/nonexistent", "--shell", "/usr/sbin/nologin", "gateway"]))
        #expect(commands.contains(["systemctl", "--root=/srv/image", "enable", "versitygw@7070.service", "versitygw@7071.service", "versitygw@7072.service"]))
        #expect(commands.contains(["mount", "-t", "xfs", "-o", "defaults,noatime,largeio,swalloc", "/dev/md/gw-cache", "/srv/image/data"]))
        #expect(!commands.contains { $0.first == "systemctl" && !$0.contains("--root=/srv/image") })
        #expect(!plan.steps.contains { $0.operations.contains { if case .waitFor = $0 { true } else { false } } })
        #expect(plan.notes.contains("--root /srv/image: LucidLink units are installed and enabled, not started; linking and cache settings happen at boot"))
    }

    @Test("--only selects phases")
    func onlyPhases() throws {
        let layout = try BlockDeviceLayout(lsblkJSON: Data(SavedLayouts.oneDevice.utf8))
        let plan = try NodePlanner(config: SampleNodes.reference(), layout: layout, phases: [.gateways, .proxy]).plan()
        #expect(Set(plan.steps.map(\.phase)) == [.gateways, .proxy])
        #expect(plan.secrets.map(\.field) == ["gateways.rootAccessKey", "gateways.rootSecretKey"])
    }

    @Test("the JSON form names every operation kind")
    func jsonDocument() throws {
        var node = SampleNodes.reference()
        node.filespaces[0].password = Secret(reference: "correct horse battery staple")
        let document = PlanDocument(plan: try plan(node: node), deployment: "s3-gateway-prod", root: .system)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let json = String(decoding: try encoder.encode(document), as: UTF8.self)
        for kind in ["run", "writeFile", "editLine", "makeDirectory", "encryptCredential", "waitFor", "computed"] {
            #expect(json.contains("\"kind\":\"\(kind)\""), "\(kind) missing")
        }
        #expect(json.contains(#""mode":"644""#))
        #expect(!json.contains("correct horse"))
        #expect(json.contains(#""reference":"<redacted>""#))
    }
}
