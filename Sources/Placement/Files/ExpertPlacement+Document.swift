import Foundation
import MoECore

/// The placement file format: what `moeserve plan --json` prints under `placement`, and what
/// `--placement FILE` and `--previous FILE` read back (either that object or the whole plan output).
///
/// ```json
/// {"devices": 32, "slots_per_device": 9, "experts": 256,
///  "physical_to_logical": [[5, 17, ...], ...], "slot_shares": [[1, 0.5, ...], ...]}
/// ```
/// One row per MoE layer; slot `s` lives on device `s / slots_per_device`; the shares of one expert's
/// slots sum to 1 (`slot_shares` may be left out for even splits).
extension ExpertPlacement {
    /// The keys of a placement object.
    public static let documentKeys = ["devices", "slots_per_device", "experts", "physical_to_logical", "slot_shares"]

    /// Reads a placement from the YAML or JSON file at `path`.
    /// - Throws: ``InputFileError`` naming the file, line and key path of the first problem.
    public static func load(file path: String) throws -> ExpertPlacement {
        let root = try DocumentNode.load(file: path)
        if let plan = try? root.dictionary(), let placement = plan.first(where: { $0.key == "placement" }) {
            return try ExpertPlacement(document: placement.value)
        }
        return try ExpertPlacement(document: root)
    }

    /// Decodes a placement object, checking that every layer fills the slots, covers every expert and
    /// splits each expert's tokens into shares that sum to 1.
    /// - Throws: ``InputFileError`` naming the key path of the first problem.
    public init(document: DocumentNode) throws {
        let fields = try document.mapping(keys: Self.documentKeys)
        let devices = try fields.required("devices").integer(.positive)
        let slotsPerDevice = try fields.required("slots_per_device").integer(.positive)
        let experts = try fields.required("experts").integer(.positive)
        let slots = devices * slotsPerDevice
        guard slots >= experts else {
            throw fields.owner.error("\(devices) devices x \(slotsPerDevice) slots cannot hold \(experts) experts")
        }
        let mapNodes = try fields.required("physical_to_logical").nonEmptyList()
        var maps = [[Int]]()
        for row in mapNodes {
            let entries = try row.list()
            guard entries.count == slots else {
                throw row.error("\(entries.count) slots, expected \(slots) (devices x slots_per_device)")
            }
            let map = try entries.map { try $0.integer(.range(0...(experts - 1))) }
            if let missing = Set(0..<experts).subtracting(map).min() {
                throw row.error("expert \(missing) has no slot; every expert needs at least one")
            }
            maps.append(map)
        }
        var shares: [[Double]]?
        if let shareNodes = try fields.optional("slot_shares")?.list() {
            guard shareNodes.count == maps.count else {
                throw fields.owner.error(
                    "slot_shares has \(shareNodes.count) layers but physical_to_logical has \(maps.count)")
            }
            shares = try zip(shareNodes, maps).map { row, map in
                let entries = try row.list()
                guard entries.count == slots else { throw row.error("\(entries.count) shares, expected \(slots)") }
                let values = try entries.map { try $0.number(.fraction) }
                var sums = [Double](repeating: 0, count: experts)
                for (slot, expert) in map.enumerated() { sums[expert] += values[slot] }
                if let expert = sums.indices.first(where: { abs(sums[$0] - 1) > 1e-6 }) {
                    throw row.error("the shares of expert \(expert)'s slots sum to \(sums[expert]), expected 1")
                }
                return map.indices.map { values[$0] / sums[map[$0]] }
            }
        }
        self.init(
            devices: devices, slotsPerDevice: slotsPerDevice, experts: experts, physicalToLogical: maps,
            slotShares: shares)
    }

    /// The placement as a JSON-ready object (the format ``load(file:)`` reads).
    public var documentObject: [String: Any] {
        [
            "devices": devices, "slots_per_device": slotsPerDevice, "experts": experts,
            "physical_to_logical": physicalToLogical, "slot_shares": slotShares,
        ]
    }
}
