//! Response structs, request body structs and enums, and query parameter enums that several
//! endpoints of one service version declare alike (the same name, the same fields or values):
//! generated once, in
//! `<service>/<version>/types.rs` (body types in its `body` module), and re-exported by each
//! endpoint's module, so every endpoint keeps its paths.

use std::collections::{BTreeMap, BTreeSet};

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::endpoint::{body_type, endpoint_enums, param_enum, response_struct};
use super::module_doc;
use crate::model::{Endpoint, Field, FieldType, Param};
use crate::validate::same_type;

/// The shared types of one service version, by name, each as one endpoint declares it.
#[derive(Debug, Default)]
pub struct SharedTypes<'e> {
    /// Response structs.
    pub structs: BTreeMap<String, &'e Field>,
    /// Request body structs and enums.
    pub bodies: BTreeMap<String, &'e Field>,
    /// Query parameter enums.
    pub params: BTreeMap<String, &'e Param>,
}

/// The shared types one endpoint uses, by name: what its module re-exports.
#[derive(Debug, Default, Clone, PartialEq, Eq, Hash)]
pub struct SharedUse {
    pub response: BTreeSet<String>,
    pub body: BTreeSet<String>,
    pub params: BTreeSet<String>,
}

impl SharedTypes<'_> {
    /// No type is shared: the version has no `types` module.
    pub fn is_empty(&self) -> bool {
        self.structs.is_empty() && self.bodies.is_empty() && self.params.is_empty()
    }

    /// The shared types an endpoint's response and request body use.
    pub fn used_by(&self, endpoint: &Endpoint) -> SharedUse {
        fn walk(fields: &[Field], shared: &BTreeMap<String, &Field>, out: &mut BTreeSet<String>) {
            for field in fields {
                if let Some(name) = &field.struct_name {
                    if shared.contains_key(name) {
                        out.insert(name.clone());
                    }
                }
                walk(&field.fields, shared, out);
            }
        }
        let mut used = SharedUse::default();
        walk(&endpoint.data, &self.structs, &mut used.response);
        walk(&endpoint.request_body, &self.bodies, &mut used.body);
        used.params = endpoint_enums(endpoint)
            .into_iter()
            .filter(|param| {
                self.params
                    .get(&param.enum_name)
                    .is_some_and(|shared| same_enum(shared, param))
            })
            .map(|param| param.enum_name.clone())
            .collect();
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
    fn shared<'e>(
        endpoints: &[&'e Endpoint],
        fields: impl Fn(&'e Endpoint) -> &'e [Field],
    ) -> BTreeMap<String, &'e Field> {
        let mut seen: BTreeMap<String, (Option<&'e Field>, usize)> = BTreeMap::new();
        for endpoint in endpoints {
            let mut own = BTreeMap::new();
            collect(fields(endpoint), &mut own);
            for (name, field) in own {
                let entry = seen.entry(name).or_insert((Some(field), 0));
                match entry.0 {
                    Some(first) if same_type(first, field) => entry.1 += 1,
                    _ => entry.0 = None,
                }
            }
        }
        let mut shared: BTreeMap<String, &'e Field> = seen
            .into_iter()
            .filter_map(|(name, (field, count))| Some((name, field?)).filter(|_| count >= 2))
            .collect();
        // A shared type names its inner types from the shared module: each must be there too.
        loop {
            let incomplete: Vec<String> = shared
                .iter()
                .filter(|(_, field)| {
                    !inner_names(&field.fields).all(|inner| shared.contains_key(inner))
                })
                .map(|(name, _)| name.clone())
                .collect();
            if incomplete.is_empty() {
                return shared;
            }
            for name in incomplete {
                shared.remove(&name);
            }
        }
    }
    /// The named types directly inside `fields`, and inside their unnamed objects.
    fn inner_names(fields: &[Field]) -> Box<dyn Iterator<Item = &String> + '_> {
        Box::new(
            fields
                .iter()
                .flat_map(|field| -> Box<dyn Iterator<Item = &String>> {
                    match &field.struct_name {
                        Some(name) => Box::new(std::iter::once(name)),
                        None => inner_names(&field.fields),
                    }
                }),
        )
    }
    let structs = shared(endpoints, |endpoint| &endpoint.data);
    // A query enum is the same when its wire name and values are (the docs are those of the
    // first page that declares it, as for structs). The form most endpoints declare is shared
    // (the first, on a tie); an endpoint whose page lists other values keeps its own.
    let mut forms: BTreeMap<&'e str, Vec<(&'e Param, usize)>> = BTreeMap::new();
    for endpoint in endpoints {
        for param in endpoint_enums(endpoint) {
            let seen = forms.entry(&param.enum_name).or_default();
            match seen.iter_mut().find(|(form, _)| same_enum(form, param)) {
                Some((_, count)) => *count += 1,
                None => seen.push((param, 1)),
            }
        }
    }
    let params = forms
        .into_iter()
        .filter(|(name, _)| !structs.contains_key(*name))
        .filter_map(|(name, seen)| {
            let most = seen.iter().map(|(_, count)| *count).max()?;
            let (param, _) = seen.into_iter().find(|(_, count)| *count == most)?;
            (most >= 2).then(|| (name.to_owned(), param))
        })
        .collect();
    SharedTypes {
        structs,
        bodies: shared(endpoints, |endpoint| &endpoint.request_body),
        params,
    }
}

fn same_enum(a: &Param, b: &Param) -> bool {
    a.name == b.name
        && a.values.len() == b.values.len()
        && a.values
            .iter()
            .zip(&b.values)
            .all(|(a, b)| a.value == b.value && a.variant == b.variant)
}

/// `generated/src/<service>/<version>/types.rs`.
pub fn types_module(shared: &SharedTypes<'_>, service: &str, version: &str) -> TokenStream {
    let module_doc = module_doc(&format!(
        "Types that several `{service}` `{version}` endpoints declare alike, generated once; \
         each endpoint's module re-exports the ones it uses. Their docs are the first such \
         page's; each endpoint's reference in `generated/docs/` has its own."
    ));
    let structs = shared
        .structs
        .iter()
        .map(|(name, field)| response_struct(&format_ident!("{}", name), field));
    let params = shared.params.values().map(|param| param_enum(param));
    let params_fmt = (!shared.params.is_empty()).then(|| {
        quote!(
            use std::fmt;
        )
    });
    let body = (!shared.bodies.is_empty()).then(|| {
        let types = shared
            .bodies
            .iter()
            .map(|(name, field)| body_type(name, field));
        let fmt_import = shared
            .bodies
            .values()
            .any(|field| field.field_type == FieldType::Enum)
            .then(|| {
                quote!(
                    use std::fmt;
                )
            });
        quote! {
            /// Request body structs and enums, as each endpoint's `body` module re-exports them.
            pub mod body {
                #fmt_import
                use serde::{Deserialize, Serialize};

                #(#types)*
            }
        }
    });
    quote! {
        #module_doc
        #params_fmt
        #(#params)*
        #(#structs)*
        #body
    }
}
