//! Organizations, hosts and path segments.

mod common;

use ado_core::__private::path_segment;
use ado_core::{Config, Credentials, ErrorKind, Host, Organization};

fn core(input: &str) -> String {
    Organization::parse(input).unwrap().base_url(Host::Core).to_string()
}

fn vssps(input: &str) -> String {
    Organization::parse(input).unwrap().base_url(Host::Vssps).to_string()
}

#[test]
fn the_accepted_forms_normalise_to_one_base_url() {
    assert_eq!(core("fabrikam"), "https://dev.azure.com/fabrikam");
    assert_eq!(core("https://dev.azure.com/fabrikam"), "https://dev.azure.com/fabrikam");
    assert_eq!(
        core("https://dev.azure.com/fabrikam/"),
        "https://dev.azure.com/fabrikam"
    );
    assert_eq!(core("https://DEV.Azure.com/fabrikam"), "https://dev.azure.com/fabrikam");
    assert_eq!(
        core("https://fabrikam.visualstudio.com/"),
        "https://fabrikam.visualstudio.com"
    );
    assert_eq!(
        core("https://Tfs.Contoso.Local:8080/tfs/DefaultCollection/"),
        "https://tfs.contoso.local:8080/tfs/DefaultCollection"
    );
    assert_eq!(core("https://server/Collection"), "https://server/Collection");
}

#[test]
fn the_pat_api_lives_on_vssps_for_the_cloud_and_on_the_server_on_premises() {
    assert_eq!(vssps("fabrikam"), "https://vssps.dev.azure.com/fabrikam");
    assert_eq!(
        vssps("https://fabrikam.visualstudio.com"),
        "https://vssps.dev.azure.com/fabrikam"
    );
    assert_eq!(vssps("https://server:8080/tfs/Coll"), "https://server:8080/tfs/Coll");
    assert_eq!(
        Organization::parse("https://server:8080/tfs/Coll").unwrap().name(),
        "Coll"
    );
}

#[test]
fn plain_http_is_refused_except_on_loopback() {
    let err = Organization::parse("http://dev.azure.com/fabrikam").unwrap_err();
    assert_eq!(err.kind(), &ErrorKind::InvalidInput);
    assert!(err.to_string().contains("plain http"), "{err}");
    assert!(Organization::parse("http://tfs.contoso.local/tfs/Coll").is_err());
    for loopback in [
        "http://127.0.0.1:8080/fabrikam",
        "http://localhost:1/fabrikam",
        "http://[::1]:9/fabrikam",
    ] {
        assert!(Organization::parse(loopback).is_ok(), "{loopback}");
    }
}

#[test]
fn malformed_organizations_are_refused_with_a_reason() {
    for bad in [
        "",
        "   ",
        "fab rikam",
        "https://dev.azure.com/",
        "https://dev.azure.com/a/b",
        "ftp://x/y",
        "https://x/y?z=1",
    ] {
        let err = Organization::parse(bad).unwrap_err();
        assert_eq!(err.kind(), &ErrorKind::InvalidInput, "{bad:?}");
    }
}

#[test]
fn every_base_url_can_be_overridden() {
    let config = Config::builder()
        .organization("fabrikam")
        .base_url(Host::Core, "http://127.0.0.1:9000/fabrikam")
        .base_url(Host::Vssps, "http://127.0.0.1:9001/fabrikam")
        .credentials(Credentials::pat("x"))
        .build()
        .unwrap();
    assert_eq!(
        config.organization().base_url(Host::Core),
        "http://127.0.0.1:9000/fabrikam"
    );
    assert_eq!(
        config.organization().base_url(Host::Vssps),
        "http://127.0.0.1:9001/fabrikam"
    );
    let err = Config::builder()
        .organization("fabrikam")
        .base_url(Host::Core, "http://proxy.example/fabrikam")
        .credentials(Credentials::pat("x"))
        .build()
        .unwrap_err();
    assert_eq!(err.kind(), &ErrorKind::InvalidInput);
}

#[test]
fn path_segments_that_would_navigate_are_refused() {
    for bad in ["", ".", "..", "a\\b"] {
        assert_eq!(
            path_segment("id", bad).unwrap_err().kind(),
            &ErrorKind::InvalidInput,
            "{bad:?}"
        );
    }
    for good in ["a/b", "?x", "#y", "%2e%2e", "...", "a b", "名前"] {
        assert_eq!(path_segment("id", good).unwrap(), good);
    }
}

#[test]
fn a_url_with_a_password_is_refused_without_quoting_it() {
    for input in [
        "https://user:s3cret-pw@server/tfs/Collection",
        "https://s3cret-pw@dev.azure.com/fabrikam",
        "http://user:s3cret-pw@127.0.0.1:8080/fabrikam",
        "https://user:s3cret-pw@server:bad/tfs/Collection",
    ] {
        let err = Organization::parse(input).unwrap_err();
        assert_eq!(err.kind(), &ado_core::ErrorKind::InvalidInput, "{input}");
        let shown = format!("{err} {err:?}");
        assert!(!shown.contains("s3cret-pw"), "{shown}");
        assert!(shown.contains("***@"), "{shown}");
    }
    let err = Organization::parse("https://user:s3cret-pw@server/tfs/Collection").unwrap_err();
    assert!(err.to_string().contains("Credentials::pat"), "{err}");
}

#[test]
fn a_base_url_with_a_password_is_refused_too() {
    let err = ado_core::Config::builder()
        .organization("fabrikam")
        .base_url(Host::Core, "https://proxy-user:s3cret-pw@proxy.example/fabrikam")
        .credentials(ado_core::Credentials::pat("p"))
        .build()
        .unwrap_err();
    assert!(!err.to_string().contains("s3cret-pw"), "{err}");
}

#[test]
fn an_organization_shows_its_name_and_url() {
    let org = Organization::parse("https://dev.azure.com/fabrikam").unwrap();
    assert_eq!(
        format!("{org:?}"),
        "Organization(fabrikam, https://dev.azure.com/fabrikam)"
    );
    assert_eq!(org.to_string(), "https://dev.azure.com/fabrikam");
}

#[test]
fn an_organization_name_is_letters_digits_dash_underscore_and_dot_up_to_fifty() {
    for good in ["a", "fabrikam-fiber_2.x", &"n".repeat(50)] {
        assert_eq!(Organization::parse(good).unwrap().name(), good);
    }
    for bad in [&"n".repeat(51), "fab rikam", "fab/rikam", "fabrikam!", ".", ".."] {
        let err = Organization::parse(bad).unwrap_err();
        assert_eq!(err.kind(), &ErrorKind::InvalidInput, "{bad}");
    }
}

#[test]
fn a_visualstudio_url_names_the_organization_in_its_host_alone() {
    assert_eq!(
        Organization::parse("https://Fabrikam.visualstudio.com/")
            .unwrap()
            .name(),
        "fabrikam"
    );
    for bad in [
        "https://fabrikam.visualstudio.com/project",
        "https://a.b.visualstudio.com",
    ] {
        assert_eq!(
            Organization::parse(bad).unwrap_err().kind(),
            &ErrorKind::InvalidInput,
            "{bad}"
        );
    }
}

#[test]
fn a_dev_azure_com_url_has_exactly_one_segment() {
    for bad in [
        "https://dev.azure.com",
        "https://dev.azure.com/a/b",
        "https://dev.azure.com/?x=1",
    ] {
        assert_eq!(
            Organization::parse(bad).unwrap_err().kind(),
            &ErrorKind::InvalidInput,
            "{bad}"
        );
    }
    assert_eq!(
        Organization::parse("https://vssps.dev.azure.com/fabrikam")
            .unwrap()
            .base_url(Host::Core),
        "https://dev.azure.com/fabrikam"
    );
}
