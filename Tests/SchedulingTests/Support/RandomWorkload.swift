import MoECore

/// Seeded random request streams for property tests: Poisson arrivals, varied prompt and output lengths,
/// prompts that share Mooncake-style chained prefixes from a few "documents", priorities and TTFT objectives.
struct RandomWorkload {
    var count = 300
    var meanInterarrival = SimDuration.milliseconds(4)
    var maxPromptTokens = 3000
    var maxOutputTokens = 200
    var sharedDocuments = 6
    var traceBlockTokens = 512
    var priorities = 3
    var withObjectives = false

    func requests(seed: UInt64) -> [RequestSpec] {
        var random = SeededGenerator(seed: seed)
        var arrival = SimTime.zero
        var result: [RequestSpec] = []
        for index in 0..<count {
            arrival += .seconds(random.nextExponential(rate: 1 / meanInterarrival.seconds))
            let prompt = 1 + Int(random.next() % UInt64(maxPromptTokens))
            let output = 1 + Int(random.next() % UInt64(maxOutputTokens))
            var hashes: [UInt64] = []
            if random.next() % 2 == 0 {
                let document = random.next() % UInt64(sharedDocuments)
                let blocks = (prompt + traceBlockTokens - 1) / traceBlockTokens
                hashes = (0..<UInt64(blocks)).map { document * 10_000 + $0 }
            }
            let objective: SimDuration? = withObjectives ? .milliseconds(Double(50 + random.next() % 2000)) : nil
            result.append(
                RequestSpec(
                    id: RequestID(UInt64(index)), arrival: arrival, promptTokens: prompt, outputTokens: output,
                    prefixBlockHashes: hashes, prefixBlockTokens: traceBlockTokens,
                    priority: Int(random.next() % UInt64(priorities)), ttftSLO: objective))
        }
        return result
    }
}
