/// Why a placement cannot be planned or evaluated.
public enum PlacementError: Error, Equatable, CustomStringConvertible {
    /// The expert-load matrix does not match the model.
    case loadShape(String)
    /// The slots cannot hold the experts and replicas asked for.
    case slots(String)
    /// The device range, model or options are inconsistent.
    case invalidRequest(String)
    /// A given placement (previous or to evaluate) does not fit the request.
    case placementMismatch(String)
    /// The weights of the experts a device holds, with everything else it holds, exceed its memory.
    case weightsDoNotFit(String)

    public var description: String {
        switch self {
        case .loadShape(let message): "expert loads: \(message)"
        case .slots(let message): "expert slots: \(message)"
        case .invalidRequest(let message): "placement request: \(message)"
        case .placementMismatch(let message): "placement: \(message)"
        case .weightsDoNotFit(let message): "memory: \(message)"
        }
    }
}
