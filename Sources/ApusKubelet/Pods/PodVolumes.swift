import ApusMachinery
import Foundation

extension Kubelet {
    /// Sets up the pod's volumes on the host and returns each volume's host path by name.
    /// emptyDir lives in the pod's directory; hostPath is the host's own path.
    func prepareVolumes(_ pod: JSON) -> [String: String] {
        let uid = pod["metadata"]["uid"].string ?? ""
        var paths: [String: String] = [:]
        for volume in pod["spec"]["volumes"].array ?? [] {
            let name = volume["name"].string ?? ""
            if !volume["emptyDir"].isNull {
                let path = self.paths.emptyDir(uid: uid, volume: name)
                try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true,
                                                         attributes: [.posixPermissions: 0o777])
                paths[name] = path
            } else if !volume["hostPath"].isNull {
                let path = volume["hostPath"]["path"].string ?? ""
                switch volume["hostPath"]["type"].string {
                case "DirectoryOrCreate":
                    try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o755])
                case "FileOrCreate":
                    if !FileManager.default.fileExists(atPath: path) {
                        _ = FileManager.default.createFile(atPath: path, contents: nil, attributes: [.posixPermissions: 0o644])
                    }
                default:
                    break
                }
                paths[name] = path
            }
        }
        return paths
    }
}
