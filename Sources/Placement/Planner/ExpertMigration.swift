import MoECore
import Topology

extension ExpertMigration {
    /// The copies that turn `previous` into `next` on the request's devices, and their cost.
    ///
    /// Per layer and device, every expert the device holds in `next` more often than in `previous` is
    /// one copy; it is read from the device that held the expert in `previous` nearest to the target
    /// (the same node first, the lowest device index on ties) at that path's bandwidth.
    /// - Precondition: both placements have the request's shape.
    public init(from previous: ExpertPlacement, to next: ExpertPlacement, request: PlacementRequest) {
        let topology = request.topology
        let slots = request.slotsPerDevice
        let copyBytes = Double(request.expertBytes.count)
        var sendSeconds = [Double](repeating: 0, count: request.devices)
        var receiveSeconds = [Double](repeating: 0, count: request.devices)
        var moved = 0
        var nicCopies = 0
        for layer in 0..<next.layers {
            let before = previous.physicalToLogical[layer]
            let after = next.physicalToLogical[layer]
            var holders = [Int: [Int]]()
            for (slot, expert) in before.enumerated() where holders[expert]?.last != slot / slots {
                holders[expert, default: []].append(slot / slots)
            }
            for device in 0..<request.devices {
                var held = [Int: Int]()
                for slot in (device * slots)..<((device + 1) * slots) { held[before[slot], default: 0] += 1 }
                for slot in (device * slots)..<((device + 1) * slots) {
                    let expert = after[slot]
                    if let count = held[expert], count > 0 {
                        held[expert] = count - 1
                        continue
                    }
                    let target = DeviceID(request.deviceOffset + device)
                    let nearest = (holders[expert] ?? []).map { DeviceID(request.deviceOffset + $0) }.min {
                        (topology.path(from: $0, to: target).kind, $0.index)
                            < (topology.path(from: $1, to: target).kind, $1.index)
                    }
                    guard let source = nearest else { continue }
                    let path = topology.path(from: source, to: target)
                    let seconds = copyBytes / path.bandwidth.bytesPerSecond
                    sendSeconds[source.index - request.deviceOffset] += seconds
                    receiveSeconds[device] += seconds
                    moved += 1
                    if path.kind == .scaleOut { nicCopies += 1 }
                }
            }
        }
        let busiest = zip(sendSeconds, receiveSeconds).map { max($0, $1) }.max() ?? 0
        self.init(
            expertsMoved: moved, bytes: Bytes(Int64(copyBytes) * Int64(moved)),
            nicBytes: Bytes(Int64(copyBytes) * Int64(nicCopies)), time: .seconds(busiest))
    }
}
