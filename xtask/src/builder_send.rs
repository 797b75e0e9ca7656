//! Each builder's `send()`, rewritten after progenitor:
//! - the operation's api-version goes into it, instead of the `api-version` header progenitor adds
//!   to every request (Azure DevOps reads the query), so a call needs no rewriting of its URL or
//!   headers at run time;
//! - each path parameter is written through `ado_core::__private::Segment`, which percent-encodes it (the
//!   same set as progenitor's `encode_path`) straight into the URL, instead of
//!   `encode_path(&value.to_string())`, which makes two strings per parameter;
//! - the request is sent by `Runtime::exchange`, which prepares every attempt itself (api-version,
//!   credentials, the headers every request carries) and hands back the body its retry loop read
//!   beside the response, instead of the `pre` hook, which borrows the request (a local lent
//!   across an `.await` keeps its room in the future until the end of `send()`, and a request is
//!   264 bytes), and the `exec` hook, which can hand back only the response;
//! - a successful answer is decoded by `ado_core::__private::decode` from that body, at once, with the
//!   headers moved rather than copied, instead of `ResponseValue::from_response`, which would
//!   read the body a second time; an unexpected one keeps the body for the error mapping
//!   (`ado_core::__private::unexpected`);
//! - the call to the `post` hook goes: ado-core does not implement it, and progenitor's own does
//!   nothing but keep the answer lent across an `.await`;
//! - a builder's required parameters start without an error message (`ado_core::__private::required` writes
//!   one in `send()` should one be left unset), instead of a message allocated per parameter and
//!   call;
//! - progenitor's `Accept` header goes: the runtime stamps `Accept: application/json` on every
//!   request anyway.

use std::collections::HashMap;

use quote::{ToTokens, quote};
use syn::punctuated::Punctuated;

use crate::spec::OperationFacts;

/// Rewrite every builder's `send()` in progenitor's output as the module says. Fails unless every
/// operation's `send()` was rewritten.
pub fn apply(file: &mut syn::File, operations: &[OperationFacts]) -> Result<(), String> {
    let versions: HashMap<&str, &str> = operations
        .iter()
        .map(|op| (op.id.as_str(), op.api_version.as_str()))
        .collect();
    let mut rewritten = Vec::new();
    for item in &mut file.items {
        let syn::Item::Mod(module) = item else { continue };
        if module.ident != "builder" {
            continue;
        }
        for inner in module.content.iter_mut().flat_map(|(_, items)| items.iter_mut()) {
            let syn::Item::Impl(block) = inner else { continue };
            let mut unset = Vec::new();
            for member in &mut block.items {
                if let syn::ImplItem::Fn(method) = member
                    && method.sig.ident == "new"
                {
                    unset = unset_without_message(&mut method.block);
                }
            }
            for member in &mut block.items {
                if let syn::ImplItem::Fn(method) = member
                    && method.sig.ident == "send"
                {
                    rewritten.push(rewrite_send(&mut method.block, &versions, &mut unset)?);
                }
            }
            if !unset.is_empty() {
                return Err(format!("a builder's send() does not check the parameters {unset:?}"));
            }
        }
    }
    rewritten.sort();
    let mut expected: Vec<String> = versions.keys().map(|id| id.to_string()).collect();
    expected.sort();
    if rewritten != expected {
        return Err(format!(
            "the api-version went into the URL of {rewritten:?}, but the operations are {expected:?}: has progenitor's output changed shape?"
        ));
    }
    Ok(())
}

/// Rewrite one `send()`; returns its operation id.
fn rewrite_send(
    block: &mut syn::Block,
    versions: &HashMap<&str, &str>,
    unset: &mut Vec<String>,
) -> Result<String, String> {
    let id = operation_id(block).ok_or("a builder's send() names no operation_id")?;
    let version = versions
        .get(id.as_str())
        .ok_or_else(|| format!("send() of `{id}`, which is not in the fragment's operations"))?;
    let mut url_done = false;
    let mut map_only_for_version = false;
    let mut prepared = false;
    let mut exchanged = false;
    let mut answered = false;
    let mut kept = Vec::with_capacity(block.stmts.len());
    for mut stmt in std::mem::take(&mut block.stmts) {
        let text = stmt.to_token_stream().to_string();
        if let Some(name) = unset
            .iter()
            .position(|name| text == format!("let {name} = {name} . map_err (Error :: InvalidRequest) ? ;"))
        {
            let name = unset.swap_remove(name);
            let ident = syn::Ident::new(&name, proc_macro2::Span::call_site());
            stmt = syn::parse_quote!(let #ident = ado_core::__private::required(#ident, #name)?;);
        } else if text.starts_with("let url = format !") {
            append_version(&mut stmt, version)?;
            url_done = true;
        } else if text.starts_with("let mut header_map =") && text.contains("with_capacity (1usize)") {
            map_only_for_version = true;
            continue;
        } else if text.starts_with("header_map . append") && text.contains("\"api-version\"") {
            continue;
        } else if text.starts_with("let info = OperationInfo") {
            // The operation is named by its constant instead (read above, for the id).
            continue;
        } else if text == "client . pre (& mut request , & info) . await ? ;" {
            // `exchange` prepares every attempt itself.
            prepared = true;
            continue;
        } else if text == "let result = client . exec (request , & info) . await ;" {
            let operation = syn::Ident::new(&crate::generate::operation_const(&id), proc_macro2::Span::call_site());
            stmt = syn::parse_quote!(
                let (response, body) = client.inner.exchange(request, &super::operation::#operation).await?;
            );
            exchanged = true;
        } else if text == "client . post (& result , & info) . await ? ;" || text == "let response = result ? ;" {
            // The `post` hook (ado-core does not implement it; progenitor's does nothing), and the
            // unwrapping of `exec`'s result, which the `?` after `exchange` does.
            continue;
        } else if text.contains("let mut request =") {
            drop_calls(&mut stmt, |call| {
                is_accept(call) || (map_only_for_version && call.method == "headers")
            });
        } else if let syn::Stmt::Expr(syn::Expr::Match(answer), _) = &mut stmt {
            answer_with_body(answer).map_err(|e| format!("send() of `{id}`: {e}"))?;
            answered = true;
        }
        kept.push(stmt);
    }
    block.stmts = kept;
    if !url_done {
        return Err(format!("send() of `{id}` builds no `url` with format!"));
    }
    if !prepared || !exchanged || !answered {
        return Err(format!(
            "send() of `{id}` is not `pre`, `exec`, then a match on the status: has progenitor's output changed shape?"
        ));
    }
    Ok(id)
}

/// In `match response.status().as_u16() { .. }`, answer from the body the retry loop read: a
/// decoded answer by `ado_core::__private::decode(response, body)` (instead of
/// `ResponseValue::from_response(response).await`, which would read the body a second time), an
/// unexpected one with its body kept for the error mapping (`ado_core::__private::unexpected`). An answer
/// without a body (`ResponseValue::empty`) is left as it is; any other arm is an error.
fn answer_with_body(answer: &mut syn::ExprMatch) -> Result<(), String> {
    for arm in &mut answer.arms {
        let body = arm.body.to_token_stream().to_string();
        // An arm's body may come in braces or bare.
        let body = body
            .strip_prefix("{ ")
            .and_then(|b| b.strip_suffix(" }"))
            .unwrap_or(&body)
            .to_string();
        if body == "ResponseValue :: from_response (response) . await" {
            *arm.body = syn::parse_quote!(ado_core::__private::decode(response, body));
        } else if body == "Err (Error :: UnexpectedResponse (response))" {
            *arm.body = syn::parse_quote!(Err(Error::UnexpectedResponse(ado_core::__private::unexpected(
                response, body
            ))));
        } else if body != "Ok (ResponseValue :: empty (response))" {
            return Err(format!("an answer of a shape the rewrite does not know: `{body}`"));
        }
    }
    Ok(())
}

/// In a builder's `new()`, start each required parameter as `Err(String::new())` instead of
/// `Err("x was not initialized".to_string())`: the area crate's API sets every required parameter,
/// so that message would be allocated on every call and never read; `ado_core::__private::required` writes
/// it in `send()` should a parameter ever be left unset. Returns the parameters' names.
fn unset_without_message(block: &mut syn::Block) -> Vec<String> {
    let mut names = Vec::new();
    let Some(syn::Stmt::Expr(syn::Expr::Struct(init), _)) = block.stmts.last_mut() else {
        return names;
    };
    for field in &mut init.fields {
        let syn::Member::Named(name) = &field.member else {
            continue;
        };
        let expected = format!("Err (\"{name} was not initialized\" . to_string ())");
        if field.expr.to_token_stream().to_string() == expected {
            field.expr = syn::parse_quote!(Err(String::new()));
            names.push(name.to_string());
        }
    }
    names
}

/// The string in `OperationInfo { operation_id: "..." }`.
fn operation_id(block: &syn::Block) -> Option<String> {
    block.stmts.iter().find_map(|stmt| {
        let syn::Stmt::Local(local) = stmt else { return None };
        let syn::Expr::Struct(info) = &*local.init.as_ref()?.expr else {
            return None;
        };
        info.fields.iter().find_map(|field| match (&field.member, &field.expr) {
            (
                syn::Member::Named(name),
                syn::Expr::Lit(syn::ExprLit {
                    lit: syn::Lit::Str(id), ..
                }),
            ) if name == "operation_id" => Some(id.value()),
            _ => None,
        })
    })
}

/// `format!("{}/x/{}", base, encode_path(&b.to_string()))` becomes
/// `format!("{}/x/{}?api-version=7.1", base, ado_core::__private::Segment(&b))`.
fn append_version(stmt: &mut syn::Stmt, version: &str) -> Result<(), String> {
    let syn::Stmt::Local(local) = stmt else {
        return Err("the url is not a `let`".into());
    };
    let Some(init) = local.init.as_mut() else {
        return Err("the url has no value".into());
    };
    let syn::Expr::Macro(format) = &mut *init.expr else {
        return Err("the url is not a format!".into());
    };
    let parser = Punctuated::<syn::Expr, syn::Token![,]>::parse_terminated;
    let mut args = syn::parse::Parser::parse2(parser, format.mac.tokens.clone())
        .map_err(|e| format!("the url's format! arguments: {e}"))?;
    let Some(syn::Expr::Lit(syn::ExprLit {
        lit: syn::Lit::Str(template),
        ..
    })) = args.first_mut()
    else {
        return Err("the url's format! has no template".into());
    };
    // A path key may end in an empty query (`.../pats?`, kept distinct from `.../pats`).
    let path = template.value();
    let path = path.strip_suffix('?').unwrap_or(&path);
    if path.contains('?') {
        return Err(format!("the url template `{path}` already has a query"));
    }
    *template = syn::LitStr::new(&format!("{path}?api-version={version}"), template.span());
    for arg in args.iter_mut().skip(1) {
        if let Some(value) = encoded_value(arg) {
            *arg = syn::parse_quote!(ado_core::__private::Segment(&#value));
        }
    }
    format.mac.tokens = quote!(#args);
    Ok(())
}

/// `x` in `encode_path(&x.to_string())`.
fn encoded_value(arg: &syn::Expr) -> Option<proc_macro2::TokenStream> {
    let syn::Expr::Call(call) = arg else { return None };
    let syn::Expr::Path(function) = &*call.func else {
        return None;
    };
    if function.path.segments.last().is_none_or(|s| s.ident != "encode_path") || call.args.len() != 1 {
        return None;
    }
    let syn::Expr::Reference(reference) = &call.args[0] else {
        return None;
    };
    let syn::Expr::MethodCall(to_string) = &*reference.expr else {
        return None;
    };
    (to_string.method == "to_string" && to_string.args.is_empty()).then(|| to_string.receiver.to_token_stream())
}

/// Remove the calls `unwanted` picks from the request builder chain
/// (`client.client.get(url).header(..).headers(..).build()?`).
fn drop_calls(stmt: &mut syn::Stmt, unwanted: impl Fn(&syn::ExprMethodCall) -> bool) {
    let syn::Stmt::Local(local) = stmt else { return };
    let Some(init) = local.init.as_mut() else { return };
    let mut expr = &mut *init.expr;
    loop {
        if let syn::Expr::MethodCall(call) = expr
            && unwanted(call)
        {
            let receiver = std::mem::replace(&mut *call.receiver, syn::Expr::Verbatim(Default::default()));
            *expr = receiver;
            continue;
        }
        expr = match expr {
            syn::Expr::Try(inner) => &mut *inner.expr,
            syn::Expr::MethodCall(call) => &mut *call.receiver,
            _ => return,
        };
    }
}

/// `.header(::reqwest::header::ACCEPT, ..)`: the runtime stamps `Accept` on every request.
fn is_accept(call: &syn::ExprMethodCall) -> bool {
    call.method == "header"
        && call
            .args
            .first()
            .is_some_and(|name| name.to_token_stream().to_string().ends_with(":: ACCEPT"))
}
