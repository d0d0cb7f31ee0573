//! The constructs the generator maps, each lowered from `spec/fixtures/constructs` (a spec of
//! our own, split over files so that discriminator mappings name files and pointers): unions
//! (dropped annotation-only members, single members, merged `anyOf`, tagged with a many-to-one
//! mapping, untagged), enums with catch-alls and awkward values, integer enums, `u64`,
//! keywords, recursion, flattened maps, read/write-only fields, scalar-union path parameters,
//! non-JSON bodies, several success statuses, servers and credentials; and a few emitted lines.

use std::path::PathBuf;

use codegen::ir::{Answer, Api, Auth, Server, Success, TypeDef, TypeKind, TypeRef, Union};
use codegen::{load, lower, Selection};

fn spec() -> load::Spec {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../spec/fixtures/constructs/openapi.yaml");
    load::load(&path).unwrap()
}

fn api_with(selection: &Selection) -> Api {
    lower::lower(&spec(), selection).unwrap()
}

fn api() -> Api {
    api_with(&Selection::default())
}

fn def<'a>(api: &'a Api, name: &str) -> &'a TypeDef {
    api.types.get(name).unwrap_or_else(|| panic!("no type {name}; types: {:?}", api.types.keys().collect::<Vec<_>>()))
}

fn union<'a>(api: &'a Api, name: &str) -> &'a Union {
    match &def(api, name).kind {
        TypeKind::Union(u) => u,
        other => panic!("{name} is not a union: {other:?}"),
    }
}

fn named(name: &str) -> TypeRef {
    TypeRef::Named(name.into())
}

/// (wire, rust, type, optional) of every field of a struct.
fn fields(api: &Api, name: &str) -> Vec<(String, String, TypeRef, bool)> {
    let TypeKind::Struct(s) = &def(api, name).kind else { panic!("{name} is not a struct") };
    s.fields.iter().map(|f| (f.wire.clone(), f.rust.clone(), f.ty.clone(), f.optional())).collect()
}

fn field(api: &Api, name: &str, wire: &str) -> (String, TypeRef, bool) {
    let found = fields(api, name).into_iter().find(|f| f.0 == wire);
    let (_, rust, ty, optional) = found.unwrap_or_else(|| panic!("{name} has no field {wire}"));
    (rust, ty, optional)
}

fn operation<'a>(api: &'a Api, id: &str) -> &'a codegen::ir::Operation {
    let found = api.tags.iter().flat_map(|t| &t.operations).find(|o| o.id == id);
    found.unwrap_or_else(|| panic!("no operation {id}"))
}

/// The emitted file at `path`.
fn emitted(selection: &Selection, path: &str) -> String {
    let out = codegen::generate(&spec(), selection, "test").unwrap();
    let file = out.files.iter().find(|f| f.path == path);
    file.unwrap_or_else(|| panic!("no {path}: {:?}", out.files.iter().map(|f| &f.path).collect::<Vec<_>>())).contents.clone()
}

#[test]
fn annotation_only_members_are_dropped_and_a_single_member_is_its_type() {
    let api = api();
    // `size: oneOf [$ref size_spec, {required: [width]}, {description}]`
    assert_eq!(field(&api, "Shape", "size"), ("size".into(), named("SizeSpec"), true));
    assert!(!api.types.contains_key("ShapeSize"), "no wrapper type for a single member");
}

#[test]
fn any_of_objects_merges_into_one_struct_of_optional_fields() {
    let api = api();
    assert_eq!(field(&api, "PageLinks", "pages").1, named("PageLinksPages"));
    let pages = fields(&api, "PageLinksPages");
    let mut wires: Vec<&str> = pages.iter().map(|f| f.0.as_str()).collect();
    wires.sort();
    assert_eq!(wires, ["first", "last", "next", "prev"]);
    assert!(pages.iter().all(|f| f.2 == TypeRef::String && f.3), "{pages:?}");
}

#[test]
fn discriminator_mapping_makes_a_tagged_union_with_one_variant_per_key() {
    let api = api();
    let action = union(&api, "Action");
    assert_eq!(action.tag.as_deref(), Some("type"));
    let variants: Vec<(&str, Option<&str>, &TypeRef)> =
        action.variants.iter().map(|v| (v.rust.as_str(), v.tag.as_deref(), &v.ty)).collect();
    // `reboot` and `power_off` both map to `#/simple_action`; `resize` maps to a file.
    assert_eq!(
        variants,
        [
            ("Reboot", Some("reboot"), &named("SimpleAction")),
            ("PowerOff", Some("power_off"), &named("SimpleAction")),
            ("Resize", Some("resize"), &named("Resize")),
        ]
    );
}

#[test]
fn other_alternatives_make_an_untagged_union() {
    let api = api();
    assert_eq!(field(&api, "ChatRequest", "stop").1, named("ChatRequestStop"));
    let stop = union(&api, "ChatRequestStop");
    assert_eq!(stop.tag, None);
    let variants: Vec<(&str, &TypeRef)> = stop.variants.iter().map(|v| (v.rust.as_str(), &v.ty)).collect();
    assert_eq!(variants, [("String", &TypeRef::String), ("StringList", &TypeRef::Vec(Box::new(TypeRef::String)))]);
    assert!(stop.variants.iter().all(|v| v.tag.is_none()));
}

#[test]
fn inline_alternatives_are_named_by_what_they_are() {
    let api = api();
    let choice = union(&api, "ChatRequestToolChoice");
    let variants: Vec<(&str, &TypeRef)> = choice.variants.iter().map(|v| (v.rust.as_str(), &v.ty)).collect();
    let list = TypeRef::Vec(Box::new(named("ChatRequestToolChoiceItem")));
    assert_eq!(
        variants,
        [
            // A string enum: a mode, or its one value.
            ("Mode", &named("ChatRequestToolChoiceMode")),
            ("PickOne", &named("ChatRequestToolChoicePickOne")),
            // An object: its tag's constant, its one required member, its kind, its members.
            ("Function", &named("ChatRequestToolChoiceFunction")),
            ("DropletId", &named("ChatRequestToolChoiceDropletId")),
            ("Object", &named("ChatRequestToolChoiceObject")),
            ("TypeLabel", &named("ChatRequestToolChoiceTypeLabel")),
            // Its title first.
            ("NamedChoice", &named("ChatRequestToolChoiceNamedChoice")),
            // A list of inline objects: the items are the union's.
            ("ItemList", &list),
        ]
    );
}

#[test]
fn string_enum_values_get_legal_distinct_variant_names() {
    let api = api();
    let TypeKind::Enum(variants) = &def(&api, "Kind").kind else { panic!("Kind is not an enum") };
    let pairs: Vec<(&str, &str)> = variants.iter().map(|v| (v.wire.as_str(), v.rust.as_str())).collect();
    assert_eq!(
        pairs,
        [("1h", "V1h"), ("1024x1024", "V1024x1024"), ("/v1/chat/completions", "V1ChatCompletions"), ("red", "Red"), ("red*", "RedStar"),]
    );
}

#[test]
fn integer_enums_and_integers_beyond_i64() {
    let api = api();
    assert_eq!(field(&api, "Shape", "priority").1, named("ShapePriority"));
    let TypeKind::IntEnum(variants) = &def(&api, "ShapePriority").kind else { panic!("ShapePriority is not an int enum") };
    let pairs: Vec<(i64, &str)> = variants.iter().map(|v| (v.value, v.rust.as_str())).collect();
    assert_eq!(pairs, [(1, "V1"), (2, "V2"), (3, "V3")]);
    // `maximum: 18446744073709551615` and `example: 10000000000000000000`, each with a minimum
    // of 0 or more; a plain integer stays i64, and so does a big example without a minimum
    // (negative values are allowed, and `u64` would refuse them).
    assert_eq!(field(&api, "Shape", "id").1, TypeRef::U64);
    assert_eq!(field(&api, "Shape", "serial").1, TypeRef::U64);
    assert_eq!(field(&api, "Shape", "small").1, TypeRef::I64);
    assert_eq!(field(&api, "Shape", "offset").1, TypeRef::I64);
}

#[test]
fn keywords_are_renamed_and_read_write_only_fields_are_optional() {
    let api = api();
    assert_eq!(field(&api, "Shape", "type"), ("type_".into(), TypeRef::String, false));
    assert_eq!(field(&api, "Shape", "self"), ("self_".into(), TypeRef::String, true));
    assert_eq!(field(&api, "Shape", "match"), ("match_".into(), TypeRef::Bool, true));
    // Both listed in `required`, yet only sent (or only received) one way.
    assert_eq!(field(&api, "Shape", "created_at"), ("created_at".into(), TypeRef::String, true));
    assert_eq!(field(&api, "Shape", "secret"), ("secret".into(), TypeRef::String, true));
    assert_eq!(field(&api, "Shape", "kind"), ("kind".into(), named("Kind"), false));
}

#[test]
fn additional_properties_beside_properties_is_a_struct_with_a_map() {
    let api = api();
    assert_eq!(field(&api, "Shape", "metadata").1, named("ShapeMetadata"));
    let TypeKind::Struct(s) = &def(&api, "ShapeMetadata").kind else { panic!("ShapeMetadata is not a struct") };
    assert_eq!(s.fields.iter().map(|f| f.wire.as_str()).collect::<Vec<_>>(), ["owner"]);
    assert_eq!(s.additional, Some(TypeRef::I64));
}

#[test]
fn recursive_schemas_refer_to_themselves() {
    let api = api();
    assert_eq!(field(&api, "Shape", "tree").1, named("Node"));
    assert_eq!(field(&api, "Node", "children").1, TypeRef::Vec(Box::new(named("Node"))));
    assert_eq!(field(&api, "Node", "parent").1, named("Node"));
}

#[test]
fn path_parameters_any_of_integer_and_string_are_text() {
    let api = api();
    let get = operation(&api, "shapes_get");
    assert_eq!(get.params.len(), 1);
    assert_eq!((get.params[0].rust.as_str(), &get.params[0].ty, get.params[0].required), ("shape_id", &TypeRef::String, true));
    assert!(api.fallbacks.is_empty(), "{:?}", api.fallbacks);
    let apis = emitted(&Selection::default(), "src/apis/shapes.rs");
    assert!(apis.contains("pub fn get(self, shape_id: impl Into<String>) -> Get {"), "{apis}");
    assert!(apis.contains("rt::encode_path(self.shape_id.as_str())"), "{apis}");
}

#[test]
fn non_json_bodies_are_bytes_or_text() {
    let api = api();
    assert_eq!(operation(&api, "shapes_report").success, Success::One(Answer::Bytes { media: "text/csv".into() }));
    assert_eq!(operation(&api, "shapes_invoice").success, Success::One(Answer::Bytes { media: "application/pdf".into() }));
    assert_eq!(operation(&api, "shapes_manifest").success, Success::One(Answer::Text { media: "application/yaml".into() }));
    let upload = operation(&api, "extra_upload");
    let body = upload.body.as_ref().unwrap_or_else(|| panic!("upload has no body"));
    assert_eq!((&body.ty, body.media.as_str(), body.required), (&TypeRef::Bytes, "application/octet-stream", true));
    assert_eq!(upload.success, Success::One(Answer::Empty));
    let shapes = emitted(&Selection::default(), "src/apis/shapes.rs");
    assert!(shapes.contains("pub fn report(self) -> Report {"), "{shapes}");
    assert!(shapes.contains("impl std::future::IntoFuture for Report {\n    type Output = Result<Vec<u8>, rt::Error>;"), "{shapes}");
    assert!(shapes.contains(".accept(\"text/csv, application/json;q=0.5\");\n        Ok(request)"), "{shapes}");
    assert!(shapes.contains("rt::read_bytes(status, body)"), "{shapes}");
    assert!(shapes.contains("impl std::future::IntoFuture for Manifest {\n    type Output = Result<String, rt::Error>;"), "{shapes}");
    assert!(shapes.contains("rt::read_text(status, body)"), "{shapes}");
    let extra = emitted(&Selection::default(), "src/apis/extra.rs");
    assert!(extra.contains("pub fn upload(self, url: impl Into<String>, body: impl Into<Vec<u8>>) -> Upload {"), "{extra}");
    assert!(extra.contains("request = request.bytes(self.body, \"application/octet-stream\");"), "{extra}");
    // A YAML-only body is the caller's text, sent as it is under `application/yaml`; where JSON
    // is offered too, the body is typed and sent as JSON.
    let validate = operation(&api, "extra_validate").body.as_ref().unwrap_or_else(|| panic!("validate has no body"));
    assert_eq!((&validate.ty, validate.media.as_str()), (&TypeRef::String, "application/yaml"));
    assert!(extra.contains("pub fn validate(self, body: impl Into<String>) -> Validate {"), "{extra}");
    assert!(extra.contains("request = request.bytes(String::into_bytes(self.body), \"application/yaml\");"), "{extra}");
    let either = operation(&api, "extra_validate_either").body.as_ref().unwrap_or_else(|| panic!("no body"));
    assert_eq!((&either.ty, either.media.as_str()), (&TypeRef::Named("ExtraValidateEitherRequest".into()), "application/json"));
}

#[test]
fn two_success_statuses_with_bodies_are_an_enum_by_status() {
    let api = api();
    let Success::ByStatus { name, variants, .. } = &operation(&api, "shapes_act").success else {
        panic!("shapes_act has one success shape")
    };
    assert_eq!(name, "ShapesActResponse");
    let got: Vec<(u16, &str, &Answer)> = variants.iter().map(|v| (v.status, v.rust.as_str(), &v.answer)).collect();
    assert_eq!(got.len(), 2);
    assert_eq!((got[0].0, got[0].1), (200, "Ok"));
    assert!(matches!(got[0].2, Answer::Json { ty, .. } if *ty == named("Shape")), "{got:?}");
    assert_eq!((got[1].0, got[1].1), (202, "Accepted"));
    assert!(matches!(got[1].2, Answer::Json { ty, .. } if *ty == named("Job")), "{got:?}");
    let TypeKind::Answers(answers) = &def(&api, "ShapesActResponse").kind else { panic!("not an Answers type") };
    assert_eq!(answers.iter().map(|v| v.rust.as_str()).collect::<Vec<_>>(), ["Ok", "Accepted"]);
    let models = emitted(&Selection::default(), "src/models/shapes.rs");
    assert!(models.contains("pub enum ShapesActResponse {"), "{models}");
    assert!(models.contains("Ok(Box<super::Shape>),") && models.contains("Accepted(Box<super::Job>),"), "{models}");
}

#[test]
fn operation_servers_and_security_pick_host_and_credential() {
    let api = api();
    let pairs = |id: &str| {
        let op = operation(&api, id);
        (op.server, op.auth)
    };
    assert_eq!(pairs("shapes_get"), (Server::Api, Auth::Token));
    assert_eq!(pairs("extra_chat"), (Server::Inference, Auth::ModelAccessKey));
    assert_eq!(pairs("extra_ask"), (Server::Agent, Auth::None));
    assert_eq!(pairs("extra_upload"), (Server::Absolute, Auth::Token));
}

#[test]
fn names_do_not_depend_on_the_selection() {
    let all = api();
    let extra = api_with(&Selection::tags(&["Extra"]));
    let chat = api_with(&Selection { tags: Vec::new(), operations: vec!["extra_chat".into()] });
    // Types reached from both `Shapes` and `Extra` keep their names and shapes.
    for name in ["Kind", "PageLinks", "PageLinksPages", "ChatRequest", "ChatRequestStop"] {
        assert_eq!(def(&all, name).kind, def(&extra, name).kind, "{name}");
        assert_eq!(def(&all, name).kind, def(&chat, name).kind, "{name}");
    }
    // Only what the selection reaches.
    assert!(!extra.types.contains_key("Shape") && !extra.types.contains_key("Action"));
    assert_eq!(extra.tags.len(), 1);
}

#[test]
fn emitted_models_carry_the_key_attributes() {
    let extra = emitted(&Selection::default(), "src/models/extra.rs");
    let shapes = emitted(&Selection::default(), "src/models/shapes.rs");
    let all = format!("{extra}\n{shapes}");
    // Untagged union.
    assert!(all.contains("#[non_exhaustive]\npub enum ChatRequestStop {\n    String(String),\n    StringList(Vec<String>),\n}"), "{all}");
    // Its variants chosen on evidence: each variant's shape in a table for `runtime::union`
    // (spelled `rt::Shape`: the spec has a union named `Shape`).
    assert!(all.contains("(\"String\", rt::Shape::String(&[]))"), "{all}");
    assert!(all.contains("(\"StringList\", rt::Shape::Array(&rt::Shape::String(&[])))"), "{all}");
    assert!(all.contains("Ok(1) => rt::Decode::decode(reader_).map(ChatRequestStop::StringList),"), "{all}");
    // Enums: one invocation of the runtime's macro each (which adds the catch-all `Other`),
    // each variant with its wire value once.
    assert!(all.contains("crate::runtime::string_enum! {\n") && all.contains("    pub enum Kind: "), "{all}");
    assert!(all.contains("        V1ChatCompletions = \"/v1/chat/completions\",\n"), "{all}");
    assert!(all.contains("        RedStar = \"red*\",\n"), "{all}");
    assert!(all.contains("crate::runtime::int_enum! {\n"), "{all}");
    // Tagged union: the mapping key is the wire tag, struct variants boxed.
    assert!(all.contains("    Reboot(Box<super::SimpleAction>),"), "{all}");
    assert!(all.contains("Action::PowerOff(_) => \"power_off\","), "{all}");
    // Structs: one `object!` invocation each (`runtime/object.rs`), each field with its wire
    // name once and how its member is read and written. Keywords get an `_` and say their
    // wire name; u64 stays u64.
    assert!(
        all.contains("crate::runtime::object! {\n    /// The shape.\n    #[derive(Default)]\n    pub struct Shape: received, direct {\n"),
        "{all}"
    );
    assert!(all.contains("        /// Sent and received as `type`.\n        pub type_: String = \"type\" (defaulted, always),\n"), "{all}");
    assert!(all.contains("        pub id: u64 = \"id\" (defaulted, always),\n"), "{all}");
    // `Shape` derives `Default` and has no member an answer must carry: it is read straight
    // into its default value (`direct`); a required member without a default keeps a slot and
    // is checked (`slots`, `required`).
    assert!(all.contains("        pub self_: Option<String> = \"self\" (optional, if_set),\n"), "{all}");
    assert!(all.contains("        pub secret: Option<String> = \"secret\" (write_only, if_set),\n"), "{all}");
    assert!(all.contains("        pub created_at: Option<String> = \"created_at\" (optional, read_only),\n"), "{all}");
    assert!(
        all.contains("    pub struct ChatRequest: sent, slots {\n        pub model: String = \"model\" (required, always),\n"),
        "{all}"
    );
    // The map beside properties: its members are written after the named ones, and collect
    // what no named field took.
    assert!(all.contains("        ..additional_properties: std::collections::BTreeMap<String, i64>,\n"), "{all}");
    // Recursion through an array needs no box.
    assert!(all.contains("pub children: Option<Vec<super::Node>> = \"children\""), "{all}");
}

/// A struct that holds itself directly (`parent: $ref node`) has infinite size unless the
/// field is boxed.
#[test]
fn a_directly_recursive_field_is_boxed() {
    let shapes = emitted(&Selection::default(), "src/models/shapes.rs");
    assert!(shapes.contains("pub parent: Option<Box<super::Node>> = \"parent\""), "{shapes}");
}
