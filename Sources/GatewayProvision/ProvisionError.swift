/// Why a provisioning operation (plan, apply, destroy, image build, workspace access) could not be
/// done. Every message says what is wrong and how to fix it.
public struct ProvisionError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The kind of failure.
    public struct Code: Sendable, Hashable, CustomStringConvertible {
        enum Storage: Sendable, Hashable {
            case toolNotFound
            case toolFailed
            case busy
            case notFound
            case invalidArgument
            case planRejected
            case noImage
            case workspace
            case unreadableOutput
            case nodeBinaryRefused
            case deletionProtected
        }

        let storage: Storage

        /// terraform or packer is not installed where it was looked for.
        public static let toolNotFound = Code(storage: .toolNotFound)
        /// terraform or packer ran but failed (non-zero exit of a step that must succeed).
        public static let toolFailed = Code(storage: .toolFailed)
        /// Another run of the deployment is in progress.
        public static let busy = Code(storage: .busy)
        /// A deployment, run or file does not exist.
        public static let notFound = Code(storage: .notFound)
        /// An argument is invalid (run ID, AMI ID, confirmation name, ...).
        public static let invalidArgument = Code(storage: .invalidArgument)
        /// A saved plan may not be applied (other config, stale state, failed plan, ...).
        public static let planRejected = Code(storage: .planRejected)
        /// No AMI is known for the deployment.
        public static let noImage = Code(storage: .noImage)
        /// The workspace directory cannot be read or written.
        public static let workspace = Code(storage: .workspace)
        /// A tool's machine-readable output could not be decoded.
        public static let unreadableOutput = Code(storage: .unreadableOutput)
        /// The `gw-cli` an image build would install cannot start on the image (missing, not an
        /// executable ELF file, another architecture, or linked to a Swift toolchain's libraries).
        public static let nodeBinaryRefused = Code(storage: .nodeBinaryRefused)
        /// The deployed load balancer has deletion protection on, so a destroy would stop half way.
        public static let deletionProtected = Code(storage: .deletionProtected)

        public var description: String {
            switch storage {
            case .toolNotFound: "tool not found"
            case .toolFailed: "tool failed"
            case .busy: "busy"
            case .notFound: "not found"
            case .invalidArgument: "invalid argument"
            case .planRejected: "plan rejected"
            case .noImage: "no image"
            case .workspace: "workspace"
            case .unreadableOutput: "unreadable output"
            case .nodeBinaryRefused: "node binary refused"
            case .deletionProtected: "deletion protected"
            }
        }
    }

    /// The kind of failure.
    public var code: Code
    /// What is wrong and how to fix it.
    public var message: String

    /// Creates an error.
    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { message }
}
