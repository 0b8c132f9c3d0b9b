//! Response structs that several endpoints of one service version declare alike (the same
//! name, the same fields): generated once, in `<service>/<version>/types.rs`, and re-exported
//! by each endpoint's module, so every endpoint keeps its paths.

use std::collections::{BTreeMap, BTreeSet};

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::endpoint::response_struct;
use super::module_doc;
use crate::model::{Endpoint, Field};
use crate::validate::same_type;

/// The shared structs of one service version, by name, each as one endpoint declares it.
#[derive(Debug, Default)]
pub struct SharedTypes<'e> {
    pub structs: BTreeMap<String, &'e Field>,
}

impl SharedTypes<'_> {
    /// The shared structs an endpoint's response uses, by name.
    pub fn used_by(&self, endpoint: &Endpoint) -> BTreeSet<String> {
        fn walk(fields: &[Field], shared: &SharedTypes<'_>, out: &mut BTreeSet<String>) {
            for field in fields {
                if let Some(name) = &field.struct_name {
                    if shared.structs.contains_key(name) {
                        out.insert(name.clone());
                    }
                }
                walk(&field.fields, shared, out);
            }
        }
        let mut used = BTreeSet::new();
        walk(&endpoint.data, self, &mut used);
        used
    }
}

/// The structs that two or more of `endpoints` (one service version, sorted by module name)
/// declare with the same name and fields, from the first that declares each. A name declared
/// with other fields anywhere stays each endpoint's own.
pub fn shared_types<'e>(endpoints: &[&'e Endpoint]) -> SharedTypes<'e> {
    fn collect<'e>(fields: &'e [Field], out: &mut BTreeMap<String, &'e Field>) {
        for field in fields {
            if let Some(name) = &field.struct_name {
                out.entry(name.clone()).or_insert(field);
            }
            collect(&field.fields, out);
        }
    }
    let mut seen: BTreeMap<String, (Option<&'e Field>, usize)> = BTreeMap::new();
    for endpoint in endpoints {
        let mut own = BTreeMap::new();
        collect(&endpoint.data, &mut own);
        for (name, field) in own {
            let entry = seen.entry(name).or_insert((Some(field), 0));
            match entry.0 {
                Some(first) if same_type(first, field) => entry.1 += 1,
                _ => entry.0 = None,
            }
        }
    }
    SharedTypes {
        structs: seen
            .into_iter()
            .filter_map(|(name, (field, count))| Some((name, field?)).filter(|_| count >= 2))
            .collect(),
    }
}

/// `generated/src/<service>/<version>/types.rs`.
pub fn types_module(shared: &SharedTypes<'_>, service: &str, version: &str) -> TokenStream {
    let module_doc = module_doc(&format!(
        "Response structs that several `{service}` `{version}` endpoints declare alike, \
         generated once; each endpoint's module re-exports the ones it uses. Their docs are \
         the first such page's; each endpoint's reference in `generated/docs/` has its own."
    ));
    let structs = shared
        .structs
        .iter()
        .map(|(name, field)| response_struct(&format_ident!("{}", name), field));
    quote! {
        #module_doc
        #(#structs)*
    }
}
