import Benchmark
import Foundation
import MoECore
import PerfModel
import Placement
import Topology

/// Planning all 58 MoE layers of DeepSeek-V3 must take under 100 ms (issue 5), so that an engine or
/// the simulator can re-plan every few minutes from fresh loads. The loads are the shipped SGLang
/// decode matrix `decode_in1000out1000.json`; each measured iteration plans (or evaluates) once.
let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(
        metrics: [.wallClock, .mallocCountTotal], timeUnits: .milliseconds, maxDuration: .seconds(5),
        maxIterations: 100)

    let loadsFile = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Simulations/expert-loads/decode_in1000out1000.json").path

    func planner(devices: Int, phase: SteadyStateQuestion.Phase) -> PlacementPlanner {
        do {
            let loads = try ExpertLoadFile.read(path: loadsFile, model: Catalog.deepSeekV3)
            let topology = try ClusterTopology.smallest(holding: devices, of: Catalog.h800)
            let request = try PlacementRequest(
                model: Catalog.deepSeekV3, topology: topology, devices: devices, redundantExperts: 32, loads: loads,
                phase: phase)
            return try PlacementPlanner(request)
        } catch {
            fatalError("benchmark setup failed: \(error)")
        }
    }

    let decode = planner(devices: 144, phase: .decode)
    let prefill = planner(devices: 32, phase: .prefill)

    Benchmark("planner, 58 layers onto 144 devices, 32 redundant") { benchmark in
        for _ in benchmark.scaledIterations { blackHole(decode.placement(.planner)) }
    }
    Benchmark("EPLB, 58 layers onto 144 devices, 32 redundant") { benchmark in
        for _ in benchmark.scaledIterations { blackHole(decode.placement(.eplb)) }
    }
    Benchmark("planner, 58 layers onto 32 devices, 32 redundant") { benchmark in
        for _ in benchmark.scaledIterations { blackHole(prefill.placement(.planner)) }
    }
    Benchmark("metrics of a 144-device placement") { benchmark in
        let placement = decode.placement(.planner)
        for _ in benchmark.scaledIterations { blackHole(try decode.evaluate(placement).metrics) }
    }
}
