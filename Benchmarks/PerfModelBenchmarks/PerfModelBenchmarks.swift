import Benchmark
import MoECore
import PerfModel
import Topology

/// One step-time evaluation must cost O(1) in the batch size and run at least a million times a
/// second on one core: the scheduler hands aggregates, never per-request lists. The same loop runs
/// at a small and a huge batch; equal times per evaluation show the cost does not grow with it.
/// Each measured iteration is 1,000 evaluations (scaling factor kilo).
let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(
        metrics: [.wallClock, .throughput, .mallocCountTotal], timeUnits: .nanoseconds,
        scalingFactor: .kilo, maxDuration: .seconds(3), maxIterations: 1_000)

    /// A skewed load (1 to 31 copies per expert, varying by layer) so four imbalance classes are used.
    func skewedLoad() -> ExpertLoadMatrix {
        var rows = [[Double]]()
        for layer in 0..<58 {
            var row = [Double]()
            for expert in 0..<256 { row.append(Double(1 + (layer * 7 + expert * 13) % 31)) }
            rows.append(row)
        }
        return try! ExpertLoadMatrix(rows: rows)
    }

    func model(devices: Int, load: ExpertLoadMatrix?) -> StepTimeModel {
        let topology = try! ClusterTopology.smallest(holding: devices, of: Catalog.h800)
        let configuration = InstanceConfiguration(
            model: Catalog.deepSeekV3, topology: topology, devices: devices, redundantExperts: 32, microBatches: 2,
            mtpAcceptance: 0.8, expertLoad: load)
        return try! StepTimeModel(configuration)
    }

    let decode = model(devices: 144, load: skewedLoad())
    let prefill = model(devices: 32, load: nil)

    for (name, sequences) in [("small", 16.0), ("huge", 1_000_000.0)] {
        Benchmark("decode step, \(name) batch") { benchmark in
            var total = SimDuration.zero
            for index in benchmark.scaledIterations {
                let batch = BatchShape.decode(sequences: sequences + Double(index & 1023), context: 4096)
                total += decode.stepTime(batch).total
            }
            blackHole(total)
        }
    }

    Benchmark("mixed prefill and decode step") { benchmark in
        var total = SimDuration.zero
        for index in benchmark.scaledIterations {
            let tokens = 8192.0 * 32 + Double(index & 1023)
            let batch = BatchShape(
                prefillTokens: tokens, prefillAttentionContextProduct: tokens * 2048, decodeSequences: 512,
                decodeContextTokens: 512 * 3000)
            total += prefill.stepTime(batch).total
        }
        blackHole(total)
    }
}
