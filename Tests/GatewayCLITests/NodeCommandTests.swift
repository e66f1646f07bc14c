import Foundation
import GatewayCore
import Testing

/// `gw-cli node plan | apply | exec` as the boot unit and an operator run them.
struct NodeCommandTests {
    static func nodeConfig(devices: [String] = [], password: String = "ssm:/s3-gateway/prod/filespaces/0/password") -> NodeConfig {
        NodeConfig(
            deployment: "s3-gateway-prod",
            region: "us-east-1",
            storage: StorageSettings(devices: devices),
            filespaces: [
                NodeFilespace(
                    name: "mycompany.dmpfs", user: "gateway@example.com", password: Secret(reference: password), rootPoint: "/", clientVersion: 3, mountName: "mycompany",
                    mountPoint: "/media/lucidlink/mycompany", instanceId: 2001)
            ],
            gateways: NodeGateways(
                ports: [7070, 7071, 7072], rootAccessKey: Secret(reference: "ssm:/k"), rootSecretKey: Secret(reference: "ssm:/s"), dataRoot: "/media/lucidlink/mycompany",
                iamDir: "/media/lucidlink/mycompany/.vgw", virtualDomain: "s3.example.com", healthPath: "/health")
        )
    }

    /// `lsblk --json --bytes` of a c6id.16xlarge: NVMe EBS root and four instance-storage devices.
    static let fourDevices: String = {
        let root =
            #"{"name":"nvme0n1","path":"/dev/nvme0n1","type":"disk","size":42949672960,"model":"Amazon Elastic Block Store","serial":"vol0a1b2c3d4e5f60718","fstype":null,"label":null,"uuid":null,"mountpoints":[null],"children":[{"name":"nvme0n1p1","path":"/dev/nvme0n1p1","type":"part","size":42842718720,"model":null,"serial":null,"fstype":"ext4","label":"cloudimg-rootfs","uuid":"1d2b3c4e-5f60-4718-9a0b-1c2d3e4f5061","mountpoints":["/"]}]}"#
        let stores = (1...4).map {
            #"{"name":"nvme\#($0)n1","path":"/dev/nvme\#($0)n1","type":"disk","size":949998030336,"model":"Amazon EC2 NVMe Instance Storage","serial":"AWS\#($0)1F2E3D4C5B6A7980","fstype":null,"label":null,"uuid":null,"mountpoints":[null]}"#
        }
        return #"{"blockdevices":["# + ([root] + stores).joined(separator: ",") + "]}"
    }()

    func files(_ config: NodeConfig, layout: String = fourDevices) throws -> (directory: URL, config: String, layout: String) {
        let directory = try CLIProcess.temporaryDirectory()
        let configPath = directory.appendingPathComponent("node.json").path
        try JSONEncoder().encode(config).write(to: URL(fileURLWithPath: configPath))
        let layoutPath = directory.appendingPathComponent("lsblk.json").path
        try Data(layout.utf8).write(to: URL(fileURLWithPath: layoutPath))
        return (directory, configPath, layoutPath)
    }

    @Test func planPrintsExactCommandsAndFiles() throws {
        let (directory, config, layout) = try files(Self.nodeConfig())
        defer { try? FileManager.default.removeItem(at: directory) }
        let result = try CLIProcess.run(["node", "plan", config, "--devices", layout])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.hasPrefix("Plan for s3-gateway-prod (root /): "))
        #expect(result.stdout.contains("  note: 4 instance-storage devices: RAID 0 over all of them as /dev/md/gw-cache"))
        #expect(result.stdout.contains("run: mdadm --create /dev/md/gw-cache --run --level=0 --raid-devices=4 --chunk=256 --metadata=1.2 --homehost=any --name=gw-cache --uuid="))
        #expect(result.stdout.contains(" /dev/nvme1n1 /dev/nvme2n1 /dev/nvme3n1 /dev/nvme4n1\n"))
        #expect(result.stdout.contains("-d su=256k,sw=4 /dev/md/gw-cache\n"))
        #expect(result.stdout.contains("run: mount -t xfs -o defaults,noatime,largeio,swalloc /dev/md/gw-cache /data\n"))
        #expect(
            result.stdout.contains(
                "       | ExecStart=/usr/local/bin/gw-cli node exec --env-credential ROOT_ACCESS_KEY_ID=root-access-key --env-credential ROOT_SECRET_ACCESS_KEY=root-secret-key -- /usr/local/bin/versitygw posix /media/lucidlink/mycompany\n"
            ))
        #expect(result.stdout.contains("       | net.ipv4.tcp_congestion_control = bbr\n"))
        #expect(result.stdout.contains("secrets resolved at apply: filespaces[0].password (ssm:/s3-gateway/prod/filespaces/0/password)"))
    }

    @Test func planAsJSON() throws {
        let (directory, config, layout) = try files(Self.nodeConfig())
        defer { try? FileManager.default.removeItem(at: directory) }
        let result = try CLIProcess.run(["node", "plan", config, "--devices", layout, "--json", "--only", "storage"])
        #expect(result.status == 0, "\(result.stderr)")
        let document = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        let steps = try #require(document["steps"] as? [[String: Any]])
        #expect(steps.map { $0["id"] as? String } == ["storage.array", "storage.mdadm-conf", "storage.filesystem", "storage.mount-point", "storage.mount", "storage.fstab", "storage.daemon-reload"])
        let first = try #require((steps.first?["operations"] as? [[String: Any]])?.first)
        #expect(first["kind"] as? String == "run")
        #expect((first["argv"] as? [String])?.prefix(3) == ["mdadm", "--create", "/dev/md/gw-cache"])
        #expect(document["root"] as? String == "/")
    }

    @Test func badInputFailsBeforeAnything() throws {
        let (directory, config, layout) = try files(Self.nodeConfig(devices: ["/dev/nvme9n1"], password: ""))
        defer { try? FileManager.default.removeItem(at: directory) }
        let result = try CLIProcess.run(["node", "apply", config, "--devices", layout, "--root", directory.appendingPathComponent("root").path])
        #expect(result.status == 1)
        #expect(result.stderr.contains("error: filespaces[0].password: is required (give it as env:NAME, file:PATH or ssm:/PATH)"))
        #expect(result.stderr.contains("error: storage.devices[0]: the device /dev/nvme9n1 does not exist on this machine"))
        #expect(!FileManager.default.fileExists(atPath: directory.appendingPathComponent("root").path))
        #expect(try CLIProcess.run(["node", "plan", config, "--only", "disks"]).status == 2)
        #expect(try CLIProcess.run(["node", "plan", config, "--root", "relative/dir"]).status == 2)
    }

    @Test func applyPrintsWhatItDidAndSkipped() throws {
        let (directory, config, layout) = try files(Self.nodeConfig())
        defer { try? FileManager.default.removeItem(at: directory) }
        let root = directory.appendingPathComponent("root").path
        try FileManager.default.createDirectory(atPath: "\(root)/etc", withIntermediateDirectories: true)
        for (name, text) in [("passwd", "root:x:0:0:root:/root:/bin/bash\n"), ("group", "root:x:0:\n"), ("shadow", "root:*:19000:0:99999:7:::\n"), ("gshadow", "root:*::\n")] {
            try Data(text.utf8).write(to: URL(fileURLWithPath: "\(root)/etc/\(name)"))
        }
        let first = try CLIProcess.run(["node", "apply", config, "--devices", layout, "--root", root, "--only", "host"])
        #expect(first.status == 0, "\(first.stderr)")
        #expect(first.stdout.contains("apply  host.user: Create the service account gateway\ndone   host.user\n"))
        #expect(first.stdout.hasSuffix("3 applied, 0 already done\n"))
        let second = try CLIProcess.run(["node", "apply", config, "--devices", layout, "--root", root, "--only", "host"])
        #expect(second.status == 0, "\(second.stderr)")
        #expect(second.stdout.contains("skip   host.fuse: Allow FUSE mounts to be shared (user_allow_other) (already done)\n"))
        #expect(second.stdout.hasSuffix("0 applied, 3 already done\n"))
    }

    @Test(.enabled(if: getuid() == 0 && FileManager.default.fileExists(atPath: "/dev/loop-control"), "loop devices are unavailable here (needs root and /dev/loop-control)"))
    func failedStepPrintsCommandExitStatusAndStandardError() throws {
        let directory = try CLIProcess.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        // A 300 MiB loop device: mkfs.xfs refuses it (too small for the log with a 256 KiB stripe unit).
        let image = directory.appendingPathComponent("small.img").path
        #expect(FileManager.default.createFile(atPath: image, contents: nil))
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: image))
        try handle.truncate(atOffset: 300 << 20)
        try handle.close()
        let attach = try CLIProcess.runTool("/usr/sbin/losetup", ["--find", "--show", image])
        let device = attach.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        try #require(attach.status == 0 && device.hasPrefix("/dev/loop"), "losetup failed: \(attach.stderr)")
        defer { _ = try? CLIProcess.runTool("/usr/sbin/losetup", ["--detach", device]) }
        let (configDirectory, config, _) = try files(Self.nodeConfig(devices: [device]))
        defer { try? FileManager.default.removeItem(at: configDirectory) }
        let result = try CLIProcess.run(["node", "apply", config, "--root", directory.appendingPathComponent("root").path, "--only", "storage"])
        #expect(result.status == 1)
        #expect(result.stdout.contains("apply  storage.filesystem: Create the xfs cache filesystem on \(device)"))
        #expect(result.stderr.contains("error: step storage.filesystem (Create the xfs cache filesystem on \(device)) failed: `mkfs.xfs -q -L gw-cache -m uuid="))
        #expect(result.stderr.contains(" -d su=256k,sw=1 \(device)` failed (exit 1):\n"))
        #expect(result.stderr.contains("0 steps applied and 0 already done before the failure; they stay in place"))
    }

    @Test func execHandsCredentialsToTheProgram() throws {
        let directory = try CLIProcess.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        try Data("p4ss word".utf8).write(to: directory.appendingPathComponent("lucidlink-password"))
        try Data("AKIAEXAMPLE".utf8).write(to: directory.appendingPathComponent("root-access-key"))
        let environment = ["CREDENTIALS_DIRECTORY": directory.path, "PATH": "/usr/bin:/bin"]
        let stdin = try CLIProcess.run(["node", "exec", "--stdin-credential", "lucidlink-password", "--", "/bin/cat"], environment: environment)
        #expect(stdin.status == 0 && stdin.stdout == "p4ss word")
        let env = try CLIProcess.run(["node", "exec", "--env-credential", "ROOT_ACCESS_KEY_ID=root-access-key", "--", "/usr/bin/env"], environment: environment)
        #expect(env.status == 0)
        #expect(env.stdout.split(separator: "\n").contains("ROOT_ACCESS_KEY_ID=AKIAEXAMPLE"))
        #expect(!env.stdout.contains("CREDENTIALS_DIRECTORY"))
        let missing = try CLIProcess.run(["node", "exec", "--stdin-credential", "nope", "--", "/bin/cat"], environment: environment)
        #expect(missing.status == 1 && missing.stderr.contains("the credential nope cannot be opened"))
        let outside = try CLIProcess.run(["node", "exec", "--stdin-credential", "lucidlink-password", "--", "/bin/cat"], environment: ["PATH": "/usr/bin:/bin"])
        #expect(outside.status == 1 && outside.stderr.contains("$CREDENTIALS_DIRECTORY is not set"))
    }
}

extension CLIProcess {
    /// Runs a system tool (not gw-cli) to completion, for test setup such as attaching a loop device.
    static func runTool(_ executable: String, _ arguments: [String]) throws -> Result {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        let errData = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Result(status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self), stderr: String(decoding: errData, as: UTF8.self))
    }
}
