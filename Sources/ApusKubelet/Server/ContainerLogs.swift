import ApusMachinery
import Foundation

/// What `kubectl logs` asks of a container's log (Kubernetes' PodLogOptions, as the kubelet gets
/// them in the query of `/containerLogs/...`).
struct LogOptions: Sendable, Equatable {
    var follow = false
    var previous = false
    var timestamps = false
    var tailLines: Int?
    /// Only lines written at or after this time (seconds since 1970), from sinceSeconds or sinceTime.
    var since: Double?
    var limitBytes: Int?

    /// Parses the query; nil values are Kubernetes' defaults. `now` turns sinceSeconds into a time.
    init(query: [String: String], now: Double) throws(LogOptionsError) {
        follow = query["follow"] == "true"
        previous = query["previous"] == "true"
        timestamps = query["timestamps"] == "true"
        if let tail = query["tailLines"] {
            guard let value = Int(tail), value >= 0 else { throw LogOptionsError("tailLines: Invalid value: \"\(tail)\": must be greater than or equal to 0") }
            tailLines = value
        }
        if let limit = query["limitBytes"] {
            guard let value = Int(limit), value >= 1 else { throw LogOptionsError("limitBytes: Invalid value: \"\(limit)\": must be greater than 0") }
            limitBytes = value
        }
        if let seconds = query["sinceSeconds"] {
            guard let value = Int(seconds), value >= 1 else { throw LogOptionsError("sinceSeconds: Invalid value: \"\(seconds)\": must be greater than 0") }
            since = now - Double(value)
        }
        if let time = query["sinceTime"] {
            guard since == nil else { throw LogOptionsError("at most one of sinceTime or sinceSeconds may be specified") }
            guard let value = Timestamp.parse(time) else { throw LogOptionsError("sinceTime: Invalid value: \"\(time)\": must be an RFC3339 time") }
            since = value
        }
    }

    init() {}
}

struct LogOptionsError: Error, Sendable {
    var message: String
    init(_ message: String) { self.message = message }
}

/// One line of a CRI log file: `<RFC3339Nano time> <stdout|stderr> <F|P> <content>`; P marks a
/// part of a longer line that the next entries continue.
struct CRILogEntry: Sendable, Equatable {
    var timestamp: String
    var time: Double
    var stream: String
    var partial: Bool
    var content: [UInt8]

    init?(_ line: ArraySlice<UInt8>) {
        let fields = line.split(separator: UInt8(ascii: " "), maxSplits: 3, omittingEmptySubsequences: false)
        guard fields.count >= 3 else { return nil }
        timestamp = String(decoding: fields[0], as: UTF8.self)
        guard let parsed = Timestamp.parse(timestamp) else { return nil }
        time = parsed
        stream = String(decoding: fields[1], as: UTF8.self)
        partial = fields[2].elementsEqual("P".utf8)
        content = fields.count > 3 ? Array(fields[3]) : []
    }

    /// What the kubelet sends for it: the content, a newline unless partial, and the timestamp
    /// first when asked.
    func rendered(timestamps: Bool) -> [UInt8] {
        var out: [UInt8] = []
        if timestamps { out += Array((timestamp + " ").utf8) }
        out += content
        if !partial { out.append(UInt8(ascii: "\n")) }
        return out
    }
}

/// Reads a container's CRI log file as the kubelet serves it: the last `tailLines` lines, those
/// since a time, at most `limitBytes` bytes; with `follow`, new lines as they are written until the
/// container stops.
struct ContainerLogReader: Sendable {
    let path: String
    let options: LogOptions
    /// Whether the container still runs, so a follow should keep waiting for lines.
    let isRunning: @Sendable () async -> Bool
    var pollInterval: Duration = .milliseconds(100)

    /// Calls `write` with each rendered chunk; returns when done, when the limit is reached, or once
    /// `stopped` says so (the client went away).
    func stream(stopped: @Sendable () -> Bool = { false }, _ write: ([UInt8]) async throws -> Void) async throws {
        guard let handle = FileHandle(forReadingAtPath: path) else { return }
        defer { try? handle.close() }
        var budget = options.limitBytes ?? Int.max
        var pending: [UInt8] = []
        // The existing content, with tail and since applied to whole lines.
        let existing = (try? handle.readToEnd()) ?? Data()
        var bytes = [UInt8](existing)
        let lastNewline = bytes.lastIndex(of: UInt8(ascii: "\n"))
        if let lastNewline {
            pending = Array(bytes[(lastNewline + 1)...])
            bytes.removeSubrange((lastNewline + 1)...)
        } else {
            pending = bytes
            bytes = []
        }
        var entries = bytes.split(separator: UInt8(ascii: "\n")).compactMap(CRILogEntry.init)
        if let since = options.since { entries = entries.filter { $0.time >= since } }
        if let tail = options.tailLines { entries = Self.lastLines(entries, tail) }
        for entry in entries {
            guard try await emit(entry, budget: &budget, write) else { return }
        }
        guard options.follow else { return }
        // Following: the file grows as the container writes; lines end with a newline.
        while !Task.isCancelled, !stopped() {
            let more = (try? handle.readToEnd()) ?? Data()
            if more.isEmpty {
                if !(await isRunning()) {
                    // One last look: lines written just before the container stopped.
                    let last = (try? handle.readToEnd()) ?? Data()
                    if last.isEmpty { return }
                    pending += last
                } else {
                    try await Task.sleep(for: pollInterval)
                    continue
                }
            } else {
                pending += more
            }
            while let newline = pending.firstIndex(of: UInt8(ascii: "\n")) {
                let line = pending[..<newline]
                if let entry = CRILogEntry(line), options.since.map({ entry.time >= $0 }) ?? true {
                    guard try await emit(entry, budget: &budget, write) else { return }
                }
                pending.removeSubrange(...newline)
            }
        }
    }

    private func emit(_ entry: CRILogEntry, budget: inout Int, _ write: ([UInt8]) async throws -> Void) async throws -> Bool {
        var chunk = entry.rendered(timestamps: options.timestamps)
        if chunk.count >= budget {
            chunk = Array(chunk.prefix(budget))
            try await write(chunk)
            return false
        }
        budget -= chunk.count
        try await write(chunk)
        return true
    }

    /// The entries of the last `count` lines, a line being its partial entries and the full one ending it.
    static func lastLines(_ entries: [CRILogEntry], _ count: Int) -> [CRILogEntry] {
        guard count > 0 else { return [] }
        var lines = 0
        var start = entries.count
        var index = entries.count - 1
        while index >= 0 {
            if !entries[index].partial {
                if lines == count { break }
                lines += 1
            }
            start = index
            index -= 1
        }
        return Array(entries[start...])
    }
}
