import MoECore
import Scheduling
import Testing

/// A named scheduler setup for parameterized tests.
struct Scenario: CustomTestStringConvertible, Sendable {
    var name: String
    var configuration: SchedulerConfiguration
    var kvCache: KVCacheConfiguration
    var testDescription: String { name }

    func makeScheduler() throws -> BatchScheduler {
        try BatchScheduler(configuration: configuration, kvCache: kvCache)
    }

    /// DeepSeek-V3's MLA cache in BF16 from the catalog: 61 layers x (512 + 64) elements x 2 bytes = 70,272.
    static let bytesPerToken = Catalog.deepSeekV3.kvBytesPerToken(format: .bf16)

    static func cache(blocks: Int, hostBlocks: Int? = nil, diskBlocks: Int? = nil) -> KVCacheConfiguration {
        KVCacheConfiguration(
            totalBlocks: blocks, bytesPerToken: bytesPerToken,
            hostTier: hostBlocks.map { KVCacheTier(capacityBlocks: $0, loadBandwidth: .gigabytesPerSecond(25)) },
            diskTier: diskBlocks.map { KVCacheTier(capacityBlocks: $0, loadBandwidth: .gigabytesPerSecond(5)) })
    }

    static let all: [Scenario] = [
        Scenario(
            name: "FCFS, eager, recompute, tight HBM",
            configuration: SchedulerConfiguration(maxNumBatchedTokens: 2048, maxNumSeqs: 16),
            kvCache: cache(blocks: 240)),
        Scenario(
            name: "priority, SGLang reserve, swap, host and disk tiers",
            configuration: SchedulerConfiguration(
                maxNumBatchedTokens: 4096, maxNumSeqs: 32, policy: .priority, admission: .reserve(.sglang),
                preemption: .swap),
            kvCache: cache(blocks: 300, hostBlocks: 400, diskBlocks: 2000)),
        Scenario(
            name: "deadline, long-prefill threshold, prefill cap, swap without room",
            configuration: SchedulerConfiguration(
                maxNumBatchedTokens: 1024, maxNumSeqs: 24, longPrefillTokenThreshold: 256,
                maxPrefillTokensPerStep: 512, blockSize: 16, policy: .deadline, preemption: .swap),
            kvCache: cache(blocks: 900, hostBlocks: 40)),
        Scenario(
            name: "FCFS, chunked prefill off, block 128, disk only",
            configuration: SchedulerConfiguration(
                maxNumBatchedTokens: 4096, maxNumSeqs: 64, chunkedPrefill: false, blockSize: 128),
            kvCache: cache(blocks: 150, diskBlocks: 500)),
        Scenario(
            name: "FCFS, SGLang reserve, recompute, host tier",
            configuration: SchedulerConfiguration(
                maxNumBatchedTokens: 4096, maxNumSeqs: 48, admission: .reserve(.sglang)),
            kvCache: cache(blocks: 500, hostBlocks: 300)),
        Scenario(
            name: "priority, eager, many sequences, roomy HBM",
            configuration: SchedulerConfiguration(maxNumBatchedTokens: 8192, maxNumSeqs: 256, policy: .priority),
            kvCache: cache(blocks: 4000, hostBlocks: 4000)),
    ]
}
