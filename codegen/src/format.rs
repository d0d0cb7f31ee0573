//! Phase 4: tokens to text with `syn` and `prettyplease` (never rustfmt, whose output changes
//! between versions).

use proc_macro2::TokenStream;

use crate::error::{Error, Result};

/// Formats one Rust file. A parse failure is a generator bug, reported with the file's name.
pub fn rust_file(tokens: TokenStream, file: &str) -> Result<String> {
    let parsed: syn::File = syn::parse2(tokens).map_err(|e| Error::Format { file: file.to_owned(), message: e.to_string() })?;
    Ok(space_items(&prettyplease::unparse(&parsed)))
}

/// prettyplease puts items right under each other; a blank line after each item that ends at
/// the top level or one level in (methods in an `impl`), and after the `use` block, reads
/// better in a review.
fn space_items(text: &str) -> String {
    let lines: Vec<&str> = text.lines().collect();
    let mut out = String::with_capacity(text.len() + text.len() / 16);
    for (i, line) in lines.iter().enumerate() {
        out.push_str(line);
        out.push('\n');
        let Some(next) = lines.get(i + 1) else { continue };
        let next = next.trim_start();
        let one_line_item = (line.starts_with("pub type ") || line.starts_with("crate::")) && line.ends_with(';');
        let ends_item = *line == "}" || *line == "    }" || one_line_item;
        let ends_uses = line.starts_with("use ") && !next.starts_with("use ");
        let inner_docs_end = line.starts_with("//!") && !next.starts_with("//!");
        if (ends_item || ends_uses || inner_docs_end) && !next.is_empty() && !next.starts_with('}') {
            out.push('\n');
        }
    }
    out
}
