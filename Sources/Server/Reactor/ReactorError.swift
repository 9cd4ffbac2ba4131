/// Why a reactor call failed.
///
/// Failures on one connection never surface here: the reactor closes that connection and
/// tells the handler through `closed(_:)`. These errors come from setting the reactor up.
public enum ReactorError: Error, Equatable, Sendable, CustomStringConvertible {
    /// A system call failed. `call` names it (for example `"bind"`) and `errno` is the
    /// code it left, as defined in `<errno.h>`.
    case system(call: String, errno: Int32)

    /// The host is neither a numeric IPv4 or IPv6 address nor `localhost`.
    case invalidAddress(String)

    /// A configuration value is out of range; the text names the field and the rule.
    case invalidConfiguration(String)

    public var description: String {
        switch self {
        case .system(let call, let code):
            return "\(call) failed: errno \(code) (\(errnoDescription(code)))"
        case .invalidAddress(let host):
            return "invalid address: \(host)"
        case .invalidConfiguration(let reason):
            return "invalid configuration: \(reason)"
        }
    }
}
