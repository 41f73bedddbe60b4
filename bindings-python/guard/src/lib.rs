//! `#[guard]`: the panic guard of the Python binding, as an attribute on a `#[pyfunction]` or
//! a `#[pymethods]` impl block (written *above* the pyo3 attribute, so it runs first).
//!
//! Each function body `{ body }` becomes `{ crate::panic::guard(move || body) }`, and a return
//! type `T` that is not already a `PyResult`/`Result` becomes `PyResult<T>`. A Rust panic inside
//! the call then surfaces in Python as `tsunagu.InternalError` (a `TsunaguError`, code
//! `internal_panic`) instead of pyo3's `PanicException`, which is a `BaseException` that
//! `except Exception` does not catch. One attribute per block keeps the rule in one place: a new
//! method added to a guarded block is guarded without anyone remembering to.

use proc_macro::TokenStream;
use quote::quote;
use syn::{parse_macro_input, parse_quote, Block, ImplItem, Item, ReturnType, Signature, Type};

/// Wrap every function body of the item (a `fn` or an `impl` block) in the panic guard.
#[proc_macro_attribute]
pub fn guard(_attr: TokenStream, item: TokenStream) -> TokenStream {
    let mut item = parse_macro_input!(item as Item);
    match &mut item {
        Item::Fn(f) => wrap(&mut f.sig, &mut f.block),
        Item::Impl(i) => {
            for it in &mut i.items {
                if let ImplItem::Fn(f) = it {
                    let mut block = Box::new(f.block.clone());
                    wrap(&mut f.sig, &mut block);
                    f.block = *block;
                }
            }
        }
        other => {
            return syn::Error::new_spanned(other, "#[guard] goes on a fn or an impl block")
                .to_compile_error()
                .into()
        }
    }
    quote!(#item).into()
}

/// Whether a return type already is a result (`PyResult<T>` or `Result<T, E>`).
fn is_result(ty: &Type) -> bool {
    match ty {
        Type::Path(p) => p
            .path
            .segments
            .last()
            .is_some_and(|s| s.ident == "PyResult" || s.ident == "Result"),
        _ => false,
    }
}

fn wrap(sig: &mut Signature, block: &mut Box<Block>) {
    let body = block.clone();
    let new: Block = match sig.output.clone() {
        ReturnType::Default => {
            sig.output = parse_quote!(-> ::pyo3::PyResult<()>);
            parse_quote!({ crate::panic::guard(move || #body) })
        }
        ReturnType::Type(_, ty) if is_result(&ty) => {
            parse_quote!({ crate::panic::guard_result(move || -> #ty #body) })
        }
        ReturnType::Type(_, ty) => {
            sig.output = parse_quote!(-> ::pyo3::PyResult<#ty>);
            // The type named, so that the body's value coerces (`&String` → `&str`).
            parse_quote!({ crate::panic::guard::<#ty>(move || #body) })
        }
    };
    **block = new;
}
