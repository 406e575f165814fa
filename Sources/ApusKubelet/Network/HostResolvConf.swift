import ApusCRI
import Foundation

/// The host's resolver settings (/etc/resolv.conf), which pods get until the cluster serves DNS.
package enum HostResolvConf {
    package static func read(path: String = "/etc/resolv.conf") -> Runtime_V1_DNSConfig {
        var config = Runtime_V1_DNSConfig()
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { return config }
        for line in text.split(separator: "\n") {
            let fields = line.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
            guard let keyword = fields.first, !keyword.hasPrefix("#"), !keyword.hasPrefix(";") else { continue }
            switch keyword {
            case "nameserver": config.servers += fields.dropFirst().prefix(1)
            case "search", "domain": config.searches = Array(fields.dropFirst())
            case "options": config.options += fields.dropFirst()
            default: continue
            }
        }
        return config
    }
}
