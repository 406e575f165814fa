@testable import ApusKubelet
import ApusMachinery
import Foundation
import Synchronization
import Testing

/// Reading CRI log files as `kubectl logs` asks: tail, since, timestamps, limits, partial lines, follow.
struct ContainerLogsTests {
    static let sample = """
    2026-11-22T10:00:00.1Z stdout F first
    2026-11-22T10:00:01.2Z stderr F second
    2026-11-22T10:00:02.3Z stdout P thi
    2026-11-22T10:00:02.4Z stdout F rd
    2026-11-22T10:00:03.5Z stdout F fourth

    """

    func file(_ content: String) throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("apus-log-\(UUID().uuidString).log").path
        try content.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    func read(_ content: String, _ query: [String: String], now: Double = 1_795_831_200) async throws -> String {
        let path = try file(content)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let reader = ContainerLogReader(path: path, options: try LogOptions(query: query, now: now)) { false }
        var out: [UInt8] = []
        try await reader.stream { out += $0 }
        return String(decoding: out, as: UTF8.self)
    }

    @Test func joinsPartialLinesAndAppliesTailSinceAndLimit() async throws {
        #expect(try await read(Self.sample, [:]) == "first\nsecond\nthird\nfourth\n")
        #expect(try await read(Self.sample, ["tailLines": "2"]) == "third\nfourth\n")
        #expect(try await read(Self.sample, ["tailLines": "0"]) == "")
        #expect(try await read(Self.sample, ["limitBytes": "8"]) == "first\nse")
        #expect(try await read(Self.sample, ["sinceTime": "2026-11-22T10:00:02Z"]) == "third\nfourth\n")
        #expect(try await read(Self.sample, ["tailLines": "1", "timestamps": "true"]) == "2026-11-22T10:00:03.5Z fourth\n")
        // sinceSeconds counts back from now: 10:00:03 minus 2 s keeps the lines from 10:00:01.
        let now = try #require(Timestamp.parse("2026-11-22T10:00:03Z"))
        #expect(try await read(Self.sample, ["sinceSeconds": "2"], now: now) == "second\nthird\nfourth\n")
        // A line without its newline yet is not shown.
        #expect(try await read("2026-11-22T10:00:00.1Z stdout F done\n2026-11-22T10:00:00.2Z stdout F unfinish", [:]) == "done\n")
    }

    @Test func rejectsBadOptionsAsKubernetesDoes() {
        #expect(throws: LogOptionsError.self) { try LogOptions(query: ["tailLines": "-1"], now: 0) }
        #expect(throws: LogOptionsError.self) { try LogOptions(query: ["limitBytes": "0"], now: 0) }
        #expect(throws: LogOptionsError.self) { try LogOptions(query: ["sinceSeconds": "1", "sinceTime": "2026-11-22T10:00:00Z"], now: 0) }
        #expect(throws: LogOptionsError.self) { try LogOptions(query: ["sinceTime": "yesterday"], now: 0) }
    }

    @Test func followSendsNewLinesUntilTheContainerStops() async throws {
        let path = try file("2026-11-22T10:00:00.1Z stdout F one\n")
        defer { try? FileManager.default.removeItem(atPath: path) }
        let running = Atomic<Bool>(true)
        let reader = ContainerLogReader(path: path, options: try LogOptions(query: ["follow": "true"], now: 0),
                                        isRunning: { running.load(ordering: .relaxed) }, pollInterval: .milliseconds(10))
        let collected = Mutex<[UInt8]>([])
        let task = Task { try await reader.stream { chunk in collected.withLock { $0 += chunk } } }
        try await Task.sleep(for: .milliseconds(100))
        let handle = try #require(FileHandle(forWritingAtPath: path))
        try handle.seekToEnd()
        try handle.write(contentsOf: Data("2026-11-22T10:00:01.1Z stdout F tw".utf8))
        try await Task.sleep(for: .milliseconds(50))
        try handle.write(contentsOf: Data("o\n".utf8))
        try handle.close()
        try await Task.sleep(for: .milliseconds(100))
        #expect(collected.withLock { String(decoding: $0, as: UTF8.self) } == "one\ntwo\n")
        running.store(false, ordering: .relaxed)
        try await task.value
    }

    @Test func keepsTheLastLinesCountingPartialsAsOne() throws {
        let entries = Self.sample.split(separator: "\n").compactMap { CRILogEntry(Array($0.utf8)[...]) }
        #expect(entries.count == 5)
        #expect(ContainerLogReader.lastLines(entries, 3).map { String(decoding: $0.content, as: UTF8.self) } == ["second", "thi", "rd", "fourth"])
        #expect(ContainerLogReader.lastLines(entries, 10).count == 5)
    }
}

/// The summary API's arithmetic: CPU as a rate between samples.
struct ResourceUsageTests {
    @Test func cpuIsTheRateBetweenTwoSamples() {
        let first = ResourceUsage.CPU(time: 100, usageCoreNanoSeconds: 1_000_000_000, usageNanoCores: nil)
        // Half a core over 10 s: 5 s of CPU time.
        #expect(ResourceUsage.rate(previous: first, time: 110, cumulative: 6_000_000_000) == 500_000_000)
        #expect(ResourceUsage.rate(previous: nil, time: 110, cumulative: 6_000_000_000) == nil)
        // A counter that went backwards (a new container under the same ID) gives no rate.
        #expect(ResourceUsage.rate(previous: first, time: 110, cumulative: 10) == nil)
        #expect(ResourceUsage.hostCPUNanoseconds() != nil)
        #expect(ResourceUsage.hostMemory().map { $0.total >= $0.available } == true)
    }
}
