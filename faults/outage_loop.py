"""The request loop of faults/postgres_outage.sh, and its verdict.

    .venv/bin/python faults/outage_loop.py --base http://127.0.0.1:8766 --seconds 30 \
        --events var/faults

Signs in as an inspector and, for `--seconds`, keeps saving the Assessment section of
their open cases (reading each version first) and reading "My cases". When done,
reads the times the database was stopped and started (`stopped_at`, `started_at` in
the events folder, written by the shell script) and checks:
- before the outage every request succeeded;
- during it every request got the 503 page (Retry-After, no traceback), never a 500;
- after the restart the service recovered by itself within RECOVERY_SECONDS and every
  later request succeeded;
- no case holds a half-written save, and each case's version rose by exactly the
  number of saves acknowledged (a save answered 503 left nothing).
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

from client import VERSION, Client, check_saves, section_state  # noqa: I001 - sets Django up first
from django.db import connection

from casereview.models import EDITABLE_STATUSES, Case

RECOVERY_SECONDS = 10
PAGE_503 = "Sorry, there is a problem with the service"


def run(client: Client, cases: list[int], seconds: float, log: list[dict]) -> dict[int, list]:
    """Returns, per case, its saves in order as (number, acknowledged)."""
    saves: dict[int, list] = {pk: [] for pk in cases}
    known: dict[int, int] = {}
    deadline = time.monotonic() + seconds
    number = int(time.time()) % 100_000 * 10
    turn = 0
    while time.monotonic() < deadline:
        case = cases[turn % len(cases)]
        turn += 1
        started = time.time()
        reply = client.request(f"/cases/{case}/sections/assessment/")
        log.append(entry("section page", started, reply))
        match = VERSION.search(reply.body) if reply.status == 200 else None
        if match:
            known[case] = int(match.group(1) or match.group(2))
        # Saves go on during the outage too, with the last version seen.
        version = known.get(case)
        if version is not None:
            number += 1
            started = time.time()
            reply = client.save(case, number, version)
            log.append(entry("save", started, reply, case=case))
            saves[case].append((number, reply.status == 302))
        started = time.time()
        log.append(entry("my cases", started, client.request("/my-cases/")))
        time.sleep(0.2)
    return saves


def entry(kind: str, started: float, reply, **extra) -> dict:
    return {
        "kind": kind,
        "started": started,
        "ended": time.time(),
        "status": reply.status,
        "page_503": PAGE_503 in reply.body,
        "traceback": "Traceback" in reply.body or 'File "/' in reply.body,
        **extra,
    }


def verdict(log, events: Path, before, originals, saves) -> list[str]:
    stopped = float((events / "stopped_at").read_text())
    restarted = float((events / "started_at").read_text())
    problems = []
    if any(item["status"] == 500 for item in log):
        problems.append(f"{sum(item['status'] == 500 for item in log)} responses were 500")
    if any(item["traceback"] for item in log):
        problems.append("a response showed a traceback")
    ok = [item for item in log if item["status"] in (200, 302)]
    first_after = min((item["ended"] for item in ok if item["started"] > restarted), default=None)
    recovery = None if first_after is None else first_after - restarted
    phases = {"before": [], "during": [], "after": []}
    for item in log:
        if item["ended"] < stopped:
            phases["before"].append(item)
        elif item["started"] > stopped + 1 and item["ended"] < restarted:
            phases["during"].append(item)
        elif first_after is not None and item["started"] >= first_after:
            phases["after"].append(item)
    if any(item["status"] not in (200, 302) for item in phases["before"]):
        problems.append("requests failed before the outage")
    if not phases["during"]:
        problems.append("no request fell inside the outage")
    wrong = [item for item in phases["during"] if item["status"] != 503 or not item["page_503"]]
    if wrong:
        problems.append(f"{len(wrong)} requests during the outage did not get the 503 page")
    if recovery is None or recovery > RECOVERY_SECONDS:
        problems.append(f"no recovery within {RECOVERY_SECONDS} s of the restart")
    if any(item["status"] not in (200, 302) for item in phases["after"]):
        problems.append("requests failed after the service had recovered")
    problems += check_saves(before, originals, saves)
    counts = {
        phase: f"{len(items)} requests ("
        + ", ".join(
            f"{sum(i['status'] == s for i in items)}× {s}"
            for s in sorted({i["status"] for i in items})
        )
        + ")"
        for phase, items in phases.items()
    }
    recovered = "never" if recovery is None else f"{recovery:.2f} s after the restart"
    print(f"Outage {restarted - stopped:.1f} s; recovered {recovered}")
    for phase, text in counts.items():
        print(f"  {phase:<7} {text}")
    acknowledged = sum(ok for case in saves.values() for _, ok in case)
    sent = sum(len(case) for case in saves.values())
    print(f"  saves: {sent} sent, {acknowledged} acknowledged, over {len(saves)} cases")
    return problems


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--base", default="http://127.0.0.1:8766")
    parser.add_argument("--seconds", type=float, default=30)
    parser.add_argument("--events", type=Path, default=Path("var/faults"))
    parser.add_argument("--username", default="fault-001-inspector-01")
    options = parser.parse_args()

    cases = list(
        Case.objects.filter(inspector__username=options.username, status__in=EDITABLE_STATUSES)
        .order_by("pk")
        .values_list("pk", flat=True)[:5]
    )
    if not cases:
        raise SystemExit(f"{options.username} has no open case")
    before = dict(Case.objects.filter(pk__in=cases).values_list("pk", "version"))
    originals = section_state(cases)  # and reads the section's fields while the database is up
    connection.close()  # the database is about to go away under us

    client = Client(options.base, timeout=5)
    client.sign_in(options.username)
    log: list[dict] = []
    saves = run(client, cases, options.seconds, log)
    (options.events / "requests.jsonl").write_text("\n".join(json.dumps(i) for i in log) + "\n")
    problems = verdict(log, options.events, before, originals, saves)
    for problem in problems:
        print(f"FAIL {problem}")
    if problems:
        print("FAILED")
    else:
        print("PASS: 503 during the outage, recovered by itself, nothing half-written")
    return 1 if problems else 0


if __name__ == "__main__":
    raise SystemExit(main())
