import Foundation

extension NodeStep {
    /// A step that writes a whole file (under the configured tree) when its content or mode differ.
    /// - Parameter changes: A unit whose file this is; recorded in the journal when the file changes.
    static func file(id: String, phase: NodePhase, title: String, path: String, contents: String, mode: Int = 0o644, notes: [String] = [], changes unit: String? = nil) -> NodeStep {
        NodeStep(id: id, phase: phase, title: title, operations: [.writeFile(path: path, mode: mode, contents: contents)], notes: notes) { context in
            let target = context.root.path(path)
            return try HostFiles.read(target) == contents && HostFiles.mode(target) == mode
        } perform: { context in
            let target = context.root.path(path)
            try HostFiles.write(contents, to: target, mode: mode)
            if let unit { context.journal.recordUnitFileChange(unit) }
        }
    }

    /// A step that makes `line` the only line of its kind in a file, keeping all other lines.
    /// - Parameter changes: A unit that must be reloaded when the file changes (e.g. a mount unit for fstab).
    static func line(
        id: String, phase: NodePhase, title: String, path: String, key: String, line: String?, mode: Int = 0o644, notes: [String] = [], changes unit: String? = nil,
        matches: @escaping @Sendable (Substring) -> Bool
    ) -> NodeStep {
        let edit = LineEdit(matches: matches, line: line)
        return NodeStep(id: id, phase: phase, title: title, operations: [.editLine(path: path, key: key, line: line)], notes: notes) { context in
            let current = try HostFiles.read(context.root.path(path))
            if current == nil && line == nil { return true }
            return edit.apply(to: current) == current
        } perform: { context in
            let target = context.root.path(path)
            let current = try HostFiles.read(target)
            let keepMode = HostFiles.mode(target) ?? mode
            try HostFiles.write(edit.apply(to: current), to: target, mode: keepMode)
            if let unit { context.journal.recordUnitFileChange(unit) }
        }
    }

    /// A step that creates a directory with a mode and owner, or fixes them.
    static func directory(id: String, phase: NodePhase, title: String, path: String, mode: Int = 0o755, owner: String? = nil, notes: [String] = []) -> NodeStep {
        NodeStep(id: id, phase: phase, title: title, operations: [.makeDirectory(path: path, mode: mode, owner: owner)], notes: notes) { context in
            let target = context.root.path(path)
            switch HostFiles.kind(target) {
            case .missing: return false
            case .directory: break
            case .file, .other:
                throw StepError.conflict(message: "\(target) exists and is not a directory", hint: "move it away or change the path in the node config")
            }
            guard HostFiles.mode(target) == mode else { return false }
            if let owner {
                let wanted = try AccountDatabase(root: context.root).owner(owner)
                guard let actual = HostFiles.ownership(target), actual.uid == wanted.uid, actual.gid == wanted.gid else { return false }
            }
            return true
        } perform: { context in
            let target = context.root.path(path)
            let ids = try owner.map { name throws(StepError) in try AccountDatabase(root: context.root).owner(name) }
            try HostFiles.makeDirectories(target, mode: mode)
            try HostFiles.setAttributes(target, mode: mode, owner: ids)
        }
    }

    /// A step that waits until a condition holds, checking every poll interval until `timeout`.
    /// - Parameter test: Checks the condition once; returns whether it holds and what the check said.
    static func wait(
        id: String, phase: NodePhase, title: String, condition: String, probe: [String]?, timeout: @escaping @Sendable (WaitPolicy) -> Duration, notes: [String] = [],
        test: @escaping @Sendable (StepContext) async throws -> (holds: Bool, output: String)
    ) -> NodeStep {
        let shownTimeout = Int(timeout(WaitPolicy()).components.seconds)
        return NodeStep(id: id, phase: phase, title: title, operations: [.waitFor(condition: condition, probe: probe, timeoutSeconds: shownTimeout)], notes: notes) { context in
            try await test(context).holds
        } perform: { context in
            let limit = timeout(context.waits)
            let clock = ContinuousClock()
            let deadline = clock.now.advanced(by: limit)
            var last = ""
            while true {
                let result = try await test(context)
                if result.holds { return }
                last = result.output
                if clock.now >= deadline { break }
                try await Task.sleep(for: context.waits.pollInterval)
            }
            throw StepError.timedOut(condition: condition, seconds: Int(limit.components.seconds), lastOutput: last)
        }
    }
}
