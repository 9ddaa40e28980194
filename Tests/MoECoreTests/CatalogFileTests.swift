import TestSupport
import Testing

@testable import MoECore

@Suite struct CatalogFileTests {
    private func merged(_ text: String) throws -> Catalog {
        var catalog = Catalog.builtin
        try catalog.merge(DocumentNode.parse(text, file: "user.yaml"))
        return catalog
    }

    @Test func deviceExtendingABuiltInChangesOnlyTheNamedFields() throws {
        let catalog = try merged(
            """
            devices:
              - key: h800-cheap
                extends: h800
                price_per_hour_usd: 1.5
                peak_tflops: {bf16: 900, fp8: 1800}
            """)
        let device = try #require(catalog.device("h800-cheap"))
        #expect(device.pricePerHour == Dollars(1.5))
        #expect(device.peakCompute[.fp8] == .tera(1800))
        #expect(device.memory == Catalog.h800.memory)
        #expect(device.scaleUpBandwidth == Catalog.h800.scaleUpBandwidth)
        #expect(catalog.devices.count == Catalog.builtin.devices.count + 1)
    }

    @Test func entryWithABuiltInKeyReplacesIt() throws {
        let catalog = try merged("devices:\n  - {key: h100, extends: h100, memory_gb: 94}\n")
        #expect(catalog.device("h100")?.memory == .gigabytes(94))
        #expect(catalog.devices.count == Catalog.builtin.devices.count)
    }

    @Test func newModelGetsItsParameterCountsDerived() throws {
        let catalog = try merged(
            """
            models:
              - key: qwen3-30b-a3b
                layers: 48
                dense_layers: 0
                hidden_size: 2048
                vocab_size: 151936
                attention: {kind: gqa, heads: 32, kv_heads: 4, head_dim: 128}
                moe: {routed_experts: 128, experts_per_token: 8, expert_intermediate_size: 768}
            """)
        let model = try #require(catalog.model("qwen3-30b-a3b"))
        #expect(abs(model.totalParameters / 30.5e9 - 1) < 0.02)
        #expect(abs(model.activeParameters / 3.3e9 - 1) < 0.03)
        #expect(model.kvBytesPerToken(format: .bf16) == Bytes(48 * 2 * 4 * 128 * 2))
    }

    @Test func contextLengthIsReadInheritedAndChecked() throws {
        let catalog = try merged(
            """
            models:
              - {key: v3-long, extends: deepseek-v3, max_position_embeddings: 131072}
              - {key: v3-copy, extends: deepseek-v3}
            """)
        #expect(Catalog.deepSeekV3.contextLength == 163_840)
        #expect(catalog.model("v3-long")?.contextLength == 131_072)
        #expect(catalog.model("v3-copy")?.contextLength == 163_840)
        #expect(throws: InputFileError.self) {
            try merged("models:\n  - {key: bad, extends: deepseek-v3, max_position_embeddings: 0}\n")
        }
    }

    @Test func newHostCanCarryADeviceAddedInTheSameFile() throws {
        let catalog = try merged(
            """
            hosts:
              - {key: hgx-h800-spot, extends: hgx-h800, device: h800-spot}
            devices:
              - {key: h800-spot, extends: h800, price_per_hour_usd: 1.2}
            """)
        #expect(catalog.host("hgx-h800-spot")?.deviceKey == "h800-spot")
    }

    @Test func hostNamingAnUnknownDeviceIsRejectedAtItsKeyPath() {
        let error = #expect(throws: InputFileError.self) {
            try merged("hosts:\n  - {key: x, extends: hgx-h800, device: tpu-v9}\n")
        }
        #expect(error?.keyPath == "hosts[0].device")
    }

    @Test func inconsistentHostLayoutIsRejected() {
        let error = #expect(throws: InputFileError.self) {
            try merged("hosts:\n  - {key: x, extends: hgx-h800, device_numa_node: [0, 0, 1]}\n")
        }
        #expect(error?.message.contains("device_pcie_switch has 8 entries, expected 3") == true)
    }

    @Test func extendsMustNameAnExistingEntry() {
        let error = #expect(throws: InputFileError.self) { try merged("devices:\n  - {key: a, extends: b200}\n") }
        #expect(error?.keyPath == "devices[0].extends")
    }

    @Test func newDeviceWithoutExtendsNeedsEveryField() {
        let error = #expect(throws: InputFileError.self) { try merged("devices:\n  - {key: a, memory_gb: 80}\n") }
        #expect(error?.keyPath == "devices[0].peak_tflops")
        #expect(error?.message == "missing required key")
    }

    @Test func duplicateKeysInOneSectionAreRejected() {
        let error = #expect(throws: InputFileError.self) {
            try merged("devices:\n  - {key: a, extends: h800}\n  - {key: a, extends: h100}\n")
        }
        #expect(error?.keyPath == "devices[1].key")
    }

    @Test func clusterEntriesTakeTheirHostsUsualFabric() throws {
        let catalog = try merged("clusters:\n  - {key: dsv3-decode, host: hgx-h800, hosts: 18}\n")
        let cluster = try #require(catalog.cluster("dsv3-decode"))
        #expect(cluster.fabric.kind == .infiniband)
        #expect(cluster.hosts == 18)
    }

    @Test func loadingFilesMergesThemInOrder() throws {
        let directory = try TemporaryDirectory()
        let first = try directory.write("a.yaml", "devices:\n  - {key: x, extends: h800, price_per_hour_usd: 1}\n")
        let second = try directory.write("b.json", #"{"devices": [{"key": "x", "extends": "x", "power_watts": 650}]}"#)
        let device = try #require(try Catalog.loading(files: [first, second]).device("x"))
        #expect(device.pricePerHour == Dollars(1))
        #expect(device.powerWatts == 650)
    }
}
