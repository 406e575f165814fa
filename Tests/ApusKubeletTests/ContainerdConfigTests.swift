@testable import ApusKubelet
import Testing

struct ContainerdConfigTests {
    @Test func rendersItsOwnPathsAndTheOOMSetting() {
        let settings = ContainerdSettings(paths: ContainerdPaths(directory: "/data/agent/containerd"), sandboxImage: "apus.local/pause:1.0",
                                          cniBinDirectory: "/usr/lib/cni", cniConfDirectory: "/data/agent/cni")
        let text = ContainerdConfig.render(settings)
        #expect(text.contains("root = \"/data/agent/containerd/root\""))
        #expect(text.contains("state = \"/data/agent/containerd/state\""))
        #expect(text.contains("address = \"/data/agent/containerd/containerd.sock\""))
        #expect(text.contains("restrict_oom_score_adj = true"))
        #expect(text.contains("sandbox_image = \"apus.local/pause:1.0\""))
        #expect(text.contains("conf_dir = \"/data/agent/cni\""))
        #expect(text.contains("config_path = \"/data/agent/containerd/certs.d\""))
    }

    @Test func quotesTOMLStrings() {
        #expect(ContainerdConfig.quoted("a\"b\\c") == "\"a\\\"b\\\\c\"")
        #expect(ContainerdConfig.quoted("tab\there") == "\"tab\\there\"")
        #expect(ContainerdConfig.quoted("\u{1}") == "\"\\u0001\"")
    }
}
