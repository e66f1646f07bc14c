import Dispatch
import Foundation

/// SIGHUP as a request to reload, instead of the default of ending the process.
enum HangupSignal {
    /// From now on, runs `action` on `queue` for each SIGHUP the process receives, and SIGHUP no
    /// longer ends the process. Installed synchronously, so a SIGHUP sent once this returns is never
    /// lost. Cancel the returned source to stop handling (SIGHUP stays ignored).
    static func handle(on queue: DispatchQueue, _ action: @escaping @Sendable () -> Void) -> any DispatchSourceSignal {
        signal(SIGHUP, SIG_IGN)
        let source = DispatchSource.makeSignalSource(signal: SIGHUP, queue: queue)
        source.setEventHandler(handler: action)
        source.resume()
        return source
    }
}
