//! The loader on one file: the input is the entry file of a spec alone in its folder.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    thread_local!(static DIR: std::path::PathBuf = {
        let dir = codegen_fuzz::scratch("load_one");
        codegen_fuzz::fresh(&dir);
        dir
    });
    DIR.with(|dir| {
        let entry = dir.join("openapi.yaml");
        codegen_fuzz::write(&entry, data);
        codegen_fuzz::check(codegen::load::load(&entry));
    });
});
