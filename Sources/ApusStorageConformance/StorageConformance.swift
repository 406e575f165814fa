import ApusStorage

/// The behaviour every `KeyValueBackend` must show. Each check gets a fresh, empty backend and throws
/// `ConformanceFailure` with what differed. Backend test suites run every check by name.
public enum StorageConformance {
    public struct Check: Sendable {
        public let name: String
        public let run: @Sendable (any KeyValueBackend) async throws -> Void
    }

    public struct ConformanceFailure: Error, CustomStringConvertible {
        public let description: String
    }

    static func expect(_ condition: Bool, _ message: @autoclosure () -> String) throws {
        if !condition { throw ConformanceFailure(description: message()) }
    }

    static func expectError(_ expected: StorageError, _ body: () async throws -> some Any) async throws {
        do {
            _ = try await body()
        } catch let error as StorageError {
            try expect(error == expected, "expected \(expected), got \(error)")
            return
        }
        throw ConformanceFailure(description: "expected \(expected), got success")
    }

    static func bytes(_ s: String) -> [UInt8] { Array(s.utf8) }

    public static let checks: [Check] = [
        Check(name: "revisions increase by one per write") { store in
            let start = try await store.currentRevision()
            let r1 = try await store.create("/a/1", value: bytes("one"))
            let r2 = try await store.update("/a/1", value: bytes("uno"), expectedRevision: r1)
            let deleted = try await store.delete("/a/1", expectedRevision: r2)
            try expect(r1 == start + 1 && r2 == r1 + 1 && deleted.modRevision == r2 + 1, "revisions \(start) \(r1) \(r2) \(deleted.modRevision)")
            try expect(try await store.currentRevision() == deleted.modRevision, "current revision after writes")
        },
        Check(name: "get returns the latest value and nil after delete") { store in
            let r1 = try await store.create("/a/x", value: bytes("v1"))
            var got = try await store.get("/a/x")
            try expect(got == StoredValue(key: "/a/x", value: bytes("v1"), createRevision: r1, modRevision: r1), "get after create: \(String(describing: got))")
            let r2 = try await store.update("/a/x", value: bytes("v2"), expectedRevision: r1)
            got = try await store.get("/a/x")
            try expect(got?.value == bytes("v2") && got?.modRevision == r2 && got?.createRevision == r1, "get after update")
            let deleted = try await store.delete("/a/x", expectedRevision: nil)
            try expect(deleted.value == bytes("v2"), "delete returns the last value")
            try expect(try await store.get("/a/x") == nil, "get after delete")
            try expect(try await store.get("/a/missing") == nil, "get of a missing key")
        },
        Check(name: "create of a live key fails, of a deleted key succeeds") { store in
            let r1 = try await store.create("/k", value: bytes("a"))
            try await expectError(.keyExists(key: "/k")) { try await store.create("/k", value: bytes("b")) }
            _ = try await store.delete("/k", expectedRevision: r1)
            let r3 = try await store.create("/k", value: bytes("c"))
            try expect(try await store.get("/k")?.createRevision == r3, "recreated key has a new createRevision")
        },
        Check(name: "compare-and-swap rejects a stale revision") { store in
            let r1 = try await store.create("/cas", value: bytes("a"))
            let r2 = try await store.update("/cas", value: bytes("b"), expectedRevision: r1)
            try await expectError(.conflict(key: "/cas", currentRevision: r2)) {
                try await store.update("/cas", value: bytes("c"), expectedRevision: r1)
            }
            try await expectError(.conflict(key: "/cas", currentRevision: r2)) {
                try await store.delete("/cas", expectedRevision: r1)
            }
            try await expectError(.keyNotFound(key: "/none")) {
                try await store.update("/none", value: bytes("c"), expectedRevision: 1)
            }
            try await expectError(.keyNotFound(key: "/none")) { try await store.delete("/none", expectedRevision: nil) }
            try expect(try await store.get("/cas")?.value == bytes("b"), "failed writes change nothing")
        },
        Check(name: "list is ordered, prefix-bounded and paginated") { store in
            for name in ["c", "a", "b", "d"] { _ = try await store.create("/p/\(name)", value: bytes(name)) }
            _ = try await store.create("/q/a", value: bytes("other"))
            _ = try await store.create("/p", value: bytes("not under /p/"))
            let all = try await store.list(prefix: "/p/", atRevision: nil, startAfter: nil, limit: 0)
            try expect(all.items.map(\.key) == ["/p/a", "/p/b", "/p/c", "/p/d"] && !all.hasMore, "full list: \(all.items.map(\.key))")
            let page1 = try await store.list(prefix: "/p/", atRevision: nil, startAfter: nil, limit: 3)
            try expect(page1.items.map(\.key) == ["/p/a", "/p/b", "/p/c"] && page1.hasMore, "page 1")
            let page2 = try await store.list(prefix: "/p/", atRevision: page1.revision, startAfter: "/p/c", limit: 3)
            try expect(page2.items.map(\.key) == ["/p/d"] && !page2.hasMore && page2.revision == page1.revision, "page 2")
        },
        Check(name: "list at an older revision sees the old state") { store in
            let r1 = try await store.create("/h/a", value: bytes("a1"))
            let r2 = try await store.create("/h/b", value: bytes("b1"))
            _ = try await store.update("/h/a", value: bytes("a2"), expectedRevision: r1)
            _ = try await store.delete("/h/b", expectedRevision: r2)
            let old = try await store.list(prefix: "/h/", atRevision: r2, startAfter: nil, limit: 0)
            try expect(old.items.map(\.value) == [bytes("a1"), bytes("b1")], "state at r2")
            let now = try await store.list(prefix: "/h/", atRevision: nil, startAfter: nil, limit: 0)
            try expect(now.items.map(\.value) == [bytes("a2")], "state now")
            let future = try await store.currentRevision() + 10
            try await expectError(.futureRevision(requested: future, currentRevision: future - 10)) {
                try await store.list(prefix: "/h/", atRevision: future, startAfter: nil, limit: 0)
            }
        },
        Check(name: "events after a revision replay the log") { store in
            let start = try await store.currentRevision()
            let r1 = try await store.create("/e/a", value: bytes("1"))
            let r2 = try await store.update("/e/a", value: bytes("2"), expectedRevision: r1)
            _ = try await store.create("/other/z", value: bytes("z"))
            _ = try await store.delete("/e/a", expectedRevision: r2)
            let events = try await store.events(after: start, prefix: "/e/", limit: 0)
            try expect(events.map(\.kind) == [.created, .updated, .deleted], "kinds \(events.map(\.kind))")
            try expect(events[1].previousValue == bytes("1") && events[2].value == bytes("2"), "values and previous values")
            let tail = try await store.events(after: r1, prefix: "/e/", limit: 1)
            try expect(tail.count == 1 && tail[0].revision == r2, "limit and start")
        },
        Check(name: "watch delivers history then live events in order") { store in
            let start = try await store.currentRevision()
            let r1 = try await store.create("/w/a", value: bytes("1"))
            let stream = store.watch(after: start)
            let r2 = try await store.update("/w/a", value: bytes("2"), expectedRevision: r1)
            _ = try await store.delete("/w/a", expectedRevision: r2)
            var seen: [(StoreEvent.Kind, Int64)] = []
            for try await event in stream {
                seen.append((event.kind, event.revision))
                if seen.count == 3 { break }
            }
            try expect(seen.map(\.0) == [.created, .updated, .deleted], "kinds \(seen)")
            try expect(seen.map(\.1) == [r1, r2, r2 + 1], "revisions \(seen)")
        },
        Check(name: "concurrent writes all land with distinct revisions") { store in
            let revisions = try await withThrowingTaskGroup(of: Int64.self) { group in
                for i in 0..<50 { group.addTask { try await store.create("/c/\(i)", value: bytes("\(i)")) } }
                var all: [Int64] = []
                for try await r in group { all.append(r) }
                return all
            }
            try expect(Set(revisions).count == 50, "distinct revisions")
            let list = try await store.list(prefix: "/c/", atRevision: nil, startAfter: nil, limit: 0)
            try expect(list.items.count == 50, "all 50 stored")
        },
        Check(name: "compaction forgets history but keeps live keys") { store in
            let r1 = try await store.create("/z/a", value: bytes("1"))
            let r2 = try await store.update("/z/a", value: bytes("2"), expectedRevision: r1)
            let r3 = try await store.create("/z/b", value: bytes("b"))
            _ = try await store.delete("/z/b", expectedRevision: r3)
            try await store.compact(upTo: r3 + 1)
            try expect(try await store.compactedRevision() == r3 + 1, "compacted revision recorded")
            try await expectError(.compacted(requested: r1, compactedRevision: r3 + 1)) {
                try await store.events(after: r1, prefix: "/z/", limit: 0)
            }
            try await expectError(.compacted(requested: r2, compactedRevision: r3 + 1)) {
                try await store.list(prefix: "/z/", atRevision: r2, startAfter: nil, limit: 0)
            }
            let live = try await store.list(prefix: "/z/", atRevision: nil, startAfter: nil, limit: 0)
            try expect(live.items.map(\.value) == [bytes("2")] && live.items[0].modRevision == r2, "live key survives")
            let r5 = try await store.update("/z/a", value: bytes("3"), expectedRevision: r2)
            try expect(r5 == r3 + 2, "revisions continue after compaction")
        },
    ]
}
