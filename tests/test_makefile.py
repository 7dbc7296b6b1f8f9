"""`make run` serves the demo at the address its links name (#16 point 4): SITE_URL follows HOST
and PORT into the seed (the demo certificates' QR codes and check-code links, the banner), the
web process (e-mails, calendar feeds) and the worker."""

import os
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def _dry_run(*args: str) -> str:
    make = shutil.which("make")
    if make is None:
        pytest.skip("make is not installed")
    return subprocess.run(
        [make, "-n", "--no-print-directory", *args],
        cwd=ROOT,
        capture_output=True,
        # Neither the caller's SITE_URL nor an outer make's flags (make test) may decide.
        env={k: v for k, v in os.environ.items() if k not in ("SITE_URL", "MAKEFLAGS", "MFLAGS")},
        text=True,
        check=True,
    ).stdout


def test_make_run_sets_site_url_to_what_it_serves():
    lines = _dry_run("demo", "run", "worker", "HOST=0.0.0.0", "PORT=8123").splitlines()
    seed = next(line for line in lines if "seed_demo" in line)
    serve = next(line for line in lines if "runserver" in line)
    worker = next(line for line in lines if "celery" in line)
    assert all("SITE_URL=http://127.0.0.1:8123 " in line for line in (seed, serve, worker))
    assert serve.endswith("runserver 0.0.0.0:8123")


def test_an_explicit_site_url_wins():
    lines = _dry_run("run", "SITE_URL=https://portal.example.se").splitlines()
    assert any("SITE_URL=https://portal.example.se " in line for line in lines)
