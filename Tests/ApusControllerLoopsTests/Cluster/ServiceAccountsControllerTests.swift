import ApusControllerKit
import ApusControllerLoops
import ApusControllerTesting
import ApusMachinery
import Testing

@Suite struct ServiceAccountsControllerTests {
    let h = ClusterHarness()

    func namespace(_ name: String, phase: String = "Active") -> JSON {
        ["apiVersion": "v1", "kind": "Namespace", "metadata": ["name": .string(name)], "status": ["phase": .string(phase)]]
    }

    @Test func everyActiveNamespaceGetsADefaultServiceAccount() async throws {
        await h.cluster.seed(.namespaces, [namespace("team")])
        let controller = ServiceAccountsController(context: h.context)
        #expect(await controller.sync("team") == .done)
        let account = try #require(await h.cluster.object(.serviceAccounts, "team/default"))
        #expect(account["kind"] == "ServiceAccount")
        await h.cluster.forgetCalls()
        #expect(await controller.sync("team") == .done)
        #expect(await h.cluster.calls.isEmpty)
    }

    @Test func aDeletedDefaultServiceAccountIsRecreated() async throws {
        await h.cluster.seed(.namespaces, [namespace("team")])
        let controller = ServiceAccountsController(context: h.context)
        _ = await controller.sync("team")
        let account = try #require(await h.cluster.object(.serviceAccounts, "team/default"))
        _ = try await h.cluster.delete(.serviceAccounts, namespace: "team", name: "default")
        let watch = try #require(controller.watches.first { $0.resource == .serviceAccounts })
        #expect(await watch.keys(account, nil) == ["team"])
        #expect(await watch.keys(nil, account).isEmpty)
        _ = await controller.sync("team")
        #expect(await h.cluster.object(.serviceAccounts, "team/default") != nil)
    }

    @Test func terminatingOrMissingNamespacesGetNothing() async {
        await h.cluster.seed(.namespaces, [namespace("old", phase: "Terminating")])
        let controller = ServiceAccountsController(context: h.context)
        #expect(await controller.sync("old") == .done)
        #expect(await controller.sync("never") == .done)
        #expect(await h.cluster.calls.isEmpty)
    }

    @Test func aCacheThatLagsIsHarmless() async {
        await h.cluster.seed(.namespaces, [namespace("team")])
        await h.cluster.failNext("create", .serviceAccounts, with: .api(.alreadyExists(Resource.serviceAccounts.groupResource, name: "default")))
        #expect(await ServiceAccountsController(context: h.context).sync("team") == .done)
    }
}
