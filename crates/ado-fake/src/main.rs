//! `ado-fake`: a fake Azure DevOps service for any client.
//!
//! ```text
//! ado-fake [--addr 127.0.0.1:0] [--pat SECRET]... [--bearer TOKEN]... [--budget N/SECONDS]
//! ```
//!
//! The first line on standard output is `listening on http://127.0.0.1:PORT`. With no credential
//! given, it makes up a PAT and prints it. It serves organization `fabrikam` at
//! `http://127.0.0.1:PORT/fabrikam/...` for every area, and prints the second port that stands in
//! for `vssps.dev.azure.com`.

#![warn(clippy::unwrap_used, clippy::expect_used)]

use std::net::SocketAddr;
use std::process::ExitCode;
use std::time::Duration;

use ado_fake::{Budget, FakeOptions, FakeServer};

const USAGE: &str = "usage: ado-fake [--addr ADDR] [--pat SECRET]... [--bearer TOKEN]... [--budget REQUESTS/SECONDS]";

fn parse(args: &[String]) -> Result<FakeOptions, String> {
    let mut options = FakeOptions::default();
    let mut iter = args.iter();
    while let Some(arg) = iter.next() {
        let mut value = |name: &str| {
            iter.next()
                .cloned()
                .ok_or_else(|| format!("{name} needs a value\n{USAGE}"))
        };
        match arg.as_str() {
            "--addr" => {
                let text = value("--addr")?;
                let addr: SocketAddr = text
                    .parse()
                    .map_err(|_| format!("--addr: `{text}` is not an address such as 127.0.0.1:0"))?;
                options = options.addr(addr);
            }
            "--pat" => options = options.pat(value("--pat")?),
            "--bearer" => options = options.bearer(value("--bearer")?),
            "--budget" => {
                let text = value("--budget")?;
                let (limit, seconds) = text
                    .split_once('/')
                    .and_then(|(l, s)| Some((l.parse::<u32>().ok()?, s.parse::<u64>().ok()?)))
                    .ok_or_else(|| format!("--budget: `{text}` is not REQUESTS/SECONDS, such as 200/300"))?;
                options = options.budget(Budget {
                    limit,
                    window: Duration::from_secs(seconds),
                });
            }
            "-h" | "--help" => return Err(USAGE.to_string()),
            other => return Err(format!("unknown argument `{other}`\n{USAGE}")),
        }
    }
    Ok(options)
}

/// Print a line; a closed standard output (a reader that went away) is not an error.
macro_rules! say {
    ($($arg:tt)*) => {{
        use std::io::Write;
        let mut out = std::io::stdout().lock();
        let _ = writeln!(out, $($arg)*);
        let _ = out.flush();
    }};
}

#[tokio::main]
async fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let mut options = match parse(&args) {
        Ok(options) => options,
        Err(message) => {
            eprintln!("{message}");
            return ExitCode::from(2);
        }
    };
    let made_up = options.pats.is_empty() && options.bearers.is_empty();
    if made_up {
        options = options.pat(uuid::Uuid::new_v4().simple().to_string());
    }
    let pat = options.pats.first().cloned();
    let server = match FakeServer::start(options).await {
        Ok(server) => server,
        Err(error) => {
            eprintln!("ado-fake: cannot listen: {error}");
            return ExitCode::from(1);
        }
    };
    say!("listening on {}", server.base_url());
    if made_up && let Some(pat) = pat {
        say!("pat: {pat}");
    }
    say!("organization: {}", server.org_url());
    say!("vssps: {}", server.vssps_url());
    let _ = tokio::signal::ctrl_c().await;
    server.stop().await;
    ExitCode::SUCCESS
}
