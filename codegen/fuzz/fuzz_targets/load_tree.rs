//! The loader on a small multi-file tree: the input is several files (each after a
//! `#> relative/path.yml` line, the first one the entry file), all of which the fuzzer mutates.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let files = codegen_fuzz::split_tree(data);
    let Some((entry, _)) = files.first() else { return };
    let dir = codegen_fuzz::scratch("load_tree");
    codegen_fuzz::fresh(&dir);
    for (path, bytes) in &files {
        codegen_fuzz::write(&dir.join(path), bytes);
    }
    codegen_fuzz::check(codegen::load::load(&dir.join(entry)));
});
