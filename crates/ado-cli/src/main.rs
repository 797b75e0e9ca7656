//! `ado`: the Azure DevOps PAT, pipelines and policy APIs from the command line.
//!
//! Exit codes: 0 success, 1 other service error, 2 usage or bad input, 3 not found,
//! 4 authentication or authorization, 5 throttled (retries exhausted), 6 no answer (network).

#![warn(clippy::unwrap_used, clippy::expect_used)]

mod bodies;
mod cli;
mod commands;
mod context;
mod defaults;
mod demo;
mod detect;
mod git_refs;
mod login;
mod output;
mod policy_types;
mod progress;
mod repos;

use std::process::ExitCode;

use ado_core::{Error, ErrorKind};
use clap::Parser;

use cli::{Cli, Command};

/// The exit code for an error.
fn exit_code(error: &Error) -> u8 {
    match error.kind() {
        ErrorKind::InvalidInput => 2,
        ErrorKind::Credentials => 4,
        ErrorKind::Transport => 6,
        _ if error.is_not_found() => 3,
        _ if error.is_unauthorized() || error.is_forbidden() => 4,
        _ if error.is_throttled() => 5,
        _ => 1,
    }
}

fn hint(error: &Error) -> Option<&'static str> {
    match error.kind() {
        ErrorKind::InvalidInput => Some("see `ado --help` (or `ado <area> <command> --help`) for the arguments"),
        ErrorKind::Credentials => {
            Some("set AZURE_DEVOPS_EXT_PAT, or SYSTEM_ACCESSTOKEN, or pass --pat-stdin; or try --fake")
        }
        _ => None,
    }
}

async fn run(cli: &Cli) -> Result<(), Error> {
    if let Command::Completions { shell } = cli.command {
        let mut script = Vec::new();
        clap_complete::generate(shell, &mut <Cli as clap::CommandFactory>::command(), "ado", &mut script);
        output::write_out(&String::from_utf8_lossy(&script));
        return Ok(());
    }
    let printer = output::Printer::new(cli.output, cli.query.as_deref())?;
    if matches!(cli.command, Command::Login | Command::Logout) {
        let (organization, _) = context::organization_and_project(cli)?;
        let (organization, _) = organization.ok_or_else(|| {
            Error::invalid_input("no organization given: use --org, set AZURE_DEVOPS_ORG_URL, or save one with `ado configure --defaults organization=URL`")
        })?;
        if let Command::Login = cli.command {
            login::login(&organization, &login::pat_from_stdin()?)?;
            return printer.message(&format!("a PAT for {organization} is kept in the OS keyring"));
        }
        let message = if login::logout(&organization)? {
            format!("the PAT for {organization} is forgotten")
        } else {
            format!("no PAT was kept for {organization}")
        };
        return printer.message(&message);
    }
    if let Command::Configure { defaults, list } = &cli.command {
        let saved = if defaults.is_empty() {
            defaults::load()?
        } else {
            defaults::configure(defaults)?
        };
        if *list || !defaults.is_empty() {
            let file = defaults::file().map(|f| f.display().to_string());
            let (organization, project) = context::organization_and_project(cli)?;
            let effective =
                |s: context::Sourced| s.map(|(value, from)| serde_json::json!({"value": value, "from": from}));
            printer.object(&serde_json::json!({
                "organization": saved.organization,
                "project": saved.project,
                "file": file,
                "effective": {"organization": effective(organization), "project": effective(project)},
            }))?;
        }
        return Ok(());
    }
    let demo_sleep = demo::ReportingSleep;
    let ctx = context::build(cli, |builder| match cli.command {
        Command::Demo => builder.sleep(demo_sleep),
        _ => builder,
    })
    .await?;
    let result = match &cli.command {
        Command::Tokens(command) => commands::tokens(&ctx, &printer, command).await,
        Command::Pipelines(command) => commands::pipelines(&ctx, &printer, command).await,
        Command::Policy(command) => commands::policy(&ctx, &printer, command).await,
        Command::Repos(command) => repos::run(&ctx, &printer, command).await,
        Command::Demo => demo::run(&ctx).await,
        Command::Completions { .. } | Command::Configure { .. } | Command::Login | Command::Logout => Ok(()),
    };
    if let Some(fake) = ctx.fake {
        fake.stop().await;
    }
    result
}

fn main() -> ExitCode {
    output::guard_stdout();
    let cli = Cli::parse();
    if cli.debug {
        tracing_subscriber::fmt()
            .with_writer(std::io::stderr)
            .with_max_level(tracing_subscriber::filter::LevelFilter::DEBUG)
            .with_target(false)
            .init();
    }
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(error) => {
            eprintln!("error: could not start the async runtime: {error}");
            return ExitCode::from(1);
        }
    };
    let outcome = runtime.block_on(run(&cli));
    if let Some(failure) = output::write_failure() {
        eprintln!("error: the output could not be written: {failure}");
        return ExitCode::from(1);
    }
    match outcome {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("error: {error}");
            if let Some(hint) = hint(&error) {
                eprintln!("hint: {hint}");
            }
            ExitCode::from(exit_code(&error))
        }
    }
}

#[cfg(test)]
mod tests {
    use clap::CommandFactory;

    #[test]
    fn the_command_line_definition_is_consistent() {
        super::cli::Cli::command().debug_assert();
    }

    #[test]
    fn every_error_kind_has_its_exit_code() {
        use ado_core::Error;
        assert_eq!(super::exit_code(&Error::invalid_input("x")), 2);
        assert_eq!(super::exit_code(&Error::credentials("x")), 4);
        assert_eq!(super::exit_code(&Error::pat_token("tokenNotFound", 200)), 3);
        assert_eq!(super::exit_code(&Error::pat_token("accessDenied", 200)), 4);
        assert_eq!(super::exit_code(&Error::pat_token("invalidScope", 200)), 1);
    }
}
