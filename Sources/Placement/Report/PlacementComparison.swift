import Foundation
import MoECore
import PerfModel
import Topology

/// The comparison `Docs/Placement.md` reports: for each load matrix and instance shape, the metrics
/// of no replication, EPLB and the planner at the same slots.
public enum PlacementComparison {
    /// One instance shape.
    public struct Shape: Hashable, Sendable {
        /// How the shape is named in the report, such as `EP32 prefill`.
        public var name: String
        /// Devices in the expert-parallel group (whole HGX H800 nodes).
        public var devices: Int
        /// Redundant expert slots.
        public var redundantExperts: Int
        /// The phase of the step measured.
        public var phase: SteadyStateQuestion.Phase

        /// Creates a shape.
        public init(name: String, devices: Int, redundantExperts: Int, phase: SteadyStateQuestion.Phase) {
            self.name = name
            self.devices = devices
            self.redundantExperts = redundantExperts
            self.phase = phase
        }
    }

    /// DeepSeek's deployment: prefill on 4 nodes (EP32), decode on 18 nodes (EP144), 32 redundant experts.
    public static let deepSeekShapes = [
        Shape(name: "EP32 prefill", devices: 32, redundantExperts: 32, phase: .prefill),
        Shape(name: "EP144 decode", devices: 144, redundantExperts: 32, phase: .decode),
    ]

    /// One matrix under one shape and algorithm.
    public struct Row: Sendable {
        /// The matrix's name (its file name without the extension).
        public var matrix: String
        /// The instance shape.
        public var shape: Shape
        /// The algorithm.
        public var algorithm: PlacementAlgorithm
        /// What the placement achieves.
        public var metrics: PlacementMetrics
    }

    /// Every matrix under every shape and algorithm, on HGX H800 nodes for `model`.
    /// - Throws: ``PlacementError`` when a shape cannot be planned for the model.
    public static func run(
        matrices: [(name: String, loads: ExpertLoadMatrix)], model: ModelSpec = Catalog.deepSeekV3,
        shapes: [Shape] = deepSeekShapes, algorithms: [PlacementAlgorithm] = PlacementAlgorithm.allCases
    ) throws -> [Row] {
        var rows = [Row]()
        for shape in shapes {
            let topology = try ClusterTopology.smallest(holding: shape.devices, of: Catalog.h800)
            for matrix in matrices {
                let request = try PlacementRequest(
                    model: model, topology: topology, devices: shape.devices,
                    redundantExperts: shape.redundantExperts, loads: matrix.loads, phase: shape.phase)
                let planner = try PlacementPlanner(request)
                for algorithm in algorithms {
                    rows.append(
                        Row(
                            matrix: matrix.name, shape: shape, algorithm: algorithm,
                            metrics: try planner.plan(algorithm).metrics))
                }
            }
        }
        return rows
    }
}
