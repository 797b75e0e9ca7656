//! Organizations and the hosts their APIs live on.

use std::fmt;
use std::net::IpAddr;

use url::Url;

use crate::{Error, Result};

/// Which host an area's API lives on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Host {
    /// `dev.azure.com/{org}` (or the organization's own URL): most APIs.
    Core,
    /// `vssps.dev.azure.com/{org}`: identity and the PAT lifecycle API.
    Vssps,
}

/// An Azure DevOps organization (or on-premises collection) and its base URLs.
///
/// Accepts `https://dev.azure.com/{org}`, `https://{org}.visualstudio.com`, a bare organization
/// name, and on-premises collection URLs `https://server[:port]/[tfs/]{collection}`. Plain
/// `http://` is refused except for loopback addresses (a local test server).
///
/// ```
/// let org: ado_core::Organization = "https://dev.azure.com/Fabrikam/".parse().unwrap();
/// assert_eq!(org.name(), "Fabrikam");
/// assert_eq!(org.base_url(ado_core::Host::Core), "https://dev.azure.com/Fabrikam");
/// assert_eq!(org.base_url(ado_core::Host::Vssps), "https://vssps.dev.azure.com/Fabrikam");
/// ```
#[derive(Clone, PartialEq, Eq)]
pub struct Organization {
    name: String,
    core: Url,
    vssps: Url,
}

impl Organization {
    /// Parse an organization URL or name.
    pub fn parse(input: &str) -> Result<Self> {
        let input = input.trim();
        if input.is_empty() {
            return Err(Error::invalid_input(
                "the organization is empty: give a name or a URL such as https://dev.azure.com/fabrikam",
            ));
        }
        if !input.contains("://") {
            return Self::from_name(input);
        }
        // What the messages below quote: never a password.
        let input = &without_user_info(input);
        let url = Url::parse(input).map_err(|e| Error::invalid_input(format!("`{input}` is not a URL: {e}")))?;
        if !url.username().is_empty() || url.password().is_some() {
            return Err(Error::invalid_input(format!(
                "`{input}`: the URL carries a user name or password, which the SDK would print and send in the clear; remove it and give the credential with Credentials::pat or ::bearer"
            )));
        }
        match url.scheme() {
            "https" => {}
            "http" if is_loopback(&url) => {}
            "http" => {
                return Err(Error::invalid_input(format!(
                    "`{input}` uses plain http, which would send credentials unencrypted; use https (plain http is allowed only for loopback addresses)"
                )));
            }
            other => return Err(Error::invalid_input(format!("`{input}`: unsupported scheme `{other}`"))),
        }
        if url.query().is_some() || url.fragment().is_some() {
            return Err(Error::invalid_input(format!(
                "`{input}`: an organization URL has no query or fragment"
            )));
        }
        let host = url.host_str().unwrap_or_default().to_ascii_lowercase();
        let segments: Vec<&str> = url
            .path_segments()
            .map(|s| s.filter(|p| !p.is_empty()).collect())
            .unwrap_or_default();
        if host == "dev.azure.com" || host == "vssps.dev.azure.com" {
            return match segments.as_slice() {
                [name] => Self::from_name(name),
                _ => Err(Error::invalid_input(format!(
                    "`{input}`: expected https://dev.azure.com/{{organization}}"
                ))),
            };
        }
        if let Some(name) = host.strip_suffix(".visualstudio.com") {
            if !segments.is_empty() || name.contains('.') {
                return Err(Error::invalid_input(format!(
                    "`{input}`: expected https://{{organization}}.visualstudio.com"
                )));
            }
            let core = Url::parse(&format!("https://{name}.visualstudio.com"))
                .map_err(|e| Error::invalid_input(e.to_string()))?;
            return Ok(Self {
                name: name.to_string(),
                core,
                vssps: vssps_url(name)?,
            });
        }
        // On-premises server (or a local test server): one host serves every API.
        let Some(name) = segments.last() else {
            return Err(Error::invalid_input(format!("`{input}`: the URL names no collection")));
        };
        let mut core = url.clone();
        core.set_path(&segments.join("/"));
        if let Some(host) = url.host_str() {
            let lower = host.to_ascii_lowercase();
            core.set_host(Some(&lower))
                .map_err(|e| Error::invalid_input(e.to_string()))?;
        }
        Ok(Self {
            name: (*name).to_string(),
            vssps: core.clone(),
            core,
        })
    }

    fn from_name(name: &str) -> Result<Self> {
        let valid = !name.is_empty()
            && name.len() <= 50
            && name
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_' || c == '.')
            && name != "."
            && name != "..";
        if !valid {
            return Err(Error::invalid_input(format!(
                "`{name}` is not an organization name (letters, digits, `-`, `_` and `.`)"
            )));
        }
        let core =
            Url::parse(&format!("https://dev.azure.com/{name}")).map_err(|e| Error::invalid_input(e.to_string()))?;
        Ok(Self {
            name: name.to_string(),
            core,
            vssps: vssps_url(name)?,
        })
    }

    /// The organization (or collection) name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The base URL of a host, without a trailing slash.
    pub fn base_url(&self, host: Host) -> &str {
        let url = match host {
            Host::Core => &self.core,
            Host::Vssps => &self.vssps,
        };
        url.as_str().trim_end_matches('/')
    }

    /// Replace the base URL of one host (a proxy, a test server). The same http rule applies.
    pub fn with_base_url(mut self, host: Host, url: &str) -> Result<Self> {
        let parsed = Self::parse(url)?;
        match host {
            Host::Core => self.core = parsed.core,
            Host::Vssps => self.vssps = parsed.core,
        }
        Ok(self)
    }
}

/// `input` with any user info (`user:password@`) in its authority masked, for messages.
fn without_user_info(input: &str) -> std::borrow::Cow<'_, str> {
    let Some((scheme, rest)) = input.split_once("://") else {
        return input.into();
    };
    let authority_end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    match rest[..authority_end].rfind('@') {
        Some(at) => format!("{scheme}://***@{}", &rest[at + 1..]).into(),
        None => input.into(),
    }
}

fn vssps_url(name: &str) -> Result<Url> {
    Url::parse(&format!("https://vssps.dev.azure.com/{name}")).map_err(|e| Error::invalid_input(e.to_string()))
}

fn is_loopback(url: &Url) -> bool {
    match url.host() {
        Some(url::Host::Ipv4(ip)) => IpAddr::V4(ip).is_loopback(),
        Some(url::Host::Ipv6(ip)) => IpAddr::V6(ip).is_loopback(),
        Some(url::Host::Domain(d)) => d.eq_ignore_ascii_case("localhost"),
        None => false,
    }
}

impl std::str::FromStr for Organization {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self> {
        Self::parse(s)
    }
}

impl fmt::Debug for Organization {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Organization({}, {})", self.name, self.core)
    }
}

impl fmt::Display for Organization {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.base_url(Host::Core))
    }
}

/// What is percent-encoded in a path segment: controls, space, `"`, `#`, `<`, `>`, `?`, `` ` ``,
/// `{`, `}`, `/` and `%` (the set progenitor's generated code has always used).
const SEGMENT: &percent_encoding::AsciiSet = &percent_encoding::CONTROLS
    .add(b' ')
    .add(b'"')
    .add(b'#')
    .add(b'<')
    .add(b'>')
    .add(b'?')
    .add(b'`')
    .add(b'{')
    .add(b'}')
    .add(b'/')
    .add(b'%');

/// A value written into a URL as one percent-encoded path segment, straight into the URL being
/// formatted (no string of its own). The generated code formats its URLs with it.
///
/// ```
/// let url = format!("https://h/{}/x", ado_core::__private::Segment("a/b?c"));
/// assert_eq!(url, "https://h/a%2Fb%3Fc/x");
/// ```
#[derive(Debug, Clone, Copy)]
pub struct Segment<T>(pub T);

impl<T: fmt::Display> fmt::Display for Segment<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        struct Encoding<'a, 'b>(&'a mut fmt::Formatter<'b>);
        impl fmt::Write for Encoding<'_, '_> {
            fn write_str(&mut self, text: &str) -> fmt::Result {
                percent_encoding::utf8_percent_encode(text, SEGMENT).try_for_each(|piece| self.0.write_str(piece))
            }
        }
        fmt::write(&mut Encoding(f), format_args!("{}", self.0))
    }
}

/// Check a value that goes into a URL path as one segment. The generated code percent-encodes
/// every segment (`/`, `?`, `#`, `%` included), but `.` and `..` would still be read as path
/// navigation, `\` as `/`, and an empty segment changes the route: those are refused.
///
/// ```
/// assert!(ado_core::__private::path_segment("project", "Fabrikam Fiber").is_ok());
/// assert!(ado_core::__private::path_segment("resource id", "..").is_err());
/// ```
pub fn path_segment<'a>(what: &str, value: &'a str) -> Result<&'a str> {
    if value.is_empty() {
        return Err(Error::invalid_input(format!("the {what} is empty")));
    }
    if value.contains('\\') {
        // The generated code leaves `\` as it is, and URL parsers read it as `/`.
        return Err(Error::invalid_input(format!(
            "the {what} `{value}` contains `\\`, which URL parsers read as `/`: it cannot be sent as one path segment"
        )));
    }
    if value == "." || value == ".." {
        return Err(Error::invalid_input(format!(
            "the {what} `{value}` cannot be a URL path segment"
        )));
    }
    Ok(value)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_segment_is_encoded_as_progenitor_encodes_it() {
        for value in [
            "plain",
            "Fabrikam Fiber",
            "a/b?c#d%e",
            "{x}<y>`z`\"",
            "\u{7f}\t\n",
            "ünï/cödé",
            "..",
            "",
        ] {
            assert_eq!(
                Segment(value).to_string(),
                progenitor_client::encode_path(value),
                "{value:?}"
            );
        }
        assert_eq!(Segment(17).to_string(), "17");
    }
}
