# The apiextensions.k8s.io/v1 types as of Kubernetes 1.32, written out by hand: kubectl does not
# link the apiextensions-apiserver module, so its binary carries no descriptors for them.
# Same shape as the descriptor-derived messages in gen_schema.py: (json name, type), where type is
# a scalar name, a message name, ('repeated', t) or ('map', t). JSON names are used directly.
PKG = 'k8s.io.apiextensions_apiserver.pkg.apis.apiextensions.v1.'
META = 'k8s.io.apimachinery.pkg.apis.meta.v1.'


def m(name):
    return PKG + name


def rep(t):
    return ('repeated', t)


def amap(t):
    return ('map', t)


MESSAGES = {
    m('CustomResourceDefinition'): [
        ('metadata', META + 'ObjectMeta'), ('spec', m('CustomResourceDefinitionSpec')),
        ('status', m('CustomResourceDefinitionStatus'))],
    m('CustomResourceDefinitionList'): [
        ('metadata', META + 'ListMeta'), ('items', rep(m('CustomResourceDefinition')))],
    m('CustomResourceDefinitionSpec'): [
        ('group', 'string'), ('names', m('CustomResourceDefinitionNames')), ('scope', 'string'),
        ('versions', rep(m('CustomResourceDefinitionVersion'))), ('conversion', m('CustomResourceConversion')),
        ('preserveUnknownFields', 'bool')],
    m('CustomResourceDefinitionNames'): [
        ('plural', 'string'), ('singular', 'string'), ('shortNames', rep('string')), ('kind', 'string'),
        ('listKind', 'string'), ('categories', rep('string'))],
    m('CustomResourceDefinitionVersion'): [
        ('name', 'string'), ('served', 'bool'), ('storage', 'bool'), ('deprecated', 'bool'),
        ('deprecationWarning', 'string'), ('schema', m('CustomResourceValidation')),
        ('subresources', m('CustomResourceSubresources')),
        ('additionalPrinterColumns', rep(m('CustomResourceColumnDefinition'))),
        ('selectableFields', rep(m('SelectableField')))],
    m('SelectableField'): [('jsonPath', 'string')],
    m('CustomResourceColumnDefinition'): [
        ('name', 'string'), ('type', 'string'), ('format', 'string'), ('description', 'string'),
        ('priority', 'int32'), ('jsonPath', 'string')],
    m('CustomResourceConversion'): [('strategy', 'string'), ('webhook', m('WebhookConversion'))],
    m('WebhookConversion'): [('clientConfig', m('WebhookClientConfig')), ('conversionReviewVersions', rep('string'))],
    m('WebhookClientConfig'): [('url', 'string'), ('service', m('ServiceReference')), ('caBundle', 'bytes')],
    m('ServiceReference'): [('namespace', 'string'), ('name', 'string'), ('path', 'string'), ('port', 'int32')],
    m('CustomResourceValidation'): [('openAPIV3Schema', m('JSONSchemaProps'))],
    m('CustomResourceSubresources'): [
        ('status', m('CustomResourceSubresourceStatus')), ('scale', m('CustomResourceSubresourceScale'))],
    m('CustomResourceSubresourceStatus'): [],
    m('CustomResourceSubresourceScale'): [
        ('specReplicasPath', 'string'), ('statusReplicasPath', 'string'), ('labelSelectorPath', 'string')],
    m('CustomResourceDefinitionStatus'): [
        ('conditions', rep(m('CustomResourceDefinitionCondition'))),
        ('acceptedNames', m('CustomResourceDefinitionNames')), ('storedVersions', rep('string'))],
    m('CustomResourceDefinitionCondition'): [
        ('type', 'string'), ('status', 'string'), ('lastTransitionTime', META + 'Time'), ('reason', 'string'),
        ('message', 'string')],
    m('JSONSchemaProps'): [
        ('id', 'string'), ('$schema', 'string'), ('$ref', 'string'), ('description', 'string'), ('type', 'string'),
        ('format', 'string'), ('title', 'string'), ('default', m('JSON')), ('maximum', 'double'),
        ('exclusiveMaximum', 'bool'), ('minimum', 'double'), ('exclusiveMinimum', 'bool'), ('maxLength', 'int64'),
        ('minLength', 'int64'), ('pattern', 'string'), ('maxItems', 'int64'), ('minItems', 'int64'),
        ('uniqueItems', 'bool'), ('multipleOf', 'double'), ('enum', rep(m('JSON'))), ('maxProperties', 'int64'),
        ('minProperties', 'int64'), ('required', rep('string')), ('items', m('JSONSchemaPropsOrArray')),
        ('allOf', rep(m('JSONSchemaProps'))), ('oneOf', rep(m('JSONSchemaProps'))),
        ('anyOf', rep(m('JSONSchemaProps'))), ('not', m('JSONSchemaProps')),
        ('properties', amap(m('JSONSchemaProps'))), ('additionalProperties', m('JSONSchemaPropsOrBool')),
        ('patternProperties', amap(m('JSONSchemaProps'))), ('dependencies', amap(m('JSONSchemaPropsOrStringArray'))),
        ('additionalItems', m('JSONSchemaPropsOrBool')), ('definitions', amap(m('JSONSchemaProps'))),
        ('externalDocs', m('ExternalDocumentation')), ('example', m('JSON')), ('nullable', 'bool'),
        ('x-kubernetes-preserve-unknown-fields', 'bool'), ('x-kubernetes-embedded-resource', 'bool'),
        ('x-kubernetes-int-or-string', 'bool'), ('x-kubernetes-list-map-keys', rep('string')),
        ('x-kubernetes-list-type', 'string'), ('x-kubernetes-map-type', 'string'),
        ('x-kubernetes-validations', rep(m('ValidationRule')))],
    m('ExternalDocumentation'): [('description', 'string'), ('url', 'string')],
    m('ValidationRule'): [
        ('rule', 'string'), ('message', 'string'), ('messageExpression', 'string'), ('reason', 'string'),
        ('fieldPath', 'string'), ('optionalOldSelf', 'bool')],
}

# Types with their own JSON (un)marshalers: any JSON value, or a schema / an alternative form.
SPECIAL = {
    m('JSON'): ('anyValue', None),
    m('JSONSchemaPropsOrArray'): ('schemaOrArray', m('JSONSchemaProps')),
    m('JSONSchemaPropsOrBool'): ('schemaOrBool', m('JSONSchemaProps')),
    m('JSONSchemaPropsOrStringArray'): ('schemaOrStringArray', m('JSONSchemaProps')),
}
