import MoECore

/// The faults of a run: those the scenario lists at given times, and seeded random ones drawn one at a
/// time per component from exponential times between failures (the next failure of a component is drawn
/// when it is repaired, so at most one fault per component is pending).
struct FaultSchedule: Sendable {
    /// One fault, listed or drawn.
    struct Fault: Sendable {
        /// What it takes out.
        var target: ScenarioFaults.Target
        /// When it strikes.
        var time: SimTime
        /// How long until it is repaired, nil for never.
        var repair: SimDuration?
        /// Whether it was drawn from a failure rate (its repair draws the component's next failure).
        var isRandom: Bool
    }

    /// Every fault so far; an event's target is an index here.
    private(set) var faults: [Fault] = []
    private let settings: ScenarioFaults
    private var generator: SeededGenerator

    /// The faults of `settings` on a cluster of `nodes` nodes and `devices` devices, seeded by `generator`.
    init(_ settings: ScenarioFaults, nodes: Int, devices: Int, generator: SeededGenerator) {
        self.settings = settings
        self.generator = generator
        for event in settings.events {
            faults.append(Fault(target: event.target, time: .zero + event.at, repair: event.repair, isRandom: false))
        }
        if settings.nodeMTBF != nil { for node in 0..<nodes { drawNext(.node(node), after: .zero) } }
        if settings.deviceMTBF != nil { for device in 0..<devices { drawNext(.device(device), after: .zero) } }
        if settings.nicMTBF != nil { for device in 0..<devices { drawNext(.nic(device: device), after: .zero) } }
    }

    /// The fault at `index`.
    subscript(index: Int) -> Fault { faults[index] }

    /// How long an instance hit by a fault takes to serve again.
    var restart: SimDuration { settings.restart }

    /// Draws the next random failure of `target` after `time`; returns its index.
    @discardableResult
    mutating func drawNext(_ target: ScenarioFaults.Target, after time: SimTime) -> Int {
        let meanTime: SimDuration? =
            switch target {
            case .node: settings.nodeMTBF
            case .device: settings.deviceMTBF
            case .nic: settings.nicMTBF
            }
        guard let meanTime else { preconditionFailure("no failure rate for \(target)") }
        let wait = generator.nextExponential(rate: 1 / meanTime.seconds)
        faults.append(Fault(target: target, time: time + .seconds(wait), repair: settings.repair, isRandom: true))
        return faults.count - 1
    }
}
