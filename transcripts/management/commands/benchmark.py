import json
import os
import platform
import subprocess
import sys
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Measure ingest, rebuild, search (vs SQLite FTS5), pages and memory on a generated corpus."

    def add_arguments(self, parser):
        parser.add_argument("--turns", type=int, default=10_000)
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument("--repeat", type=int, default=30, help="timed runs per figure, after a warm-up")
        parser.add_argument("--out", type=Path, help="also write the results as JSON here")
        parser.add_argument("--workdir", type=Path, help="database and index for the corpus (default var/bench-TURNS-SEED)")
        parser.add_argument("--cpu", type=int, default=0, help="the core to pin the benchmark to (rebuild_index may use all)")
        parser.add_argument("--skip", default="", help="comma-separated parts to skip: ingest,rebuild,search,pages,memory")

    def handle(self, *args, **options):
        workdir = (options["workdir"] or settings.BASE_DIR / "var" / f"bench-{options['turns']}-{options['seed']}").resolve()
        if Path(settings.VAR_DIR).resolve() != workdir:
            # Re-run in a child whose settings point at the benchmark's own database and
            # index, with debug off (no query log growing in memory) and one core.
            workdir.mkdir(parents=True, exist_ok=True)
            env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "SEARCH_URL", "DJANGO_SETTINGS_MODULE"}}
            env.update(VERBATIM_VAR_DIR=str(workdir), DJANGO_DEBUG="0", SECURE_SSL_REDIRECT="0",
                       SECRET_KEY=env.get("SECRET_KEY", "benchmark-only-key-" + "x" * 40),
                       ALLOWED_HOSTS="127.0.0.1,localhost,testserver", DJANGO_SETTINGS_MODULE="archive.settings")
            argv = [sys.executable, "manage.py", "benchmark", *sys.argv[sys.argv.index("benchmark") + 1:]]
            if not options["workdir"]:
                argv += ["--workdir", str(workdir)]
            cmd = ["taskset", "-c", str(options["cpu"]), *argv] if _has_taskset() else argv
            raise SystemExit(subprocess.call(cmd, cwd=settings.BASE_DIR, env=env))
        self._run(options, workdir)

    def _run(self, options, workdir):
        from transcripts.benchmark import Benchmark, format_table

        skip = {s.strip() for s in options["skip"].split(",") if s.strip()}
        call_command("migrate", verbosity=0)
        call_command("collectstatic", interactive=False, verbosity=0)
        bench = Benchmark(options["turns"], options["seed"], options["repeat"], log=lambda m: self.stderr.write(m))
        bench.ensure_corpus()
        steps = [("ingest", bench.ingest_sample), ("rebuild", bench.rebuild), ("search", bench.search),
                 ("pages", bench.pages), ("memory", lambda: bench.memory(workdir)), ("alignment", bench.alignment)]
        for name, step in steps:
            if name not in skip:
                self.stderr.write(f"measuring {name}…")
                step()
        self.stdout.write(f"\nVerbatim benchmark: {options['turns']} turns, seed {options['seed']}, "
                          f"{options['repeat']} runs per figure, {platform.python_implementation()} {platform.python_version()}\n")
        self.stdout.write(format_table(bench.rows) + "\n")
        if options["out"]:
            options["out"].write_text(json.dumps({"turns": options["turns"], "seed": options["seed"],
                                                  "rows": [r.as_dict() for r in bench.rows]}, indent=2) + "\n")


def _has_taskset() -> bool:
    from shutil import which

    return which("taskset") is not None
