"""Certificates through a real worker on PostgreSQL and Redis (S-CERT-4): seconds from the request
(certificates.services.create) to the ready, sealed file for transcripts of 1, 3 and 10 pages
(median of several), the seal alone on a 1- and a 10-page PDF, the worker's peak memory, and how
many certificates one worker process makes a minute from a full queue.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/lp_bench REDIS_URL=redis://127.0.0.1:6379/14 \\
        .venv/bin/python bench/certificates.py --runs 5 --queue 30

It builds a throwaway test database (test_<name>, migrated, dropped at the end) with the test
factories, and starts the worker exactly as production does (`celery -A ladokportal worker`,
prefork pool, the settings' time limits and memory cap) with --concurrency 1, files and a demo
seal in a temporary folder. The Redis database is emptied of queued tasks first: give it one of
its own.
"""

import argparse
import logging
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ladokportal.settings")

import django

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402
from django_scopes import scopes_disabled  # noqa: E402

# Courses (two modules each) that fill about this many pages of a transcript in English.
COURSES_FOR_PAGES = {1: 7, 3: 30, 10: 108}


def children(pid: int) -> list[int]:
    """The pool processes of a prefork worker."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            found.append(int(stat.parent.name))
    return found


def memory(pid: int) -> dict[str, int]:
    """VmHWM (peak resident set) and VmRSS of a process, in KiB."""
    values = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        key, _, rest = line.partition(":")
        if key in ("VmHWM", "VmRSS"):
            values[key] = int(rest.split()[0])
    return values


def wait_ready(pks: list[int], seconds: float = 600) -> None:
    from certificates.models import Certificate, CertificateState

    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        states = list(Certificate.objects.filter(pk__in=pks).values_list("state", flat=True))
        if CertificateState.FAILED in states:
            failures = Certificate.objects.filter(pk__in=pks, state=CertificateState.FAILED)
            raise SystemExit(f"failed: {list(failures.values_list('failure', flat=True))}")
        if states.count(CertificateState.READY) == len(pks):
            return
        time.sleep(0.02)
    raise SystemExit(f"not ready after {seconds} s")


def request(student, institution) -> tuple[object, float]:
    """One certificate asked for as the student's page does; the seconds create() took."""
    from tests.factories.certificates import create_certificate

    started = time.perf_counter()
    certificate = create_certificate(
        student.user, student.person, institution, include_modules=True
    )
    return certificate, time.perf_counter() - started


def one_by_one(student, institution, runs: int) -> dict:
    from certificates.models import Certificate

    totals, creates, pages = [], [], set()
    for _ in range(runs):
        started = time.perf_counter()
        certificate, create_time = request(student, institution)
        wait_ready([certificate.pk])
        totals.append(time.perf_counter() - started)
        creates.append(create_time)
        pages.add(Certificate.objects.get(pk=certificate.pk).page_count)
    return {"totals": totals, "creates": creates, "pages": sorted(pages)}


def queue(student, institution, count: int) -> float:
    """`count` certificates queued in one commit; seconds until the last one is ready."""
    started = time.perf_counter()
    with transaction.atomic():  # every task is sent at commit, at once
        made = [request(student, institution)[0] for _ in range(count)]
    wait_ready([c.pk for c in made], seconds=60 * count)
    return time.perf_counter() - started


def seal_times(certificate, runs: int) -> tuple[int, list[float], list[float]]:
    """Pages, render times and seal times of the certificate's PDF, in this process."""
    from certificates import pipeline, seal

    html = pipeline.certificate_html(certificate)
    renders, seals = [], []
    for _ in range(runs):
        started = time.perf_counter()
        pdf = pipeline.render_pdf(html)
        renders.append(time.perf_counter() - started)
        started = time.perf_counter()
        seal.seal_pdf(pdf.data, code=certificate.institution.code, name="Bench University")
        seals.append(time.perf_counter() - started)
    return pdf.pages, renders, seals


def figures(times: list[float]) -> str:
    return (
        f"median {statistics.median(times):.2f} s (min {min(times):.2f}, max {max(times):.2f}, "
        f"n={len(times)})"
    )


def measure(worker, students: dict, institution, options) -> None:
    started = time.perf_counter()
    first, _ = request(students[1], institution)
    wait_ready([first.pk], seconds=120)
    print(
        f"first certificate of a new worker (start-up, imports, fonts, demo seal "
        f"made): {time.perf_counter() - started:.2f} s"
    )
    pool = children(worker.pid)
    for pages, student in students.items():
        result = one_by_one(student, institution, options.runs)
        print(
            f"{pages:>2}-page transcript (pages {result['pages']}), request to ready "
            f"file: {figures(result['totals'])}; create() alone: "
            f"{statistics.median(result['creates']) * 1000:.0f} ms"
        )
    for pid in pool:
        peak = memory(pid)
        print(
            f"pool process {pid}: peak RSS (VmHWM) {peak['VmHWM'] / 1024:.0f} MiB, "
            f"now {peak['VmRSS'] / 1024:.0f} MiB"
        )
    main_memory = memory(worker.pid)
    print(f"worker main process: peak RSS {main_memory['VmHWM'] / 1024:.0f} MiB")

    for pages in options.queue_pages:
        seconds = queue(students[pages], institution, options.queue)
        print(
            f"{options.queue} {pages}-page transcripts queued at once: {seconds:.1f} s, "
            f"{options.queue / seconds * 60:.0f} certificates a minute per worker "
            "process"
        )
    for pid in children(worker.pid):
        print(f"pool process {pid} after the queue: peak RSS {memory(pid)['VmHWM'] / 1024:.0f} MiB")
    if children(worker.pid) != pool:
        print(f"the pool process was replaced: {pool} -> {children(worker.pid)}")

    from certificates.models import Certificate

    for pages in (1, 10):
        sample = Certificate.objects.filter(person=students[pages].person).first()
        page_count, renders, seals = seal_times(sample, options.runs + 1)
        print(
            f"in one process, {page_count}-page PDF: render {figures(renders[1:])}; "
            f"seal_pdf {figures(seals[1:])} (first seal {seals[0] * 1000:.0f} ms)"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="certificates per size")
    parser.add_argument("--queue", type=int, default=30, help="certificates queued at once")
    parser.add_argument(
        "--queue-pages", type=int, nargs="+", default=[1, 3], choices=sorted(COURSES_FOR_PAGES)
    )
    options = parser.parse_args()
    logging.getLogger("weasyprint").setLevel(logging.WARNING)  # a line per page otherwise
    if connection.vendor != "postgresql":
        raise SystemExit("set DATABASE_URL to a PostgreSQL database")
    if not settings.REDIS_URL:
        raise SystemExit("set REDIS_URL: the worker needs Redis as its broker")

    from certificates import seal
    from ladokportal.celery import app as celery_app
    from tests.factories import InstitutionFactory
    from tests.factories.certificates import transcript_student
    from tests.worker import start_worker

    folder = Path(tempfile.mkdtemp(prefix="bench-certificates-"))
    settings.MEDIA_ROOT = folder / "media"
    settings.SEAL_DIR = folder / "seals"
    settings.SEAL_DEMO_KEYS = True
    settings.SEAL_KEY_PASSPHRASE = ""
    seal.clear_cache()
    celery_app.conf.task_always_eager = False
    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    worker = None
    try:
        with scopes_disabled():
            started = time.perf_counter()
            institution = InstitutionFactory(
                code="bench", name_sv="Bänkens universitet", name_en="Bench University"
            )
            students = {
                pages: transcript_student(institution, courses=courses, modules=2)
                for pages, courses in COURSES_FOR_PAGES.items()
            }
            print(f"test data: {time.perf_counter() - started:.1f} s")
            celery_app.control.purge()
            worker = start_worker(folder, name="bench", pool="prefork", concurrency=1)
            print(
                f"worker: prefork, concurrency 1, soft/hard time limit "
                f"{settings.CELERY_TASK_SOFT_TIME_LIMIT}/{settings.CELERY_TASK_TIME_LIMIT} s, "
                f"memory cap {settings.CELERY_WORKER_MAX_MEMORY_PER_CHILD} KiB per child"
            )

            measure(worker, students, institution, options)
    finally:
        if worker is not None:
            worker.stop()
        connection.creation.destroy_test_db(old_name, verbosity=0)
    print(f"load average at the end: {' '.join(f'{x:.1f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
