//! The uniffi bindings generator (`uniffi-bindgen generate …`), built from this workspace.
fn main() {
    uniffi::uniffi_bindgen_main()
}
