"""Fault test: kill -9 a gunicorn worker in the middle of saves; no partial write.

    .venv/bin/python faults/kill_worker.py          # about 40 s
    (settings: --port 8767, --database faults_kill on the PostgreSQL at 127.0.0.1:5432)

A save is one transaction: claim the next version, write the prompts, write the key
questions, commit. Two parts:

1. Mid-transaction, for certain: the case's key question answers are locked from here
   (SELECT ... FOR UPDATE), a save is sent, and once its database session has written
   (it holds a transaction id) and waits on the lock, the gunicorn worker serving it is
   killed with SIGKILL.
   The version claim and the prompts it wrote must vanish with it.
2. At random: saves stream to several cases while a worker is killed every so often.

Then every case must hold whole saves only: its version accounts for each
acknowledged save and at most each unanswered one, and its answers all come from one
save. The service must keep answering (gunicorn replaces the killed worker).
"""

from __future__ import annotations

import argparse
import os
import random
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
os.chdir(ROOT)


def prepare(database: str, url: str) -> None:
    """A fresh database with one generated inspection, before Django is set up."""
    for sql in (f"DROP DATABASE IF EXISTS {database}", f"CREATE DATABASE {database}"):
        subprocess.run(  # noqa: S603 - fixed commands, loopback only
            ["psql", "-h", "127.0.0.1", "-U", "postgres", "-q", "-c", sql],  # noqa: S607
            check=True,
        )
    env = {**os.environ, "DATABASE_URL": url}
    manage = [".venv/bin/python", "manage.py"]
    subprocess.run([*manage, "migrate", "--no-input", "-v", "0"], check=True, env=env)  # noqa: S603
    subprocess.run(  # noqa: S603
        [*manage, "generate_dataset", "--prefix", "kill", "--inspections", "1"]
        + ["--cases-per-inspection", "60", "--inspectors-per-inspection", "2"],
        check=True,
        env=env,
    )


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, default=8767)
    parser.add_argument("--database", default="faults_kill")
    parser.add_argument("--kills", type=int, default=6, help="random kills in part 2")
    options = parser.parse_args()
    url = f"postgres://postgres@127.0.0.1:5432/{options.database}"
    os.environ.update(
        DATABASE_URL=url,
        DJANGO_SETTINGS_MODULE="loadtest.settings",
        SECRET_KEY=f"faults-only-{time.time()}-not-a-production-key",
        ALLOWED_HOSTS="127.0.0.1",
    )
    prepare(options.database, url)
    out = ROOT / "var" / "faults"
    out.mkdir(parents=True, exist_ok=True)
    log = open(out / "kill_worker_gunicorn.log", "w")  # noqa: SIM115 - for the server's life
    server = subprocess.Popen(  # noqa: S603
        [".venv/bin/gunicorn", "config.wsgi", "--bind", f"127.0.0.1:{options.port}"]
        + ["--workers", "2", "--timeout", "60"],
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        return run(options, server)
    finally:
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
        log.close()


def run(options, server) -> int:
    sys.path.insert(0, str(ROOT / "faults"))
    import psutil
    from client import Client, check_saves, section_state
    from django.db import connection, transaction

    from casereview.models import EDITABLE_STATUSES, Case, KeyQuestionAnswer

    base = f"http://127.0.0.1:{options.port}"
    master = psutil.Process(server.pid)

    def workers() -> list[psutil.Process]:
        return [child for child in master.children() if child.is_running()]

    for _ in range(60):
        if len(workers()) == 2 and Client(base).request("/healthz").status == 200:
            break
        time.sleep(0.5)
    else:
        raise SystemExit("gunicorn did not start")

    username = "kill-001-lead"  # a lead may edit every open case of the inspection
    cases = list(
        Case.objects.filter(inspection__slug="kill-001", status__in=EDITABLE_STATUSES)
        .order_by("pk")
        .values_list("pk", flat=True)[:10]
    )
    before = dict(Case.objects.filter(pk__in=cases).values_list("pk", "version"))
    originals = section_state(cases)
    client = Client(base, timeout=60)
    client.sign_in(username)
    saves: dict[int, list] = {pk: [] for pk in cases}
    number = 1000
    problems: list[str] = []

    # Part 1: killed while the save's transaction has written and waits on a lock.
    # The target already has its Assessment answers, so the save updates locked rows.
    target = next(
        pk
        for pk in cases
        if KeyQuestionAnswer.objects.filter(case_id=pk, key_question__standard__code="2.1")
        .exclude(answer="")
        .count()
        == 3
    )
    cases.remove(target)
    cases.insert(0, target)
    version = client.version(target)
    number += 1
    replies = []
    with transaction.atomic():
        with connection.cursor() as cursor:
            # Row locks: reads go on, the save's UPDATE of these answers waits.
            cursor.execute(
                "SELECT id FROM casereview_keyquestionanswer WHERE case_id = %s FOR UPDATE",
                [target],
            )
        sender = threading.Thread(
            target=lambda: replies.append(client.save(target, number, version)), daemon=True
        )
        sender.start()
        blocked = None
        for _ in range(100):
            with connection.cursor() as cursor:
                # Inside a transaction the activity view is a snapshot: refresh it.
                cursor.execute("SELECT pg_stat_clear_snapshot()")
                cursor.execute(
                    "SELECT pid, client_port, backend_xid IS NOT NULL, left(query, 70) "
                    "FROM pg_stat_activity WHERE datname = current_database() "
                    "AND wait_event_type = 'Lock' AND pid <> pg_backend_pid()"
                )
                blocked = cursor.fetchone()
            if blocked:
                break
            time.sleep(0.1)
        if not blocked:
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT a.pid, a.state, a.wait_event_type, a.wait_event, left(a.query, 90), "
                    "l.locktype, l.relation::regclass, l.mode, l.granted "
                    "FROM pg_stat_activity a LEFT JOIN pg_locks l ON l.pid = a.pid "
                    "AND NOT l.granted WHERE a.datname = current_database()"
                )
                for row in cursor.fetchall():
                    print("  ", row)
            sender.join(timeout=10)
            raise SystemExit(f"the save never reached the locked rows: {replies}")
        backend, port, has_written, query = blocked
        serving = [
            worker
            for worker in workers()
            if any(c.laddr and c.laddr.port == port for c in worker.net_connections("tcp"))
        ]
        if len(serving) != 1:
            raise SystemExit(f"cannot tell which worker serves database port {port}")
        os.kill(serving[0].pid, signal.SIGKILL)
        print(
            f"Part 1: killed worker {serving[0].pid} mid-save; its transaction "
            f"{'had' if has_written else 'had not'} written and was waiting on: {query}…"
        )
        if not has_written:
            problems.append("the killed save had not written yet: the test proved less")
    # The lock is released here; the orphaned session finds its client gone, rolls back.
    sender.join(timeout=30)
    saves[target].append((number, bool(replies) and replies[0].status == 302))
    print(f"  the client got: {replies[0].status if replies else 'nothing'} (0 = no answer)")
    for _ in range(50):
        with connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM pg_stat_activity WHERE pid = %s", [backend])
            if cursor.fetchone()[0] == 0:
                break
        time.sleep(0.2)
    part_one = check_saves(before, originals, {target: saves[target]})
    version_after = Case.objects.get(pk=target).version
    print(f"  case {target}: version {before[target]} before, {version_after} after")
    problems += part_one

    # Part 2: saves stream while workers are killed at random moments.
    stop = threading.Event()
    lock = threading.Lock()

    def stream(own: Client, mine: list[int]):
        nonlocal number
        turn = 0
        while not stop.is_set():
            case = mine[turn % len(mine)]
            turn += 1
            current = own.version(case)
            if current is None:
                time.sleep(0.05)
                continue
            with lock:
                number += 1
                this = number
            reply = own.save(case, this, current)
            with lock:
                saves[case].append((this, reply.status == 302))

    # Signed in before the kills start (signing in is slow: the password hash).
    clients = [Client(base, timeout=30) for _ in range(3)]
    for own in clients:
        own.sign_in(username)
    streams = [
        threading.Thread(target=stream, args=(own, cases[1 + index :: 3]), daemon=True)
        for index, own in enumerate(clients)
    ]
    for thread in streams:
        thread.start()
    kills = 0
    rng = random.Random(8)
    deadline = time.monotonic() + 60
    while kills < options.kills and time.monotonic() < deadline:
        time.sleep(rng.uniform(0.5, 2.0))
        alive = workers()
        if alive:
            os.kill(rng.choice(alive).pid, signal.SIGKILL)
            kills += 1
    time.sleep(1.5)
    stop.set()
    for thread in streams:
        thread.join(timeout=40)
    sent = sum(len(saves[pk]) for pk in cases[1:])
    acked = sum(ok for pk in cases[1:] for _, ok in saves[pk])
    print(f"Part 2: {kills} workers killed during {sent} saves ({acked} acknowledged)")
    if sent - acked < 1:
        problems.append("no save was cut short by a kill: the test proved less")
    problems += check_saves(before, originals, {pk: saves[pk] for pk in cases[1:]})

    # The service is still there: gunicorn replaced every killed worker.
    for _ in range(40):
        if len(workers()) == 2:
            break
        time.sleep(0.5)
    final = Client(base)
    final.sign_in(username)
    current = final.version(cases[1])
    number += 1
    reply = final.save(cases[1], number, current) if current is not None else None
    if reply is None or reply.status != 302:
        problems.append("the service did not take a save after the kills")
    else:
        print(f"After: {len(workers())} workers again, and a save is acknowledged")

    for problem in problems:
        print(f"FAIL {problem}")
    print("PASS: no partial write" if not problems else "FAILED")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
