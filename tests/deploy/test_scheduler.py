"""deploy/scheduler.py: the periodic commands of the Compose deployment, on time."""

import datetime as dt
import os
import sys
from pathlib import Path

import pytest
from deploy_scripts import healthcheck, scheduler

UTC = dt.UTC


def at(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text).replace(tzinfo=UTC)


def tasks(env: dict[str, str] | None = None) -> dict:
    return {task.name: task for task in scheduler.load_tasks(env or {})}


def test_the_default_schedule_matches_the_systemd_timers():
    by_name = tasks()
    assert by_name["reminders"].command == ("patuh", "reminders", "send")
    assert by_name["reminders"].schedule.describe() == "daily at 00:30 UTC"
    assert by_name["backup"].command == ("patuh", "backup", "/var/lib/patuh/backups")
    assert by_name["backup"].schedule.describe() == "daily at 18:00 UTC"
    assert by_name["requeue"].command == ("patuh", "jobs", "requeue", "--older-than", "60")
    assert by_name["requeue"].schedule.describe() == "every 60 minutes"
    assert by_name["housekeeping"].command == ("patuh", "housekeeping")
    systemd = Path(__file__).resolve().parents[2] / "deploy/systemd"
    assert "00:30:00 UTC" in (systemd / "patuh-reminders.timer").read_text()
    assert "18:00:00 UTC" in (systemd / "patuh-backup.timer").read_text()
    assert "19:00:00 UTC" in (systemd / "patuh-housekeeping.timer").read_text()


def test_a_daily_task_runs_later_today_or_tomorrow():
    daily = scheduler.parse_schedule("X", "18:00")
    assert daily.next_after(at("2025-03-10T17:59:59")) == at("2025-03-10T18:00:00")
    assert daily.next_after(at("2025-03-10T18:00:00")) == at("2025-03-11T18:00:00")
    wib = dt.timezone(dt.timedelta(hours=7))
    # 01:30 WIB on the 11th is 18:30 UTC on the 10th: the next run is the 11th, 18:00 UTC
    assert daily.next_after(dt.datetime(2025, 3, 11, 1, 30, tzinfo=wib)) == at(
        "2025-03-11T18:00:00"
    )


def test_an_every_task_keeps_a_rhythm_from_midnight_utc():
    hourly = scheduler.parse_schedule("X", "every 60")
    assert hourly.next_after(at("2025-03-10T09:15:00")) == at("2025-03-10T10:00:00")
    assert hourly.next_after(at("2025-03-10T10:00:00")) == at("2025-03-10T11:00:00")
    assert hourly.next_after(at("2025-03-10T23:30:00")) == at("2025-03-11T00:00:00")


def test_the_environment_changes_or_turns_off_a_task():
    by_name = tasks(
        {
            "PATUH_SCHEDULE_HOUSEKEEPING": "off",
            "PATUH_SCHEDULE_BACKUP": "2:05",
            "PATUH_JOB_STALE_MINUTES": "15",
            "PATUH_SCHEDULE_REQUEUE": "Every 15",
        }
    )
    assert by_name["housekeeping"].schedule.off
    assert by_name["backup"].schedule.describe() == "daily at 02:05 UTC"
    assert by_name["requeue"].command[-1] == "15"
    assert by_name["requeue"].schedule.every_minutes == 15
    runner = scheduler.Scheduler(list(by_name.values()), {})
    assert "housekeeping" not in [task.name for task in runner.tasks]


@pytest.mark.parametrize(
    ("value", "why"),
    [
        ("25:00", "expected HH:MM"),
        ("every 0", "between 1 and 1440"),
        ("nightly", "expected HH:MM"),
    ],
)
def test_a_bad_schedule_value_names_the_variable_and_why(value, why):
    with pytest.raises(scheduler.ScheduleError) as raised:
        scheduler.load_tasks({"PATUH_SCHEDULE_BACKUP": value})
    assert f"PATUH_SCHEDULE_BACKUP={value!r}" in str(raised.value)
    assert why in str(raised.value)


def test_a_bad_schedule_exits_2_and_an_unknown_task_too(monkeypatch, capsys):
    monkeypatch.setenv("PATUH_SCHEDULE_REMINDERS", "sometimes")
    assert scheduler.main(["--list"]) == 2
    assert "PATUH_SCHEDULE_REMINDERS='sometimes'" in capsys.readouterr().err
    monkeypatch.delenv("PATUH_SCHEDULE_REMINDERS")
    assert scheduler.main(["--once", "vacuum"]) == 2
    assert "unknown task 'vacuum'" in capsys.readouterr().err


def test_list_prints_every_task_with_its_command(capsys):
    assert scheduler.main(["--list"]) == 0
    out = capsys.readouterr().out
    for name in ("reminders", "backup", "requeue", "housekeeping"):
        assert name in out
    assert "patuh jobs requeue --older-than 60" in out


def test_once_runs_the_task_and_returns_its_failure(monkeypatch, tmp_path, capsys):
    fake = tmp_path / "patuh"
    fake.write_text(f"#!{sys.executable}\nimport sys\nprint('ran', *sys.argv[1:])\nsys.exit(3)\n")
    fake.chmod(0o755)
    monkeypatch.setenv("PATUH_COMMAND", str(fake))
    assert scheduler.main(["--once", "reminders"]) == 1
    out = capsys.readouterr().out
    assert "reminders: exit 3" in out


def test_a_successful_backup_removes_archives_older_than_the_kept_days(monkeypatch, tmp_path):
    folder = tmp_path / "backups"
    folder.mkdir()
    now = dt.datetime.now(UTC).timestamp()
    old = folder / "patuh-backup-20250101-010000.zip"
    recent = folder / "patuh-backup-20250301-010000.zip"
    other = folder / "keep-me.zip"
    for path, age_days in ((old, 20), (recent, 2), (other, 90)):
        path.write_bytes(b"PK")
        os.utime(path, (now - age_days * 86400, now - age_days * 86400))
    fake = tmp_path / "patuh"
    fake.write_text("#!/bin/sh\nexit 0\n")
    fake.chmod(0o755)
    monkeypatch.setenv("PATUH_COMMAND", str(fake))
    monkeypatch.setenv("PATUH_BACKUP_DIR", str(folder))
    monkeypatch.setenv("PATUH_BACKUP_KEEP_DAYS", "14")
    assert scheduler.main(["--once", "backup"]) == 0
    assert sorted(p.name for p in folder.iterdir()) == [other.name, recent.name]


def test_a_failed_backup_removes_nothing(tmp_path):
    folder = tmp_path / "backups"
    folder.mkdir()
    old = folder / "patuh-backup-20250101-010000.zip"
    old.write_bytes(b"PK")
    os.utime(old, (0, 0))
    task = scheduler.Task("backup", ("false", str(folder)), scheduler.Schedule(at=dt.time(18)))
    assert scheduler.Scheduler([task], {}).run_task(task) == 1
    assert old.exists()


def test_the_health_check_asks_with_a_host_django_allows():
    assert healthcheck.probe_host("patuh.example.go.id,localhost") == "patuh.example.go.id"
    assert healthcheck.probe_host(" .example.go.id") == "example.go.id"
    assert healthcheck.probe_host("*") == "localhost"
    assert healthcheck.probe_host("") == "localhost"


def test_the_health_check_fails_when_nothing_answers(monkeypatch, capsys):
    monkeypatch.setenv("PORT", "9")  # discard: nothing listens there
    assert healthcheck.main() == 1
    assert "healthcheck:" in capsys.readouterr().err
