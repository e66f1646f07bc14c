extension Duration {
    /// Parses a proxy duration setting: a decimal number with a unit, `ms`, `s`, `m` or `h`
    /// (e.g. `500ms`, `2s`, `1.5m`); a bare number means seconds.
    public static func parseProxySetting(_ text: String, field: String) throws(ProxyConfigurationError) -> Duration {
        let units: [(String, Double)] = [("ms", 1e-3), ("s", 1), ("m", 60), ("h", 3600)]
        var number = Substring(text)
        var scale = 1.0
        for (suffix, factor) in units where text.hasSuffix(suffix) {
            number = text.dropLast(suffix.count)
            scale = factor
            break
        }
        guard !number.isEmpty, number.allSatisfy({ $0.isASCII && ($0.isNumber || $0 == ".") }),
            let value = Double(number), value.isFinite, value >= 0, value * scale <= 31_536_000
        else {
            throw ProxyConfigurationError(
                field: field, message: "'\(text)' is not a duration", hint: "give a number with ms, s, m or h, e.g. 2s or 500ms")
        }
        return .nanoseconds(Int64((value * scale * 1e9).rounded()))
    }
}

extension Duration {
    /// Whole nanoseconds (saturating), for deadline arithmetic on the event loops.
    var proxyNanoseconds: Int64 {
        let (seconds, attoseconds) = components
        let (product, overflow) = seconds.multipliedReportingOverflow(by: 1_000_000_000)
        if overflow { return seconds < 0 ? .min : .max }
        return product &+ attoseconds / 1_000_000_000
    }
}
