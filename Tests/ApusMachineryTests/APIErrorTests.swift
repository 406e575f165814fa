import ApusMachinery
import Testing

@Suite("APIError as metav1.Status")
struct APIErrorTests {
    static let pods = GroupResource(group: "", resource: "pods")
    static let deployments = GroupResource(group: "apps", resource: "deployments")

    @Test("group resources are named as Kubernetes names them")
    func groupResourceNames() {
        #expect(Self.pods.description == "pods")
        #expect(Self.deployments.description == "deployments.apps")
    }

    @Test("not found")
    func notFound() {
        let error = APIError.notFound(Self.pods, name: "x")
        #expect(error.code == 404)
        #expect(error.message == #"pods "x" not found"#)
        let expected: JSON = [
            "kind": "Status", "apiVersion": "v1", "metadata": [:], "status": "Failure",
            "message": #"pods "x" not found"#, "reason": "NotFound", "code": 404,
            "details": ["name": "x", "group": "", "kind": "pods"],
        ]
        #expect(error.status == expected)
        #expect(error.status.serializedString
            == #"{"apiVersion":"v1","code":404,"details":{"group":"","kind":"pods","name":"x"},"kind":"Status","message":"pods \"x\" not found","metadata":{},"reason":"NotFound","status":"Failure"}"#)
        #expect(APIError.notFound(Self.deployments, name: "web").message == #"deployments.apps "web" not found"#)
    }

    @Test("already exists")
    func alreadyExists() {
        let error = APIError.alreadyExists(Self.deployments, name: "x")
        #expect(error.code == 409)
        let expected: JSON = [
            "kind": "Status", "apiVersion": "v1", "metadata": [:], "status": "Failure",
            "message": #"deployments.apps "x" already exists"#, "reason": "AlreadyExists", "code": 409,
            "details": ["name": "x", "group": "apps", "kind": "deployments"],
        ]
        #expect(error.status == expected)
    }

    @Test("conflict")
    func conflict() {
        let error = APIError.conflict(Self.pods, name: "x")
        #expect(error.code == 409)
        #expect(error.reason == "Conflict")
        #expect(error.message
            == #"Operation cannot be fulfilled on pods "x": the object has been modified; please apply your changes to the latest version and try again"#)
        #expect(error.status["details"] == ["name": "x", "group": "", "kind": "pods"])
        let custom = APIError.conflict(Self.deployments, name: "d", detail: "Precondition failed: UID in precondition: a, UID in object meta: b")
        #expect(custom.message == #"Operation cannot be fulfilled on deployments.apps "d": Precondition failed: UID in precondition: a, UID in object meta: b"#)
    }

    @Test("invalid with one error")
    func invalidOne() {
        let error = APIError.invalid(kind: "Pod", group: "", name: "x", errors: [.required("spec.containers")])
        #expect(error.code == 422)
        #expect(error.reason == "Invalid")
        #expect(error.message == #"Pod "x" is invalid: spec.containers: Required value"#)
        let expected: JSON = [
            "kind": "Status", "apiVersion": "v1", "metadata": [:], "status": "Failure",
            "message": #"Pod "x" is invalid: spec.containers: Required value"#, "reason": "Invalid", "code": 422,
            "details": [
                "name": "x", "group": "", "kind": "Pod",
                "causes": [["reason": "FieldValueRequired", "message": "Required value", "field": "spec.containers"]],
            ],
        ]
        #expect(error.status == expected)
    }

    @Test("invalid with several errors lists them in brackets")
    func invalidSeveral() {
        let errors: [FieldError] = [
            .required("metadata.name", "name or generateName is required"),
            .invalid("spec.replicas", -1, "must be greater than or equal to 0"),
            .notSupported("spec.restartPolicy", "Sometimes", ["Always", "OnFailure", "Never"]),
        ]
        let error = APIError.invalid(kind: "Pod", group: "", name: "x", errors: errors)
        #expect(error.message == #"Pod "x" is invalid: [metadata.name: Required value: name or generateName is required, spec.replicas: Invalid value: -1: must be greater than or equal to 0, spec.restartPolicy: Unsupported value: "Sometimes": supported values: "Always", "OnFailure", "Never"]"#)
        let causes = error.status["details"]["causes"].array ?? []
        #expect(causes.count == 3)
        #expect(causes[1] == ["reason": "FieldValueInvalid", "message": "Invalid value: -1: must be greater than or equal to 0", "field": "spec.replicas"])
        #expect(causes[2]["reason"] == "FieldValueNotSupported")
    }

    @Test("invalid names a kind of a named group as Kind.group")
    func invalidGroupKind() {
        // Kubernetes' NewInvalid prints qualifiedKind.String(): "Deployment.apps" for apps/v1 Deployments.
        let error = APIError.invalid(kind: "Deployment", group: "apps", name: "web",
                                     errors: [.invalid("spec.replicas", -1, "must be greater than or equal to 0")])
        #expect(error.message == #"Deployment.apps "web" is invalid: spec.replicas: Invalid value: -1: must be greater than or equal to 0"#)
        #expect(error.status["details"]["kind"] == "Deployment")
        #expect(error.status["details"]["group"] == "apps")
    }

    @Test("other constructors")
    func others() {
        let bad = APIError.badRequest("nope")
        #expect(bad.status == ["kind": "Status", "apiVersion": "v1", "metadata": [:], "status": "Failure",
                               "message": "nope", "reason": "BadRequest", "code": 400])
        #expect(APIError.expired("too old").code == 410)
        #expect(APIError.expired("too old").reason == "Expired")
        #expect(APIError.gone("x").reason == "Gone")
        let forbidden = APIError.forbidden(Self.pods, name: "p", message: "no")
        #expect(forbidden.code == 403)
        #expect(forbidden.message == #"pods "p" is forbidden: no"#)
        let method = APIError.methodNotSupported(Self.deployments, verb: "POST")
        #expect(method.code == 405)
        #expect(method.message == #"POST is not supported on resources of kind "deployments.apps""#)
        let internalError = APIError.internalError("boom")
        #expect(internalError.message == "Internal error occurred: boom")
        #expect(internalError.status["details"]["causes"] == [["reason": "", "message": "boom"]])
        #expect(APIError.unauthorized.status["code"] == 401)
        #expect(bad.description == "400 BadRequest: nope")
    }

    @Test("an empty reason is left out of the status")
    func emptyReason() {
        let error = APIError(code: 500, reason: "", message: "m")
        #expect(error.status.object?["reason"] == nil)
    }

    @Test("retryAfterSeconds and uid appear in details")
    func detailsExtras() {
        let error = APIError(code: 429, reason: "TooManyRequests", message: "slow down",
                             details: .init(uid: "u1", retryAfterSeconds: 2))
        #expect(error.status["details"] == ["uid": "u1", "retryAfterSeconds": 2])
    }
}

@Suite("FieldError")
struct FieldErrorTests {
    @Test("description is `field: body`, the cause message is the body alone", arguments: [
        (FieldError.required("spec.containers"), "Required value"),
        (FieldError.required("metadata.name", "name or generateName is required"), "Required value: name or generateName is required"),
        (FieldError.invalid("metadata.name", "Bad_Name", "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters"),
         #"Invalid value: "Bad_Name": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters"#),
        (FieldError.invalid("spec.replicas", -1, "must be greater than or equal to 0"), "Invalid value: -1: must be greater than or equal to 0"),
        (FieldError.invalid("spec.paused", true, "x"), "Invalid value: true: x"),
        (FieldError.invalid("spec.ratio", 0.5, "x"), "Invalid value: 0.5: x"),
        (FieldError.notSupported("spec.type", "Weird", ["ClusterIP", "NodePort"]), #"Unsupported value: "Weird": supported values: "ClusterIP", "NodePort""#),
        (FieldError.forbidden("spec.nodeName", "may not be set"), "Forbidden: may not be set"),
        (FieldError.duplicate("spec.ports[1].name", "http"), #"Duplicate value: "http""#),
    ])
    func descriptionAndCause(error: FieldError, body: String) {
        #expect(error.body == body)
        #expect(error.description == "\(error.field): \(body)")
        #expect(error.cause.message == body)
        #expect(error.cause.field == error.field)
        #expect(error.cause.reason == error.kind.rawValue)
    }

    @Test("cause reasons are Kubernetes' cause types")
    func causeTypes() {
        #expect(FieldError.required("a").cause.reason == "FieldValueRequired")
        #expect(FieldError.invalid("a", 1, "x").cause.reason == "FieldValueInvalid")
        #expect(FieldError.notSupported("a", 1, []).cause.reason == "FieldValueNotSupported")
        #expect(FieldError.forbidden("a", "x").cause.reason == "FieldValueForbidden")
        #expect(FieldError.duplicate("a", 1).cause.reason == "FieldValueDuplicate")
        #expect(FieldError.tooLong("a", 5).cause.reason == "FieldValueTooLong")
    }

    @Test("values are rendered as Kubernetes shows them")
    func rendering() {
        #expect(FieldError.render("s") == #""s""#)
        #expect(FieldError.render(3) == "3")
        #expect(FieldError.render(false) == "false")
        #expect(FieldError.render(nil) == "null")
        #expect(FieldError.render(["a": 1]) == #"{"a":1}"#)
    }
}
