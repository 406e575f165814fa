import ApusBenchSupport
import Foundation
import NIOCore
import NIOHTTP1

/// Watch delivery: `watchers` streams watch the namespace from the current resourceVersion while
/// `clients` connections create `events` ConfigMaps; each create carries its send time, so every
/// delivered ADDED event yields a create→event latency.
struct WatchDelivery: Sendable {
    let workloads: Workloads

    private enum Outcome: Sendable {
        case watcher(ClientTally, received: Int, lastEventAt: UInt64)
        case creators(PhaseResult)
        case graceOver
    }

    /// Returns the phase and how many objects the creates stored.
    func run(watchers: Int, clients: Int, events: Int, maxSeconds: Double) async throws -> (PhaseResult, created: Int) {
        let probe = try await workloads.probeList(limit: 1)
        let watchURI = workloads.collection + "?watch=true&resourceVersion=\(probe.resourceVersion)&timeoutSeconds=\(Int(maxSeconds) + 5)"
        let watchChannels = try await workloads.connector.connectAll(watchers)
        let (ready, readyContinuation) = AsyncStream<Bool>.makeStream()
        let factory = workloads.factory
        let collection = workloads.collection
        let patterns = workloads.patterns
        var start: UInt64 = 0

        let outcomes: [Outcome] = try await withThrowingTaskGroup(of: Outcome.self) { group in
            for channel in watchChannels {
                group.addTask {
                    try await channel.exchange { exchange in
                        var tally = ClientTally()
                        var received = 0
                        var last: UInt64 = 0
                        var signalled = false
                        do {
                            let status = try await exchange.open(watchURI)
                            readyContinuation.yield(status == 200)
                            signalled = true
                            guard status == 200 else {
                                tally.fail("watch: HTTP \(status)")
                                return .watcher(tally, received: 0, lastEventAt: 0)
                            }
                            try await exchange.readLines { line in
                                guard let sent = SentStamp.inAddedEvent(line) else { return true }
                                last = monotonicNanos()
                                tally.latencies.append(last - sent)
                                received += 1
                                return received < events
                            }
                        } catch {
                            if !signalled { readyContinuation.yield(false) }
                            if !(error is CancellationError) { tally.fail("watch: \(error)") }
                        }
                        return .watcher(tally, received: received, lastEventAt: last)
                    }
                }
            }
            var open = 0
            for await _ in ready {
                open += 1
                if open == watchers { break }
            }
            start = monotonicNanos()
            group.addTask {
                let result = try await patterns.closedLoop("watch creates", clients: clients, count: events, maxSeconds: maxSeconds) { exchange, client, index in
                    let body = factory.body(name: Workloads.name("watch", client, index), sentNanos: monotonicNanos())
                    let reply = try await exchange.request(.POST, collection, body: body)
                    return reply.status == 201 ? nil : "POST: HTTP \(reply.status)"
                }
                return .creators(result)
            }
            var outcomes: [Outcome] = []
            var watchersLeft = watchers
            var graceStarted = false
            while let outcome = try await group.next() {
                outcomes.append(outcome)
                switch outcome {
                case .watcher: watchersLeft -= 1
                case .creators:
                    // Events still in flight get a few seconds after the last create is acknowledged.
                    if watchersLeft > 0, !graceStarted {
                        graceStarted = true
                        group.addTask {
                            try? await Task.sleep(for: .seconds(5))
                            return .graceOver
                        }
                    }
                case .graceOver:
                    group.cancelAll()
                }
                if watchersLeft == 0 {
                    group.cancelAll()
                }
            }
            return outcomes
        }

        var tallies: [ClientTally] = []
        var received = 0
        var lastEvent = start
        var creates: PhaseResult?
        for outcome in outcomes {
            switch outcome {
            case .watcher(let tally, let count, let at):
                tallies.append(tally)
                received += count
                lastEvent = max(lastEvent, at)
            case .creators(let result): creates = result
            case .graceOver: break
            }
        }
        let merged = ClientTally.merge(tallies)
        let seconds = Double(lastEvent - start) / 1e9
        var result = PhaseResult(name: "watch delivery", operations: received, errors: merged.errors, seconds: seconds,
                                 latencies: LatencySummary(nanoseconds: merged.latencies))
        if let creates {
            result.notes.append(String(format: "%d watcher(s); %d creates by %d clients at %.0f/s (p50 %.2f ms, p99 %.2f ms, %d errors); events expected %d, delivered %d",
                                       watchers, creates.operations, clients, creates.throughput, creates.latencies.p50,
                                       creates.latencies.p99, creates.errors, creates.operations * watchers, received))
            result.errors += creates.errors
            if let first = creates.notes.first(where: { $0.hasPrefix("first error") }) { result.notes.append("creates: " + first) }
        }
        if let first = merged.firstError { result.notes.append("first error: \(first)") }
        return (result, creates?.operations ?? 0)
    }
}
