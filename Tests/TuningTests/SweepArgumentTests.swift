import MoECore
import Testing
import Tuning

/// Parsing `--vary` and `--slo`, and checking values before a sweep starts.
@Suite struct SweepArgumentTests {
    @Test func varyParsesValuesLinkedKeysAndFlowValues() throws {
        let plain = try SweepDimension.parse("scheduler.max_num_seqs=32, 64,128")
        #expect(plain.keyPaths == ["scheduler.max_num_seqs"])
        #expect(plain.values == [["32"], ["64"], ["128"]])
        let linked = try SweepDimension.parse("deployment.instances[0].count/cluster.nodes=1/2,2/4")
        #expect(linked.keyPaths == ["deployment.instances[0].count", "cluster.nodes"])
        #expect(linked.values == [["1", "2"], ["2", "4"]])
        let flow = try SweepDimension.parse(
            "workload.generator.lengths={input_tokens: 1, output_tokens: 2},{input_tokens: 3, output_tokens: 4}")
        #expect(flow.values.count == 2)
    }

    @Test(arguments: [
        ("scheduler.max_num_seqs", "with an '='"), ("=1,2", "a key is empty"), ("a=1,,2", "value 2 is empty"),
        ("a=1,1", "repeated"), ("a/b=1/2,3", "not 2 values joined by '/'"),
    ])
    func aMalformedVaryIsRefusedSayingWhy(argument: String, message: String) {
        #expect { try SweepDimension.parse(argument) } throws: { "\($0)".contains(message) }
    }

    @Test func sloParsesUnitsAndRefusesWhatItDoesNotKnow() throws {
        let slo = try ServiceObjectives.parse("ttft=2s,tpot=50ms")
        #expect(slo.ttft == .seconds(2) && slo.tpot == .milliseconds(50))
        #expect(ServiceObjectives.text(slo) == "ttft=2000ms,tpot=50ms")
        #expect(try ServiceObjectives.parse("tpot=800us").tpot == .milliseconds(0.8))
        for (text, message) in [
            ("ttft=2", "not a duration"), ("latency=1s", "unknown objective 'latency'"), ("ttft", "not NAME=DURATION"),
            ("ttft=1s,ttft=2s", "given twice"), ("ttft=-1s", "not a duration"),
        ] {
            #expect { try ServiceObjectives.parse(text) } throws: { "\($0)".contains(message) }
        }
    }

    @Test func aValueNoConfigurationAcceptsIsBadInputNamingTheKey() throws {
        let unknown = try SweepSpace([SweepDimension(keyPath: "scheduler.max_num_seqz", values: ["8"])])
        #expect { try unknown.validate(against: Example.template) } throws: { error in
            "\(error)".contains("scheduler.max_num_seqz=8") && "\(error)".contains("unknown key 'max_num_seqz'")
        }
        let wrongType = try SweepSpace([SweepDimension(keyPath: "scheduler.policy", values: ["fcfs", "lifo"])])
        #expect { try wrongType.validate(against: Example.template) } throws: { error in
            "\(error)".contains("scheduler.policy=lifo") && "\(error)".contains("expected one of fcfs")
        }
        // Valid in some combinations only (dp x tp must be 8): not bad input; the other combinations become
        // infeasible trials.
        let combined = try SweepSpace([
            SweepDimension(keyPath: "deployment.instances[0].attention_tp", values: ["1", "2"]),
            SweepDimension(keyPath: "deployment.instances[0].attention_dp", values: ["4", "8"]),
        ])
        try combined.validate(against: Example.template)
        #expect {
            try SweepSpace([SweepDimension(keyPath: "a", values: ["1"]), SweepDimension(keyPath: "a", values: ["2"])])
        } throws: { "\($0)".contains("varied twice") }
    }
}
