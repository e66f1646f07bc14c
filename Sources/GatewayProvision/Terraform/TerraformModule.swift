/// The Terraform project being rendered: its files' blocks in order, and how many resource and data
/// source instances each type gets with the config's values.
struct TerraformModule {
    private(set) var fileNames: [String] = []
    private(set) var bodies: [String: HCLBody] = [:]
    private(set) var resources: [String: Int] = [:]
    private(set) var dataSources: [String: Int] = [:]

    /// Appends a block to a file. `instances` is how many objects a `resource` or `data` block creates
    /// with the rendered values (its `count` or `for_each` size).
    mutating func add(_ block: HCLBlock, to file: String, instances: Int = 1) {
        if bodies[file] == nil {
            fileNames.append(file)
            bodies[file] = HCLBody()
        }
        bodies[file]?.append(block)
        guard let type = block.labels.first else { return }
        switch block.type {
        case "resource": resources[type, default: 0] += instances
        case "data": dataSources[type, default: 0] += instances
        default: break
        }
    }

    /// Adds a comment line before the next block of a file.
    mutating func comment(_ text: String, in file: String) {
        if bodies[file] == nil {
            fileNames.append(file)
            bodies[file] = HCLBody()
        }
        bodies[file]?.comment(text)
    }
}

extension HCLBlock {
    /// A `resource "type" "name"` block built by `configure`.
    static func resource(_ type: String, _ name: String, _ configure: (inout HCLBlock) -> Void) -> HCLBlock {
        var block = HCLBlock("resource", type, name)
        configure(&block)
        return block
    }

    /// A `data "type" "name"` block built by `configure`.
    static func data(_ type: String, _ name: String, _ configure: (inout HCLBlock) -> Void = { _ in }) -> HCLBlock {
        var block = HCLBlock("data", type, name)
        configure(&block)
        return block
    }

    /// A nested block built by `configure`.
    static func nested(_ type: String, _ labels: String..., configure: (inout HCLBlock) -> Void) -> HCLBlock {
        var block = HCLBlock(type: type, labels: labels)
        configure(&block)
        return block
    }

    /// Appends a nested block built by `configure`.
    mutating func block(_ type: String, _ labels: String..., configure: (inout HCLBlock) -> Void) {
        var block = HCLBlock(type: type, labels: labels)
        configure(&block)
        append(block)
    }

    /// Sets `tags = { Name = name, ... }` (the provider's default tags add the deployment tags).
    mutating func nameTag(_ name: HCLExpression, extra: [(String, HCLExpression)] = []) {
        separator()
        self["tags"] = .object([("Name", name)] + extra)
    }
}
