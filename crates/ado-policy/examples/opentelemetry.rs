//! The SDK's spans exported through `tracing-opentelemetry`: a policy call to the in-process
//! fake, traced into an OpenTelemetry tracer whose exporter prints each finished span with its
//! attributes (swap it for OTLP or any other exporter). With the `opentelemetry` feature the
//! request also carries the trace's `traceparent`.
//!
//! ```sh
//! cargo run -p ado-policy --features opentelemetry --example opentelemetry
//! ```

use ado_policy::{Config, Credentials, PolicyClient};
use opentelemetry::trace::TracerProvider as _;
use opentelemetry_sdk::error::OTelSdkResult;
use opentelemetry_sdk::trace::{SdkTracerProvider, SpanData, SpanExporter};
use tracing::Instrument;
use tracing_subscriber::layer::SubscriberExt;

/// An exporter that prints each span: name, kind, and attributes.
#[derive(Debug)]
struct Print;

impl SpanExporter for Print {
    async fn export(&self, batch: Vec<SpanData>) -> OTelSdkResult {
        for span in batch {
            println!(
                "{} ({:?}) trace {}",
                span.name,
                span.span_kind,
                span.span_context.trace_id()
            );
            for attribute in &span.attributes {
                println!("    {} = {}", attribute.key, attribute.value);
            }
        }
        Ok(())
    }
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let provider = SdkTracerProvider::builder().with_simple_exporter(Print).build();
    let layer = tracing_opentelemetry::layer().with_tracer(provider.tracer("ado-example"));
    tracing::subscriber::set_global_default(tracing_subscriber::registry().with(layer))?;

    let fake = ado_fake::FakeServer::start(ado_fake::FakeOptions::default().pat("example-pat")).await?;
    let config = Config::builder()
        .organization(fake.org_url())
        .credentials(Credentials::pat("example-pat"))
        .build()?;
    let policy = PolicyClient::new(&config);
    let configuration = policy
        .configurations()
        .get("fabrikam-fiber-git", 17)
        .send()
        .instrument(tracing::info_span!("nightly policy audit"))
        .await?;
    println!(
        "configuration {:?} at revision {:?}",
        configuration.id, configuration.revision
    );
    fake.stop().await;
    provider.shutdown()?;
    Ok(())
}
