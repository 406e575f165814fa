import Foundation
import Testing

/// `kubectl get -w`, deletion that waits, and durability across `kill -9`.
@Suite struct WatchAndDurabilityTests {
    @Test func getWatchShowsAdditionsChangesAndDeletions() async throws {
        let apus = try await ApusProcess()
        defer { apus.stop() }
        try await apus.ok("create", "configmap", "existing", "--from-literal=a=1")
        // kubectl get -w runs until stopped; the harness ends it after the timeout and keeps its output.
        async let watched = apus.kubectl(["get", "configmaps", "-w"], timeout: 20)
        try await Task.sleep(for: .seconds(2))
        try await apus.ok("create", "configmap", "watched", "--from-literal=a=1")
        try await apus.ok("label", "configmap", "watched", "step=two")
        try await apus.ok("delete", "configmap", "watched")
        let output = try await watched
        let lines = output.stdout.split(separator: "\n").map(String.init)
        #expect(lines.first?.hasPrefix("NAME") == true, "\(output.stdout)")
        #expect(lines.contains { $0.hasPrefix("existing ") })
        // Added, labelled (modified) and deleted: three rows for the watched map.
        #expect(lines.filter { $0.hasPrefix("watched ") }.count == 3, "\(output.stdout)")
    }

    @Test func killNineLosesNoAcknowledgedWrite() async throws {
        let apus = try await ApusProcess()
        defer { apus.stop() }
        var versions: [Int] = []
        for i in 0..<20 {
            let rv = try await apus.ok("create", "configmap", "durable-\(i)", "--from-literal=i=\(i)", "-o", "jsonpath={.metadata.resourceVersion}")
            versions.append(Int(rv) ?? -1)
        }
        #expect(versions == versions.sorted() && Set(versions).count == 20)
        let watchFrom = versions[9]
        apus.kill9()
        try await apus.restart()

        let names = try await apus.ok("get", "configmaps", "-o", "name")
        for i in 0..<20 { #expect(names.contains("configmap/durable-\(i)\n"), "durable-\(i) lost after kill -9") }
        let after = try await apus.ok("create", "configmap", "after-restart", "-o", "jsonpath={.metadata.resourceVersion}")
        #expect((Int(after) ?? 0) > versions.last!)

        // A watch from a revision before the crash resumes with the later events.
        let resumed = try await apus.kubectl(["get", "--raw",
            "/api/v1/namespaces/default/configmaps?watch=true&resourceVersion=\(watchFrom)&timeoutSeconds=2"], timeout: 10)
        #expect(resumed.status == 0, "\(resumed.stderr)")
        let events = resumed.stdout.split(separator: "\n")
        #expect(events.count == 11, "expected durable-10…19 and after-restart, got \(events.count)")
        #expect(events.first?.contains("durable-10") == true)
        #expect(events.allSatisfy { $0.hasPrefix("{\"type\":\"ADDED\"") })
    }

    @Test func deleteWaitsForGracefulPodDeletionToFinish() async throws {
        let apus = try await ApusProcess()
        defer { apus.stop() }
        // An unscheduled pod is deleted at once; kubectl's wait returns immediately.
        try await apus.ok("run", "lonely", "--image=busybox", "--restart=Never")
        let phase = try await apus.ok("get", "pod", "lonely", "-o", "jsonpath={.status.phase} {.spec.restartPolicy} {.status.qosClass}")
        #expect(phase == "Pending Never BestEffort")
        let deleted = try await apus.ok("delete", "pod", "lonely")
        #expect(deleted.contains("pod \"lonely\" deleted"))
        #expect(try await apus.fails("get", "pod", "lonely").contains("NotFound"))
    }
}
