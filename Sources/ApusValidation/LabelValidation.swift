import ApusMachinery

/// Labels, annotations and label selectors (apimachinery `meta/v1/validation` and `api/validation`).
enum LabelValidation {
    static let totalAnnotationSizeLimit = 256 * 1024

    /// Every key must be a qualified name and every value a label value; errors name the map's path.
    static func labels(_ labels: JSON, _ path: FieldPath) -> [FieldError] {
        guard let object = labels.object else { return [] }
        var errs: [FieldError] = []
        for key in object.keys.sorted() {
            errs += FieldError.invalidEach(path, string: key, NameValidation.isQualifiedName(key))
            if let value = object[key]?.string {
                errs += FieldError.invalidEach(path, string: value, NameValidation.isValidLabelValue(value))
            }
        }
        return errs
    }

    static func annotations(_ annotations: JSON, _ path: FieldPath) -> [FieldError] {
        guard let object = annotations.object else { return [] }
        var errs: [FieldError] = []
        var total = 0
        for key in object.keys.sorted() {
            // Case does not matter for annotation keys, so the qualified-name rule runs on the lowercased key.
            errs += FieldError.invalidEach(path, string: key, NameValidation.isQualifiedName(key.lowercased()))
            total += key.utf8.count + (object[key]?.string?.utf8.count ?? 0)
        }
        if total > totalAnnotationSizeLimit { errs.append(.tooLong(path, totalAnnotationSizeLimit)) }
        return errs
    }

    static func labelName(_ name: String, _ path: FieldPath) -> [FieldError] {
        FieldError.invalidEach(path, string: name, NameValidation.isQualifiedName(name))
    }

    /// `ValidateLabelSelector` (with label values in expressions checked, as for workload selectors).
    static func selector(_ selector: JSON, _ path: FieldPath) -> [FieldError] {
        guard selector.object != nil else { return [] }
        var errs = labels(selector["matchLabels"], path.child("matchLabels"))
        for (i, expression) in (selector["matchExpressions"].array ?? []).enumerated() {
            let exprPath = path.child("matchExpressions").index(i)
            let values = expression["values"].array ?? []
            let op = expression["operator"].string ?? ""
            switch op {
            case "In", "NotIn":
                if values.isEmpty {
                    errs.append(.required(exprPath.child("values"), "must be specified when `operator` is 'In' or 'NotIn'"))
                }
            case "Exists", "DoesNotExist":
                if !values.isEmpty {
                    errs.append(.forbidden(exprPath.child("values"), "may not be specified when `operator` is 'Exists' or 'DoesNotExist'"))
                }
            default:
                errs.append(.invalid(exprPath.child("operator"), string: op, "not a valid selector operator"))
            }
            errs += labelName(expression["key"].string ?? "", exprPath.child("key"))
            for (j, value) in values.enumerated() {
                if let text = value.string {
                    errs += FieldError.invalidEach(exprPath.child("values").index(j), string: text, NameValidation.isValidLabelValue(text))
                }
            }
        }
        return errs
    }

    /// Whether `metav1.LabelSelectorAsSelector` would accept the selector (nil is accepted: it selects nothing).
    static func isConvertible(_ selector: JSON) -> Bool {
        if selector.isNull { return true }
        guard selector.object != nil else { return false }
        for (key, value) in selector["matchLabels"].object ?? [:] {
            guard NameValidation.isQualifiedName(key).isEmpty, let text = value.string,
                  NameValidation.isValidLabelValue(text).isEmpty else { return false }
        }
        for expression in selector["matchExpressions"].array ?? [] {
            guard let key = expression["key"].string, NameValidation.isQualifiedName(key).isEmpty else { return false }
            let values = expression["values"].array ?? []
            switch expression["operator"].string {
            case "In", "NotIn":
                if values.isEmpty { return false }
            case "Exists", "DoesNotExist":
                if !values.isEmpty { return false }
            default:
                return false
            }
            for value in values {
                guard let text = value.string, NameValidation.isValidLabelValue(text).isEmpty else { return false }
            }
        }
        return true
    }

    /// True when the selector has neither matchLabels nor matchExpressions (it would select everything).
    static func isEmptySelector(_ selector: JSON) -> Bool {
        (selector["matchLabels"].object?.isEmpty ?? true) && (selector["matchExpressions"].array?.isEmpty ?? true)
    }

    /// Whether the selector selects a pod carrying `labels`.
    static func matches(_ selector: JSON, labels: JSON) -> Bool {
        var set: [String: String] = [:]
        for (key, value) in labels.object ?? [:] { if let text = value.string { set[key] = text } }
        guard let parsed = try? LabelSelector.from(selector) else { return false }
        return parsed.matches(set)
    }

    /// Whether a map-style selector (Services, ReplicationControllers) selects `labels`.
    static func mapMatches(_ selector: JSON, labels: JSON) -> Bool {
        for (key, value) in selector.object ?? [:] where labels[key].string != value.string { return false }
        return true
    }
}
