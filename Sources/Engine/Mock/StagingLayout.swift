import Deployment

/// How the mock backend lays out a device's staging buffer: the step's routing counts (one `UInt32` per MoE
/// layer and expert, zeroed at the start of each step), then one `UInt32` token slot per sequence the
/// instance can run at once.
struct StagingLayout: Sendable {
    /// MoE layers counted (0 when routing is off).
    let layers: Int
    /// Experts per layer (0 when routing is off).
    let experts: Int
    /// Token slots.
    let tokenSlots: Int

    init(instance: InstancePlan, gates: ExpertGates?) {
        layers = gates?.layers ?? 0
        experts = gates?.experts ?? 0
        tokenSlots = instance.schedulerConfiguration.maxNumSeqs
    }

    /// Counts in the routing region.
    var countSlots: Int { layers * experts }
    /// Bytes the buffer needs.
    var byteCount: Int { (countSlots + tokenSlots) * MemoryLayout<UInt32>.stride }

    /// The routing counts of `buffer`.
    func counts(in buffer: StagingBuffer) -> UnsafeMutablePointer<UInt32> {
        buffer.pointer.assumingMemoryBound(to: UInt32.self)
    }

    /// The token slots of `buffer`.
    func tokens(in buffer: StagingBuffer) -> UnsafeMutablePointer<UInt32> {
        counts(in: buffer) + countSlots
    }
}
