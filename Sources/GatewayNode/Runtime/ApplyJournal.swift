import Synchronization

/// What an apply changed so far, shared by its steps: units whose files or credentials changed must be
/// reloaded by systemd and restarted rather than just started.
public final class ApplyJournal: Sendable {
    private struct State {
        var needsReload: Set<String> = []
        var needsRestart: Set<String> = []
    }

    private let state = Mutex(State())

    /// Creates an empty journal.
    public init() {}

    /// Records that a unit's file changed: systemd must reload it and it must be restarted.
    public func recordUnitFileChange(_ unit: String) {
        state.withLock {
            $0.needsReload.insert(unit)
            $0.needsRestart.insert(unit)
        }
    }

    /// Records that a credential of a unit changed: it must be restarted.
    public func recordCredentialChange(for unit: String) {
        state.withLock { _ = $0.needsRestart.insert(unit) }
    }

    /// Whether any of these units' files changed since the last reload.
    public func needsReload(_ units: [String]) -> Bool {
        state.withLock { state in units.contains { state.needsReload.contains($0) } }
    }

    /// Records a `systemctl daemon-reload`.
    public func recordReload() {
        state.withLock { $0.needsReload.removeAll() }
    }

    /// Whether a unit (or its template, for `name@instance.service`) must be restarted.
    public func needsRestart(_ unit: String) -> Bool {
        state.withLock { state in
            state.needsRestart.contains(unit) || Self.template(of: unit).map { state.needsRestart.contains($0) } == true
        }
    }

    /// Records that units were (re)started; their templates too once all their instances were.
    public func recordRestart(_ units: [String]) {
        state.withLock { state in
            for unit in units {
                state.needsRestart.remove(unit)
                if let template = Self.template(of: unit) { state.needsRestart.remove(template) }
            }
        }
    }

    /// `name@.service` for `name@instance.service`.
    static func template(of unit: String) -> String? {
        guard let at = unit.firstIndex(of: "@"), let dot = unit.lastIndex(of: "."), at < dot else { return nil }
        let instance = unit[unit.index(after: at)..<dot]
        guard !instance.isEmpty else { return nil }
        return String(unit[...at]) + String(unit[dot...])
    }
}
