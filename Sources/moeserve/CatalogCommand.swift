import ArgumentParser
import Foundation
import MoECore
import Reports

/// `moeserve catalog [models|devices|hosts] [--json]`: the key figures of every catalog entry.
struct CatalogCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "catalog",
        abstract: "List the models, devices and hosts MoEServe knows, with their key figures.")

    /// The catalog sections.
    enum Section: String, CaseIterable, ExpressibleByArgument {
        case models, devices, hosts
    }

    @Argument(help: "Which section to list (models, devices or hosts); all when omitted.")
    var section: Section?

    @Flag(help: "Print JSON (snake_case keys) instead of tables.")
    var json = false

    @OptionGroup var catalogFiles: CatalogFilesOption

    func run() throws {
        let catalog = try catalogFiles.load()
        let sections = section.map { [$0] } ?? Section.allCases
        if json {
            print(try CatalogListing(catalog: catalog, sections: sections).jsonText())
            return
        }
        let tables = sections.map { section -> String in
            switch section {
            case .models: "Models\n" + Self.modelTable(catalog.models).render()
            case .devices: "Devices\n" + Self.deviceTable(catalog.devices).render()
            case .hosts: "Hosts\n" + Self.hostTable(catalog.hosts).render()
            }
        }
        print(tables.joined(separator: "\n\n"))
    }

    static func modelTable(_ models: [ModelSpec]) -> TextTable {
        var table = TextTable(
            [
                "key", "name", "attention", "layers", "experts (routed/top-k/shared)", "total", "active",
                "KV B/token bf16",
            ],
            numeric: [3, 5, 6, 7])
        for model in models {
            let experts = model.moe.map { "\($0.routedExperts)/\($0.expertsPerToken)/\($0.sharedExperts)" } ?? "dense"
            table.append([
                model.key, model.name, model.attention.kindName, String(model.layers), experts,
                Figures.billions(model.totalParameters), Figures.billions(model.activeParameters),
                String(model.kvBytesPerToken(format: .bf16).count),
            ])
        }
        return table
    }

    static func deviceTable(_ devices: [DeviceSpec]) -> TextTable {
        var table = TextTable(
            [
                "key", "name", "HBM GB", "HBM TB/s", "BF16 TF", "FP8 TF", "INT8 TF", "scale-up GB/s", "NIC Gb/s", "W",
                "$/h",
            ],
            numeric: Set(2...10))
        for device in devices {
            let peak = { (format: NumericFormat) in device.peakCompute[format].map { Figures.fixed($0.tera, 0) } ?? "-"
            }
            table.append([
                device.key, device.name, Figures.fixed(device.memory.gigabytes, 0),
                Figures.fixed(device.memoryBandwidth.bytesPerSecond / 1e12, 2), peak(.bf16), peak(.fp8), peak(.int8),
                Figures.fixed(device.scaleUpBandwidth.gigabytesPerSecond, 0),
                Figures.fixed(device.scaleOutBandwidth.bytesPerSecond * 8 / 1e9, 0),
                Figures.fixed(device.powerWatts, 0),
                Figures.fixed(device.pricePerHour.amount, 2),
            ])
        }
        return table
    }

    static func hostTable(_ hosts: [HostSpec]) -> TextTable {
        var table = TextTable(
            ["key", "name", "device", "devices", "NUMA nodes", "NICs", "scale-up", "domain hosts", "DRAM GB"],
            numeric: [3, 4, 5, 7, 8])
        for host in hosts {
            table.append([
                host.key, host.name, host.deviceKey, String(host.deviceCount), String(host.numaNodes.count),
                String(host.nics.count), host.scaleUp.kind.rawValue, String(host.scaleUp.domainHosts),
                Figures.fixed(host.hostMemory.gigabytes, 0),
            ])
        }
        return table
    }
}
