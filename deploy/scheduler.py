"""Patuh's scheduler for containers: runs the periodic ``patuh`` commands on time.

    python deploy/scheduler.py            # run forever (the compose service "scheduler")
    python deploy/scheduler.py --list     # print the schedule and exit
    python deploy/scheduler.py --once backup   # run one task now, exit with its exit code

On a machine with systemd the timers in deploy/systemd/ do this job instead. The tasks, their
default times (UTC, like the systemd timers) and the variables that change them:

| task | command | default (UTC) | variable |
|---|---|---|---|
| reminders | ``patuh reminders send`` | 00:30 (07:30 WIB) | ``PATUH_SCHEDULE_REMINDERS`` |
| overdue | ``patuh notifications overdue`` | 00:45 (07:45 WIB) | ``PATUH_SCHEDULE_OVERDUE`` |
| notifications | ``patuh notifications send`` | every 30 | ``PATUH_SCHEDULE_NOTIFICATIONS`` |
| backup | ``patuh backup /var/lib/patuh/backups`` | 18:00 (01:00 WIB) | ``PATUH_SCHEDULE_BACKUP`` |
| requeue | ``patuh jobs requeue --older-than 60`` | every 60 | ``PATUH_SCHEDULE_REQUEUE`` |
| housekeeping | ``patuh housekeeping`` | 19:00 (02:00 WIB) | ``PATUH_SCHEDULE_HOUSEKEEPING`` |

A value is ``HH:MM`` (daily, UTC), ``every N`` (every N minutes) or ``off``. After a backup,
archives older than ``PATUH_BACKUP_KEEP_DAYS`` days (default 14; 0 keeps all) are deleted from
the backup folder (``PATUH_BACKUP_DIR``). ``PATUH_JOB_STALE_MINUTES`` (default 60) is the
``--older-than`` of the requeue task. A run that was missed while the container was down is
not caught up; the next one comes at its usual time. One task runs at a time; a failing task is
logged with its exit code and tried again at its next time. SIGTERM stops the scheduler between
tasks, or ends the running task first.

Standard library only, so it runs from the application image as it is. Exit codes: 0 stopped
normally, 1 ``--once`` task failed, 2 a bad schedule value or an unknown task.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import re
import signal
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path

UTC = dt.UTC


class ScheduleError(ValueError):
    """A schedule value that cannot be read; the message says which and why."""


@dataclass(frozen=True)
class Schedule:
    """Daily at ``at`` (UTC), or every ``every_minutes`` minutes; neither means off."""

    at: dt.time | None = None
    every_minutes: int | None = None

    @property
    def off(self) -> bool:
        return self.at is None and self.every_minutes is None

    def describe(self) -> str:
        if self.at is not None:
            return f"daily at {self.at:%H:%M} UTC"
        if self.every_minutes is not None:
            return f"every {self.every_minutes} minutes"
        return "off"

    def next_after(self, now: dt.datetime) -> dt.datetime | None:
        """The first run strictly after ``now`` (an aware datetime), or None when off."""
        now = now.astimezone(UTC)
        if self.at is not None:
            candidate = dt.datetime.combine(now.date(), self.at, tzinfo=UTC)
            if candidate <= now:
                candidate += dt.timedelta(days=1)
            return candidate
        if self.every_minutes is not None:
            # aligned to whole periods since midnight UTC, so restarts keep the same rhythm
            midnight = dt.datetime.combine(now.date(), dt.time(0), tzinfo=UTC)
            period = dt.timedelta(minutes=self.every_minutes)
            periods = (now - midnight) // period + 1
            return midnight + periods * period
        return None


_DAILY = re.compile(r"^([01]?\d|2[0-3]):([0-5]\d)$")
_EVERY = re.compile(r"^every\s+(\d+)$")


def parse_schedule(name: str, value: str) -> Schedule:
    text = value.strip().lower()
    if text == "off":
        return Schedule()
    daily = _DAILY.match(text)
    if daily:
        return Schedule(at=dt.time(int(daily.group(1)), int(daily.group(2))))
    every = _EVERY.match(text)
    if every:
        minutes = int(every.group(1))
        if not 1 <= minutes <= 1440:
            raise ScheduleError(f"{name}={value!r}: minutes must be between 1 and 1440")
        return Schedule(every_minutes=minutes)
    raise ScheduleError(
        f"{name}={value!r}: expected HH:MM (daily, UTC), 'every N' minutes or 'off'"
    )


@dataclass(frozen=True)
class Task:
    name: str
    command: tuple[str, ...]
    schedule: Schedule


def _positive_int(env: dict[str, str], name: str, default: int) -> int:
    raw = env.get(name, str(default))
    if not raw.strip().isdigit():
        raise ScheduleError(f"{name}={raw!r}: expected a whole number")
    return int(raw)


def load_tasks(env: dict[str, str]) -> list[Task]:
    """The tasks with the schedules the environment gives them (see the module docstring)."""
    patuh = env.get("PATUH_COMMAND", "patuh")
    backup_dir = env.get("PATUH_BACKUP_DIR", "/var/lib/patuh/backups")
    stale = _positive_int(env, "PATUH_JOB_STALE_MINUTES", 60)
    defaults = [
        ("reminders", (patuh, "reminders", "send"), "00:30"),
        ("overdue", (patuh, "notifications", "overdue"), "00:45"),
        ("notifications", (patuh, "notifications", "send"), "every 30"),
        ("backup", (patuh, "backup", backup_dir), "18:00"),
        ("requeue", (patuh, "jobs", "requeue", "--older-than", str(stale)), "every 60"),
        ("housekeeping", (patuh, "housekeeping"), "19:00"),
    ]
    tasks = []
    for name, command, default in defaults:
        variable = f"PATUH_SCHEDULE_{name.upper()}"
        tasks.append(Task(name, command, parse_schedule(variable, env.get(variable, default))))
    return tasks


def prune_backups(folder: Path, keep_days: int, now: dt.datetime) -> list[Path]:
    """Delete ``patuh-backup-*.zip`` archives older than ``keep_days``; returns what went."""
    if keep_days <= 0 or not folder.is_dir():
        return []
    cutoff = now.timestamp() - keep_days * 86400
    removed = []
    for archive in sorted(folder.glob("patuh-backup-*.zip")):
        if archive.is_file() and archive.stat().st_mtime < cutoff:
            archive.unlink()
            removed.append(archive)
    return removed


def log(message: str) -> None:
    stamp = dt.datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    print(f"{stamp} scheduler: {message}", flush=True)


class Scheduler:
    def __init__(self, tasks: list[Task], env: dict[str, str]) -> None:
        self.tasks = [task for task in tasks if not task.schedule.off]
        self.env = env
        self.stopping = threading.Event()

    def run_task(self, task: Task) -> int:
        started = time.monotonic()
        log(f"{task.name}: {' '.join(task.command)}")
        try:
            code = subprocess.run(task.command, check=False).returncode
        except OSError as error:
            log(f"{task.name}: cannot start ({error})")
            return 1
        log(f"{task.name}: exit {code} after {time.monotonic() - started:.0f} s")
        if task.name == "backup" and code == 0:
            keep = _positive_int(self.env, "PATUH_BACKUP_KEEP_DAYS", 14)
            folder = Path(task.command[-1])
            for archive in prune_backups(folder, keep, dt.datetime.now(UTC)):
                log(f"backup: removed {archive.name} (older than {keep} days)")
        return code

    def forever(self) -> None:
        if not self.tasks:
            log("every task is off; nothing to do")
        for task in self.tasks:
            log(f"{task.name}: {task.schedule.describe()}")
        now = dt.datetime.now(UTC)
        due = {task.name: task.schedule.next_after(now) for task in self.tasks}
        while not self.stopping.is_set() and self.tasks:
            task = min(self.tasks, key=lambda t: due[t.name])
            wait = (due[task.name] - dt.datetime.now(UTC)).total_seconds()
            if wait > 0 and self.stopping.wait(min(wait, 3600)):
                break
            if dt.datetime.now(UTC) < due[task.name]:
                continue  # woke up early (long waits are cut into hours); look again
            self.run_task(task)
            due[task.name] = task.schedule.next_after(dt.datetime.now(UTC))
        log("stopped")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    group = parser.add_mutually_exclusive_group()
    group.add_argument("--list", action="store_true", help="print the schedule and exit")
    group.add_argument("--once", metavar="TASK", help="run one task now and exit with its code")
    args = parser.parse_args(argv)
    env = dict(os.environ)
    try:
        tasks = load_tasks(env)
    except ScheduleError as error:
        print(f"scheduler: {error}", file=sys.stderr)
        return 2
    if args.list:
        for task in tasks:
            print(f"{task.name:<13} {task.schedule.describe():<24} {' '.join(task.command)}")
        return 0
    scheduler = Scheduler(tasks, env)
    if args.once:
        chosen = [task for task in tasks if task.name == args.once]
        if not chosen:
            names = ", ".join(task.name for task in tasks)
            print(f"scheduler: unknown task {args.once!r} (tasks: {names})", file=sys.stderr)
            return 2
        return 0 if scheduler.run_task(chosen[0]) == 0 else 1
    signal.signal(signal.SIGTERM, lambda *_: scheduler.stopping.set())
    signal.signal(signal.SIGINT, lambda *_: scheduler.stopping.set())
    scheduler.forever()
    return 0


if __name__ == "__main__":
    sys.exit(main())
