import Foundation
import GatewayCore

/// Reads the machine's block devices: `lsblk` for the tree, models and mounts, then `blkid --probe` on
/// the possible cache devices whose signature `lsblk` did not report (it reads udev's database, which
/// is empty without udev, e.g. in containers and image builds).
public enum BlockDeviceDiscovery {
    /// The current layout.
    /// - Parameter storage: Explicit cache devices are probed as well as instance storage.
    public static func discover(storage: StorageSettings, in context: StepContext) async throws -> BlockDeviceLayout {
        let output = try await context.require(BlockDeviceLayout.lsblkCommand)
        var layout = try BlockDeviceLayout(lsblkJSON: Data(output.standardOutput.utf8))
        for index in layout.devices.indices {
            let device = layout.devices[index]
            let wanted = device.model == storage.instanceStoreModel || storage.devices.contains(device.path) || storage.devices.contains(device.name)
            guard wanted else { continue }
            layout.devices[index] = try await probed(device, in: context)
        }
        return layout
    }

    private static func probed(_ device: BlockDevice, in context: StepContext) async throws -> BlockDevice {
        var result = device
        if result.filesystemType == nil, let signature = try await DeviceSignature.probe(device.path, in: context) {
            result.filesystemType = signature.type
            result.label = signature.label
            result.uuid = signature.uuid
        }
        for index in result.children.indices where result.children[index].isRAID {
            result.children[index] = try await probed(result.children[index], in: context)
        }
        return result
    }
}
