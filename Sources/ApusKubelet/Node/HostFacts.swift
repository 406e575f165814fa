import Foundation

/// What the node reports about the machine it runs on: capacity, addresses and system info, read
/// from the kernel (sysconf, /proc, statvfs) when the agent starts.
public struct HostFacts: Sendable, Equatable {
    public var hostname: String
    public var internalIP: String
    public var cpus: Int
    public var memoryBytes: Int64
    public var ephemeralStorageBytes: Int64
    public var kernelVersion: String
    public var osImage: String
    public var machineID: String
    public var bootID: String
    public var architecture: String

    public init(hostname: String, internalIP: String, cpus: Int, memoryBytes: Int64, ephemeralStorageBytes: Int64,
                kernelVersion: String, osImage: String, machineID: String, bootID: String, architecture: String) {
        self.hostname = hostname
        self.internalIP = internalIP
        self.cpus = cpus
        self.memoryBytes = memoryBytes
        self.ephemeralStorageBytes = ephemeralStorageBytes
        self.kernelVersion = kernelVersion
        self.osImage = osImage
        self.machineID = machineID
        self.bootID = bootID
        self.architecture = architecture
    }

    /// Reads this machine. `dataDirectory` is where pods' writable data lives (ephemeral storage).
    public static func read(dataDirectory: String, nodeIP: String?) -> HostFacts {
        var name = [CChar](repeating: 0, count: 256)
        gethostname(&name, name.count)
        var system = utsname()
        uname(&system)
        let kernel = withUnsafeBytes(of: system.release) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
        let machine = withUnsafeBytes(of: system.machine) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
        var disk = statvfs()
        let storage = statvfs(dataDirectory, &disk) == 0 ? Int64(disk.f_blocks) * Int64(disk.f_frsize) : 0
        return HostFacts(
            hostname: String(decoding: name.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self).lowercased(),
            internalIP: nodeIP ?? HostAddresses.defaultRouteIPv4() ?? "127.0.0.1",
            cpus: max(1, sysconf(Int32(_SC_NPROCESSORS_ONLN))),
            memoryBytes: memInfoTotal() ?? Int64(sysconf(Int32(_SC_PHYS_PAGES))) * Int64(sysconf(Int32(_SC_PAGESIZE))),
            ephemeralStorageBytes: storage,
            kernelVersion: kernel,
            osImage: osRelease() ?? "Linux",
            machineID: firstLine("/etc/machine-id") ?? "",
            bootID: firstLine("/proc/sys/kernel/random/boot_id") ?? "",
            architecture: goArchitecture(machine))
    }

    /// Kubernetes names architectures as Go does.
    static func goArchitecture(_ machine: String) -> String {
        switch machine {
        case "x86_64": "amd64"
        case "aarch64": "arm64"
        default: machine
        }
    }

    static func memInfoTotal() -> Int64? {
        guard let text = try? String(contentsOfFile: "/proc/meminfo", encoding: .utf8) else { return nil }
        for line in text.split(separator: "\n") where line.hasPrefix("MemTotal:") {
            let fields = line.split(separator: " ")
            if fields.count >= 2, let kib = Int64(fields[1]) { return kib * 1024 }
        }
        return nil
    }

    static func osRelease() -> String? {
        guard let text = try? String(contentsOfFile: "/etc/os-release", encoding: .utf8) else { return nil }
        for line in text.split(separator: "\n") where line.hasPrefix("PRETTY_NAME=") {
            return String(line.dropFirst("PRETTY_NAME=".count)).trimmingCharacters(in: CharacterSet(charactersIn: "\""))
        }
        return nil
    }

    static func firstLine(_ path: String) -> String? {
        (try? String(contentsOfFile: path, encoding: .utf8))?.split(separator: "\n").first.map(String.init)
    }
}
