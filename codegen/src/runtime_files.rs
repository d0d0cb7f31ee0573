//! The client's hand-written core, kept in `codegen/runtime/` and written verbatim (after a
//! header) into `generated/src/runtime/`. Add a file here when you add one to `codegen/runtime/`.

/// `(file name under generated/src/runtime/, contents)`, in a fixed order.
pub const RUNTIME_FILES: &[(&str, &str)] = &[
    ("mod.rs", include_str!("../runtime/mod.rs")),
    ("call.rs", include_str!("../runtime/call.rs")),
    ("client.rs", include_str!("../runtime/client.rs")),
    ("datetime.rs", include_str!("../runtime/datetime.rs")),
    ("decode.rs", include_str!("../runtime/decode.rs")),
    ("direction.rs", include_str!("../runtime/direction.rs")),
    ("enums.rs", include_str!("../runtime/enums.rs")),
    ("error.rs", include_str!("../runtime/error.rs")),
    ("events.rs", include_str!("../runtime/events.rs")),
    ("fields.rs", include_str!("../runtime/fields.rs")),
    ("object.rs", include_str!("../runtime/object.rs")),
    ("paginate.rs", include_str!("../runtime/paginate.rs")),
    ("request.rs", include_str!("../runtime/request.rs")),
    ("response.rs", include_str!("../runtime/response.rs")),
    ("retry.rs", include_str!("../runtime/retry.rs")),
    ("secrets.rs", include_str!("../runtime/secrets.rs")),
    ("send.rs", include_str!("../runtime/send.rs")),
    ("tape.rs", include_str!("../runtime/tape.rs")),
    ("tests.rs", include_str!("../runtime/tests.rs")),
    ("union.rs", include_str!("../runtime/union.rs")),
    ("wait.rs", include_str!("../runtime/wait.rs")),
];

/// The generated crate's `Cargo.toml`, with `{{HEADER}}` replaced by the file header.
pub const CARGO_TOML_TEMPLATE: &str = include_str!("../runtime/Cargo.toml.in");

/// The generated crate's documentation (Markdown), emitted as the `//!` docs of `lib.rs`.
pub const CRATE_DOCS: &str = include_str!("../runtime/crate_docs.md");
