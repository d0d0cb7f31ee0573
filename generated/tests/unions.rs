//! Every untagged union of the spec decodes each of its variants into that variant.
//!
//! The generated structs decode leniently (a missing required member takes its default), so a
//! union that tried its variants in order would put almost any object into the first struct
//! variant and lose the rest. `runtime::union` chooses on evidence first; this test feeds every
//! untagged union, for each variant, a body made from the variant's schema with every member, one
//! with only its required members, and each spec example of the variant's type, and asserts the
//! variant it decoded into (not only that decoding succeeded).

#[path = "support/figures.rs"]
mod figures;
#[path = "support/lowered.rs"]
mod lowered;
#[path = "support/roundtrip.rs"]
#[allow(dead_code)] // Each test binary uses part of the table.
mod roundtrip;

use std::path::{Path, PathBuf};

use codegen::ir::{Api, TypeDef, TypeKind, TypeRef};
use digitalocean::models::{
    AutoscalePoolConfig, DropletCreateResponse, MessagesCreateResponse, MessagesResponseContentBlock,
};
use serde_json::{json, Map, Value};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().expect("the workspace root").to_path_buf()
}

fn api() -> (Api, Vec<codegen::examples::Example>) {
    let path = codegen::source::find(None, &root()).expect("the spec");
    let overlays = codegen::overlay::read_dir(&root().join("spec/overlays")).expect("the overlays read");
    let spec = codegen::load::load_with_overlays(&path, &overlays).expect("the spec loads");
    let api = lowered::as_committed(&spec);
    let examples = codegen::examples::collect(&spec, &api);
    (api, examples)
}

/// Which members an instance made from a schema holds.
#[derive(Clone, Copy, PartialEq)]
enum Members {
    Every,
    Required,
}

/// A value of type `ty` made from its schema: placeholders of the right kind, an enum's first
/// value, one element in each array; nested structs hold their required members only.
fn instance(api: &Api, ty: &TypeRef, members: Members, depth: usize) -> Value {
    match ty {
        TypeRef::String | TypeRef::Bytes => json!("text"),
        TypeRef::DateTime => json!("2024-02-29T12:00:00Z"),
        TypeRef::Bool => json!(true),
        TypeRef::I32 | TypeRef::I64 | TypeRef::U32 | TypeRef::U64 => json!(1),
        TypeRef::F64 => json!(1.5),
        TypeRef::Json | TypeRef::JsonObject => json!({"free": "form"}),
        TypeRef::Vec(item) if depth < 8 => json!([instance(api, item, Members::Required, depth + 1)]),
        TypeRef::Vec(_) => json!([]),
        TypeRef::Map(item) if depth < 8 => json!({"key": instance(api, item, Members::Required, depth + 1)}),
        TypeRef::Map(_) => json!({}),
        TypeRef::Nullable(inner) => instance(api, inner, members, depth),
        TypeRef::Named(name) => {
            let def = api.types.get(name).unwrap_or_else(|| panic!("no type {name}"));
            named(api, def, members, depth)
        }
    }
}

fn named(api: &Api, def: &TypeDef, members: Members, depth: usize) -> Value {
    match &def.kind {
        TypeKind::Struct(s) => {
            let mut object = Map::new();
            for field in &s.fields {
                let required = field.required && !field.nullable && !field.read_only && !field.write_only;
                if (members == Members::Every || required) && depth < 8 {
                    object.insert(field.wire.clone(), instance(api, &field.ty, Members::Required, depth + 1));
                }
            }
            Value::Object(object)
        }
        TypeKind::Enum(variants) => json!(variants[0].wire),
        TypeKind::IntEnum(variants) => json!(variants[0].value),
        TypeKind::Alias(target) => instance(api, target, members, depth + 1),
        TypeKind::Union(union) => {
            let first = &union.variants[0];
            let mut value = instance(api, &first.ty, members, depth + 1);
            if let (Some(property), Some(tag), Value::Object(object)) = (&union.tag, &first.tag, &mut value) {
                object.insert(property.clone(), json!(tag));
            }
            value
        }
        TypeKind::Answers(_) => Value::Null,
    }
}

#[test]
fn every_untagged_union_decodes_each_variant_into_that_variant() {
    let (api, examples) = api();
    let (mut unions, mut bodies) = (0, 0);
    let mut failures = Vec::new();
    for def in api.types.values() {
        let TypeKind::Union(union) = &def.kind else { continue };
        if union.tag.is_some() {
            continue;
        }
        unions += 1;
        for variant in &union.variants {
            let mut cases = vec![
                ("made from the schema, every member".to_owned(), instance(&api, &variant.ty, Members::Every, 0)),
                ("made from the schema, required members".to_owned(), instance(&api, &variant.ty, Members::Required, 0)),
            ];
            // The spec's examples of a variant's own model type (a plain string or number says
            // nothing about the union).
            let own_type = matches!(&variant.ty, TypeRef::Named(_));
            let of_variant = |e: &&codegen::examples::Example| own_type && e.ty == variant.ty && !e.value.is_null();
            for example in examples.iter().filter(of_variant) {
                cases.push((format!("the example at {}", example.pointer), example.value.clone()));
            }
            for (what, body) in cases {
                bodies += 1;
                let decoded = roundtrip::union_variant(&def.name, body.clone()).expect("a union of the table");
                if decoded.as_deref() != Ok(variant.rust.as_str()) {
                    failures.push(format!("{}::{} from {what}: {decoded:?}\n    {body}", def.name, variant.rust));
                }
            }
        }
    }
    let line = format!("unions: {unions} untagged unions, {bodies} bodies, {} decoded into the wrong variant or failed", failures.len());
    figures::report("unions", &line);
    assert!(unions >= 20, "only {unions} untagged unions found");
    assert!(failures.is_empty(), "{} bodies:\n{}", failures.len(), failures.join("\n"));
}

fn droplet(id: u64, name: &str) -> Value {
    json!({"id": id, "name": name, "memory": 1024, "vcpus": 1, "disk": 25, "locked": false, "status": "new",
           "created_at": "2020-07-21T18:37:44Z", "features": [], "backup_ids": [], "snapshot_ids": [],
           "image": {}, "size": {}, "size_slug": "s-1vcpu-1gb", "networks": {}, "region": {}, "tags": []})
}

#[test]
fn creating_several_droplets_keeps_every_droplet() {
    let body = json!({
        "droplets": [droplet(1, "sub-01.example.com"), droplet(2, "sub-02.example.com")],
        "links": {"actions": [{"id": 7, "rel": "create", "href": "https://api.digitalocean.com/v2/actions/7"}]}
    });
    let decoded: DropletCreateResponse = serde_json::from_value(body).expect("decodes");
    let DropletCreateResponse::MultipleDropletResponse(multiple) = decoded else {
        panic!("decoded as {decoded:?}");
    };
    let names: Vec<&str> = multiple.droplets.iter().map(|d| d.name.as_str()).collect();
    assert_eq!(names, ["sub-01.example.com", "sub-02.example.com"]);
    let single = json!({"droplet": droplet(3, "one"), "links": {"actions": []}});
    let decoded: DropletCreateResponse = serde_json::from_value(single).expect("decodes");
    assert!(matches!(&decoded, DropletCreateResponse::SingleDropletResponse(s) if s.droplet.id == 3), "{decoded:?}");
}

#[test]
fn an_autoscale_pool_with_a_dynamic_config_keeps_it() {
    let body = json!({"min_instances": 1, "max_instances": 5, "target_cpu_utilization": 0.5, "cooldown_minutes": 5});
    let decoded: AutoscalePoolConfig = serde_json::from_value(body).expect("decodes");
    let AutoscalePoolConfig::AutoscalePoolDynamicConfig(dynamic) = decoded else { panic!("decoded as {decoded:?}") };
    assert_eq!((dynamic.min_instances, dynamic.max_instances), (1, 5));
    let decoded: AutoscalePoolConfig = serde_json::from_value(json!({"target_number_instances": 3})).expect("decodes");
    assert!(matches!(&decoded, AutoscalePoolConfig::AutoscalePoolStaticConfig(s) if s.target_number_instances == 3));
}

#[test]
fn a_tool_use_block_of_a_messages_answer_keeps_the_tool_call() {
    let body = json!({
        "id": "msg_1", "type": "message", "role": "assistant", "model": "claude", "stop_reason": "tool_use",
        "usage": {"input_tokens": 10, "output_tokens": 5},
        "content": [
            {"type": "text", "text": "Let me look that up."},
            {"type": "tool_use", "id": "toolu_1", "name": "get_weather", "input": {"city": "Lisbon"}}
        ]
    });
    let decoded: MessagesCreateResponse = serde_json::from_value(body).expect("decodes");
    match &decoded.content[..] {
        [MessagesResponseContentBlock::MessagesResponseTextBlock(text), MessagesResponseContentBlock::MessagesResponseToolUseBlock(tool)] =>
        {
            assert_eq!(text.text, "Let me look that up.");
            assert_eq!((tool.id.as_str(), tool.name.as_str()), ("toolu_1", "get_weather"));
            assert_eq!(tool.input.get("city"), Some(&json!("Lisbon")));
        }
        other => panic!("decoded as {other:?}"),
    }
}

#[test]
fn a_body_no_variant_fits_is_an_error_naming_the_union_and_the_path() {
    let body = br#"{"autoscale_pool": {"config": {"min_instances": 1, "target_number_instances": 3}}}"#;
    let error = serde_json::from_slice::<digitalocean::models::AutoscalePoolCreateResponse>(body).unwrap_err().to_string();
    assert!(error.contains("fits no variant of `AutoscalePoolConfig`"), "{error}");
    assert!(error.starts_with("`autoscale_pool.config`"), "{error}");
}
