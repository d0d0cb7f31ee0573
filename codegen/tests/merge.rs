//! A member that several `allOf` parts define holds what every part says (`lower::merge`):
//! objects merge into one struct, recursively, required when any part requires a member; one
//! type stays that type; a string enum narrows a plain string; conflicting types stop codegen
//! with an error naming the place. Written on a small spec here, then checked member by member
//! with `codegen::members`.

use codegen::ir::{Api, Struct, TypeKind, TypeRef};
use codegen::{load, lower, members, Error, Selection};

const SPEC: &str = r##"
openapi: "3.0.0"
info: {title: Fixture, version: "1"}
tags: [{name: Services}]
paths:
  /v1/services:
    post:
      operationId: services_create
      tags: [Services]
      requestBody:
        required: true
        content:
          application/json:
            schema: {$ref: "#/components/schemas/service"}
      responses:
        "200":
          description: The service.
          content:
            application/json:
              schema: {$ref: "#/components/schemas/service"}
  /v1/scaling:
    get:
      operationId: services_get_scaling
      tags: [Services]
      responses:
        "200":
          description: The scaling.
          content:
            application/json:
              schema: {$ref: "#/components/schemas/scaling"}
components:
  schemas:
    scaling:
      type: object
      required: [name]
      properties:
        name: {type: string, description: "The name."}
        kind: {type: string}
        size: {type: integer}
        metrics:
          type: object
          description: "What scaling follows."
          properties:
            cpu:
              type: object
              properties:
                percent: {type: integer}
    service:
      allOf:
        - $ref: "#/components/schemas/scaling"
        - type: object
          required: [size]
          properties:
            name: {type: string}
            kind: {type: string, enum: [web, worker]}
            size: {description: "Instances."}
            metrics:
              type: object
              required: [requests]
              properties:
                requests:
                  type: object
                  properties:
                    per_second: {type: integer}
                cpu:
                  type: object
                  required: [memory]
                  properties:
                    memory: {type: integer}
"##;

fn lowered(spec: &str) -> (load::Spec, Result<Api, Error>) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("openapi.yaml");
    std::fs::write(&path, spec).unwrap();
    let spec = load::load(&path).unwrap();
    let api = lower::lower(&spec, &Selection::default());
    (spec, api)
}

fn structure<'a>(api: &'a Api, name: &str) -> &'a Struct {
    match &api.types.get(name).unwrap_or_else(|| panic!("no type {name}: {:?}", api.types.keys())).kind {
        TypeKind::Struct(s) => s,
        other => panic!("{name} is not a struct: {other:?}"),
    }
}

/// (wire name, required, type) of each field.
fn fields(s: &Struct) -> Vec<(&str, bool, TypeRef)> {
    s.fields.iter().map(|f| (f.wire.as_str(), f.required, f.ty.clone())).collect()
}

fn named(name: &str) -> TypeRef {
    TypeRef::Named(name.to_owned())
}

#[test]
fn objects_that_several_parts_define_merge_recursively_with_required_after_the_merge() {
    let (spec, api) = lowered(SPEC);
    let api = api.unwrap();
    assert_eq!(
        fields(structure(&api, "Service")),
        [
            ("name", true, TypeRef::String),
            ("kind", false, named("ServiceKind")),
            ("size", true, TypeRef::I64),
            ("metrics", false, named("ServiceMetrics")),
        ]
    );
    // Both parts' members, the nested `cpu` merged again; `requests` and `memory` are
    // required by the second part only, and so required.
    assert_eq!(
        fields(structure(&api, "ServiceMetrics")),
        [("cpu", false, named("ServiceMetricsCpu")), ("requests", true, named("ServiceMetricsRequests"))]
    );
    assert_eq!(fields(structure(&api, "ServiceMetricsCpu")), [("percent", false, TypeRef::I64), ("memory", true, TypeRef::I64)]);
    // The first part's own types are untouched (other schemas may use them).
    assert_eq!(fields(structure(&api, "ScalingMetrics")), [("cpu", false, named("ScalingMetricsCpu"))]);
    assert_eq!(api.types["ServiceMetrics"].docs.as_deref(), Some("What scaling follows."));
    // Every member of every part is a field somewhere.
    let census = members::check(&spec, &api);
    assert!(census.lost.is_empty(), "{:?}", census.lost);
}

#[test]
fn the_member_check_finds_a_member_the_type_lacks() {
    let (spec, api) = lowered(SPEC);
    let mut api = api.unwrap();
    // What the generator did before merging: the first part's `metrics` as it stands.
    let first = api.types["ScalingMetrics"].kind.clone();
    api.types.get_mut("ServiceMetrics").unwrap_or_else(|| panic!("no ServiceMetrics")).kind = first;
    let lost: Vec<(String, String, String)> =
        members::check(&spec, &api).lost.into_iter().map(|l| (l.type_name, l.member, l.defined_at)).collect();
    let at = "/components/schemas/service/allOf/1/properties/metrics/properties";
    assert_eq!(
        lost,
        [
            // Two levels down: `cpu` is now the first part's, without the second's `memory`.
            ("ScalingMetricsCpu".to_owned(), "memory".to_owned(), format!("{at}/cpu/properties/memory")),
            ("ServiceMetrics".to_owned(), "requests".to_owned(), format!("{at}/requests")),
        ]
    );
}

#[test]
fn each_merge_is_recorded_for_the_report() {
    let (_, api) = lowered(SPEC);
    let api = api.unwrap();
    let merges: Vec<(&str, &str, &str)> = api.merges.iter().map(|m| (m.pointer.as_str(), m.member.as_str(), m.outcome.as_str())).collect();
    assert_eq!(
        merges,
        [
            ("/components/schemas/service", "kind", "the enum `ServiceKind`: it narrows the plain string of the other parts"),
            ("/components/schemas/service", "metrics", "merged into `ServiceMetrics`: the members of every part"),
            ("/components/schemas/service", "name", "one member of type `String`: every part gives that type"),
            ("/components/schemas/service", "size", "one member of type `i64`: the other parts repeat or annotate it"),
            ("/components/schemas/service/allOf/1/properties/metrics", "cpu", "merged into `ServiceMetricsCpu`: the members of every part"),
        ]
    );
    assert!(api.merges.iter().all(|m| m.keyword == "allOf" && m.parts.len() == 2));
}

#[test]
fn conflicting_types_are_an_error_at_the_second_definition() {
    let conflicting = SPEC.replace("size: {description: \"Instances.\"}", "size: {type: string}");
    let (_, api) = lowered(&conflicting);
    let error = api.err().unwrap_or_else(|| panic!("a member that is an integer and a string lowered"));
    let Error::Unsupported { at, what } = &error else { panic!("not an Unsupported error: {error}") };
    assert_eq!(at.pointer, "/components/schemas/service/allOf/1/properties/size");
    assert!(what.contains("allOf parts that give member `size` different types"), "{what}");
    assert!(what.contains("`i64` at /components/schemas/scaling/properties/size"), "{what}");
}

#[test]
fn an_any_of_struct_keeps_the_wider_string() {
    let any_of = SPEC.replace("    service:\n      allOf:", "    service:\n      anyOf:");
    let (_, api) = lowered(&any_of);
    let api = api.unwrap();
    let service = structure(&api, "Service");
    let kind = service.fields.iter().find(|f| f.wire == "kind").unwrap_or_else(|| panic!("no kind"));
    assert_eq!(kind.ty, TypeRef::String);
    // Alternatives require nothing, nested members included.
    assert!(service.fields.iter().all(|f| !f.required));
    assert!(structure(&api, "ServiceMetrics").fields.iter().all(|f| !f.required));
    assert!(structure(&api, "ServiceMetricsCpu").fields.iter().all(|f| !f.required));
    assert!(api.merges.iter().all(|m| m.keyword == "anyOf"));
}
