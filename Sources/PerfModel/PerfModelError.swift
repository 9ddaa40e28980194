import MoECore

/// Why an instance cannot be modelled.
public enum PerfModelError: Error, Equatable, CustomStringConvertible {
    /// The weights and activation reserve need more memory per device than the device has.
    case doesNotFit(needed: Bytes, available: Bytes, device: String)
    /// A configuration field is out of range or inconsistent with the others.
    case invalidConfiguration(String)
    /// An expert-load profile does not match the model or could not be read.
    case invalidExpertLoad(String)

    public var description: String {
        switch self {
        case .doesNotFit(let needed, let available, let device):
            "weights and activation reserve need \(needed) per device but \(device) has \(available): "
                + "\(needed - available) short; use more devices (a larger expert-parallel group) or "
                + "narrower weights (int8 or int4)"
        case .invalidConfiguration(let message): "invalid instance configuration: \(message)"
        case .invalidExpertLoad(let message): "invalid expert load: \(message)"
        }
    }
}
