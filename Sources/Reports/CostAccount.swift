import Deployment
import MoECore

/// An amount per phase of serving: an instance's busy seconds, or dollars.
public struct PhaseAmounts: Sendable, Hashable {
    /// Computing prompt tokens that missed the prefix cache.
    public var prefill = 0.0
    /// Decoding output tokens.
    public var decode = 0.0
    /// Loading prefix-cache hits from lower tiers.
    public var prefixLoad = 0.0

    /// Nothing yet.
    public init() {}

    /// All three.
    public var total: Double { prefill + decode + prefixLoad }
}

/// What a deployment's devices cost and consume while a run serves its tokens.
///
/// Busy time is accumulated per instance and phase (``StepPhaseTimes``); ``summary(duration:tokens:basis:)``
/// turns it into dollars on either basis:
/// - **allocation**: every device of the cluster (deployed or not) for as long as it is provisioned
///   (``ProvisionedCapacity``: an autoscaler returns the devices of the instances it releases), at its
///   pool's hourly price; the idle share is spread over the phases in proportion to their busy cost, so the
///   per-token prices pay for every hour rented;
/// - **usage**: only the device time that ran steps.
public struct CostAccount: Sendable {
    /// One instance's price and power.
    public struct Instance: Sendable, Hashable {
        /// Devices it holds.
        public var devices: Int
        /// Dollars per hour for all of them.
        public var pricePerHour: Dollars
        /// Board power of one device under load, watts.
        public var powerWatts: Double

        /// Creates an instance's figures.
        public init(devices: Int, pricePerHour: Dollars, powerWatts: Double) {
            self.devices = devices
            self.pricePerHour = pricePerHour
            self.powerWatts = powerWatts
        }
    }

    /// The instances, in deployment order (an instance rebuilt on fewer devices is updated in place).
    public private(set) var instances: [Instance]
    /// The devices provisioned over time, pool by pool: what the allocation basis pays for.
    public var capacity: ProvisionedCapacity
    /// Per instance, the seconds it spent on each phase.
    public private(set) var busy: [PhaseAmounts]
    /// Per instance, the dollars of those seconds at the instance's price when they ran.
    private var busyDollars: [PhaseAmounts]
    /// Device-seconds that ran steps, over all instances.
    public private(set) var busyDeviceSeconds = 0.0
    /// Joules of those device-seconds at their devices' board power.
    private var busyJoules = 0.0

    /// An account for `instances` on a cluster of `provisionedDevices` devices, all provisioned throughout.
    public init(instances: [Instance], provisionedDevices: Int, devicePricePerHour: Dollars, devicePowerWatts: Double) {
        self.init(
            instances: instances,
            capacity: ProvisionedCapacity(pools: [
                .init(
                    devices: provisionedDevices, devicesPerNode: 8, pricePerDeviceHour: devicePricePerHour,
                    powerWatts: devicePowerWatts)
            ]))
    }

    /// An account for `instances` on the cluster whose provisioning `capacity` follows.
    public init(instances: [Instance], capacity: ProvisionedCapacity) {
        self.instances = instances
        self.capacity = capacity
        busy = Array(repeating: PhaseAmounts(), count: instances.count)
        busyDollars = busy
    }

    /// An account for every instance of `plan`, on its whole cluster, at the scenario's prices.
    public init(plan: DeploymentPlan) {
        self.init(
            instances: plan.instances.map {
                Instance(
                    devices: $0.devices, pricePerHour: $0.pricePerHour,
                    powerWatts: plan.scenario.pools[$0.pool].device.powerWatts)
            },
            capacity: ProvisionedCapacity(plan: plan))
    }

    /// Prices `instance`'s later steps for `devices` devices at `pricePerHour` (it was rebuilt on fewer or
    /// more devices).
    public mutating func update(instance: Int, devices: Int, pricePerHour: Dollars) {
        instances[instance].devices = devices
        instances[instance].pricePerHour = pricePerHour
    }

    /// Adds a step of `instance` split by phase.
    public mutating func add(instance: Int, _ phases: StepPhaseTimes) {
        let figures = instances[instance]
        let perSecond = figures.pricePerHour.amount / 3600
        let prefill = phases.prefill.seconds
        let decode = phases.decode.seconds
        let prefixLoad = phases.prefixLoad.seconds
        busy[instance].prefill += prefill
        busy[instance].decode += decode
        busy[instance].prefixLoad += prefixLoad
        busyDollars[instance].prefill += prefill * perSecond
        busyDollars[instance].decode += decode * perSecond
        busyDollars[instance].prefixLoad += prefixLoad * perSecond
        accountBusy(figures, seconds: prefill + decode + prefixLoad)
    }

    /// Adds decode time of `instance` (a run of decode steps).
    public mutating func addDecode(instance: Int, _ duration: SimDuration) {
        let figures = instances[instance]
        let seconds = duration.seconds
        busy[instance].decode += seconds
        busyDollars[instance].decode += seconds * figures.pricePerHour.amount / 3600
        accountBusy(figures, seconds: seconds)
    }

    private mutating func accountBusy(_ instance: Instance, seconds: Double) {
        let deviceSeconds = Double(instance.devices) * seconds
        busyDeviceSeconds += deviceSeconds
        busyJoules += deviceSeconds * instance.powerWatts
    }

    /// Dollars and energy of a run of `duration` that served `tokens`, on `basis`.
    public func summary(duration: SimDuration, tokens: TokenCounts, basis: CostBasis) -> CostSummary {
        var phaseDollars = PhaseAmounts()  // busy time only, until the allocation basis scales it
        for dollars in busyDollars {
            phaseDollars.prefill += dollars.prefill
            phaseDollars.decode += dollars.decode
            phaseDollars.prefixLoad += dollars.prefixLoad
        }
        let busyTotal = phaseDollars.total
        let end = SimTime.zero + duration
        var total = busyTotal
        if basis == .allocation {
            total = capacity.dollars(until: end)
            let scale = busyTotal > 0 ? total / busyTotal : 0
            phaseDollars.prefill *= scale
            phaseDollars.decode *= scale
            phaseDollars.prefixLoad *= scale
        }
        func perMillion(_ dollars: Double, _ tokens: Int) -> Double? {
            tokens > 0 && busyTotal > 0 ? dollars / Double(tokens) * 1e6 : nil
        }
        return CostSummary(
            basis: basis, total: Dollars(total), phases: phaseDollars,
            perMillionInputTokens: perMillion(phaseDollars.prefill, tokens.uncachedInput),
            perMillionCachedInputTokens: perMillion(phaseDollars.prefixLoad, tokens.cachedInput),
            perMillionOutputTokens: perMillion(phaseDollars.decode, tokens.output),
            busyEnergyKWh: busyJoules / 3.6e6, provisionedEnergyKWh: capacity.energyKWh(until: end))
    }
}

/// Which device hours a cost counts.
public enum CostBasis: String, Sendable, Hashable, CaseIterable {
    /// Every provisioned device for the whole run.
    case allocation
    /// Only device time spent running steps.
    case usage
}

/// The tokens a run served, as prices are quoted: input on a cache miss, input on a hit, output.
public struct TokenCounts: Sendable, Hashable {
    /// Prompt tokens computed (not found in a prefix cache).
    public var uncachedInput: Int
    /// Prompt tokens served from a prefix cache.
    public var cachedInput: Int
    /// Output tokens.
    public var output: Int

    /// Creates counts.
    public init(uncachedInput: Int, cachedInput: Int, output: Int) {
        self.uncachedInput = uncachedInput
        self.cachedInput = cachedInput
        self.output = output
    }

    /// The completed requests' tokens of `metrics`.
    public init(_ metrics: ServingMetrics) {
        self.init(
            uncachedInput: metrics.inputTokens - metrics.cachedInputTokens, cachedInput: metrics.cachedInputTokens,
            output: metrics.outputTokens)
    }
}

/// A run's cost on one basis, per phase and per million tokens, and its energy.
public struct CostSummary: Sendable, Hashable {
    /// The basis.
    public var basis: CostBasis
    /// Dollars in all.
    public var total: Dollars
    /// Dollars by phase (on the allocation basis, idle time spread pro rata).
    public var phases: PhaseAmounts
    /// Dollars per million uncached input tokens, nil without such tokens or busy time.
    public var perMillionInputTokens: Double?
    /// Dollars per million cached input tokens: what loading them from lower tiers cost (0 for HBM hits).
    public var perMillionCachedInputTokens: Double?
    /// Dollars per million output tokens.
    public var perMillionOutputTokens: Double?
    /// Energy of the busy device time at board power, kWh.
    public var busyEnergyKWh: Double
    /// Energy of every provisioned device for the whole run at board power (an upper bound), kWh.
    public var provisionedEnergyKWh: Double

    /// The margin of selling `tokens` at `quote`'s prices against this cost: (revenue - cost) / revenue.
    public func margin(selling tokens: TokenCounts, at quote: PriceQuote) -> (revenue: Dollars, margin: Double?) {
        let cachedPrice = quote.cachedInputPerMillionTokens ?? quote.inputPerMillionTokens
        let revenue =
            (Double(tokens.uncachedInput) * quote.inputPerMillionTokens.amount + Double(tokens.cachedInput)
                * cachedPrice.amount + Double(tokens.output) * quote.outputPerMillionTokens.amount) / 1e6
        return (Dollars(revenue), revenue > 0 ? (revenue - total.amount) / revenue : nil)
    }
}
