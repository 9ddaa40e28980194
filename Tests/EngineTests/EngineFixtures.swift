import Deployment
import Engine
import MoECore
import TestSupport
import Testing

/// Scenarios for engine tests: a tiny MoE model (4 layers, 16 experts, top-2) on a small-memory GPU, so
/// that gating is cheap and the KV cache holds only a few hundred blocks, and the shipped scenarios.
enum EngineFixtures {
    /// The tiny deployment: two colocated instances of two devices each on one HGX-style host (devices 0-3 on
    /// NUMA node 0), 64 sequences and 1,024 tokens per rank and step, 16-token blocks.
    static func tinyScenario(maxWaiting: Int = 16_384, instances: Int = 2) throws -> Scenario {
        let directory = try TemporaryDirectory()
        try directory.write(
            "catalog.yaml",
            """
            models:
              - key: tiny-moe
                layers: 4
                dense_layers: 1
                hidden_size: 512
                dense_intermediate_size: 1024
                vocab_size: 32000
                attention: { kind: gqa, heads: 8, kv_heads: 2, head_dim: 64 }
                moe: { routed_experts: 16, experts_per_token: 2, shared_experts: 0, expert_intermediate_size: 256 }
                weight_format: bf16
            devices:
              - key: tiny-gpu
                extends: h100
                memory_gb: 0.109
            hosts:
              - key: tiny-host
                extends: hgx-h100
                device: tiny-gpu
            """)
        let file = try directory.write(
            "tiny.yaml",
            """
            name: tiny-moe-engine-test
            seed: 7
            model: tiny-moe
            catalog: [catalog.yaml]
            cluster: { host: tiny-host, nodes: 1 }
            deployment:
              instances:
                - { role: colocated, count: \(instances), devices_per_instance: 2, attention_dp: 2, ep: 2, weights: bf16 }
            scheduler:
              max_num_batched_tokens: 512
              max_num_seqs: 32
              block_size: 16
              max_waiting: \(maxWaiting)
            workload:
              generator: { kind: poisson, rate: 10, lengths: { input_tokens: 64, output_tokens: 16 } }
              limit: 10
            """)
        return try Scenario.load(file: file)
    }

    /// A shipped scenario from `Simulations/`.
    static func shipped(_ name: String) throws -> Scenario {
        try Scenario.load(file: SharedData.packageFile("Simulations/\(name)"))
    }

    /// A request of `prompt` tokens asking for `output` tokens.
    static func request(_ id: Int, prompt: Int, output: Int) -> RequestSpec {
        RequestSpec(id: RequestID(UInt64(id)), arrival: .zero, promptTokens: prompt, outputTokens: output)
    }
}
