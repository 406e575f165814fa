import Foundation

/// What one phase measured: how many operations succeeded over how long, and their latencies.
struct PhaseResult: Sendable {
    var name: String
    var operations: Int
    var errors: Int
    var seconds: Double
    var latencies: LatencySummary
    /// Free-form facts about the phase (items per list, achieved rate, ...).
    var notes: [String] = []
    /// CPU seconds the server and the bench itself used during the phase (both share the machine).
    var serverCPU: Double?
    var benchCPU: Double?

    var throughput: Double { seconds > 0 ? Double(operations) / seconds : 0 }
}

/// Percentiles of a set of latencies (nearest-rank), in milliseconds.
struct LatencySummary: Sendable {
    var count: Int
    var p50: Double
    var p90: Double
    var p99: Double
    var max: Double
    var mean: Double

    init(nanoseconds samples: [UInt64]) {
        let sorted = samples.sorted()
        count = sorted.count
        func rank(_ p: Double) -> Double {
            guard !sorted.isEmpty else { return 0 }
            let index = Swift.min(sorted.count - 1, Swift.max(0, Int((p * Double(sorted.count)).rounded(.up)) - 1))
            return Double(sorted[index]) / 1_000_000
        }
        p50 = rank(0.50)
        p90 = rank(0.90)
        p99 = rank(0.99)
        max = Double(sorted.last ?? 0) / 1_000_000
        mean = sorted.isEmpty ? 0 : Double(sorted.reduce(0, +)) / Double(sorted.count) / 1_000_000
    }
}

/// The latencies and error count one client (connection or task) gathered.
struct ClientTally: Sendable {
    var latencies: [UInt64] = []
    var errors = 0
    var firstError: String?

    mutating func fail(_ message: String) {
        errors += 1
        if firstError == nil { firstError = message }
    }

    static func merge(_ tallies: [ClientTally]) -> ClientTally {
        var all = ClientTally()
        for tally in tallies {
            all.latencies.append(contentsOf: tally.latencies)
            all.errors += tally.errors
            if all.firstError == nil { all.firstError = tally.firstError }
        }
        return all
    }
}

/// Splits `total` operations over `parts` workers as evenly as possible.
func share(of total: Int, worker: Int, of parts: Int) -> Int {
    total / parts + (worker < total % parts ? 1 : 0)
}
