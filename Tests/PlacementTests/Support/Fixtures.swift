import Foundation
import MoECore
import PerfModel
import TestSupport
import Topology

@testable import Placement

/// Shared inputs for the placement tests: the shipped SGLang matrices and small requests.
enum Fixtures {
    /// The folder of the twelve shipped expert-load matrices.
    static let loadsFolder = SharedData.packageFile("Simulations/expert-loads")

    /// The names of the shipped matrices, sorted.
    static let matrixNames: [String] =
        (try? FileManager.default.contentsOfDirectory(atPath: loadsFolder))?
        .filter { $0.hasSuffix(".json") }.sorted() ?? []

    /// One shipped matrix, read for DeepSeek-V3.
    static func matrix(_ name: String) throws -> ExpertLoadMatrix {
        try ExpertLoadFile.read(path: "\(loadsFolder)/\(name)", model: Catalog.deepSeekV3)
    }

    /// A DeepSeek-V3 request on as many HGX H800 nodes as `devices` needs.
    static func request(
        devices: Int, redundant: Int = 32, loads: ExpertLoadMatrix, phase: SteadyStateQuestion.Phase = .decode,
        previous: ExpertPlacement? = nil, maximumMoves: Int? = nil
    ) throws -> PlacementRequest {
        try PlacementRequest(
            model: Catalog.deepSeekV3, topology: try ClusterTopology.smallest(holding: devices, of: Catalog.h800),
            devices: devices, redundantExperts: redundant, loads: loads, phase: phase, previous: previous,
            maximumMoves: maximumMoves)
    }

    /// Every MoE layer of DeepSeek-V3 with the same loads.
    static func uniformLoads(experts: Int = 256, layers: Int = 58) -> ExpertLoadMatrix {
        ExpertLoadMatrix.balanced(layers: layers, experts: experts)
    }

    /// A catalog whose extra host `hgx-h800-one-socket-nics` is an HGX H800 with all eight NICs on
    /// NUMA node 0, so devices 4 to 7 reach theirs across the socket link.
    static let oneSocketNICCatalog: Catalog = {
        var host = Catalog.hgx(deviceKey: "h800")
        host.key = "hgx-h800-one-socket-nics"
        host.nics = host.nics.map { nic in
            var moved = nic
            moved.numaNode = 0
            moved.pcieSwitch = nic.pcieSwitch % 4
            return moved
        }
        let builtin = Catalog.builtin
        return Catalog(
            models: builtin.models, devices: builtin.devices, hosts: builtin.hosts + [host], clusters: builtin.clusters)
    }()
}
