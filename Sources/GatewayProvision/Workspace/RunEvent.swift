import Foundation
import GatewayCore

/// What kind of thing a ``RunEvent`` reports.
public enum RunEventType: String, Sendable, Equatable, Codable {
    /// The run started (``RunEvent/message`` holds a summary).
    case runStarted = "run_started"
    /// Something worth telling that is not tool output (a recovered interrupted run, a choice made).
    case notice
    /// A step (render, terraform init, plan, ...) started; ``RunEvent/command`` is its command line.
    case stepStarted = "step_started"
    /// A tool process started; ``RunEvent/processID``.
    case processStarted = "process_started"
    /// A plain line of tool output (``RunEvent/stream``, ``RunEvent/text``), redacted.
    case output
    /// A typed terraform UI event (``RunEvent/terraform``).
    case terraform
    /// Resources done out of resources planned changed (``RunEvent/progress``).
    case progress
    /// A stop signal was sent to the tool's process group (``RunEvent/signal``).
    case signalSent = "signal_sent"
    /// A step ended (``RunEvent/succeeded``, ``RunEvent/exitCode`` or ``RunEvent/signal``).
    case stepFinished = "step_finished"
    /// The saved plan's summary (``RunEvent/plan``).
    case planSummary = "plan_summary"
    /// An image was built (``RunEvent/image``).
    case imageBuilt = "image_built"
    /// A rollout or rollback moved on (``RunEvent/rollout``).
    case rollout
    /// The run ended (``RunEvent/status``, ``RunEvent/message``); the last event of a run.
    case runFinished = "run_finished"
}

/// The steps of a run.
public enum RunStep: String, Sendable, Equatable, Codable {
    case render
    case terraformInit = "terraform-init"
    case terraformPlan = "terraform-plan"
    case terraformShow = "terraform-show"
    case terraformApply = "terraform-apply"
    case terraformDestroy = "terraform-destroy"
    case packerInit = "packer-init"
    case packerBuild = "packer-build"
    case instanceRefresh = "instance-refresh"
}

/// One event of a run, as written to the run's event log (one JSON object per line) and streamed
/// by `gw-cli --json`. Which fields are present depends on ``type``.
public struct RunEvent: Sendable, Equatable, Codable {
    /// When it happened.
    public var time: Date
    /// The run it belongs to.
    public var run: String
    /// What kind of event this is.
    public var type: RunEventType
    /// The step the event belongs to (step, process, signal and step-end events).
    public var step: RunStep?
    /// The step's command line, secrets redacted (``RunEventType/stepStarted``).
    public var command: String?
    /// The tool's process ID, also its process group ID (``RunEventType/processStarted``).
    public var processID: Int32?
    /// The stream a line came from (``RunEventType/output``).
    public var stream: ProcessOutputStream?
    /// The line, redacted (``RunEventType/output``).
    public var text: String?
    /// Terraform's typed UI event (``RunEventType/terraform``).
    public var terraform: TerraformUIEvent?
    /// Resources done out of planned (``RunEventType/progress``).
    public var progress: ResourceProgress?
    /// A signal name such as `SIGINT` (``RunEventType/signalSent``, or a step ended by a signal).
    public var signal: String?
    /// A tool's exit code (``RunEventType/stepFinished``).
    public var exitCode: Int32?
    /// For ``RunEventType/stepFinished``: whether the step did what it should.
    public var succeeded: Bool?
    /// The run's final status (``RunEventType/runFinished``).
    public var status: RunStatus?
    /// What a saved plan does (``RunEventType/planSummary``).
    public var plan: TerraformPlanSummary?
    /// The image built (``RunEventType/imageBuilt``).
    public var image: ImageArtifact?
    /// What a rollout or rollback did or saw (``RunEventType/rollout``).
    public var rollout: RolloutProgress?
    /// A sentence for people (notices, step ends, the run's outcome).
    public var message: String?

    /// Creates an event of `type`; set the fields that type uses.
    public init(time: Date = Date(), run: String, type: RunEventType) {
        self.time = time
        self.run = run
        self.type = type
    }

    /// The event as one line of JSON.
    public func jsonLine() throws -> String {
        try WorkspaceCoding.line(self)
    }

    /// Decodes one line of an event log; `nil` for a line that is not an event.
    public static func decode(line: String) -> RunEvent? {
        try? WorkspaceCoding.decoder.decode(RunEvent.self, from: Data(line.utf8))
    }
}
