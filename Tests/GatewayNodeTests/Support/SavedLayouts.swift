/// Saved `lsblk --json --bytes --output NAME,PATH,TYPE,SIZE,MODEL,SERIAL,FSTYPE,LABEL,UUID,MOUNTPOINTS`
/// outputs of EC2 instance shapes (root on an NVMe EBS volume, as on every Nitro instance).
enum SavedLayouts {
    static let rootVolume = """
          {"name":"nvme0n1","path":"/dev/nvme0n1","type":"disk","size":42949672960,"model":"Amazon Elastic Block Store","serial":"vol0a1b2c3d4e5f60718","fstype":null,"label":null,"uuid":null,"mountpoints":[null],
           "children":[
            {"name":"nvme0n1p1","path":"/dev/nvme0n1p1","type":"part","size":42842718720,"model":null,"serial":null,"fstype":"ext4","label":"cloudimg-rootfs","uuid":"1d2b3c4e-5f60-4718-9a0b-1c2d3e4f5061","mountpoints":["/"]},
            {"name":"nvme0n1p15","path":"/dev/nvme0n1p15","type":"part","size":111149056,"model":null,"serial":null,"fstype":"vfat","label":"UEFI","uuid":"B0C1-D2E3","mountpoints":["/boot/efi"]}
           ]}
        """

    static func instanceStore(_ index: Int, size: UInt64 = 474_998_030_336, fields: String = #""fstype":null,"label":null,"uuid":null,"mountpoints":[null]"#) -> String {
        #"  {"name":"nvme\#(index)n1","path":"/dev/nvme\#(index)n1","type":"disk","size":\#(size),"model":"Amazon EC2 NVMe Instance Storage        ","serial":"AWS\#(index)1F2E3D4C5B6A7980","#
            + fields + "}"
    }

    static func layout(_ devices: [String]) -> String {
        "{\n   \"blockdevices\": [\n" + devices.joined(separator: ",\n") + "\n   ]\n}\n"
    }

    /// m6i.xlarge: EBS only.
    static let noInstanceStore = layout([rootVolume])
    /// c6id.large: one 118 GB device.
    static let oneDevice = layout([rootVolume, instanceStore(1, size: 118_750_000_000)])
    /// c6id.4xlarge: two devices.
    static let twoDevices = layout([rootVolume, instanceStore(1), instanceStore(2)])
    /// c6id.16xlarge: four devices.
    static let fourDevices = layout([
        rootVolume, instanceStore(1, size: 949_998_030_336), instanceStore(2, size: 949_998_030_336), instanceStore(3, size: 949_998_030_336), instanceStore(4, size: 949_998_030_336),
    ])

    static let arrayMemberFields = #""fstype":"linux_raid_member","label":"any:gw-cache","uuid":"3c1e2f40-5a6b-8c7d-9e0f-a1b2c3d4e5f6","mountpoints":[null]"#
    static let runningArrayChild =
        #""children":[{"name":"md127","path":"/dev/md127","type":"raid0","size":949730000000,"model":null,"serial":null,"fstype":"xfs","label":"gw-cache","uuid":"7d9e1f2a-3b4c-8d5e-af60-718293a4b5c6","mountpoints":["/data"]}]"#

    /// Two devices carrying the running cache array, mounted at /data (a reboot, or a second apply).
    static let existingArray = layout([rootVolume, instanceStore(1, fields: arrayMemberFields + "," + runningArrayChild), instanceStore(2, fields: arrayMemberFields + "," + runningArrayChild)])
    /// The same members with the array not running (mdadm did not auto-assemble it).
    static let stoppedArray = layout([rootVolume, instanceStore(1, fields: arrayMemberFields), instanceStore(2, fields: arrayMemberFields)])
    /// Two devices, one holding an ext4 filesystem someone made by hand.
    static let foreignFilesystem = layout([
        rootVolume, instanceStore(1, fields: #""fstype":"ext4","label":"scratch","uuid":"0f1e2d3c-4b5a-4978-8695-a4b3c2d1e0f9","mountpoints":[null]"#), instanceStore(2),
    ])
    /// Root on NVMe next to one instance-storage device, plus a device that is the root disk though it
    /// reports the instance-storage model (it must never be chosen).
    static let rootOnInstanceStorageModel = layout([
        #"  {"name":"nvme0n1","path":"/dev/nvme0n1","type":"disk","size":118750000000,"model":"Amazon EC2 NVMe Instance Storage","serial":"AWS01F2E3D4C5B6A7980","fstype":null,"label":null,"uuid":null,"mountpoints":[null],"children":[{"name":"nvme0n1p1","path":"/dev/nvme0n1p1","type":"part","size":118700000000,"fstype":"ext4","label":"cloudimg-rootfs","uuid":"1d2b3c4e-5f60-4718-9a0b-1c2d3e4f5061","mountpoints":["/"]}]}"#,
        instanceStore(1, size: 118_750_000_000),
    ])
}
