import time

from django.core.management.base import BaseCommand
from django.db import DatabaseError

from transcripts.alerts.sending import send_due_alerts


class Command(BaseCommand):
    help = ("Mail every due alert: new matching turns, never the same turn twice to one address. "
            "Safe to kill at any point and to run from cron; --forever keeps running.")

    def add_arguments(self, parser):
        parser.add_argument("--forever", action="store_true", help="keep running, one run every --interval seconds")
        parser.add_argument("--interval", type=float, default=60.0, help="seconds between runs with --forever")

    def handle(self, *args, forever=False, interval=60.0, **options):
        while True:
            try:
                report = send_due_alerts()
            except DatabaseError as exc:  # locked or unreachable: say so, try again next round
                self.stderr.write(f"send_alerts: the database is not available ({exc}); nothing was sent.")
                if not forever:
                    raise SystemExit(1) from None
            else:
                self._print(report, quiet_when_idle=forever)
            if not forever:
                return
            time.sleep(interval)

    def _print(self, report, *, quiet_when_idle: bool):
        if report.busy:
            self.stdout.write("send_alerts: another send_alerts is running; this run did nothing.")
            return
        if report.sent or report.resent or report.failed or not quiet_when_idle:
            self.stdout.write(f"send_alerts: {report.sent} sent, {report.resent} resent from an earlier run, "
                              f"{report.failed} not accepted by the mail server (retried next run), "
                              f"{report.seen} turns newly seen.")
        for line in report.skipped:
            self.stderr.write(f"send_alerts: skipped {line}")
