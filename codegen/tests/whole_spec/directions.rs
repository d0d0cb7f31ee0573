//! On the whole spec, in the generated code: no read-only member is written when a request body
//! is sent (each is declared `read_only` to `object!`, whose `runtime::read_only_entry` leaves
//! it out then), and no write-only member is decoded from an answer (each is declared
//! `write_only`, read by `runtime::write_only`, which skips it then). What the runtime does with
//! them is tested in the generated crate (`tests/models.rs`, `src/runtime/direction.rs`).

use crate::support;

use codegen::ir::{Api, TypeKind};
use codegen::Selection;

/// The `object!` invocation of struct `name`: from `pub struct <name>:` to the end of its fields.
fn object_block<'m>(models: &'m str, name: &str) -> &'m str {
    let start = models.find(&format!("    pub struct {name}: ")).unwrap_or_else(|| panic!("{name}: no struct"));
    let block = &models[start..];
    &block[..block.find("\n    }\n").unwrap_or(block.len())]
}

/// The whole pinned API, lowered, and the text of every generated models file.
fn whole_api_and_models() -> (&'static Api, String) {
    let (spec, api) = (support::pinned_spec(), support::pinned_api());
    let out = codegen::generate(spec, &Selection::default(), "test").unwrap();
    let models = out.files.iter().filter(|f| f.path.starts_with("src/models/")).map(|f| f.contents.as_str()).collect();
    (api, models)
}

#[test]
fn read_only_members_are_not_sent_and_write_only_members_not_received() {
    let (api, models) = whole_api_and_models();

    let (mut read_only, mut read_only_structs, mut sent) = (0, 0, Vec::new());
    let (mut write_only, mut write_only_structs, mut received) = (0, 0, Vec::new());
    for def in api.types.values() {
        let TypeKind::Struct(s) = &def.kind else { continue };
        if def.usage.request && s.fields.iter().any(|f| f.read_only) {
            read_only_structs += 1;
            let block = object_block(&models, &def.name);
            for f in s.fields.iter().filter(|f| f.read_only) {
                read_only += 1;
                if !block.contains(&format!(" = {:?} (optional, read_only),", f.wire)) {
                    sent.push(format!("{}.{}", def.name, f.wire));
                }
            }
        }
        if def.usage.response && s.fields.iter().any(|f| f.write_only) {
            write_only_structs += 1;
            let block = object_block(&models, &def.name);
            for f in s.fields.iter().filter(|f| f.write_only) {
                write_only += 1;
                if !block.contains(&format!(" = {:?} (write_only, ", f.wire)) {
                    received.push(format!("{}.{}", def.name, f.wire));
                }
            }
        }
    }
    println!("read-only members of sent types: {read_only} in {read_only_structs} structs; serialized when sent: {}", sent.len());
    println!(
        "write-only members of received types: {write_only} in {write_only_structs} structs; decoded from answers: {}",
        received.len()
    );
    assert!(read_only >= 100 && write_only >= 1, "the spec has fewer one-way members than expected");
    assert_eq!(sent, Vec::<String>::new(), "read-only members serialized in sent types");
    assert_eq!(received, Vec::<String>::new(), "write-only members decoded in received types");
}

/// The "Read-only" note is for those who build a value to send: it stands on the read-only
/// members of the structs that are sent, and not in a struct that is only received (where
/// every member comes from the server).
#[test]
fn the_read_only_note_stands_only_where_a_value_is_sent() {
    let (api, models) = whole_api_and_models();
    let note = "/// Read-only: set by the server; the client never sends it, even when set.";
    let (mut sent_structs, mut received_structs, mut wrong) = (0, 0, Vec::new());
    for def in api.types.values() {
        let TypeKind::Struct(s) = &def.kind else { continue };
        let read_only = s.fields.iter().filter(|f| f.read_only).count();
        if read_only == 0 {
            continue;
        }
        let block = object_block(&models, &def.name);
        let notes = block.matches(note).count();
        if def.usage.request {
            sent_structs += 1;
            if notes != read_only {
                wrong.push(format!("{} (sent): {notes} notes for {read_only} read-only members", def.name));
            }
        } else {
            received_structs += 1;
            if notes != 0 {
                wrong.push(format!("{} (only received): {notes} notes", def.name));
            }
        }
    }
    println!("structs with read-only members: {sent_structs} sent, {received_structs} only received");
    assert!(sent_structs >= 30 && received_structs >= 30, "{sent_structs} sent, {received_structs} received");
    assert_eq!(wrong, Vec::<String>::new());
}
