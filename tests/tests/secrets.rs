//! No credential ever appears in an error, a log line, a span or a Debug string: the whole run
//! below is captured and searched for the tokens and their encodings.

mod common;

use std::io::Write;
use std::sync::{Arc, Mutex};

use ado_core::{Config, Credentials, Secret};
use ado_fake::{Fault, FaultRule};
use ado_pipelines::PipelinesClient;
use ado_policy::PolicyClient;
use ado_tokens::TokensClient;
use base64_free::encode;
use common::{BEARER, PAT, PROJECT, fake};
use futures::TryStreamExt;
use serde_json::json;

/// Standard base64, written out so the test does not share the SDK's encoder.
mod base64_free {
    pub fn encode(input: &[u8]) -> String {
        const TABLE: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
        let mut out = String::new();
        for chunk in input.chunks(3) {
            let b = [chunk[0], *chunk.get(1).unwrap_or(&0), *chunk.get(2).unwrap_or(&0)];
            let n = (b[0] as u32) << 16 | (b[1] as u32) << 8 | b[2] as u32;
            for i in 0..4 {
                if i <= chunk.len() {
                    out.push(TABLE[(n >> (18 - 6 * i) & 63) as usize] as char);
                } else {
                    out.push('=');
                }
            }
        }
        out
    }
}

#[derive(Clone, Default)]
struct Capture(Arc<Mutex<Vec<u8>>>);

impl Write for Capture {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[test]
fn base64_of_the_test_is_standard() {
    assert_eq!(encode(b":abc"), "OmFiYw==");
}

#[tokio::test]
async fn no_token_appears_in_any_error_log_line_span_or_debug_string() {
    let capture = Capture::default();
    let writer = capture.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_span_events(tracing_subscriber::fmt::format::FmtSpan::FULL)
        .with_ansi(false)
        .with_writer(move || writer.clone())
        .finish();
    let _guard = tracing::subscriber::set_default(subscriber);

    let server = fake().await;
    server.inject(FaultRule::new(
        "configurations_get",
        Fault::Throttle { retry_after: 0 },
        1,
    ));
    server.inject(FaultRule::new("types_list", Fault::Status(503), 1));
    server.inject(FaultRule::new("types_get", Fault::SignInPage, 1));
    server.inject(FaultRule::new("configurations_delete", Fault::ResetBeforeResponse, 5));
    server.inject(FaultRule::new("configurations_create", Fault::ResetAfterResponse, 1));
    let mut seen: Vec<String> = Vec::new();

    let pat_config = Config::builder()
        .organization(server.org_url())
        .credentials(Credentials::pat(PAT))
        .build()
        .unwrap();
    let bearer_config = Config::builder()
        .organization(server.org_url())
        .credentials(Credentials::bearer(BEARER))
        .build()
        .unwrap();
    let wrong = Config::builder()
        .organization(server.org_url())
        .credentials(Credentials::pat(format!("{PAT}-wrong")))
        .build()
        .unwrap();
    seen.push(format!("{pat_config:?} {bearer_config:?} {wrong:?}"));
    seen.push(format!("{:?} {}", Secret::new(PAT), Secret::new(PAT)));

    let policy = PolicyClient::new(&pat_config);
    let pipelines = PipelinesClient::new(&pat_config);
    let tokens = TokensClient::new(&bearer_config);
    seen.push(format!("{policy:?} {pipelines:?} {tokens:?}"));

    let configuration = policy
        .configurations()
        .get(PROJECT, 17)
        .send_with_response()
        .await
        .unwrap();
    seen.push(format!("{configuration:?}"));
    seen.push(format!("{:?}", policy.types().list(PROJECT).await.unwrap()));
    let all: Vec<_> = policy
        .configurations()
        .list(PROJECT)
        .top(3)
        .items()
        .try_collect()
        .await
        .unwrap();
    seen.push(format!("{all:?}"));
    seen.push(format!(
        "{:?}",
        pipelines
            .pipeline_permissions()
            .get(PROJECT, ado_pipelines::types::ResourceType::Queue, "1")
            .await
    ));
    let created = tokens
        .pats()
        .create(
            serde_json::from_value(json!({"displayName": "secret-holder", "validTo": "2031-01-01T00:00:00Z"})).unwrap(),
        )
        .await
        .unwrap();
    let new_secret = created.pat_token.as_ref().and_then(|t| t.token.clone()).unwrap();
    seen.push(format!("{created:?}"));
    seen.push(format!("{:?}", tokens.pats().list().await));

    for error in [
        PolicyClient::new(&wrong)
            .configurations()
            .get(PROJECT, 17)
            .await
            .unwrap_err(),
        TokensClient::new(&pat_config).pats().list().await.unwrap_err(),
        policy.configurations().get(PROJECT, 424_242).await.unwrap_err(),
        policy.configurations().get("..", 1).await.unwrap_err(),
        policy
            .types()
            .get(PROJECT, "fa4e907d-c16b-4a4c-9dfa-4906e5d171dd".parse().unwrap())
            .await
            .unwrap_err(),
        policy.configurations().delete(PROJECT, 17).await.unwrap_err(),
        policy
            .configurations()
            .create(PROJECT, serde_json::from_value(json!({"isEnabled": true})).unwrap())
            .await
            .unwrap_err(),
        // A password in an organization URL is refused, and not quoted.
        Config::builder()
            .organization(format!("https://user:{PAT}@server.example/tfs/Collection"))
            .credentials(Credentials::pat(PAT))
            .build()
            .unwrap_err(),
    ] {
        seen.push(format!("{error} {error:?}"));
        let mut source = std::error::Error::source(&error);
        while let Some(inner) = source {
            seen.push(format!("{inner} {inner:?}"));
            source = inner.source();
        }
    }
    let raw = policy.configurations().get(PROJECT, 17).send_raw().await.unwrap();
    seen.push(format!("{raw:?}"));

    let log = String::from_utf8(capture.0.lock().unwrap().clone()).unwrap();
    assert!(log.contains("ado.call"), "tracing captured nothing: {log}");
    assert!(log.contains("retrying"), "the retry was not logged: {log}");
    seen.push(log);
    let everything = seen.join("\n");
    let forbidden = [
        PAT.to_string(),
        BEARER.to_string(),
        format!("{PAT}-wrong"),
        new_secret.expose().to_string(),
        encode(format!(":{PAT}").as_bytes()),
        encode(format!(":{PAT}-wrong").as_bytes()),
    ];
    for secret in forbidden {
        assert!(!everything.contains(&secret), "a secret leaked: {secret}");
    }
    assert!(everything.contains("[redacted]"));
}
