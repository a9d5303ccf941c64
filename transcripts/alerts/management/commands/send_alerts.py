import logging
import time

from django.core.management.base import BaseCommand
from django.db import DatabaseError

from transcripts.alerts.sending import send_due_alerts

log = logging.getLogger(__name__)


class Command(BaseCommand):
    help = (
        "Mail every due alert: new matching turns, never the same turn twice to one address. "
        "Safe to kill at any point and to run from cron; --forever keeps running."
    )

    def add_arguments(self, parser):
        parser.add_argument("--forever", action="store_true", help="keep running, one run every --interval seconds")
        parser.add_argument("--interval", type=float, default=60.0, help="seconds between runs with --forever")

    def handle(self, *args, forever=False, interval=60.0, **options):
        while True:
            ok = self._run_once(quiet_when_idle=forever)
            if not forever:
                if not ok:
                    raise SystemExit(1)
                return
            time.sleep(interval)

    def _run_once(self, *, quiet_when_idle: bool) -> bool:
        try:
            report = send_due_alerts()
        except DatabaseError as exc:  # locked or unreachable: say so; the next run catches up
            self.stderr.write(f"send_alerts: the database is not available ({exc}); nothing was sent this run.")
            return False
        except Exception:  # a --forever loop must outlive one bad run
            log.exception("send_alerts run failed")
            self.stderr.write(
                "send_alerts: this run failed (details in the log); what it did is kept, and the next run carries on."
            )
            return False
        if report.busy:
            self.stdout.write("send_alerts: another send_alerts is running; this run did nothing.")
        elif report.sent or report.resent or report.unsent or not quiet_when_idle:
            self.stdout.write(
                f"send_alerts: {report.sent} sent, {report.resent} resent from an earlier run, "
                f"{report.unsent} waiting for the mail server (sent by a later run), "
                f"{report.seen} turn{'' if report.seen == 1 else 's'} newly seen."
            )
        for line in report.skipped:
            self.stderr.write(f"send_alerts: skipped {line}")
        return True
