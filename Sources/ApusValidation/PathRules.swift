import ApusMachinery

/// Rules for file paths inside volumes (`subPath`, `items[].path`, `hostPath.path`).
enum PathRules {
    static func noBacksteps(_ path: String, _ field: FieldPath) -> [FieldError] {
        path.split(separator: "/", omittingEmptySubsequences: false).contains("..")
            ? [.invalid(field, string: path, "must not contain '..'")] : []
    }

    static func localDescending(_ path: String, _ field: FieldPath) -> [FieldError] {
        var errs: [FieldError] = []
        if path.hasPrefix("/") { errs.append(.invalid(field, string: path, "must be a relative path")) }
        return errs + noBacksteps(path, field)
    }

    static func localNonReserved(_ path: String, _ field: FieldPath) -> [FieldError] {
        var errs = localDescending(path, field)
        if path.hasPrefix("..") && !path.hasPrefix("../") {
            errs.append(.invalid(field, string: path, "must not start with '..'"))
        }
        return errs
    }
}
