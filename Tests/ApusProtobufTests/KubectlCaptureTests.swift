import ApusMachinery
import Testing
@testable import ApusProtobuf

/// Bodies captured from the real kubectl 1.32 (`/usr/lib/google-cloud-sdk/bin/kubectl.1.32`) pointed at a
/// loopback fake API server: `NAME.pb` is the exact POST body of `kubectl create ...`, and `NAME.json` is
/// what `kubectl create ... --dry-run=client -o json` printed for the same command, i.e. the JSON form of
/// the same object. Both sides drop nulls and empty objects before comparing (see
/// `droppingNullsAndEmptyObjects`): Go's printer writes `"creationTimestamp": null`, `"status": {}`
/// and `"resources": {}`, which carry no meaning.
struct KubectlCaptureTests {
    static let captures = [
        "deployment",                   // create deployment web --image=nginx:1.25 --replicas=3 --port=80
        "deployment-multi",             // create deployment multi --image=nginx:1.25 --image=busybox:1.36 --port=8080
        "deployment-zero",              // create deployment zero --image=nginx --replicas=0
        "namespace",                    // create namespace foo
        "configmap",                    // create configmap cm --from-literal=a=1 --from-literal=b=two
        "secret-generic",               // create secret generic s --from-literal=k=v --from-literal=empty=
        "secret-tls",                   // create secret tls tls --cert=tls.crt --key=tls.key
        "secret-docker-registry",       // create secret docker-registry reg --docker-server=... --docker-email=...
        "service-clusterip",            // create service clusterip c --tcp=5678:8080
        "service-clusterip-headless",   // create service clusterip h --clusterip=None
        "service-nodeport",             // create service nodeport ns --tcp=80:8080 --node-port=30080
        "service-loadbalancer",         // create service loadbalancer lb --tcp=443:8443
        "service-externalname",         // create service externalname ext --external-name=example.com
        "job",                          // create job j --image=busybox -- echo hi
        "cronjob",                      // create cronjob cj --image=busybox --schedule="*/1 * * * *" -- date
        "serviceaccount",               // create serviceaccount sa
        "quota",                        // create quota q --hard=cpu=1,memory=1G,pods=2 --scopes=NotBestEffort
        "role",                         // create role r --verb=get --verb=list --resource=pods --resource=deployments.apps --resource-name=x
        "rolebinding",                  // create rolebinding rb --role=r --user=u --group=g --serviceaccount=default:sa
        "clusterrole",                  // create clusterrole cr --verb=get --verb=list --resource=nodes
        "clusterrole-nonresource",      // create clusterrole health --verb=get --non-resource-url=/healthz --non-resource-url=/livez
        "clusterrole-aggregation",      // create clusterrole agg --aggregation-rule=rbac.example.com/aggregate-to-monitoring=true
        "clusterrolebinding",           // create clusterrolebinding crb --clusterrole=cr --user=admin
        "priorityclass",                // create priorityclass pc --value=1000 --description=high --preemption-policy=Never
        "priorityclass-zero",           // create priorityclass pz --value=0 --global-default
        "poddisruptionbudget",          // create poddisruptionbudget pdb --selector=app=web --min-available=1
        "poddisruptionbudget-percent",  // create poddisruptionbudget pdb2 --selector=app=web --max-unavailable=50%
        "ingress",                      // create ingress ing --rule=foo.com/bar=svc1:8080 --rule=bar.com/*=svc2:http,tls=my-cert --class=nginx --annotation=a=b
        "ingress-default-backend",      // create ingress ing2 --default-backend=svc:80
    ]

    @Test(arguments: captures)
    func decodesLikeTheJSONForm(name: String) throws {
        let decoded = try KubernetesProtobuf.decode(try Fixture.bytes(name, "pb"))
        let expected = try Fixture.json(name)
        let left = decoded.droppingNullsAndEmptyObjects ?? .null
        let right = expected.droppingNullsAndEmptyObjects ?? .null
        let differences = left.differences(from: right)
        #expect(differences.isEmpty, "\(name): \(differences)")
    }

    /// The zero values a user asked for survive: `--replicas=0` and `--value=0` are pointer or
    /// non-omitempty fields, so they must not vanish like an unset field would.
    @Test func explicitZerosSurvive() throws {
        let deployment = try KubernetesProtobuf.decode(try Fixture.bytes("deployment-zero", "pb"))
        #expect(deployment[path: ["spec", "replicas"]] == .int(0))
        let priorityClass = try KubernetesProtobuf.decode(try Fixture.bytes("priorityclass-zero", "pb"))
        #expect(priorityClass["value"] == .int(0))
        #expect(priorityClass["globalDefault"] == .bool(true))
    }

    @Test func secretDataIsBase64() throws {
        let secret = try KubernetesProtobuf.decode(try Fixture.bytes("secret-generic", "pb"))
        #expect(secret["data"] == ["k": "dg==", "empty": ""])
        #expect(secret["kind"] == "Secret")
        #expect(secret["apiVersion"] == "v1")
    }

    @Test func intOrStringFields() throws {
        let percent = try KubernetesProtobuf.decode(try Fixture.bytes("poddisruptionbudget-percent", "pb"))
        #expect(percent[path: ["spec", "maxUnavailable"]] == "50%")
        let count = try KubernetesProtobuf.decode(try Fixture.bytes("poddisruptionbudget", "pb"))
        #expect(count[path: ["spec", "minAvailable"]] == .int(1))
        let service = try KubernetesProtobuf.decode(try Fixture.bytes("service-clusterip", "pb"))
        #expect(service[path: ["spec", "ports"]][0]["targetPort"] == .int(8080))
    }

    /// `kubectl create token sa --duration=1h --audience=api` POSTs a TokenRequest to the
    /// serviceaccounts/sa/token subresource (kubectl prints no JSON form for it). The name travels in
    /// the URL only, so the metadata is empty.
    @Test func tokenRequest() throws {
        let decoded = try KubernetesProtobuf.decode(try Fixture.bytes("token", "pb"))
        let expected: JSON = [
            "apiVersion": "authentication.k8s.io/v1", "kind": "TokenRequest",
            "spec": ["audiences": ["api"], "expirationSeconds": 3600],
            "status": ["token": ""],
        ]
        let left = decoded.droppingNullsAndEmptyObjects ?? .null
        let differences = left.differences(from: expected)
        #expect(differences.isEmpty, "\(differences)")
    }
}
