//! `ado demo`: a guided tour of the SDK against the fake (or, read-only, a real organization).

use std::time::{Duration, Instant};

use ado_core::{Result, Sleep};
use ado_fake::{Fault, FaultRule};
use ado_pipelines::{PipelinesClient, types::ResourceType};
use ado_policy::PolicyClient;
use ado_policy::settings::PolicySettings;
use ado_tokens::TokensClient;
use futures::TryStreamExt;
use futures::future::BoxFuture;

use crate::context::Context;

/// Sleeps, and says so on standard error: the demo shows each wait the retry loop chooses.
#[derive(Debug, Default, Clone, Copy)]
pub struct ReportingSleep;

impl Sleep for ReportingSleep {
    fn sleep(&self, duration: Duration) -> BoxFuture<'static, ()> {
        eprintln!("      … waiting {:.1}s before the next attempt", duration.as_secs_f64());
        Box::pin(tokio::time::sleep(duration))
    }
}

fn step(n: usize, total: usize, title: &str, explain: &str) {
    crate::say!("\n{n}/{total} {title}");
    crate::say!("    {explain}");
}

/// Run the tour.
pub async fn run(ctx: &Context) -> Result<()> {
    match &ctx.fake {
        Some(fake) => fake_tour(ctx, fake).await,
        None => real_tour(ctx).await,
    }
}

async fn fake_tour(ctx: &Context, fake: &ado_fake::FakeServer) -> Result<()> {
    let project = ctx.project()?;
    let total = 6;
    crate::say!(
        "ado demo: the ado-rs SDK against an embedded fake Azure DevOps ({})",
        fake.org_url()
    );

    step(
        1,
        total,
        "Get a personal access token by its authorization id",
        "Seed operation Pats - Get; the secret is never shown (it is only in the answer to create).",
    );
    let tokens = TokensClient::new(&ctx.config);
    let id = ado_fake::SEED_PAT_ID
        .parse()
        .map_err(|_| ado_core::Error::invalid_input("seed id"))?;
    let result = tokens.pats().get(id).await?;
    if let Some(token) = result.pat_token {
        crate::say!(
            "    → {} (scope {}), valid {} to {}",
            token.display_name.unwrap_or_default(),
            token.scope.unwrap_or_default(),
            token.valid_from.map(|t| t.to_string()).unwrap_or_default(),
            token.valid_to.map(|t| t.to_string()).unwrap_or_default()
        );
    }

    step(
        2,
        total,
        "Which pipelines may use agent queue 1",
        "Seed operation Pipeline Permissions - Get, with the resource type typed.",
    );
    let pipelines = PipelinesClient::new(&ctx.config);
    let permissions = pipelines
        .pipeline_permissions()
        .get(project, ResourceType::Queue, "1")
        .await?;
    let ids: Vec<String> = permissions
        .pipelines
        .unwrap_or_default()
        .iter()
        .filter(|p| p.authorized == Some(true))
        .filter_map(|p| p.id.map(|id| id.to_string()))
        .collect();
    crate::say!("    → pipelines {} are authorized", ids.join(", "));

    step(
        3,
        total,
        "Policy configuration 17, with typed settings",
        "Seed operation Configurations - Get; settings are typed by the policy type id, never its display name.",
    );
    let policy = PolicyClient::new(&ctx.config);
    let configuration = policy.configurations().get(project, 17).await?;
    match configuration.typed_settings()? {
        PolicySettings::RequiredReviewers(s) => crate::say!(
            "    → required reviewers: {} reviewer(s) for files {} on {} scope(s), revision {}",
            s.required_reviewer_ids.map_or(0, |r| r.len()),
            s.filename_patterns.unwrap_or_default().join(", "),
            s.scope.len(),
            configuration.revision.unwrap_or_default()
        ),
        other => crate::say!("    → {other:?}"),
    }

    step(
        4,
        total,
        "Page through 2,500 more policy configurations",
        "A stream of items over continuation tokens (x-ms-continuationtoken), one page of 100 held at a time.",
    );
    fake.add_policies(2500);
    let started = Instant::now();
    let bar = crate::progress::bar("configurations", 2508);
    let pages: Vec<usize> = policy
        .configurations()
        .list(project)
        .top(100)
        .pages()
        .map_ok(|page| {
            bar.inc(page.items.len() as u64);
            page.items.len()
        })
        .try_collect()
        .await?;
    bar.finish_and_clear();
    crate::say!(
        "    → {} configurations in {} pages, {:.0?}",
        pages.iter().sum::<usize>(),
        pages.len(),
        started.elapsed()
    );

    step(
        5,
        total,
        "Ride out throttling",
        "The fake answers 429 with Retry-After: 1 three times; the SDK waits at least as asked, with jitter, then succeeds.",
    );
    fake.inject(FaultRule::new(
        "configurations_get",
        Fault::Throttle { retry_after: 1 },
        3,
    ));
    let started = Instant::now();
    let response = policy.configurations().get(project, 17).send_with_response().await?;
    crate::say!("    → status {} after {:.1?}", response.status(), started.elapsed());

    step(
        6,
        total,
        "A typed error",
        "Configuration 999999 does not exist: one error type, with predicates and the service's details.",
    );
    match policy.configurations().get(project, 999_999).await {
        Ok(_) => crate::say!("    → unexpectedly found"),
        Err(error) => {
            crate::say!("    → {error}");
            crate::say!(
                "      is_not_found() = {}, status = {:?}, code = {:?}, typeKey = {:?}",
                error.is_not_found(),
                error.status(),
                error.tf_code(),
                error.type_key()
            );
        }
    }
    crate::say!("\ndone: every step above ran through the public API of ado-tokens, ado-pipelines and ado-policy.");
    Ok(())
}

async fn real_tour(ctx: &Context) -> Result<()> {
    let project = ctx.project()?;
    let total = 4;
    crate::say!(
        "ado demo: the ado-rs SDK against {} (read-only)",
        ctx.config.organization()
    );
    let policy = PolicyClient::new(&ctx.config);

    step(1, total, "Policy types", "Types - List.");
    let types = policy.types().list(project).await?;
    crate::say!("    → {} policy types", types.value.len());

    step(
        2,
        total,
        "Every policy configuration, page by page",
        "Configurations - List as a stream of items.",
    );
    let bar = crate::progress::counter("configurations", true);
    let count = policy
        .configurations()
        .list(project)
        .top(100)
        .items()
        .inspect_ok(|_| bar.inc(1))
        .try_fold(0usize, |n, _| async move { Ok(n + 1) })
        .await?;
    bar.finish_and_clear();
    crate::say!("    → {count} configurations");

    step(3, total, "Pipelines", "Pipelines - List.");
    let pipelines = PipelinesClient::new(&ctx.config);
    let count = pipelines
        .pipelines()
        .list(project)
        .items()
        .try_fold(0usize, |n, _| async move { Ok(n + 1) })
        .await?;
    crate::say!("    → {count} pipelines");

    step(4, total, "A typed error", "Configuration 0 does not exist.");
    if let Err(error) = policy.configurations().get(project, 0).await {
        crate::say!("    → {error}\n      is_not_found() = {}", error.is_not_found());
    }
    if let Some(limits) = ctx.config.rate_limits() {
        crate::say!("\nlatest rate-limit figures: {limits:?}");
    }
    Ok(())
}
