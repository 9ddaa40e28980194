import MoECore
import Scheduling

/// Why a simulation cannot start or go on. Each case says what to change.
public enum SimulationError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The deployment has no instances.
    case noInstances(scenario: String)
    /// An instance's scheduler rejected its configuration.
    case invalidScheduler(instance: String, ConfigurationError)
    /// The workload yielded a request arriving before the previous one.
    case arrivalsOutOfOrder(request: RequestID, arrival: SimTime, previous: SimTime)

    public var description: String {
        switch self {
        case .noInstances(let scenario): "\(scenario): the deployment has no instances"
        case .invalidScheduler(let instance, let error): "instance \(instance): \(error)"
        case .arrivalsOutOfOrder(let request, let arrival, let previous):
            "workload: \(request) arrives at \(arrival), before the previous request (\(previous)); "
                + "arrivals must not decrease"
        }
    }
}
