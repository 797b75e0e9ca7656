//! typify's type builders, mended after progenitor, so every builder works from its default:
//! - a type that keeps fields it does not name (`additionalProperties`) gets a flattened `extra`
//!   map, whose builder field starts as an error ("no value supplied for extra"); the map is never
//!   required, so its builder field starts empty;
//! - a required nullable field (one the service always sends, `null` when empty) is written as
//!   `null` rather than left out, so a body read and written back keeps it; its builder field
//!   starts at `None` rather than an error, and decoding reads it as `None` when it is absent.

use syn::visit_mut::VisitMut;

/// How typify marks a required nullable field (`deserialize_with = "…"`): the field must be
/// present, and may be `null`.
const REQUIRED_NULLABLE: &str = "::std::option::Option::deserialize";

/// Start every `extra` builder field at an empty map, and every required nullable one at `None`
/// (reading it as `None` when absent). Returns how many fields were mended.
pub fn default_extra(file: &mut syn::File) -> usize {
    let nullable = required_nullable(file);
    let mut mender = Mender {
        mended: 0,
        in_default: None,
        nullable,
    };
    mender.visit_file_mut(file);
    mender.mended
}

struct Mender {
    mended: usize,
    /// Inside an `impl Default for <type>`: the type's name.
    in_default: Option<String>,
    /// Required nullable fields, as (type, field).
    nullable: Vec<(String, String)>,
}

/// The options of one `#[serde(…)]` attribute.
type Options = syn::punctuated::Punctuated<syn::Meta, syn::Token![,]>;

/// The required nullable fields of every struct, as (type, field); each gains serde's `default`
/// so that a body without it still decodes.
fn required_nullable(file: &mut syn::File) -> Vec<(String, String)> {
    let mut found = Vec::new();
    for item in &mut file.items {
        let syn::Item::Mod(types) = item else { continue };
        for inner in types.content.iter_mut().flat_map(|(_, items)| items.iter_mut()) {
            let syn::Item::Struct(s) = inner else { continue };
            for field in s.fields.iter_mut() {
                let Some(name) = &field.ident else { continue };
                for attr in field.attrs.iter_mut().filter(|a| a.path().is_ident("serde")) {
                    let Ok(mut options) = attr.parse_args_with(Options::parse_terminated) else {
                        continue;
                    };
                    let named = |option: &syn::Meta, name: &str| option.path().is_ident(name);
                    let nullable = options.iter().any(|option| match option {
                        syn::Meta::NameValue(pair) if pair.path.is_ident("deserialize_with") => {
                            matches!(&pair.value, syn::Expr::Lit(syn::ExprLit { lit: syn::Lit::Str(text), .. })
                                if text.value() == REQUIRED_NULLABLE)
                        }
                        _ => false,
                    });
                    if nullable && !options.iter().any(|option| named(option, "default")) {
                        options.insert(0, syn::parse_quote!(default));
                        *attr = syn::parse_quote!(#[serde(#options)]);
                        found.push((s.ident.to_string(), name.to_string()));
                    }
                }
            }
        }
    }
    found
}

impl VisitMut for Mender {
    fn visit_item_impl_mut(&mut self, block: &mut syn::ItemImpl) {
        let default_of = is_default_impl(block).then(|| type_name(&block.self_ty)).flatten();
        let outer = std::mem::replace(&mut self.in_default, default_of);
        syn::visit_mut::visit_item_impl_mut(self, block);
        self.in_default = outer;
    }

    fn visit_expr_struct_mut(&mut self, init: &mut syn::ExprStruct) {
        syn::visit_mut::visit_expr_struct_mut(self, init);
        let Some(owner) = &self.in_default else { return };
        for field in &mut init.fields {
            let syn::Member::Named(name) = &field.member else {
                continue;
            };
            let is_err = matches!(&field.expr, syn::Expr::Call(call)
                if matches!(&*call.func, syn::Expr::Path(p) if p.path.is_ident("Err")));
            let may_be_empty = name == "extra" || self.nullable.iter().any(|(ty, f)| ty == owner && name == f);
            if is_err && may_be_empty {
                field.expr = syn::parse_quote!(Ok(Default::default()));
                self.mended += 1;
            }
        }
    }
}

/// The types whose builder builds from its default alone (every field optional), by name.
pub fn optional_only(file: &syn::File) -> Vec<String> {
    let mut names = Vec::new();
    for item in &file.items {
        let syn::Item::Mod(types) = item else { continue };
        let inner = types.content.iter().flat_map(|(_, items)| items.iter());
        for builder in inner.filter_map(|i| match i {
            syn::Item::Mod(m) if m.ident == "builder" => m.content.as_ref(),
            _ => None,
        }) {
            for block in builder.1.iter().filter_map(|i| match i {
                syn::Item::Impl(b) if is_default_impl(b) => Some(b),
                _ => None,
            }) {
                let text = quote::quote!(#block).to_string();
                if let syn::Type::Path(ty) = &*block.self_ty
                    && let Some(name) = ty.path.segments.last()
                    && !text.contains("Err (")
                {
                    names.push(name.ident.to_string());
                }
            }
        }
    }
    names
}

/// Derive `Default` for each of `names` (types whose fields all start empty) that typify left
/// without it because of their `extra` map, so callers can write `..Default::default()`.
pub fn derive_default(file: &mut syn::File, names: &[String]) -> Result<usize, String> {
    let mut added = 0;
    for item in &mut file.items {
        let syn::Item::Mod(types) = item else { continue };
        if types.ident != "types" {
            continue;
        }
        for inner in types.content.iter_mut().flat_map(|(_, items)| items.iter_mut()) {
            let syn::Item::Struct(s) = inner else { continue };
            if !names.iter().any(|n| s.ident == n) {
                continue;
            }
            for attr in s.attrs.iter_mut().filter(|a| a.path().is_ident("derive")) {
                let mut derives = attr
                    .parse_args_with(syn::punctuated::Punctuated::<syn::Path, syn::Token![,]>::parse_terminated)
                    .map_err(|e| format!("{}: derive: {e}", s.ident))?;
                if derives
                    .iter()
                    .any(|d| d.segments.last().is_some_and(|l| l.ident == "Default"))
                {
                    continue;
                }
                derives.push(syn::parse_quote!(Default));
                *attr = syn::parse_quote!(#[derive(#derives)]);
                added += 1;
            }
        }
    }
    Ok(added)
}

/// A test, for the generated module, that builds each of `names` from its builder's default.
pub fn test_module(names: &[String]) -> String {
    let mut text = String::from(
        "\n/// Every type whose fields are all optional builds from its builder's default (the\n\
         /// others are built in the crate's own tests).\n\
         #[cfg(test)]\nmod type_builders {\n    #[test]\n    fn every_builder_builds_from_its_default() {\n",
    );
    for name in names {
        text.push_str(&format!(
            "        let built: Result<super::types::{name}, _> = super::types::{name}::builder().try_into();\n        assert!(built.is_ok(), \"{name}: {{:?}}\", built.err());\n"
        ));
    }
    text.push_str("    }\n}\n");
    text
}

fn type_name(ty: &syn::Type) -> Option<String> {
    match ty {
        syn::Type::Path(p) => p.path.segments.last().map(|s| s.ident.to_string()),
        _ => None,
    }
}

fn is_default_impl(block: &syn::ItemImpl) -> bool {
    block
        .trait_
        .as_ref()
        .and_then(|(_, path, _)| path.segments.last())
        .is_some_and(|s| s.ident == "Default")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_is_derived_for_the_named_types_that_lack_it() {
        let mut file: syn::File = syn::parse_quote! {
            mod types {
                #[derive(Clone, Debug)]
                pub struct Open { extra: Map }
                #[derive(Clone, Default)]
                pub struct Plain {}
                #[derive(Clone)]
                pub struct Required { name: String }
            }
        };
        let names = ["Open".to_string(), "Plain".to_string()];
        assert_eq!(derive_default(&mut file, &names).unwrap(), 1);
        let text = quote::quote!(#file).to_string();
        assert!(
            text.contains("# [derive (Clone , Debug , Default)] pub struct Open"),
            "{text}"
        );
        assert!(text.contains("# [derive (Clone)] pub struct Required"), "{text}");
    }

    #[test]
    fn an_extra_field_starts_empty_and_required_fields_keep_their_error() {
        let mut file: syn::File = syn::parse_quote! {
            impl ::std::default::Default for Thing {
                fn default() -> Self {
                    Self {
                        name: Err("no value supplied for name".to_string()),
                        extra: Err("no value supplied for extra".to_string()),
                    }
                }
            }
        };
        assert_eq!(default_extra(&mut file), 1);
        let text = quote::quote!(#file).to_string();
        assert!(text.contains("extra : Ok (Default :: default ())"), "{text}");
        assert!(text.contains("name : Err"), "{text}");
    }

    #[test]
    fn a_required_nullable_field_reads_absent_as_none_and_its_builder_starts_at_none() {
        let mut file: syn::File = syn::parse_quote! {
            mod types {
                pub struct Thing {
                    #[serde(rename = "token", deserialize_with = "::std::option::Option::deserialize")]
                    pub token: Option<String>,
                    pub name: String,
                }
                mod builder {
                    impl ::std::default::Default for Thing {
                        fn default() -> Self {
                            Self {
                                token: Err("no value supplied for token".to_string()),
                                name: Err("no value supplied for name".to_string()),
                            }
                        }
                    }
                }
            }
        };
        assert_eq!(default_extra(&mut file), 1);
        let text = quote::quote!(#file).to_string();
        assert!(
            text.contains(
                "# [serde (default , rename = \"token\" , deserialize_with = \"::std::option::Option::deserialize\")]"
            ),
            "{text}"
        );
        assert!(text.contains("token : Ok (Default :: default ())"), "{text}");
        assert!(text.contains("name : Err"), "{text}");
    }

    #[test]
    fn struct_literals_outside_default_impls_are_left_alone() {
        let mut file: syn::File = syn::parse_quote! {
            fn make() -> Thing {
                Thing { extra: Err("x".to_string()) }
            }
        };
        assert_eq!(default_extra(&mut file), 0);
    }
}
