import MoECore

/// Which part of a ServeGen model's statistics to generate, and how.
public struct ServeGenOptions: Hashable, Sendable {
    /// Seed of every draw (each client has its own sub-stream, keyed by its chunk number).
    public var seed: UInt64
    /// Multiplies every client's rate; the daily timeline (and so the diurnal shape) is kept.
    public var rateScale: Double
    /// Chunk numbers of the clients to include; nil includes every client in the folder.
    public var clients: [Int]?
    /// Where in the released span to begin; arrivals are relative to it (0: the span's first window).
    public var start: SimDuration
    /// Lengths for clients without length PMFs (m-mid, m-small, and 15 large m-large clients). Without
    /// it such clients are an error, so a missing file never silently changes the length mix.
    public var fallbackLengths: LengthDistribution?

    /// Every client, rates as published, from the span's start, seed 0, no fallback lengths.
    public init(
        seed: UInt64 = 0, rateScale: Double = 1, clients: [Int]? = nil, start: SimDuration = .zero,
        fallbackLengths: LengthDistribution? = nil
    ) {
        self.seed = seed
        self.rateScale = rateScale
        self.clients = clients
        self.start = start
        self.fallbackLengths = fallbackLengths
    }
}
