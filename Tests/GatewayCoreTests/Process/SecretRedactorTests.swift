import GatewayCore
import Testing

@Suite struct SecretRedactorTests {
    @Test func removesEveryOccurrenceLongestFirst() {
        let redactor = SecretRedactor(values: ["abc", "abcdef"])
        #expect(redactor.redact("x abcdef y abc z") == "x [REDACTED] y [REDACTED] z")
    }

    @Test func removesEscapedAndMultiLineForms() {
        let redactor = SecretRedactor(values: ["line1\nline2", #"q"uote\"#])
        #expect(redactor.redact("a line1 b") == "a [REDACTED] b")
        #expect(redactor.redact("line2") == "[REDACTED]")
        #expect(redactor.redact(#"{"v":"line1\nline2"}"#) == #"{"v":"[REDACTED]"}"#)
        #expect(redactor.redact(#"{"v":"q\"uote\\"}"#) == #"{"v":"[REDACTED]"}"#)
    }

    @Test func ignoresEmptyValuesAndLeavesOtherTextAlone() {
        let redactor = SecretRedactor(values: ["", "zz"])
        #expect(redactor.redact("nothing to see") == "nothing to see")
        #expect(SecretRedactor(values: []).isEmpty)
        #expect(redactor.redact("zzz") == "[REDACTED]z")
        #expect(redactor.redact("ünïcödé zz ✓") == "ünïcödé [REDACTED] ✓")
    }
}
