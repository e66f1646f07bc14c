import GatewayProvision
import Synchronization

/// The tails of the runs that have SSE clients: at most one per run, started by the first client
/// and dropped once it has finished.
final class RunEventStreams: Sendable {
    private let tails = Mutex<[String: RunEventTail]>([:])

    /// The frames of run `runID` after event `lastEventID`.
    func subscribe(workspace: DeploymentWorkspace, runID: String, after lastEventID: Int) -> (frames: RunEventTail.Frames, close: @Sendable () -> Void) {
        let (tail, isNew) = tails.withLock { tails -> (RunEventTail, Bool) in
            if let tail = tails[runID], !tail.isFinished { return (tail, false) }
            let tail = RunEventTail(workspace: workspace, runID: runID)
            tails[runID] = tail
            return (tail, true)
        }
        let subscription = tail.subscribe(after: lastEventID)
        if isNew {
            Task {
                await tail.follow()
                self.tails.withLock { tails in
                    if tails[runID] === tail { tails.removeValue(forKey: runID) }
                }
            }
        }
        return subscription
    }

    /// How many runs are being followed.
    var activeTails: Int { tails.withLock { $0.count } }
}
