"""``patuh housekeeping``: what a deployment clears away every night.

- expired sessions (Django keeps them in the database until told);
- running jobs whose worker has given no heartbeat for ``PATUH_JOB_STALE_MINUTES``: back in
  the queue, or failed after ``PATUH_JOB_MAX_ATTEMPTS`` lost workers (see
  :func:`patuh.reports.jobs.requeue_stale`);
- the files of jobs finished more than ``PATUH_JOB_OUTPUT_DAYS`` ago (rapor ZIPs, workbooks,
  a survey upload left behind); the job rows and their logs stay;
- django-axes login attempt and lockout records older than ``PATUH_AXES_KEEP_DAYS`` (never
  younger than a lockout lasts, so no lockout is lifted early);
- API tokens revoked or expired more than ``PATUH_API_TOKEN_KEEP_DAYS`` ago (see
  :func:`patuh.api.tokens.tokens_to_delete`).
- read notifications older than ``PATUH_NOTIFICATION_KEEP_DAYS``;
  unread ones stay, and so does an e-mail still waiting to be sent.
- complainants' names and contacts on complaints closed more than
  ``PATUH_COMPLAINT_RETENTION_DAYS`` ago (UU 27/2022; each erasure audited on its complaint,
  see :func:`patuh.complaints.services.erase_identities`).

One run is one audit event with the counts; a dry run changes nothing and records nothing.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import timedelta

from django.conf import settings
from django.contrib.sessions.models import Session
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from patuh.core.services import record_event


@dataclass(frozen=True)
class HousekeepingReport:
    dry_run: bool
    sessions: int
    jobs_requeued: int
    jobs_failed: int
    job_files: int
    login_records: int
    api_tokens: int
    notifications: int = 0
    complaint_identities: int = 0

    def as_dict(self) -> dict[str, int | bool]:
        return asdict(self)


def _axes_models() -> list:
    from axes.models import AccessAttempt, AccessFailureLog, AccessLog

    return [AccessAttempt, AccessFailureLog, AccessLog]


def axes_limit(now=None):
    """Records older than this go: ``PATUH_AXES_KEEP_DAYS``, but never less than a lockout."""
    now = now or timezone.now()
    keep = timedelta(days=settings.PATUH_AXES_KEEP_DAYS)
    cooloff = timedelta(hours=float(getattr(settings, "AXES_COOLOFF_TIME", 0) or 0))
    return now - max(keep, cooloff)


def run_housekeeping(
    *,
    dry_run: bool = False,
    stale_minutes: int | None = None,
    output_days: int | None = None,
    actor=None,
) -> HousekeepingReport:
    from patuh.reports.jobs import log, requeue_stale, stale_jobs
    from patuh.reports.models import ReportJob

    now = timezone.now()
    stale_minutes = settings.PATUH_JOB_STALE_MINUTES if stale_minutes is None else stale_minutes
    output_days = settings.PATUH_JOB_OUTPUT_DAYS if output_days is None else output_days

    expired = Session.objects.filter(expire_date__lt=now)
    sessions = expired.count() if dry_run else expired.delete()[0]

    if dry_run:
        stale = list(stale_jobs(stale_minutes))
        max_attempts = settings.PATUH_JOB_MAX_ATTEMPTS
        jobs_failed = sum(job.attempts >= max_attempts for job in stale)
        jobs_requeued = len(stale) - jobs_failed
    else:
        handled = requeue_stale(stale_minutes)
        jobs_failed = sum(job.status == "failed" for job in handled)
        jobs_requeued = len(handled) - jobs_failed

    old_jobs = ReportJob.objects.filter(finished_at__lt=now - timedelta(days=output_days)).exclude(
        Q(file="") & Q(source="")
    )
    job_files = 0
    for job in old_jobs:
        names = [field for field in (job.file, job.source) if field]
        job_files += len(names)
        if dry_run:
            continue
        for field in names:
            field.delete(save=False)
        job.save(update_fields=["file", "source"])
        log(job, _("Berkas dihapus: lebih dari %(days)s hari") % {"days": output_days})

    limit = axes_limit(now)
    login_records = 0
    for model in _axes_models():
        old = model.objects.filter(attempt_time__lt=limit)
        login_records += old.count() if dry_run else old.delete()[0]

    from patuh.api.tokens import tokens_to_delete

    old_tokens = tokens_to_delete(now)
    api_tokens = old_tokens.count() if dry_run else old_tokens.delete()[0]
    from patuh.notifications.services import delete_old_read

    notification_days = settings.PATUH_NOTIFICATION_KEEP_DAYS
    notifications = delete_old_read(notification_days, dry_run=dry_run, now=now)
    from patuh.complaints.services import erase_identities

    complaint_identities = erase_identities(actor=actor, dry_run=dry_run)

    report = HousekeepingReport(
        dry_run=dry_run,
        sessions=sessions,
        jobs_requeued=jobs_requeued,
        jobs_failed=jobs_failed,
        job_files=job_files,
        login_records=login_records,
        api_tokens=api_tokens,
        notifications=notifications,
        complaint_identities=complaint_identities,
    )
    if not dry_run:
        with transaction.atomic():
            counts = report.as_dict()
            counts.pop("dry_run")
            record_event(
                actor=actor,
                action="core.housekeeping",
                obj=None,
                new={
                    **counts,
                    "stale_minutes": stale_minutes,
                    "output_days": output_days,
                    "axes_keep_days": settings.PATUH_AXES_KEEP_DAYS,
                    "api_token_keep_days": settings.PATUH_API_TOKEN_KEEP_DAYS,
                    "notification_keep_days": notification_days,
                    "complaint_retention_days": settings.PATUH_COMPLAINT_RETENTION_DAYS,
                },
            )
    return report
