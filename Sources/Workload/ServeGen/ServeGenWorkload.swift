import Foundation
import HeapModule
import MoECore

/// Generates requests from ServeGen's per-client statistics (Alibaba Model Studio; Xiang et al. 2025).
///
/// A model folder (e.g. `servegen/reason/deepseek-r1`) holds, per client N, `chunk-N-trace.csv[.gz]`
/// (rate, CV and fitted gamma/Weibull inter-arrivals per 600 s window) and `chunk-N-dataset.json[.gz]`
/// (input/output length PMFs per 6 h). Each client runs its own renewal process (see
/// ``ServeGenClientProcess``); the clients' streams are merged through a heap holding one pending
/// arrival per client, so memory is O(clients), not O(requests). Input and output lengths are drawn
/// independently from the PMFs in force at the arrival, as upstream's generator does (ServeGen
/// publishes only the marginals).
///
/// Arrivals are relative to `options.start`; the first one is wherever the first client's process puts it.
/// `.gz` files are read through `gzip -dc`; decompressed copies (same names without `.gz`) are preferred.
public struct ServeGenWorkload: RequestSource, Sendable {
    /// One client as loaded.
    public struct Client: Hashable, Sendable {
        /// The client's chunk number (`chunk-N-…`).
        public let chunk: Int
        /// Expected requests from this client (Σ rate × window, after `rateScale`, from `start` on).
        public let expectedRequests: Double
        /// Whether its lengths come from `fallbackLengths` because it has no PMFs.
        public let usesFallbackLengths: Bool
    }

    /// The model folder.
    public let directory: String
    /// The options it was built with.
    public let options: ServeGenOptions
    /// The clients included, by chunk number.
    public let clients: [Client]
    /// Requests whose sampled input or output length was 0 and that were given 1 token instead.
    public private(set) var clampedZeroLengths = 0

    private enum Lengths: Sendable {
        case schedule(ServeGenLengthSchedule)
        case fallback(LengthDistribution)
    }

    private struct PendingArrival: Comparable, Sendable {
        var time: Int64
        var client: Int
        static func < (lhs: Self, rhs: Self) -> Bool { (lhs.time, lhs.client) < (rhs.time, rhs.client) }
    }

    private var processes: [ServeGenClientProcess]
    private var lengthGenerators: [SeededGenerator]
    private let lengths: [Lengths]
    private var pending = Heap<PendingArrival>()
    private let origin: Int64
    private var nextID: UInt64 = 0

    /// Loads the statistics in `directory`; throws naming the file and line of anything malformed.
    public init(directory: String, options: ServeGenOptions = ServeGenOptions()) throws {
        try WorkloadError.requirePositive(options.rateScale, "ServeGen rate scale")
        guard options.start >= .zero else {
            throw WorkloadError.invalidParameter(name: "ServeGen start", message: "expected at least 0")
        }
        self.directory = directory
        self.options = options
        origin = options.start.nanoseconds
        let files = try ServeGenFiles(directory: directory)
        let chunks = try files.select(options.clients)
        let root = SeededGenerator(seed: options.seed)
        var clients: [Client] = []
        var processes: [ServeGenClientProcess] = []
        var lengths: [Lengths] = []
        var lengthGenerators: [SeededGenerator] = []
        var withoutLengths: [Int] = []
        for chunk in chunks {
            let windows = try ServeGenWindow.readAll(path: files.tracePath(chunk))
            let expected = ServeGenClientProcess.expectedRequests(
                windows: windows, rateScale: options.rateScale, start: origin)
            let schedule = try files.datasetPath(chunk).flatMap { try ServeGenLengthSchedule.read(path: $0) }
            clients.append(Client(chunk: chunk, expectedRequests: expected, usesFallbackLengths: schedule == nil))
            if let schedule {
                lengths.append(.schedule(schedule))
            } else if let fallback = options.fallbackLengths {
                lengths.append(.fallback(try fallback.validated()))
            } else {
                // A client that sends nothing from `start` on needs no lengths; any other is an error.
                if expected > 0 { withoutLengths.append(chunk) }
                continue
            }
            processes.append(
                ServeGenClientProcess(
                    windows: windows, rateScale: options.rateScale, start: origin,
                    generator: root.derived(stream: 2 * UInt64(chunk))))
            lengthGenerators.append(root.derived(stream: 2 * UInt64(chunk) + 1))
        }
        guard withoutLengths.isEmpty else {
            throw WorkloadError.invalidParameter(
                name: "ServeGen lengths",
                message: "clients \(withoutLengths.map(String.init).joined(separator: ", ")) in \(directory) have "
                    + "no length PMFs (chunk-N-dataset.json missing or empty); pass fallbackLengths or leave them out")
        }
        self.clients = clients
        self.processes = processes
        self.lengths = lengths
        self.lengthGenerators = lengthGenerators
        for (index, process) in processes.enumerated() {
            if let time = process.nextArrival { pending.insert(PendingArrival(time: time, client: index)) }
        }
    }

    /// Expected requests over all included clients.
    public var expectedRequests: Double { clients.reduce(0) { $0 + $1.expectedRequests } }

    /// The earliest pending arrival over all clients, with lengths from that client's PMFs.
    public mutating func next() throws -> RequestSpec? {
        guard let arrival = pending.popMin() else { return nil }
        let client = arrival.client
        var prompt: Int
        var output: Int
        switch lengths[client] {
        case .schedule(let schedule):
            let pmfs = schedule.pmfs(at: processes[client].currentWindowStart)
            prompt = Int(pmfs.input.sample(using: &lengthGenerators[client]).rounded())
            output = Int(pmfs.output.sample(using: &lengthGenerators[client]).rounded())
        case .fallback(let distribution):
            (prompt, output) = distribution.sample(using: &lengthGenerators[client])
        }
        if prompt < 1 || output < 1 {
            clampedZeroLengths += 1
            prompt = max(prompt, 1)
            output = max(output, 1)
        }
        processes[client].advance()
        if let time = processes[client].nextArrival { pending.insert(PendingArrival(time: time, client: client)) }
        defer { nextID += 1 }
        return RequestSpec(
            id: RequestID(nextID), arrival: SimTime(nanosecondsSinceStart: arrival.time - origin),
            promptTokens: prompt, outputTokens: output)
    }
}
