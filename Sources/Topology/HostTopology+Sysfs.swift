import Foundation
import MoECore

/// Reading the layout from a sysfs tree (`online`, `nodeN/cpulist`, `nodeN/distance`, `nodeN/meminfo`).
extension HostTopology {
    /// The layout described by the sysfs node directory at `root` (normally `/sys/devices/system/node`).
    /// - Throws: ``TopologyError/unreadable(path:reason:)`` naming the first file that is missing or malformed.
    public static func readSysfs(root: String) throws -> HostTopology {
        let onlinePath = "\(root)/online"
        let ids = try parseList(try readFile(onlinePath), path: onlinePath)
        guard !ids.isEmpty else { throw TopologyError.unreadable(path: onlinePath, reason: "no online nodes") }
        var nodes: [Node] = []
        var distances: [[Int]] = []
        for id in ids {
            let directory = "\(root)/node\(id)"
            let cpuPath = "\(directory)/cpulist"
            let cpus = try parseList(try readFile(cpuPath), path: cpuPath)
            let (total, free) = try parseMeminfo(path: "\(directory)/meminfo")
            nodes.append(Node(id: id, cpus: cpus, memoryTotal: total, memoryFree: free))
            let distancePath = "\(directory)/distance"
            let row = try readFile(distancePath).split(whereSeparator: \.isWhitespace).map { field in
                guard let value = Int(field) else {
                    throw TopologyError.unreadable(path: distancePath, reason: "'\(field)' is not a distance")
                }
                return value
            }
            // The kernel lists distances to every possible node; keep the online ones.
            guard let maxID = ids.last, row.count > maxID else {
                throw TopologyError.unreadable(path: distancePath, reason: "expected at least \(ids.count) distances")
            }
            distances.append(ids.map { row[$0] })
        }
        return HostTopology(nodes: nodes, distances: distances, source: .sysfs)
    }

    /// Parses a kernel CPU or node list such as `0-3,8,10-11` into ascending integers.
    public static func parseList(_ text: String, path: String = "list") throws -> [Int] {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        if trimmed.isEmpty { return [] }
        var values: [Int] = []
        for part in trimmed.split(separator: ",") {
            let pieces = part.split(separator: "-", omittingEmptySubsequences: false)
            let bounds = pieces.compactMap { Int($0) }
            guard bounds.count == pieces.count, bounds.count <= 2, let low = bounds.first, let high = bounds.last,
                low <= high
            else {
                throw TopologyError.unreadable(path: path, reason: "'\(part)' is not a number or a range a-b")
            }
            values.append(contentsOf: low...high)
        }
        return values.sorted()
    }

    /// Reads `Node N MemTotal:  123 kB` and `Node N MemFree:  45 kB` from a node's meminfo.
    private static func parseMeminfo(path: String) throws -> (total: Bytes, free: Bytes) {
        var total: Bytes?
        var free: Bytes?
        for line in try readFile(path).split(separator: "\n") {
            let fields = line.split(whereSeparator: \.isWhitespace)
            guard fields.count >= 4, let kilobytes = Int64(fields[3]) else { continue }
            switch fields[2] {
            case "MemTotal:": total = Bytes(kilobytes * 1024)
            case "MemFree:": free = Bytes(kilobytes * 1024)
            default: continue
            }
        }
        guard let total, let free else {
            throw TopologyError.unreadable(path: path, reason: "no MemTotal/MemFree lines")
        }
        return (total, free)
    }

    private static func readFile(_ path: String) throws -> String {
        do {
            return try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw TopologyError.unreadable(path: path, reason: "cannot read the file")
        }
    }
}

extension HostTopology {
    /// Formats ascending integers the way the kernel lists CPUs: `0-3,8,10-11`.
    public static func formatList(_ values: [Int]) -> String {
        var parts: [String] = []
        var index = values.startIndex
        while index < values.endIndex {
            var end = index
            while end + 1 < values.endIndex, values[end + 1] == values[end] + 1 { end += 1 }
            parts.append(end == index ? String(values[index]) : "\(values[index])-\(values[end])")
            index = end + 1
        }
        return parts.joined(separator: ",")
    }
}
