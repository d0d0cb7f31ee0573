//! Lowering and emitting the constructs the whole spec uses, on a small spec written here:
//! renamed keywords, required vs optional, nullable, read-only, string enums with a catch-all,
//! `allOf` merges, recursion through arrays, inline schemas named by where they live.

use codegen::ir::{Answer, Success, TypeKind, TypeRef};
use codegen::{load, lower, Selection};

const SPEC: &str = r##"
openapi: "3.0.0"
info: {title: Fixture, version: "1"}
tags: [{name: Things, description: "Things and their parts."}]
paths:
  /v1/things/{thing_id}:
    put:
      operationId: things_update
      tags: [Things]
      parameters:
        - {name: thing_id, in: path, required: true, schema: {type: integer}}
        - {name: dry_run, in: query, schema: {type: boolean}}
      requestBody:
        required: true
        content:
          application/json:
            schema:
              type: object
              required: [type]
              properties:
                type: {type: string}
      responses:
        "200":
          description: The updated thing.
          content:
            application/json:
              schema:
                properties:
                  thing: {$ref: "#/components/schemas/thing"}
        "404":
          description: not found
          content:
            application/json:
              schema: {$ref: "#/components/schemas/error"}
  /v1/things/{thing_id}/parts:
    delete:
      operationId: things_delete_parts
      tags: [Things]
      parameters:
        - {name: thing_id, in: path, required: true, schema: {type: integer}}
      responses:
        "204": {description: gone}
components:
  schemas:
    error:
      type: object
      required: [id, message]
      properties:
        id: {type: string}
        message: {type: string}
    base:
      type: object
      required: [name]
      properties:
        name: {type: string, description: "The name."}
        created_at: {type: string, format: date-time, readOnly: true}
    thing:
      allOf:
        - $ref: "#/components/schemas/base"
        - type: object
          required: [status, owner]
          properties:
            status:
              type: string
              enum: [active, "off", 24h, red*, red]
            owner: {type: string, nullable: true}
            self: {type: boolean}
            children:
              type: array
              items: {$ref: "#/components/schemas/thing"}
            size:
              type: object
              properties:
                width: {type: integer, format: int32}
            labels:
              type: object
              additionalProperties: {type: string}
"##;

fn api() -> codegen::ir::Api {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("openapi.yaml");
    std::fs::write(&path, SPEC).unwrap();
    let spec = load::load(&path).unwrap();
    lower::lower(&spec, &Selection::tags(&["Things"])).unwrap()
}

#[test]
fn all_of_merges_members_and_keeps_required_nullable_and_read_only() {
    let api = api();
    let TypeKind::Struct(thing) = &api.types["Thing"].kind else { panic!("Thing is not a struct") };
    let names: Vec<(&str, &str)> = thing.fields.iter().map(|f| (f.wire.as_str(), f.rust.as_str())).collect();
    assert_eq!(
        names,
        [
            ("name", "name"),
            ("created_at", "created_at"),
            ("status", "status"),
            ("owner", "owner"),
            ("self", "self_"),
            ("children", "children"),
            ("size", "size"),
            ("labels", "labels")
        ]
    );
    let field = |wire: &str| thing.fields.iter().find(|f| f.wire == wire).unwrap_or_else(|| panic!("{wire}"));
    assert!(field("name").required && !field("name").optional());
    assert!(field("created_at").read_only && field("created_at").optional());
    // A `date-time` string is a `DateTime` and says so in its docs; other strings are not.
    assert_eq!(field("created_at").ty, TypeRef::DateTime);
    assert_eq!(field("created_at").docs.as_deref(), Some("An RFC 3339 date and time (`format: date-time`)."));
    assert_eq!(field("name").ty, TypeRef::String);
    assert_eq!(field("name").docs.as_deref(), Some("The name."));
    assert!(field("owner").required && field("owner").nullable && field("owner").optional());
    assert_eq!(field("children").ty, TypeRef::Vec(Box::new(TypeRef::Named("Thing".into()))));
    assert_eq!(field("size").ty, TypeRef::Named("ThingSize".into()));
    assert_eq!(field("labels").ty, TypeRef::Map(Box::new(TypeRef::String)));
    let TypeKind::Enum(variants) = &api.types["ThingStatus"].kind else { panic!("ThingStatus is not an enum") };
    let variants: Vec<(&str, &str)> = variants.iter().map(|v| (v.wire.as_str(), v.rust.as_str())).collect();
    assert_eq!(variants, [("active", "Active"), ("off", "Off"), ("24h", "V24h"), ("red*", "RedStar"), ("red", "Red")]);
}

#[test]
fn operations_take_their_parameters_body_and_success_type() {
    let api = api();
    assert_eq!(api.tags.len(), 1);
    let ops = &api.tags[0].operations;
    let update = &ops[0];
    assert_eq!(update.method_name, "update");
    assert_eq!(update.params.iter().map(|p| (p.rust.as_str(), p.required)).collect::<Vec<_>>(), [("thing_id", true), ("dry_run", false)]);
    // Path parameters and a body with required members are the method's arguments; an
    // optional query parameter is chained on its builder.
    let call = codegen::surface::call(&api, &api.tags[0], update);
    let names = |inputs: &[codegen::surface::Input<'_>]| inputs.iter().map(|i| i.rust.clone()).collect::<Vec<_>>();
    assert_eq!((names(&call.args), names(&call.setters)), (vec!["thing_id".to_owned(), "body".to_owned()], vec!["dry_run".to_owned()]));
    assert_eq!(call.builder, "Update");
    let body = update.body.as_ref().unwrap_or_else(|| panic!("no body"));
    assert_eq!(body.ty, TypeRef::Named("ThingsUpdateRequest".into()));
    assert_eq!(update.success.json_types(), [&TypeRef::Named("ThingsUpdateResponse".into())]);
    assert_eq!(api.types["ThingsUpdateResponse"].docs.as_deref(), Some("The updated thing."));
    assert_eq!(ops[1].method_name, "delete_parts");
    assert_eq!(ops[1].success, Success::One(Answer::Empty));
    // Only what the operations reach: `error` (used by a 404 only) is not generated.
    assert!(!api.types.contains_key("Error"));
}

#[test]
fn emitted_code_renames_keywords_and_keeps_unknown_enum_values() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("openapi.yaml");
    std::fs::write(&path, SPEC).unwrap();
    let spec = load::load(&path).unwrap();
    let out = codegen::generate(&spec, &Selection::tags(&["Things"]), "test").unwrap();
    let models = &out.files.iter().find(|f| f.path == "src/models/things.rs").unwrap_or_else(|| panic!("no models")).contents;
    // Renamed fields keep their wire names in both directions (the runtime's `object!` reads
    // and writes each field under the name given); `Thing` is only received, so its
    // `Serialize` exists only with `roundtrip` (what `received` tells the macro).
    assert!(models.contains("    pub struct Thing: received, "), "{models}");
    assert!(
        models.contains("        /// Sent and received as `self`.\n        pub self_: Option<bool> = \"self\" (optional, if_set),"),
        "{models}"
    );
    assert!(models.contains("        /// Sent and received as `type`.\n        pub type_: String = \"type\" ("), "{models}");
    // Required and nullable: sent as null, never skipped.
    assert!(models.contains("        pub owner: Option<String> = \"owner\" (optional, always),"), "{models}");
    // The enum's macro adds the catch-all `Other(String)`; each variant has its wire value.
    assert!(models.contains("crate::runtime::string_enum! {"), "{models}");
    assert!(models.contains("        V24h = \"24h\",\n"), "{models}");
    let apis = &out.files.iter().find(|f| f.path == "src/apis/things.rs").unwrap_or_else(|| panic!("no apis")).contents;
    assert!(apis.contains("pub fn update(\n        self,\n        thing_id: i64,\n        body: impl Into<models::ThingsUpdateRequest>,\n    ) -> Update {"), "{apis}");
    assert!(apis.contains("if let Some(value) = self.dry_run {\n            request = request.query(\"dry_run\", value);"), "{apis}");
    assert!(apis.contains("rt::encode_path(self.thing_id.to_string().as_str())"), "{apis}");
}

/// Two operations of one tag whose short method names meet (`things_list` and `list` are both
/// `list` in `Things`), and a third that stands alone.
const CLASH: &str = r##"
openapi: "3.0.0"
info: {title: Clash, version: "1"}
paths:
  /v1/things:
    get: {operationId: things_list, tags: [Things], responses: {"204": {description: none}}}
  /v1/all:
    get: {operationId: list, tags: [Things], responses: {"204": {description: none}}}
  /v1/count:
    get: {operationId: things_count, tags: [Things], responses: {"204": {description: none}}}
"##;

#[test]
fn method_names_do_not_depend_on_the_selection() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("openapi.yaml");
    std::fs::write(&path, CLASH).unwrap();
    let spec = load::load(&path).unwrap();
    let methods = |selection: &Selection| -> Vec<String> {
        let api = lower::lower(&spec, selection).unwrap();
        api.tags.iter().flat_map(|t| &t.operations).map(|op| op.method_name.clone()).collect()
    };
    assert_eq!(methods(&Selection::default()), ["things_list", "list", "count"]);
    // Selected alone, each keeps the name it has in the whole API.
    let alone = |id: &str| Selection { tags: Vec::new(), operations: vec![id.to_owned()] };
    assert_eq!(methods(&alone("things_list")), ["things_list"]);
    assert_eq!(methods(&alone("list")), ["list"]);
    assert_eq!(methods(&alone("things_count")), ["count"]);
}
