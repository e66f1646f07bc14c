/// An IPv4 network in CIDR notation, with the arithmetic Terraform's `cidrsubnet` does.
public struct IPv4CIDR: Sendable, Equatable, Hashable, CustomStringConvertible {
    /// The network address as a 32-bit number.
    public let address: UInt32
    /// The prefix length, 0-32.
    public let prefixLength: Int

    /// Parses `a.b.c.d/n`; `nil` when malformed. The address must be the network address (no host bits).
    public init?(_ text: String) {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, let prefix = Int(parts[1]), (0...32).contains(prefix), String(prefix) == parts[1] else { return nil }
        let octets = parts[0].split(separator: ".", omittingEmptySubsequences: false)
        guard octets.count == 4 else { return nil }
        var value: UInt32 = 0
        for octet in octets {
            guard let number = UInt32(octet), number <= 255, String(number) == octet else { return nil }
            value = value << 8 | number
        }
        self.address = value
        self.prefixLength = prefix
    }

    /// Creates a network from its parts.
    public init(address: UInt32, prefixLength: Int) {
        self.address = address
        self.prefixLength = prefixLength
    }

    /// The mask of the prefix.
    public var mask: UInt32 { prefixLength == 0 ? 0 : UInt32.max << (32 - prefixLength) }
    /// Whether the address has host bits set (e.g. `10.0.0.1/16`).
    public var hasHostBits: Bool { address & ~mask != 0 }
    /// Number of addresses.
    public var size: UInt64 { UInt64(1) << (32 - prefixLength) }
    /// First address.
    public var first: UInt32 { address & mask }
    /// Last address.
    public var last: UInt32 { first | ~mask }

    /// Whether `other` lies entirely inside this network.
    public func contains(_ other: IPv4CIDR) -> Bool {
        other.prefixLength >= prefixLength && other.first & mask == first
    }

    /// Whether the two networks share any address.
    public func overlaps(_ other: IPv4CIDR) -> Bool {
        first <= other.last && other.first <= last
    }

    /// Terraform's `cidrsubnet(prefix, newbits, netnum)`; `nil` when it does not fit.
    public func subnet(newBits: Int, number: Int) -> IPv4CIDR? {
        let length = prefixLength + newBits
        guard newBits >= 0, length <= 32, number >= 0, UInt64(number) < (UInt64(1) << newBits) else { return nil }
        let offset = UInt32(number) << (32 - length)
        return IPv4CIDR(address: first | offset, prefixLength: length)
    }

    public var description: String {
        "\(address >> 24).\(address >> 16 & 255).\(address >> 8 & 255).\(address & 255)/\(prefixLength)"
    }
}
