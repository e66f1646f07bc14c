import Testing

@testable import GatewayCore

struct IPv4CIDRTests {
    @Test func parsesAndRejects() {
        #expect(IPv4CIDR("10.10.0.0/16")?.description == "10.10.0.0/16")
        for bad in ["10.10.0.0", "10.10.0.0/33", "10.10.0/16", "256.0.0.0/8", "10.010.0.0/16", "a.b.c.d/8", "10.0.0.0/-1", "", "10.0.0.0/16/1"] {
            #expect(IPv4CIDR(bad) == nil, "\(bad)")
        }
    }

    @Test func cidrsubnetMatchesTerraform() {
        let vpc = IPv4CIDR("10.10.10.0/24")!
        #expect((0..<3).compactMap { vpc.subnet(newBits: 2, number: $0)?.description } == ["10.10.10.0/26", "10.10.10.64/26", "10.10.10.128/26"])
        #expect((0..<3).compactMap { vpc.subnet(newBits: 4, number: 12 + $0)?.description } == ["10.10.10.192/28", "10.10.10.208/28", "10.10.10.224/28"])
        #expect(vpc.subnet(newBits: 2, number: 4) == nil)
    }

    @Test func containmentAndOverlap() {
        let vpc = IPv4CIDR("10.10.0.0/16")!
        #expect(vpc.contains(IPv4CIDR("10.10.64.0/18")!))
        #expect(!vpc.contains(IPv4CIDR("10.11.0.0/18")!))
        #expect(IPv4CIDR("10.10.0.0/18")!.overlaps(IPv4CIDR("10.10.32.0/20")!))
        #expect(!IPv4CIDR("10.10.0.0/18")!.overlaps(IPv4CIDR("10.10.64.0/18")!))
    }
}
