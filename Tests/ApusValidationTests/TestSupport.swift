import ApusMachinery
@testable import ApusValidation

/// The printed form of each error, as kubectl shows it after "is invalid:".
func messages(_ errors: [FieldError]) -> [String] { errors.map(\.description) }

func parse(_ text: String) -> JSON {
    (try? JSON.parse(text)) ?? .null
}

/// A minimal valid pod spec with one container.
func podSpec(_ containers: JSON = [["name": "web", "image": "nginx"]]) -> JSON {
    ["containers": containers]
}

func deployment(labels: JSON = ["app": "web"], selector: JSON = ["matchLabels": ["app": "web"]], replicas: JSON = 1) -> JSON {
    [
        "apiVersion": "apps/v1", "kind": "Deployment",
        "metadata": ["name": "web", "namespace": "default"],
        "spec": [
            "replicas": replicas,
            "selector": selector,
            "template": ["metadata": ["labels": labels], "spec": podSpec()],
        ],
    ]
}
