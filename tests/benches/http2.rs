//! What HTTP/2 buys over HTTP/1.1, through TLS, with many calls in flight: the decision behind
//! ado-core's `http2` feature (off by default). A local TLS server (rustls, with a certificate
//! for 127.0.0.1 made by the `openssl` command) speaks both, chosen by ALPN, and answers every
//! request with policy configuration 17. The SDK's `configurations().get` goes through a client
//! limited to HTTP/1.1 and through one that may use HTTP/2, in alternating batches of calls all
//! in flight at once: the first batch of a new client (its connections and TLS handshakes
//! included), the median of the batches after it, and the connections each opened.
//!
//! ```sh
//! cargo bench -p ado-tests --bench http2                 # batches of 64 and 256
//! HTTP2_BATCHES=40 cargo bench -p ado-tests --bench http2
//! ```

use std::convert::Infallible;
use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use ado_core::{Config, Credentials};
use ado_policy::PolicyClient;
use futures::future::join_all;
use http_body_util::Full;
use hyper::body::Bytes;
use hyper_util::rt::{TokioExecutor, TokioIo};
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, PrivateKeyDer};

mod common;

/// A self-signed certificate and key for 127.0.0.1, as PEM files in `dir`.
fn certificate(dir: &Path) -> (Vec<u8>, Vec<u8>) {
    let (cert, key) = (dir.join("cert.pem"), dir.join("key.pem"));
    let made = std::process::Command::new("openssl")
        .args([
            "req",
            "-x509",
            "-newkey",
            "ec",
            "-pkeyopt",
            "ec_paramgen_curve:prime256v1",
            "-nodes",
        ])
        .args([
            "-days",
            "1",
            "-subj",
            "/CN=127.0.0.1",
            "-addext",
            "subjectAltName=IP:127.0.0.1",
        ])
        .args([
            "-addext",
            "basicConstraints=critical,CA:FALSE",
            "-addext",
            "extendedKeyUsage=serverAuth",
        ])
        .arg("-keyout")
        .arg(&key)
        .arg("-out")
        .arg(&cert)
        .output()
        .expect("the openssl command");
    assert!(made.status.success(), "{}", String::from_utf8_lossy(&made.stderr));
    (std::fs::read(cert).unwrap(), std::fs::read(key).unwrap())
}

/// A TLS server on 127.0.0.1 speaking HTTP/2 and HTTP/1.1, answering `body` to every request;
/// its address and the count of connections it accepted.
async fn tls_server(cert: &[u8], key: &[u8], body: Bytes) -> (String, Arc<AtomicUsize>) {
    let certs: Vec<CertificateDer<'static>> = CertificateDer::pem_slice_iter(cert).map(|c| c.unwrap()).collect();
    let key = PrivateKeyDer::from_pem_slice(key).unwrap();
    let mut tls = rustls::ServerConfig::builder()
        .with_no_client_auth()
        .with_single_cert(certs, key)
        .unwrap();
    tls.alpn_protocols = vec![b"h2".to_vec(), b"http/1.1".to_vec()];
    let acceptor = tokio_rustls::TlsAcceptor::from(Arc::new(tls));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let connections = Arc::new(AtomicUsize::new(0));
    let counted = connections.clone();
    tokio::spawn(async move {
        loop {
            let Ok((stream, _)) = listener.accept().await else {
                continue;
            };
            counted.fetch_add(1, Ordering::Relaxed);
            let (acceptor, body) = (acceptor.clone(), body.clone());
            tokio::spawn(async move {
                let Ok(stream) = acceptor.accept(stream).await else {
                    return;
                };
                let service = hyper::service::service_fn(move |_| {
                    let body = body.clone();
                    async move {
                        let mut answer = hyper::Response::new(Full::new(body));
                        answer
                            .headers_mut()
                            .insert("content-type", "application/json".parse().unwrap());
                        Ok::<_, Infallible>(answer)
                    }
                });
                let _ = hyper_util::server::conn::auto::Builder::new(TokioExecutor::new())
                    .serve_connection(TokioIo::new(stream), service)
                    .await;
            });
        }
    });
    (format!("https://{addr}/fabrikam"), connections)
}

/// The SDK over a client that trusts `cert`, limited to HTTP/1.1 or free to use HTTP/2.
fn sdk(org_url: &str, cert: &[u8], http1_only: bool) -> PolicyClient {
    let mut http = reqwest::Client::builder()
        .tls_certs_only([reqwest::Certificate::from_pem(cert).unwrap()])
        .pool_idle_timeout(Duration::from_secs(60));
    if http1_only {
        http = http.http1_only();
    }
    let config = Config::builder()
        .organization(org_url)
        .credentials(Credentials::pat(common::PAT))
        .http_client(http.build().unwrap())
        .build()
        .unwrap();
    PolicyClient::new(&config)
}

async fn batch(client: &PolicyClient, calls: usize) -> Duration {
    let started = Instant::now();
    let answers = join_all((0..calls).map(|_| client.configurations().get(ado_fake::PROJECT, 17).send())).await;
    if let Some(Err(error)) = answers.iter().find(|a| a.is_err()) {
        let mut source = std::error::Error::source(error);
        let mut chain = error.to_string();
        while let Some(cause) = source {
            chain.push_str(&format!(": {cause}"));
            source = cause.source();
        }
        panic!("{chain}");
    }
    started.elapsed()
}

fn main() {
    let _ = rustls::crypto::ring::default_provider().install_default();
    let batches: usize = std::env::var("HTTP2_BATCHES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(20);
    let dir = std::env::temp_dir().join(format!("ado-http2-bench-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let (cert, key) = certificate(&dir);
    let runtime = common::runtime();
    runtime.block_on(async {
        let (_, fake) = common::servers().await;
        let seed = PolicyClient::new(&common::config(&fake.org_url()))
            .configurations()
            .get(ado_fake::PROJECT, 17)
            .await
            .unwrap();
        let body = Bytes::from(serde_json::to_vec(&seed).unwrap());
        for calls in [64, 256] {
            let (h1_url, h1_connections) = tls_server(&cert, &key, body.clone()).await;
            let (h2_url, h2_connections) = tls_server(&cert, &key, body.clone()).await;
            let (h1, h2) = (sdk(&h1_url, &cert, true), sdk(&h2_url, &cert, false));
            let (h1_first, h2_first) = (batch(&h1, calls).await, batch(&h2, calls).await);
            let (mut h1_rest, mut h2_rest) = (Vec::new(), Vec::new());
            for round in 0..batches {
                if round % 2 == 0 {
                    h1_rest.push(batch(&h1, calls).await);
                    h2_rest.push(batch(&h2, calls).await);
                } else {
                    h2_rest.push(batch(&h2, calls).await);
                    h1_rest.push(batch(&h1, calls).await);
                }
            }
            let per_second = |d: Duration| calls as f64 / d.as_secs_f64();
            for (name, first, rest, connections) in [
                ("http/1.1", h1_first, h1_rest, &h1_connections),
                ("h2", h2_first, h2_rest, &h2_connections),
            ] {
                let median = common::median(rest);
                println!(
                    "http2/{calls}_in_flight/{name}: first batch {first:.1?} ({:.0} calls/s), then {median:.1?} a batch ({:.0} calls/s, median of {batches}); {} connections",
                    per_second(first),
                    per_second(median),
                    connections.load(Ordering::Relaxed)
                );
            }
        }
    });
    let _ = std::fs::remove_dir_all(dir);
}
