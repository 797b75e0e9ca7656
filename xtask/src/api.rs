//! The area's client and its operations, generated from the fragment beside progenitor's types:
//! `client.<group>().<operation>(required…)`, optional parameters as chained setters, and
//! `.send()` / `.send_with_response()` / `.send_raw()` / `.await` returning ado-core's types.
//! Each request builds its URL, query and body from the operation's facts and hands them to
//! ado-core's runtime (`request`, `send`, `decode`).

use std::collections::BTreeMap;
use std::fmt::Write;

use serde_json::Value;

use crate::names::pascal_case as pascal;
use crate::spec::resolve;

const METHODS: &[&str] = &["get", "put", "post", "delete", "patch"];

/// One parameter of an operation, as the wrapper sees it.
struct Param {
    /// The name in the spec (`$top`).
    name: String,
    /// The Rust name of the builder's setter (`top`).
    rust: String,
    /// The Rust type.
    ty: String,
    /// Path parameter.
    in_path: bool,
    required: bool,
    description: String,
}

struct Op {
    id: String,
    group: String,
    method_name: String,
    summary: String,
    http: String,
    path: String,
    api_version: String,
    params: Vec<Param>,
    body: Option<String>,
    output: String,
    /// The success statuses the spec lists.
    success: Vec<String>,
    paging: Option<Paging>,
}

/// How a list operation pages, from `x-ado-paging`.
struct Paging {
    /// `header`, `body` or `skip`.
    next: String,
    /// The Rust name of the field holding the next token (body paging).
    token: String,
    /// The Rust name of the field holding the items.
    items: String,
    /// Whether the items field is optional (nullable) in the answer.
    items_optional: bool,
    /// The Rust type of one item.
    item: String,
}

/// The Rust type of a schema, as the generated code names it.
fn rust_type(doc: &Value, schema: &Value) -> String {
    if let Some(reference) = schema.get("$ref").and_then(|r| r.as_str()) {
        let name = reference.rsplit('/').next().unwrap_or_default();
        let target = resolve(doc, schema);
        return match target.get("x-ado-rust-type").and_then(|t| t.as_str()) {
            Some(rust) => rust.to_string(),
            None => format!("types::{name}"),
        };
    }
    let format = schema.get("format").and_then(|f| f.as_str()).unwrap_or_default();
    match (schema.get("type").and_then(|t| t.as_str()), format) {
        (Some("integer"), "int64") => "i64".to_string(),
        (Some("integer"), _) => "i32".to_string(),
        (Some("boolean"), _) => "bool".to_string(),
        (Some("string"), "uuid") => "uuid::Uuid".to_string(),
        (Some("array"), _) => format!("Vec<{}>", rust_type(doc, schema.get("items").unwrap_or(&Value::Null))),
        _ => "String".to_string(),
    }
}

/// snake_case, as progenitor names setters: `$top` → `top`, `continuationToken` → `continuation_token`.
fn snake(name: &str) -> String {
    let mut out = String::new();
    for (i, c) in name.trim_start_matches('$').chars().enumerate() {
        if c.is_ascii_uppercase() {
            if i > 0 {
                out.push('_');
            }
            out.push(c.to_ascii_lowercase());
        } else {
            out.push(c);
        }
    }
    out
}

fn text(value: &Value, key: &str) -> String {
    value
        .get(key)
        .and_then(|v| v.as_str())
        .unwrap_or_default()
        .trim()
        .to_string()
}

fn operations(doc: &Value) -> Vec<Op> {
    let mut ops = Vec::new();
    let Some(paths) = doc.get("paths").and_then(|p| p.as_object()) else {
        return ops;
    };
    for (path, item) in paths {
        for http in METHODS {
            let Some(op) = item.get(*http) else { continue };
            let id = text(op, "operationId");
            let group = op
                .get("tags")
                .and_then(|t| t.get(0))
                .and_then(|t| t.as_str())
                .unwrap_or_default()
                .to_string();
            let method_name = id.strip_prefix(&format!("{group}_")).unwrap_or(&id).to_string();
            let mut params = Vec::new();
            let lists = [item.get("parameters"), op.get("parameters")];
            for raw in lists.into_iter().flatten().filter_map(|l| l.as_array()).flatten() {
                let p = resolve(doc, raw);
                let name = text(p, "name");
                params.push(Param {
                    rust: snake(&name),
                    ty: rust_type(doc, p.get("schema").unwrap_or(&Value::Null)),
                    in_path: text(p, "in") == "path",
                    required: p.get("required").and_then(|r| r.as_bool()).unwrap_or(false),
                    description: text(p, "description"),
                    name,
                });
            }
            // Path parameters in the order the path names them, then the rest.
            params.sort_by_key(|p| {
                if p.in_path {
                    path.find(&format!("{{{}}}", p.name)).unwrap_or(0)
                } else {
                    usize::MAX
                }
            });
            let body = op
                .pointer("/requestBody/content/application~1json/schema")
                .map(|schema| rust_type(doc, schema));
            // The answer's type: that of the first success status with a JSON body (200 or 201).
            let response_schema = op
                .get("responses")
                .and_then(|r| r.as_object())
                .into_iter()
                .flatten()
                .filter(|(status, _)| status.starts_with('2'))
                .find_map(|(_, response)| response.pointer("/content/application~1json/schema"));
            let output = response_schema.map_or_else(|| "()".to_string(), |schema| rust_type(doc, schema));
            let success = op
                .get("responses")
                .and_then(|r| r.as_object())
                .map(|r| r.keys().filter(|k| k.starts_with('2')).cloned().collect())
                .unwrap_or_default();
            let paging = op.get("x-ado-paging").zip(response_schema).map(|(paging, schema)| {
                let list = resolve(doc, schema);
                let items = text(paging, "items");
                let items_schema = list.pointer(&format!("/properties/{items}")).unwrap_or(&Value::Null);
                let required = list
                    .get("required")
                    .and_then(|r| r.as_array())
                    .is_some_and(|r| r.iter().any(|n| n.as_str() == Some(items.as_str())));
                Paging {
                    next: text(paging, "next"),
                    token: snake(&text(paging, "token")),
                    items: snake(&items),
                    items_optional: !required,
                    item: rust_type(doc, items_schema.get("items").unwrap_or(&Value::Null)),
                }
            });
            ops.push(Op {
                id,
                group,
                method_name,
                summary: text(op, "summary"),
                http: http.to_uppercase(),
                path: path.trim_end_matches('?').to_string(),
                api_version: text(op, "x-ado-api-version"),
                params,
                body,
                output,
                success,
                paging,
            });
        }
    }
    ops
}

/// The text of the layer for one fragment.
pub fn render(doc: &Value) -> String {
    let ops = operations(doc);
    let mut groups: BTreeMap<&str, Vec<&Op>> = BTreeMap::new();
    for op in &ops {
        groups.entry(op.group.as_str()).or_default().push(op);
    }
    let mut out = String::from(
        "/// The area's client: ado-core's runtime over one configuration.\n\
         #[derive(Clone, Debug)]\n\
         pub struct Client {\n    pub(crate) inner: ado_core::__private::Runtime,\n}\n\n\
         impl Client {\n    /// A client over `inner`.\n    pub fn new(inner: ado_core::__private::Runtime) -> Self {\n        Self { inner }\n    }\n}\n\n\
         /// The operations: one struct per group of operations, one request type per operation.\n\
         pub mod api {\n    use super::{types, Client};\n    use ado_core::Result;\n\n",
    );
    for (group, ops) in &groups {
        let group_type = pascal(group);
        let _ = writeln!(out, "    /// The `{group}` operations. Get one from the area client.");
        let _ = writeln!(out, "    #[derive(Clone, Copy, Debug)]");
        let _ = writeln!(
            out,
            "    pub struct {group_type}<'a> {{\n        client: &'a Client,\n    }}\n"
        );
        let _ = writeln!(out, "    impl<'a> {group_type}<'a> {{");
        let _ = writeln!(
            out,
            "        pub(crate) fn new(client: &'a Client) -> Self {{\n            Self {{ client }}\n        }}"
        );
        for op in ops {
            render_method(&mut out, op);
        }
        out.push_str("    }\n\n");
        for op in ops {
            render_request(&mut out, op);
        }
    }
    // Every answer type passes `CheckAnswer` unless its schema says the crate checks it.
    let mut outputs: Vec<&str> = ops.iter().map(|op| op.output.as_str()).filter(|o| *o != "()").collect();
    outputs.sort();
    outputs.dedup();
    for output in outputs {
        let name = output.trim_start_matches("types::");
        let checked = doc
            .pointer(&format!("/components/schemas/{name}/x-ado-checked"))
            .and_then(|v| v.as_bool())
            .unwrap_or(false);
        if !checked {
            let _ = writeln!(
                out,
                "    impl ado_core::__private::CheckAnswer for {output} {{\n        fn check(&self, _: u16) -> Result<()> {{\n            Ok(())\n        }}\n    }}"
            );
        }
    }
    out.push_str("}\n");
    out
}

fn positional(op: &Op) -> Vec<&Param> {
    op.params.iter().filter(|p| p.required).collect()
}

fn arg_type(p: &Param) -> String {
    if p.ty == "String" {
        "&str".to_string()
    } else {
        p.ty.clone()
    }
}

fn render_method(out: &mut String, op: &Op) {
    let request = format!("{}Request", pascal(&op.id));
    let _ = writeln!(out, "\n        /// {}", op.summary);
    let _ = writeln!(
        out,
        "        ///\n        /// `{} {}` (api-version {}).",
        op.http, op.path, op.api_version
    );
    let required = positional(op);
    if !required.is_empty() || op.body.is_some() {
        let _ = writeln!(out, "        ///\n        /// Arguments:");
        for p in &required {
            let _ = writeln!(out, "        /// - `{}`: {}", p.rust, p.description);
        }
        if op.body.is_some() {
            let _ = writeln!(out, "        /// - `body`: the request body.");
        }
    }
    let mut args: Vec<String> = required
        .iter()
        .map(|p| format!("{}: {}", p.rust, arg_type(p)))
        .collect();
    if let Some(body) = &op.body {
        args.push(format!("body: {body}"));
    }
    let _ = writeln!(
        out,
        "        pub fn {}(&self, {}) -> {request}<'a> {{",
        op.method_name,
        args.join(", ")
    );
    // Values that could read as path navigation are refused; numbers and GUIDs cannot.
    let checks: Vec<String> = required
        .iter()
        .filter(|p| p.in_path && !matches!(p.ty.as_str(), "i32" | "i64" | "uuid::Uuid"))
        .map(|p| {
            let value = if p.ty == "String" {
                p.rust.clone()
            } else {
                format!("&{}.to_string()", p.rust)
            };
            format!("ado_core::__private::path_segment({:?}, {value}).err()", p.name)
        })
        .collect();
    let invalid = if checks.is_empty() {
        "None".to_string()
    } else {
        checks.join(".or_else(|| ") + &")".repeat(checks.len() - 1)
    };
    let _ = writeln!(out, "            let invalid = {invalid};");
    let mut fields: Vec<String> = vec!["client: self.client".into(), "invalid".into()];
    for p in &op.params {
        fields.push(match (p.required, p.ty.as_str()) {
            (true, "String") => format!("{}: {}.to_string()", p.rust, p.rust),
            (true, _) => p.rust.clone(),
            (false, _) => format!("{}: None", p.rust),
        });
    }
    if op.body.is_some() {
        fields.push("body".into());
    }
    let _ = writeln!(out, "            {request} {{ {} }}", fields.join(", "));
    out.push_str("        }\n");
}

fn render_paging(op: &Op) -> String {
    let Some(paging) = &op.paging else { return String::new() };
    let request = format!("{}Request", pascal(&op.id));
    let item = &paging.item;
    let items = if paging.items_optional {
        format!("value.{}.unwrap_or_default()", paging.items)
    } else {
        format!("value.{}", paging.items)
    };
    let pages = match paging.next.as_str() {
        "header" => format!(
            "
        /// Every page, fetched one at a time as the stream is read; the next page's token comes
        /// from the `x-ms-continuationtoken` header. A token that comes round again, or the
        /// configuration's `PageLimits`, end the stream with a paging error.
        #[inline]
        pub fn pages(self) -> impl ::futures_core::Stream<Item = Result<ado_core::pager::Page<{item}>>> + 'a {{
            ado_core::pager::pages_within(self.client.inner.config().page_limits(), move |token: Option<String>| {{
                let request = match token {{
                    Some(token) => self.clone().continuation_token(token),
                    None => self.clone(),
                }};
                async move {{
                    let response = request.send_with_response().await?;
                    let next = response.continuation_token().map(str::to_string);
                    let value = response.into_inner();
                    Ok(ado_core::pager::Page {{ items: {items}, next }})
                }}
            }})
        }}"
        ),
        "body" => format!(
            "
        /// Every page, fetched one at a time as the stream is read; the next page's token comes
        /// in the body (an empty token ends the list). A token that comes round again, or the
        /// configuration's `PageLimits`, end the stream with a paging error.
        #[inline]
        pub fn pages(self) -> impl ::futures_core::Stream<Item = Result<ado_core::pager::Page<{item}>>> + 'a {{
            ado_core::pager::pages_within(self.client.inner.config().page_limits(), move |token: Option<String>| {{
                let request = match token {{
                    Some(token) => self.clone().continuation_token(token),
                    None => self.clone(),
                }};
                async move {{
                    let value = request.send().await?;
                    let next = value.{token}.clone();
                    Ok(ado_core::pager::Page {{ items: {items}, next }})
                }}
            }})
        }}",
            token = paging.token
        ),
        _ => format!(
            "
        /// Every page of `page_size` items (`$top`), fetched one at a time as the stream is read,
        /// moving on with `$skip`; a short page ends the list. Any `top` or `skip` set on the
        /// request is replaced. A page equal to the one before (a server that ignores `$skip`),
        /// or the configuration's `PageLimits`, end the stream with a paging error.
        #[inline]
        pub fn pages(self, page_size: u32) -> impl ::futures_core::Stream<Item = Result<ado_core::pager::Page<{item}>>> + 'a {{
            let page_size = page_size.clamp(1, i32::MAX as u32);
            ado_core::pager::skip_pages_within(self.client.inner.config().page_limits(), page_size, move |top, skip| {{
                let request = self.clone().top(top as i32).skip(skip.min(i32::MAX as u32) as i32);
                async move {{
                    let value = request.send().await?;
                    Ok({items})
                }}
            }})
        }}"
        ),
    };
    let (items_args, pages_call) = if paging.next == "skip" {
        ("page_size: u32", "self.pages(page_size)")
    } else {
        ("", "self.pages()")
    };
    format!(
        "impl<'a> {request}<'a> {{{pages}

        /// Every item of every page, in order, fetched a page at a time as the stream is read.
        #[inline]
        pub fn items(self, {items_args}) -> impl ::futures_core::Stream<Item = Result<{item}>> + 'a {{
            ado_core::pager::flatten({pages_call})
        }}
    }}
"
    )
}

fn render_request(out: &mut String, op: &Op) {
    let request = format!("{}Request", pascal(&op.id));
    let paging = render_paging(op);
    let output = &op.output;
    let operation = format!("super::operation::{}", crate::generate::operation_const(&op.id));
    let _ = writeln!(
        out,
        "    /// A prepared `{}` call: set optional parameters, then `.send().await` (or `.await`).",
        op.id
    );
    let _ = writeln!(
        out,
        "    #[derive(Debug, Clone)]\n    #[must_use = \"a request does nothing until it is sent\"]"
    );
    let mut fields = String::new();
    for p in &op.params {
        let ty = if p.required {
            p.ty.clone()
        } else {
            format!("Option<{}>", p.ty)
        };
        let _ = writeln!(fields, "        {}: {ty},", p.rust);
    }
    if let Some(body) = &op.body {
        let _ = writeln!(fields, "        body: {body},");
    }
    let _ = writeln!(
        out,
        "    pub struct {request}<'a> {{\n        client: &'a Client,\n        invalid: Option<ado_core::Error>,\n{fields}    }}\n"
    );
    let _ = writeln!(out, "    impl<'a> {request}<'a> {{");
    let _ = writeln!(
        out,
        "        /// The operation id.\n        pub const OPERATION_ID: &'static str = {:?};",
        op.id
    );
    for p in op.params.iter().filter(|p| !p.required) {
        let _ = writeln!(out, "\n        /// {}", p.description);
        let (ty, value) = if p.ty == "String" {
            ("impl Into<String>".to_string(), "value.into()")
        } else {
            (p.ty.clone(), "value")
        };
        let _ = writeln!(
            out,
            "        pub fn {}(mut self, value: {ty}) -> Self {{\n            self.{} = Some({value});\n            self\n        }}",
            p.rust, p.rust
        );
    }
    // The path with each `{parameter}` written through `Segment`, which percent-encodes it.
    let mut path = String::new();
    let mut path_args = Vec::new();
    let mut rest = op.path.as_str();
    while let Some(open) = rest.find('{') {
        let close = rest[open..].find('}').map_or(rest.len(), |c| open + c);
        path.push_str(&rest[..open]);
        path.push_str("{}");
        let name = &rest[open + 1..close];
        let rust = op
            .params
            .iter()
            .find(|p| p.name == name)
            .map_or_else(|| snake(name), |p| p.rust.clone());
        path_args.push(format!("ado_core::__private::Segment(&self.{rust})"));
        rest = rest.get(close + 1..).unwrap_or_default();
    }
    path.push_str(rest);
    // Query parameters by name, as the service's own clients send them.
    let mut query: Vec<&Param> = op.params.iter().filter(|p| !p.in_path).collect();
    query.sort_by(|a, b| a.name.cmp(&b.name));
    let query: Vec<String> = query
        .iter()
        .map(|p| {
            if p.required {
                format!("({:?}, Some(&self.{} as &dyn ::std::fmt::Display))", p.name, p.rust)
            } else {
                format!("({:?}, ado_core::__private::param(&self.{}))", p.name, p.rust)
            }
        })
        .collect();
    let body = if op.body.is_some() {
        "Some(ado_core::__private::json(&self.body))"
    } else {
        "None"
    };
    let success = op.success.join(", ");
    let decode = if output == "()" { "decode_empty" } else { "decode" };
    let path_args = path_args.iter().map(|a| format!(", {a}")).collect::<String>();
    let _ = writeln!(
        out,
        "
        /// Send the request and return the decoded answer.
        #[inline]
        pub async fn send(self) -> Result<{output}> {{
            self.send_with_response().await.map(ado_core::Response::into_inner)
        }}

        /// Send the request and return the decoded answer with its status and headers.
        #[inline]
        pub async fn send_with_response(self) -> Result<ado_core::Response<{output}>> {{
            let runtime = &self.client.inner;
            let answer = runtime.send(self.request()?, &{operation}).await?;
            runtime.{decode}(&{operation}, answer, &[{success}])
        }}

        /// Send the request and return the answer as it came (status, headers, body), whatever
        /// its status: the escape hatch for what the typed answer leaves out.
        #[inline]
        pub async fn send_raw(self) -> Result<ado_core::RawResponse> {{
            self.client.inner.send(self.request()?, &{operation}).await
        }}

        /// The request as it goes out, before each attempt puts on the credentials and the
        /// headers every request carries.
        #[inline]
        fn request(&self) -> Result<reqwest::Request> {{
            if let Some(invalid) = &self.invalid {{
                return Err(invalid.clone());
            }}
            self.client.inner.request(
                &{operation},
                format_args!({path:?}{path_args}),
                &[{query}],
                {body},
            )
        }}
    }}

    {paging}
    impl<'a> ::std::future::IntoFuture for {request}<'a> {{
        type Output = Result<{output}>;
        type IntoFuture = ::std::pin::Pin<Box<dyn ::std::future::Future<Output = Self::Output> + Send + 'a>>;
        #[inline]
        fn into_future(self) -> Self::IntoFuture {{
            Box::pin(self.send())
        }}
    }}
",
        query = query.join(", ")
    );
}
