"""Every call the official Python client (azure-devops 7.1.0b4) has for policy, pipelines and
pipeline permissions, made against a running ado-fake with no route cache: the client discovers
routes and hosts through the fake's location service, as it does against Azure DevOps.

Usage: python test_official_client.py ORGANIZATION_URL PAT
Prints one line per call and `N/M official-client calls pass`; exits 1 when any fails.
"""

import os
import sys
import tempfile

# The client caches OPTIONS and ResourceAreas answers on disk for 12 hours; an empty cache
# directory makes every run discover routes from the fake.
os.environ["AZURE_DEVOPS_CACHE_DIR"] = tempfile.mkdtemp(prefix="ado-official-client-")

from azure.devops.connection import Connection  # noqa: E402
from azure.devops.exceptions import AzureDevOpsAuthenticationError, AzureDevOpsServiceError  # noqa: E402
from azure.devops.v7_1.git import models as git_models  # noqa: E402
from azure.devops.v7_1.pipeline_permissions import models as permission_models  # noqa: E402
from azure.devops.v7_1.pipelines import models as pipeline_models  # noqa: E402
from azure.devops.v7_1.policy import models as policy_models  # noqa: E402
from msrest.authentication import BasicAuthentication  # noqa: E402

PROJECT = "fabrikam-fiber-git"
PROJECT_ID = "1be3fc5b-c58c-4173-8fd7-6647d11eccd1"
MINIMUM_REVIEWERS = "fa4e907d-c16b-4a4c-9dfa-4906e5d171dd"
PULL_REQUEST_1 = f"vstfs:///CodeReview/CodeReviewId/{PROJECT_ID}/1"

CHECKS = []


def check(function):
    """Register one official-client call."""
    CHECKS.append(function)
    return function


def expect(condition, message):
    if not condition:
        raise AssertionError(message)


def all_pages(client, call):
    """Follow `x-ms-continuationtoken` through the client's own `_get_continuation_token`: the
    7.1 client returns a list page and keeps the token in the answer it received."""
    answers = []
    send = client._send

    def recording_send(*args, **kwargs):
        answer = send(*args, **kwargs)
        answers.append(answer)
        return answer

    client._send = recording_send
    try:
        items, token, pages = [], None, 0
        while True:
            page = call(token)
            pages += 1
            items.extend(page)
            token = client._get_continuation_token(answers[-1])
            if not token:
                return items, pages
            expect(pages < 50, "paging does not end")
    finally:
        client._send = send


def skip_pages(call, top):
    """Follow `$top`/`$skip` paging until a short page."""
    items, pages = [], 0
    while True:
        page = call(top, len(items))
        pages += 1
        items.extend(page)
        if len(page) < top:
            return items, pages
        expect(pages < 50, "paging does not end")


def policy_configuration(approvers):
    return policy_models.PolicyConfiguration(
        is_enabled=True,
        is_blocking=False,
        type=policy_models.PolicyTypeRef(id=MINIMUM_REVIEWERS),
        settings={
            "minimumApproverCount": approvers,
            "creatorVoteCounts": False,
            "scope": [{"repositoryId": None, "refName": "refs/heads/official-client", "matchKind": "Exact"}],
        },
    )


# Policy: configurations, revisions, evaluations, types.


@check
def get_policy_configurations(c):
    unpaged = c.policy.get_policy_configurations(PROJECT)
    expect(all(isinstance(p, policy_models.PolicyConfiguration) for p in unpaged), "not PolicyConfiguration")
    paged, pages = all_pages(c.policy, lambda token: c.policy.get_policy_configurations(PROJECT, top=3, continuation_token=token))
    expect(pages > 1, f"one page of {len(paged)}: no continuation token")
    expect([p.id for p in paged] == [p.id for p in unpaged], f"pages {[p.id for p in paged]} != {[p.id for p in unpaged]}")
    return f"{len(paged)} configurations in {pages} pages of 3"


@check
def get_policy_configuration(c):
    p = c.policy.get_policy_configuration(PROJECT, 17)
    expect(isinstance(p, policy_models.PolicyConfiguration) and p.id == 17, f"got {p}")
    expect(isinstance(p.settings, dict) and "scope" in p.settings, f"settings {p.settings}")
    return f"id {p.id}, type {p.type.display_name}"


@check
def create_policy_configuration(c):
    p = c.policy.create_policy_configuration(policy_configuration(2), PROJECT)
    expect(isinstance(p, policy_models.PolicyConfiguration) and p.id is not None, f"got {p}")
    expect(p.revision == 1 and p.settings["minimumApproverCount"] == 2, f"revision {p.revision}, {p.settings}")
    c.created_policy = p.id
    return f"created id {p.id}"


@check
def update_policy_configuration(c):
    p = c.policy.update_policy_configuration(policy_configuration(3), PROJECT, c.created_policy)
    expect(p.id == c.created_policy and p.revision == 2, f"id {p.id} revision {p.revision}")
    expect(p.settings["minimumApproverCount"] == 3, f"{p.settings}")
    return f"id {p.id} at revision {p.revision}"


@check
def get_policy_configuration_revisions(c):
    revisions, pages = skip_pages(
        lambda top, skip: c.policy.get_policy_configuration_revisions(PROJECT, c.created_policy, top=top, skip=skip), 1
    )
    expect(sorted(r.revision for r in revisions) == [1, 2], f"revisions {[r.revision for r in revisions]}")
    return f"{len(revisions)} revisions in {pages} pages of 1"


@check
def get_policy_configuration_revision(c):
    r = c.policy.get_policy_configuration_revision(PROJECT, c.created_policy, 1)
    expect(isinstance(r, policy_models.PolicyConfiguration), f"got {r}")
    expect(r.revision == 1 and r.settings["minimumApproverCount"] == 2, f"revision {r.revision}, {r.settings}")
    return f"revision {r.revision}"


@check
def delete_policy_configuration(c):
    answer = c.policy.delete_policy_configuration(PROJECT, c.created_policy)
    expect(answer is None, f"got {answer}")
    try:
        c.policy.get_policy_configuration(PROJECT, c.created_policy)
    except AzureDevOpsServiceError as error:
        expect(error.type_key is not None, "no typeKey")
        return f"deleted; reading it raises AzureDevOpsServiceError ({error.type_key})"
    raise AssertionError("the deleted configuration is still read")


@check
def get_policy_evaluations(c):
    evaluations, pages = skip_pages(
        lambda top, skip: c.policy.get_policy_evaluations(
            PROJECT, PULL_REQUEST_1, include_not_applicable=True, top=top, skip=skip
        ),
        2,
    )
    statuses = sorted(e.status for e in evaluations)
    expect(statuses == ["approved", "notApplicable", "queued", "running"], f"statuses {statuses}")
    applicable = c.policy.get_policy_evaluations(PROJECT, PULL_REQUEST_1)
    expect(len(applicable) == 3, f"{len(applicable)} applicable evaluations")
    expect(all(isinstance(e, policy_models.PolicyEvaluationRecord) for e in evaluations), "not PolicyEvaluationRecord")
    c.evaluation = evaluations[0].evaluation_id
    return f"{len(evaluations)} evaluations in {pages} pages of 2"


@check
def get_policy_evaluation(c):
    e = c.policy.get_policy_evaluation(PROJECT, c.evaluation)
    expect(isinstance(e, policy_models.PolicyEvaluationRecord) and e.evaluation_id == c.evaluation, f"got {e}")
    return f"{e.evaluation_id}: {e.status}"


@check
def requeue_policy_evaluation(c):
    e = c.policy.requeue_policy_evaluation(PROJECT, c.evaluation)
    expect(isinstance(e, policy_models.PolicyEvaluationRecord) and e.evaluation_id == c.evaluation, f"got {e}")
    return f"requeued, now {e.status}"


@check
def get_policy_types(c):
    types = c.policy.get_policy_types(PROJECT)
    expect(all(isinstance(t, policy_models.PolicyType) for t in types), "not PolicyType")
    expect(MINIMUM_REVIEWERS in [t.id for t in types], f"{[t.id for t in types]}")
    return f"{len(types)} types"


@check
def get_policy_type(c):
    t = c.policy.get_policy_type(PROJECT, MINIMUM_REVIEWERS)
    expect(isinstance(t, policy_models.PolicyType) and t.id == MINIMUM_REVIEWERS, f"got {t}")
    return t.display_name


# Pipelines: pipelines, preview, runs, logs, artifacts.


@check
def list_pipelines(c):
    pipelines, pages = all_pages(c.pipelines, lambda token: c.pipelines.list_pipelines(PROJECT, top=2, continuation_token=token))
    expect(all(isinstance(p, pipeline_models.Pipeline) for p in pipelines), "not Pipeline")
    expect(pages > 1 and len(pipelines) >= 3, f"{len(pipelines)} pipelines in {pages} pages")
    return f"{len(pipelines)} pipelines in {pages} pages of 2"


@check
def get_pipeline(c):
    p = c.pipelines.get_pipeline(PROJECT, 1)
    expect(isinstance(p, pipeline_models.Pipeline) and p.id == 1 and p.name == "fabrikam-ci", f"got {p}")
    return p.name


@check
def create_pipeline(c):
    parameters = pipeline_models.CreatePipelineParameters(
        configuration=pipeline_models.CreatePipelineConfigurationParameters(type="yaml"),
        folder="\\official-client",
        name="from-the-python-client",
    )
    p = c.pipelines.create_pipeline(parameters, PROJECT)
    expect(isinstance(p, pipeline_models.Pipeline) and p.name == "from-the-python-client", f"got {p}")
    return f"created id {p.id} in {p.folder}"


@check
def preview(c):
    run = c.pipelines.preview(pipeline_models.RunPipelineParameters(preview_run=True), PROJECT, 1)
    expect(isinstance(run, pipeline_models.PreviewRun) and run.final_yaml, f"got {run}")
    return f"{len(run.final_yaml)} bytes of YAML"


@check
def run_pipeline(c):
    parameters = pipeline_models.RunPipelineParameters(template_parameters={"environment": "test"})
    run = c.pipelines.run_pipeline(parameters, PROJECT, 1)
    expect(isinstance(run, pipeline_models.Run) and run.id is not None, f"got {run}")
    c.run = run.id
    return f"run {run.id}: {run.state}"


@check
def list_runs(c):
    runs = c.pipelines.list_runs(PROJECT, 1)
    expect(all(isinstance(r, pipeline_models.Run) for r in runs), "not Run")
    expect(c.run in [r.id for r in runs], f"run {c.run} not in {[r.id for r in runs]}")
    return f"{len(runs)} runs"


@check
def get_run(c):
    run = c.pipelines.get_run(PROJECT, 1, 1)
    expect(isinstance(run, pipeline_models.Run) and run.id == 1 and run.result == "succeeded", f"got {run}")
    return f"run 1: {run.result}"


@check
def list_logs(c):
    logs = c.pipelines.list_logs(PROJECT, 1, 1)
    expect(isinstance(logs, pipeline_models.LogCollection) and logs.logs, f"got {logs}")
    c.log = logs.logs[0].id
    return f"{len(logs.logs)} logs"


@check
def get_log(c):
    log = c.pipelines.get_log(PROJECT, 1, 1, c.log)
    expect(isinstance(log, pipeline_models.Log) and log.id == c.log and log.line_count, f"got {log}")
    return f"log {log.id}: {log.line_count} lines"


@check
def get_artifact(c):
    artifact = c.pipelines.get_artifact(PROJECT, 1, 1, "drop")
    expect(isinstance(artifact, pipeline_models.Artifact) and artifact.name == "drop", f"got {artifact}")
    return artifact.name


# Pipeline permissions.


@check
def get_pipeline_permissions_for_resource(c):
    p = c.permissions.get_pipeline_permissions_for_resource(PROJECT, "queue", "1")
    expect(isinstance(p, permission_models.ResourcePipelinePermissions), f"got {p}")
    expect([x.id for x in p.pipelines] == [6, 15, 16], f"{[x.id for x in p.pipelines]}")
    return f"queue 1: pipelines {[x.id for x in p.pipelines]}"


@check
def update_pipeline_permisions_for_resource(c):
    update = permission_models.ResourcePipelinePermissions(
        pipelines=[permission_models.PipelinePermission(id=42, authorized=True)]
    )
    p = c.permissions.update_pipeline_permisions_for_resource(update, PROJECT, "queue", "1")
    expect(isinstance(p, permission_models.ResourcePipelinePermissions), f"got {p}")
    expect(42 in [x.id for x in p.pipelines], f"{[x.id for x in p.pipelines]}")
    return f"queue 1: pipelines {[x.id for x in p.pipelines]}"


@check
def update_pipeline_permisions_for_resources(c):
    update = [
        permission_models.ResourcePipelinePermissions(
            resource=permission_models.Resource(type="environment", id="1"),
            all_pipelines=permission_models.Permission(authorized=True),
        )
    ]
    answer = c.permissions.update_pipeline_permisions_for_resources(update, PROJECT)
    expect(isinstance(answer, list) and len(answer) == 1, f"got {answer}")
    expect(isinstance(answer[0], permission_models.ResourcePipelinePermissions), f"got {answer[0]}")
    expect(answer[0].all_pipelines.authorized is True, f"{answer[0].all_pipelines}")
    return "environment 1 open to all pipelines"


# Git: repositories, refs, and the policy configurations of a repository and branch.

FIBER_REPOSITORY = "49c1d4d0-be28-4f20-9e0a-4ecfafc39257"


@check
def get_repositories(c):
    repositories = c.git.get_repositories(PROJECT)
    expect(all(isinstance(r, git_models.GitRepository) for r in repositories), "not GitRepository")
    names = [r.name for r in repositories]
    expect(names == ["fabrikam-fiber-git", "fabrikam-docs"], f"{names}")
    return f"repositories {names}"


@check
def get_repository(c):
    r = c.git.get_repository("fabrikam-docs", PROJECT)
    expect(isinstance(r, git_models.GitRepository) and r.default_branch == "refs/heads/master", f"got {r}")
    return f"{r.name} ({r.id})"


@check
def create_update_and_delete_repository(c):
    options = git_models.GitRepositoryCreateOptions(name="official-client", project=git_models.TeamProjectReference(id=PROJECT_ID))
    created = c.git.create_repository(options, PROJECT)
    expect(isinstance(created, git_models.GitRepository) and created.name == "official-client", f"got {created}")
    renamed = c.git.update_repository(git_models.GitRepository(name="official-client-2"), created.id, PROJECT)
    expect(renamed.name == "official-client-2", f"got {renamed.name}")
    c.git.delete_repository(created.id, PROJECT)
    names = [r.name for r in c.git.get_repositories(PROJECT)]
    expect("official-client-2" not in names, f"{names}")
    return "created, renamed, deleted"


@check
def get_refs(c):
    branches = c.git.get_refs(FIBER_REPOSITORY, PROJECT, filter="heads/releases/")
    expect(all(isinstance(r, git_models.GitRef) for r in branches), "not GitRef")
    names = [r.name for r in branches]
    expect(names == ["refs/heads/releases/1.0", "refs/heads/releases/2.0"], f"{names}")
    return f"refs {names}"


@check
def update_refs(c):
    update = git_models.GitRefUpdate(
        name="refs/heads/official-client",
        old_object_id="0" * 40,
        new_object_id="7fb1e1e1a0a9d4b3d3a5a6c9f8e1d2c3b4a59687",
    )
    results = c.git.update_refs([update], FIBER_REPOSITORY, PROJECT)
    expect(isinstance(results[0], git_models.GitRefUpdateResult), f"got {results}")
    expect(results[0].success and results[0].update_status == "succeeded", f"{results[0].update_status}")
    return f"{results[0].name}: {results[0].update_status}"


@check
def git_get_policy_configurations(c):
    configurations = c.git.get_policy_configurations(PROJECT, repository_id=FIBER_REPOSITORY, ref_name="refs/heads/releases/1.0")
    ids = [p.id for p in configurations.policy_configurations]
    expect(ids == [17, 23, 24], f"{ids}")
    return f"policies of releases/1.0: {ids}"


# Errors come back as the client's own exception types.


@check
def a_missing_resource_raises_azure_devops_service_error(c):
    try:
        c.pipelines.get_pipeline(PROJECT, 9999)
    except AzureDevOpsServiceError as error:
        expect(error.message, "no message")
        return f"AzureDevOpsServiceError: {error.type_key}"
    raise AssertionError("no error")


@check
def wrong_credentials_raise_azure_devops_authentication_error(c):
    stranger = Connection(base_url=c.url, creds=BasicAuthentication("", "not-the-pat"))
    try:
        stranger.clients_v7_1.get_policy_client().get_policy_types(PROJECT)
    except AzureDevOpsAuthenticationError as error:
        return f"AzureDevOpsAuthenticationError: {str(error)[:60]}..."
    raise AssertionError("no error")


class Clients:
    def __init__(self, url, pat):
        self.url = url
        connection = Connection(base_url=url, creds=BasicAuthentication("", pat))
        self.policy = connection.clients_v7_1.get_policy_client()
        self.pipelines = connection.clients_v7_1.get_pipelines_client()
        self.permissions = connection.clients_v7_1.get_pipeline_permissions_client()
        self.git = connection.clients_v7_1.get_git_client()


def main():
    if len(sys.argv) != 3:
        print(__doc__)
        return 2
    clients = Clients(sys.argv[1], sys.argv[2])
    passed = 0
    for function in CHECKS:
        try:
            detail = function(clients)
            passed += 1
            print(f"pass  {function.__name__}: {detail}")
        except Exception as error:  # each failure is reported, and the run goes on
            print(f"FAIL  {function.__name__}: {type(error).__name__}: {error}")
    print(f"{passed}/{len(CHECKS)} official-client calls pass")
    return 0 if passed == len(CHECKS) else 1


if __name__ == "__main__":
    sys.exit(main())
