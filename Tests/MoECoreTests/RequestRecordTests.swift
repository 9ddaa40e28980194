import MoECore
import Testing

@Suite struct RequestRecordTests {
    @Test func latenciesFollowVLLMsDefinitions() {
        let record = RequestRecord(
            id: RequestID(1), arrival: .seconds(1), promptTokens: 100, outputTokens: 11,
            firstTokenAt: .seconds(1.5), endedAt: .seconds(2.5), outcome: .completed, instance: 0)
        #expect(record.ttft == .milliseconds(500))
        #expect(record.e2e == .milliseconds(1500))
        #expect(record.tpot == .milliseconds(100))  // (2.5 - 1.5) s over the 10 tokens after the first
    }

    @Test func unfinishedRequestsHaveNoEndToEndLatencyOrTPOT() {
        let rejected = RequestRecord(
            id: RequestID(2), arrival: .seconds(1), promptTokens: 100, outputTokens: 0, firstTokenAt: nil,
            endedAt: .seconds(1), outcome: .rejected(reason: "waiting queue full (4 requests)"), instance: nil)
        #expect(rejected.ttft == nil && rejected.e2e == nil && rejected.tpot == nil)
        let oneToken = RequestRecord(
            id: RequestID(3), arrival: .zero, promptTokens: 10, outputTokens: 1, firstTokenAt: .seconds(1),
            endedAt: .seconds(1), outcome: .completed, instance: 0)
        #expect(oneToken.tpot == nil && oneToken.e2e == .seconds(1))
    }
}
