import MoECore
import Scheduling
import Testing

@Suite struct SchedulerPropertyTests {
    @Test(arguments: Scenario.all, [UInt64(1), 2, 3])
    func randomizedWorkloadsKeepEveryInvariantAndAccountForEveryRequest(scenario: Scenario, seed: UInt64) throws {
        let requests = RandomWorkload().requests(seed: seed)
        var driver = SchedulerDriver(scheduler: try scenario.makeScheduler())
        driver.cancelProbability = 0.01
        driver.run(requests, seed: seed)

        #expect(driver.problems.isEmpty, "\(driver.problems.prefix(5))")
        #expect(driver.outcomes.count == requests.count)
        for request in requests {
            switch driver.outcomes[request.id] {
            case .finished(let tokens, let sampled):
                #expect(tokens == request.outputTokens && sampled == request.outputTokens, "\(request.id)")
            case .rejected, .cancelled: break
            case nil: Issue.record("\(request.id) never ended")
            }
        }
        let finished = driver.outcomes.values.filter { if case .finished = $0 { true } else { false } }.count
        #expect(finished > requests.count / 2, "most requests should finish")
        #expect(driver.scheduler.isIdle)
    }

    @Test(arguments: Scenario.all, [UInt64(11), 12])
    func advancingKDecodeStepsLeavesExactlyTheStateOfKSingleSteps(scenario: Scenario, seed: UInt64) throws {
        let requests = RandomWorkload(count: 200, meanInterarrival: .milliseconds(8), maxOutputTokens: 600)
            .requests(seed: seed)
        var driver = SchedulerDriver(scheduler: try scenario.makeScheduler())
        driver.checkEventSkipping = true
        driver.run(requests, seed: seed)

        #expect(driver.problems.isEmpty, "\(driver.problems.prefix(5))")
        #expect(driver.skippedSteps > 100, "the workload should offer decode runs to skip")
        for request in requests {
            if case .finished(let tokens, let sampled) = driver.outcomes[request.id] {
                #expect(tokens == request.outputTokens && sampled == request.outputTokens, "\(request.id)")
            }
        }
    }

    @Test func fcfsAdmitsEqualPriorityRequestsInArrivalOrder() throws {
        var scenario = Scenario.all[0]
        scenario.configuration.preemption = .swap
        scenario.kvCache = Scenario.cache(blocks: 200, hostBlocks: 100)
        let requests = RandomWorkload(count: 250, meanInterarrival: .milliseconds(1), priorities: 1).requests(seed: 7)
        var driver = SchedulerDriver(scheduler: try scenario.makeScheduler())
        driver.run(requests, seed: 7)

        #expect(driver.problems.isEmpty)
        #expect(driver.admissionOrder == driver.admissionOrder.sorted())
        #expect(driver.admissionOrder.count == requests.count)
        #expect(driver.scheduler.preemptionsTotal > 0, "the run should preempt, so order is tested under pressure")
    }

    @Test(arguments: [PreemptionMode.recompute, .swap])
    func preemptedRequestsResumeAndFinishWithTheirFullTokenCount(mode: PreemptionMode) throws {
        let configuration = SchedulerConfiguration(maxNumBatchedTokens: 4096, maxNumSeqs: 8, preemption: mode)
        var scheduler = try BatchScheduler(
            configuration: configuration, kvCache: Scenario.cache(blocks: 40, hostBlocks: 200))
        for index in 0..<6 {
            let request = RequestSpec(
                id: RequestID(UInt64(index)), arrival: .zero, promptTokens: 300, outputTokens: 400)
            #expect(scheduler.enqueue(request, now: .zero) == .admitted)
        }
        var driver = SchedulerDriver(scheduler: scheduler)
        driver.run([], seed: 0)

        #expect(driver.problems.isEmpty, "\(driver.problems.prefix(3))")
        #expect(driver.scheduler.preemptionsTotal > 0)
        for index in 0..<6 {
            #expect(driver.outcomes[RequestID(UInt64(index))] == .finished(outputTokens: 400, sampledTokens: 400))
        }
    }
}

@Suite struct OverloadAndDeterminismTests {
    @Test func underOverloadEveryRefusedRequestCarriesAReasonAndTheRestFinish() throws {
        let configuration = SchedulerConfiguration(
            maxNumBatchedTokens: 2048, maxNumSeqs: 16, maxWaitingRequests: 12, predictedPrefillTokensPerSecond: 40_000)
        let scheduler = try BatchScheduler(configuration: configuration, kvCache: Scenario.cache(blocks: 400))
        let requests = RandomWorkload(count: 400, meanInterarrival: .milliseconds(1), withObjectives: true)
            .requests(seed: 5)
        var driver = SchedulerDriver(scheduler: scheduler)
        driver.run(requests, seed: 5)

        #expect(driver.problems.isEmpty, "\(driver.problems.prefix(3))")
        #expect(driver.outcomes.count == requests.count)
        var queueFull = 0
        var overSLO = 0
        for outcome in driver.outcomes.values {
            switch outcome {
            case .rejected(.queueFull(capacity: 12)): queueFull += 1
            case .rejected(.predictedTTFTExceedsSLO(let predicted, let objective)):
                #expect(predicted > objective)
                overSLO += 1
            case .rejected(let other): Issue.record("unexpected rejection \(other)")
            case .finished, .cancelled: break
            }
        }
        #expect(queueFull > 0 && overSLO > 0)
        #expect(driver.scheduler.rejectedTotal == queueFull + overSLO)
    }

    @Test func theSameSeedGivesTheSameRunAndState() throws {
        func run() throws -> SchedulerDriver {
            var driver = SchedulerDriver(scheduler: try Scenario.all[1].makeScheduler())
            driver.cancelProbability = 0.02
            driver.checkEventSkipping = true
            driver.run(RandomWorkload(count: 150).requests(seed: 99), seed: 99)
            return driver
        }
        let first = try run()
        let second = try run()
        #expect(first.scheduler == second.scheduler)
        #expect(first.outcomes == second.outcomes)
        #expect(first.admissionOrder == second.admissionOrder)
        #expect(first.steps == second.steps && first.skippedSteps == second.skippedSteps)
    }
}
