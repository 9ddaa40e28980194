import MoECore

/// How a trace reader treats bad rows and quantized timestamps.
public struct TraceReaderOptions: Hashable, Sendable {
    /// Skip malformed rows and count them in `skippedRows` instead of throwing at the first one.
    public var skipBadRows: Bool
    /// How requests that share one quantized timestamp are spread out in time.
    public var slotSpreading: SlotSpreading
    /// Seed of the spreading draws (so a replay is identical run to run).
    public var seed: UInt64

    /// Strict reading, the format's own slot spreading, seed 0.
    public init(skipBadRows: Bool = false, slotSpreading: SlotSpreading = .formatDefault, seed: UInt64 = 0) {
        self.skipBadRows = skipBadRows
        self.slotSpreading = slotSpreading
        self.seed = seed
    }
}

/// Spreading of requests that share one timestamp across the timestamp's slot.
///
/// Mooncake's conversation trace quantizes arrivals to 3 s slots (about 10 requests per timestamp);
/// replayed as is, every slot would be an artificial burst. With spreading, a group of k ≥ 2 requests
/// with the same timestamp t gets k sorted uniform offsets in [t, t + min(width, gap to the next
/// timestamp)), assigned in file order (so multi-turn order is kept and arrivals stay nondecreasing).
/// A request alone at its timestamp keeps it, so unquantized traces are untouched.
public enum SlotSpreading: Hashable, Sendable {
    /// The format's default: 3 s for Mooncake JSONL, off for the CSV formats (100 ns or float timestamps).
    case formatDefault
    /// Keep the file's timestamps exactly.
    case off
    /// Spread each group over at most this width.
    case within(SimDuration)
}
