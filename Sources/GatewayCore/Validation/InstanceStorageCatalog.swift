/// Which EC2 instance families have NVMe instance storage, and their CPU architecture.
///
/// The gateway's LucidLink cache lives on instance storage, so every instance type must have it (the
/// reference default `c6id.4xlarge` has 1 × 950 GB). Families are matched by the part before the dot.
public enum InstanceStorageCatalog {
    /// CPU architecture of an instance family.
    public enum Architecture: String, Sendable {
        /// Intel or AMD.
        case x86_64
        /// AWS Graviton.
        case arm64
    }

    /// Families with NVMe instance-store volumes.
    public static let nvmeFamilies: [String: Architecture] = [
        "c5d": .x86_64, "c5ad": .x86_64, "c6id": .x86_64, "c6gd": .arm64, "c7gd": .arm64, "c8gd": .arm64,
        "m5d": .x86_64, "m5ad": .x86_64, "m5dn": .x86_64, "m6id": .x86_64, "m6idn": .x86_64, "m6gd": .arm64, "m7gd": .arm64, "m8gd": .arm64,
        "r5d": .x86_64, "r5ad": .x86_64, "r5dn": .x86_64, "r6id": .x86_64, "r6idn": .x86_64, "r6gd": .arm64, "r7gd": .arm64, "r8gd": .arm64,
        "i3": .x86_64, "i3en": .x86_64, "i4i": .x86_64, "i4g": .arm64, "i7i": .x86_64, "i7ie": .x86_64, "i8g": .arm64,
        "im4gn": .arm64, "is4gen": .arm64, "d3": .x86_64, "d3en": .x86_64,
        "x2idn": .x86_64, "x2iedn": .x86_64, "z1d": .x86_64, "g4dn": .x86_64, "g5": .x86_64, "g6": .x86_64,
    ]

    /// Families that look similar but have no instance storage (EBS only), for a precise message.
    static let ebsOnlyHints: [String: String] = [
        "c5": "c5d", "c6i": "c6id", "c6a": "c6id", "c7i": "c6id", "m5": "m5d", "m6i": "m6id", "m7i": "m6id",
        "r5": "r5d", "r6i": "r6id", "c6g": "c6gd", "c7g": "c7gd", "m6g": "m6gd", "m7g": "m7gd", "r6g": "r6gd", "t3": "c6id", "t3a": "c6id", "t4g": "c6gd",
    ]

    /// The family of an instance type (`c6id.4xlarge` → `c6id`).
    public static func family(of instanceType: String) -> String {
        String(instanceType.split(separator: ".").first ?? "")
    }

    /// Whether the type has NVMe instance storage.
    public static func hasInstanceStorage(_ instanceType: String) -> Bool {
        nvmeFamilies[family(of: instanceType)] != nil
    }

    /// The CPU architecture, when the family is known.
    public static func architecture(of instanceType: String) -> Architecture? {
        nvmeFamilies[family(of: instanceType)]
    }

    /// A family with instance storage to suggest instead of `instanceType`.
    static func suggestion(for instanceType: String) -> String? {
        ebsOnlyHints[family(of: instanceType)]
    }
}
