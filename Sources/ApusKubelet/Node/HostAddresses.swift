import Foundation

/// The machine's own IPv4 addresses: what a server advertises and a node reports as its InternalIP.
public enum HostAddresses {
    /// The first IPv4 address of an interface that is up and not loopback.
    public static func firstIPv4() -> String? {
        ipv4Addresses().first { $0.up && !$0.loopback }?.address
    }

    /// The IPv4 address of the interface that carries the default route, as the kubelet picks its
    /// node IP when none is given.
    public static func defaultRouteIPv4() -> String? {
        guard let routes = try? String(contentsOfFile: "/proc/net/route", encoding: .utf8) else { return nil }
        var interface: String?
        for line in routes.split(separator: "\n").dropFirst() {
            let fields = line.split(whereSeparator: { $0 == "\t" || $0 == " " })
            if fields.count > 2, fields[1] == "00000000" { interface = String(fields[0]); break }
        }
        guard let interface else { return nil }
        return ipv4Addresses().first { $0.interface == interface }?.address
    }

    struct InterfaceAddress {
        var interface: String
        var address: String
        var up: Bool
        var loopback: Bool
    }

    /// Every interface's IPv4 addresses, in the kernel's order.
    static func ipv4Addresses() -> [InterfaceAddress] {
        var list: UnsafeMutablePointer<ifaddrs>?
        guard getifaddrs(&list) == 0, let first = list else { return [] }
        defer { freeifaddrs(list) }
        var found: [InterfaceAddress] = []
        var cursor: UnsafeMutablePointer<ifaddrs>? = first
        while let entry = cursor {
            defer { cursor = entry.pointee.ifa_next }
            guard let address = entry.pointee.ifa_addr, address.pointee.sa_family == sa_family_t(AF_INET) else { continue }
            var host = [CChar](repeating: 0, count: Int(NI_MAXHOST))
            guard getnameinfo(address, socklen_t(MemoryLayout<sockaddr_in>.size), &host, socklen_t(host.count), nil, 0, NI_NUMERICHOST) == 0 else { continue }
            let flags = Int32(entry.pointee.ifa_flags)
            found.append(InterfaceAddress(interface: String(cString: entry.pointee.ifa_name),
                                          address: String(decoding: host.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self),
                                          up: flags & Int32(IFF_UP) != 0, loopback: flags & Int32(IFF_LOOPBACK) != 0))
        }
        return found
    }
}
