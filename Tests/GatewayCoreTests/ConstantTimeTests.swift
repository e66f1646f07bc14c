import Testing

@testable import GatewayCore

@Suite("Constant-time comparison")
struct ConstantTimeTests {
    @Test("Equal bytes match; a difference at any position, or another length, does not")
    func equality() {
        let digest = Array(SHA256Digest.hex("token").utf8)
        #expect(ConstantTime.equal(digest, digest))
        #expect(ConstantTime.equal([], []))
        for index in digest.indices {
            var changed = digest
            changed[index] ^= 0x01
            #expect(!ConstantTime.equal(digest, changed), "a difference at \(index)")
        }
        #expect(!ConstantTime.equal(digest, Array(digest.dropLast())))
        #expect(!ConstantTime.equal([], [0]))
    }
}
