"""``techmatch tune`` as a user runs it: a real process on the API's database, after the
department recorded a contract and a dismissal; the workers pick the saved weights up."""

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import Api, offer_body

REPO = Path(__file__).resolve().parent.parent
DEV = REPO.parent / "shared" / "eval" / "dev.json"
TECHMATCH = Path(sys.executable).parent / "techmatch"


def _run(url: str, *args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "TECHMATCH_DATABASE_URL": url}
    return subprocess.run(
        [str(TECHMATCH), "tune", *args],
        input=stdin,
        capture_output=True,
        text=True,
        env=env,
        cwd=REPO,
        timeout=300,
        check=False,
    )


@pytest.fixture
def outcomes(api: Api) -> dict[str, Any]:
    dept = api.department()
    inst = api.verified_org(dept, "institute")
    ent = api.verified_org(dept, "enterprise")
    offer = api.published("offers", inst["token"], dept)
    other = api.published(
        "offers", inst["token"], dept, **{**offer_body(), "title": "Máy sấy chè kiểu tĩnh"}
    )
    need = api.published("needs", ent["token"], dept)
    opened = api.post(
        "/connections", ent["token"], json={"need_id": need["id"], "offer_id": offer["id"]}
    )
    connection_id = opened.json()["id"]
    for action, token in (
        ("accept", inst["token"]),
        ("start-negotiation", ent["token"]),
        ("mark-contracted", ent["token"]),
    ):
        assert api.post(f"/connections/{connection_id}/{action}", token).status_code == 200
    dismissed = api.post(
        f"/needs/{need['id']}/matches/{other['id']}/dismiss",
        ent["token"],
        json={"reason": "Không phù hợp"},
    )
    assert dismissed.status_code == 201, dismissed.text
    return {"dept": dept, "need": need, "ent": ent}


@pytest.mark.skipif(not DEV.exists(), reason=f"development set not found at {DEV}")
def test_tune_shows_figures_then_saves_and_workers_follow(
    api: Api, outcomes: dict[str, Any], database_url: str
) -> None:
    dry = _run(database_url, "--dev", str(DEV), "--dry-run")
    assert dry.returncode == 0, dry.stderr
    assert "outcomes: 2 pairs (1 contracted)" in dry.stdout
    assert "nDCG@10 dev:" in dry.stdout and "dry run: nothing saved" in dry.stdout

    refused = _run(database_url, "--dev", str(DEV), stdin="n\n")
    assert refused.returncode == 1 and "not saved" in refused.stdout

    saved = _run(database_url, "--dev", str(DEV), "--yes")
    assert saved.returncode == 0, saved.stderr
    assert "saved weights version" in saved.stdout
    version = saved.stdout.split("saved weights version '")[1].split("'")[0]

    # The running application (another process's worker) syncs and reports the new version.
    report = api.get("/reports/matches", outcomes["dept"])
    assert report.status_code == 200, report.text
    settings = report.json()["meta"]["matcher_settings"]
    assert settings["weights_version"] == version
    assert json.dumps(settings["weights"])  # the fitted coefficients are in the report
