/// The type byte of a frame. A reply has its request's type with the high bit set.
public enum MessageType: UInt8, Sendable, CaseIterable {
    // Control, unsigned.
    case hello = 0x01
    case ping = 0x02
    case event = 0x7e
    case error = 0x7f

    // Colonies: signed by the server owner.
    case addColony = 0x10
    case listColonies = 0x11
    case getColony = 0x12
    case removeColony = 0x13

    // Runtimes: signed by the colony's owner.
    case addRuntime = 0x20
    case listRuntimes = 0x21
    case getRuntime = 0x22
    case approveRuntime = 0x23
    case rejectRuntime = 0x24
    case removeRuntime = 0x25

    // Processes: signed by an approved runtime of the colony.
    case submitProcess = 0x30
    case getProcess = 0x31
    case listProcesses = 0x32
    case assignProcess = 0x33
    case closeSuccessful = 0x34
    case closeFailed = 0x35
    case removeProcess = 0x36
    case colonyStatistics = 0x37

    // Attributes.
    case addAttribute = 0x40
    case getAttribute = 0x41

    // Subscriptions: events follow the reply.
    case subscribeProcess = 0x50
    case subscribeColony = 0x51

    /// The bit that marks a reply.
    public static let replyBit: UInt8 = 0x80

    /// True for the types a client sends and the server answers with a reply.
    public var isRequest: Bool {
        switch self {
        case .hello, .event, .error: false
        default: true
        }
    }

    /// True for requests that must be signed: all but ping.
    public var needsSignature: Bool { isRequest && self != .ping }

    /// The type byte of this request's reply.
    public var replyByte: UInt8 { rawValue | MessageType.replyBit }
}
