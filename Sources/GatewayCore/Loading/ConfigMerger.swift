/// Lays a user's config tree over the default tree: missing keys take their defaults, unknown keys and
/// wrong types become problems (all of them, not just the first), enumerations are checked.
struct ConfigMerger {
    private(set) var problems: [ConfigProblem] = []

    mutating func merge(_ user: ConfigNode, over defaults: ConfigNode, path: String = "") -> ConfigNode {
        if case .null = user.value { return defaults }
        let pattern = ConfigSchema.pattern(of: path)
        switch defaults.value {
        case .object(let defaultEntries):
            guard case .object(let userEntries) = user.value else {
                return mismatch(user, expected: "a mapping", path: path, fallback: defaults)
            }
            if ConfigSchema.openMaps.contains(pattern) {
                return openMap(userEntries, path: path, position: user.position)
            }
            var merged = defaultEntries
            for entry in userEntries {
                let childPath = ConfigPath.appending(entry.key, to: path)
                guard let index = merged.firstIndex(where: { $0.key == entry.key }) else {
                    unknownKey(entry.key, path: childPath, position: entry.keyPosition ?? entry.node.position, known: defaultEntries.map(\.key), isTopLevel: path.isEmpty)
                    continue
                }
                merged[index].node = merge(entry.node, over: merged[index].node, path: childPath)
            }
            return ConfigNode(.object(merged), position: user.position)
        case .array(let defaultItems):
            guard case .array(let userItems) = user.value else {
                return mismatch(user, expected: "a list", path: path, fallback: defaults)
            }
            // An empty default list holds strings (zones, subnets, CIDRs); otherwise the first default
            // item is the template of every item.
            let template = defaultItems.first ?? ConfigNode(.string(""))
            let items = userItems.enumerated().map { index, item in
                merge(item, over: template, path: ConfigPath.appending(index: index, to: path))
            }
            return ConfigNode(.array(items), position: user.position)
        case .string:
            guard case .string(let text) = user.value else {
                let hint = ConfigSchema.secretFields.contains(pattern) ? "quote the value, or better use env:NAME, file:PATH or ssm:/PATH" : "quote the value"
                return mismatch(user, expected: "a string", path: path, fallback: defaults, hint: hint)
            }
            if let allowed = ConfigSchema.enumerations[pattern], !allowed.contains(text) {
                let suggestion = Self.closest(to: text, in: allowed).map { "did you mean \"\($0)\"? " } ?? ""
                problems.append(
                    ConfigProblem(
                        path: path, position: user.position, message: "\"\(text)\" is not one of \(allowed.map { "\"\($0)\"" }.joined(separator: ", "))",
                        hint: "\(suggestion)use one of the listed values"))
                return defaults
            }
            return user
        case .integer, .double:
            switch user.value {
            case .integer:
                return user
            case .double(let number) where ConfigSchema.fractionalFields.contains(pattern):
                guard number.isFinite, abs(number) < 1e12 else {
                    return mismatch(user, expected: "a number of reasonable size", path: path, fallback: defaults)
                }
                return user
            case .double(let number):
                guard number == number.rounded(), abs(number) < 1e15 else {
                    return mismatch(user, expected: "a whole number", path: path, fallback: defaults, hint: "write it without a fraction")
                }
                var whole = user
                whole.value = .integer(Int(number))
                return whole
            default:
                return mismatch(user, expected: "a number", path: path, fallback: defaults)
            }
        case .bool:
            guard case .bool = user.value else {
                return mismatch(user, expected: "true or false", path: path, fallback: defaults)
            }
            return user
        case .null:
            return user
        }
    }

    private mutating func openMap(_ entries: [(key: String, node: ConfigNode, keyPosition: SourcePosition?)], path: String, position: SourcePosition?) -> ConfigNode {
        var result: [(key: String, node: ConfigNode, keyPosition: SourcePosition?)] = []
        for entry in entries {
            let childPath = ConfigPath.appending(entry.key, to: path)
            switch entry.node.value {
            case .string:
                result.append(entry)
            case .integer(let number):
                result.append((entry.key, ConfigNode(.string(String(number)), position: entry.node.position), entry.keyPosition))
            case .bool(let flag):
                result.append((entry.key, ConfigNode(.string(flag ? "true" : "false"), position: entry.node.position), entry.keyPosition))
            default:
                problems.append(ConfigProblem(path: childPath, position: entry.node.position, message: "must be a string, not \(entry.node.kindDescription)", hint: "give a plain text value"))
            }
        }
        return ConfigNode(.object(result), position: position)
    }

    private mutating func mismatch(_ user: ConfigNode, expected: String, path: String, fallback: ConfigNode, hint: String? = nil) -> ConfigNode {
        problems.append(
            ConfigProblem(path: path, position: user.position, message: "must be \(expected), not \(user.kindDescription)", hint: hint ?? "see the config's JSON Schema for the expected shape"))
        return fallback
    }

    private mutating func unknownKey(_ key: String, path: String, position: SourcePosition?, known: [String], isTopLevel: Bool) {
        var hint: String
        if let suggestion = Self.closest(to: key, in: known) {
            hint = "did you mean \"\(suggestion)\"?"
        } else {
            hint = "known keys here: \(known.joined(separator: ", "))"
        }
        if isTopLevel, key == key.uppercased(), key.contains("_") || key.count > 3 {
            hint = "this looks like a legacy config_vars.txt key; convert the file with the legacy import"
        }
        problems.append(ConfigProblem(path: path, position: position, message: "unknown key \"\(key)\"", hint: hint))
    }

    /// The closest candidate by edit distance (case-insensitive), if it is close enough to be a typo.
    static func closest(to word: String, in candidates: [String]) -> String? {
        let lowered = word.lowercased()
        var best: (String, Int)?
        for candidate in candidates {
            let distance = editDistance(lowered, candidate.lowercased())
            if best == nil || distance < best!.1 { best = (candidate, distance) }
        }
        guard let (candidate, distance) = best else { return nil }
        let allowed = max(2, min(word.count, candidate.count) / 3)
        return distance <= allowed ? candidate : nil
    }

    static func editDistance(_ a: String, _ b: String) -> Int {
        let a = Array(a.unicodeScalars)
        let b = Array(b.unicodeScalars)
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var previous = Array(0...b.count)
        var current = [Int](repeating: 0, count: b.count + 1)
        for i in 1...a.count {
            current[0] = i
            for j in 1...b.count {
                let cost = a[i - 1] == b[j - 1] ? 0 : 1
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            }
            swap(&previous, &current)
        }
        return previous[b.count]
    }
}
