//! Lowering and emitting: the input is one bundled document (seeded with a real operation and
//! every component it reaches); whatever loads is lowered and emitted whole.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    thread_local!(static DIR: std::path::PathBuf = {
        let dir = codegen_fuzz::scratch("lower_emit");
        codegen_fuzz::fresh(&dir);
        dir
    });
    DIR.with(|dir| {
        let entry = dir.join("openapi.yaml");
        codegen_fuzz::write(&entry, data);
        let spec = match codegen::load::load(&entry) {
            Ok(spec) => spec,
            Err(error) => return codegen_fuzz::check(Err::<(), _>(error)),
        };
        let settings = codegen::Settings::with_header("fuzz");
        codegen_fuzz::check(codegen::generate_with(&spec, &codegen::Selection::default(), &settings));
    });
});
