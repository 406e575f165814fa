import ApusStorage
import ApusStorageConformance
import ApusStorageSQLite
import Foundation
import Testing

@Suite struct BackendConformanceTests {
    static let names = StorageConformance.checks.map(\.name)

    static func check(_ name: String) -> StorageConformance.Check {
        StorageConformance.checks.first { $0.name == name }!
    }

    @Test(arguments: names) func memory(_ name: String) async throws {
        try await Self.check(name).run(MemoryBackend())
    }

    @Test(arguments: names) func sqlite(_ name: String) async throws {
        let dir = try TemporaryDirectory()
        try await Self.check(name).run(try SQLiteBackend(path: dir.path + "/state.db"))
    }

    /// Acknowledged means durable: the connection that commits must fsync every commit.
    @Test func sqliteWriterCommitsWithSynchronousFull() async throws {
        let dir = try TemporaryDirectory()
        let store = try SQLiteBackend(path: dir.path + "/state.db")
        #expect(try await store.writerSynchronousLevel() == 2)
        _ = try await store.create("/d/1", value: [1])
        #expect(try await store.writerSynchronousLevel() == 2)
    }

    @Test func sqliteKeepsEveryAcknowledgedWriteAcrossReopen() async throws {
        let dir = try TemporaryDirectory()
        let path = dir.path + "/state.db"
        var last: Int64 = 0
        do {
            let store = try SQLiteBackend(path: path)
            for i in 0..<20 { last = try await store.create("/r/\(i)", value: Array("v\(i)".utf8)) }
        }
        let reopened = try SQLiteBackend(path: path)
        #expect(try await reopened.currentRevision() == last)
        let list = try await reopened.list(prefix: "/r/", atRevision: nil, startAfter: nil, limit: 0)
        #expect(list.items.count == 20)
        let next = try await reopened.create("/r/new", value: [1])
        #expect(next == last + 1)
    }
}

/// A directory under the system temporary directory, removed when the value goes away.
final class TemporaryDirectory: Sendable {
    let path: String
    init() throws {
        path = NSTemporaryDirectory() + "apus-test-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }
    deinit { try? FileManager.default.removeItem(atPath: path) }
}
