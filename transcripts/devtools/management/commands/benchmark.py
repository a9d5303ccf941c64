import json
import os
import platform
import subprocess
import sys
import tempfile
from pathlib import Path
from urllib.parse import urlparse

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

STEPS = "ingest,rebuild,search,pages,memory,extra,parse,alignment"


class Command(BaseCommand):
    help = "Measure ingest, rebuild, search (vs SQLite FTS5), pages and memory on a generated corpus."

    def add_arguments(self, parser):
        parser.add_argument("--turns", type=int, default=10_000)
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument("--repeat", type=int, default=30, help="timed runs per figure, after a warm-up")
        parser.add_argument("--out", type=Path, help="also write the results as JSON here")
        parser.add_argument(
            "--workdir", type=Path, help="database and index for the corpus (default var/bench-TURNS-SEED)"
        )
        parser.add_argument(
            "--cpu", type=int, default=0, help="the core to pin the benchmark to (rebuild_index may use all)"
        )
        parser.add_argument("--skip", default="", help=f"comma-separated parts to skip: {STEPS}")
        parser.add_argument(
            "--bulk",
            action="store_true",
            help="make the corpus as generate_corpus --bulk does (rows written directly, then rebuild_index)",
        )
        parser.add_argument(
            "--ingest-turns",
            type=int,
            default=3000,
            help="turns imported on top of the corpus to measure store and index rates",
        )
        parser.add_argument(
            "--engine",
            choices=["whoosh", "opensearch"],
            default="whoosh",
            help="the search engine measured; opensearch uses the cluster at --opensearch "
            "(make search-cluster starts one), in an index named after the corpus",
        )
        parser.add_argument(
            "--opensearch",
            default=os.environ.get("VERBATIM_BENCH_OPENSEARCH", "http://127.0.0.1:9200"),
            help="the OpenSearch cluster for --engine opensearch (default http://127.0.0.1:9200)",
        )
        parser.add_argument(
            "--growth",
            default="",
            help="comma-separated corpus sizes, e.g. 10000,30000,100000: run at each and print "
            "the growth exponent k (time ∝ turns^k) per measure",
        )

    def handle(self, *args, **options):
        unknown = {s.strip() for s in options["skip"].split(",") if s.strip()} - set(STEPS.split(","))
        if unknown:
            raise CommandError(f"--skip: unknown part(s) {', '.join(sorted(unknown))}; the parts are {STEPS}.")
        if options["growth"]:
            self._growth(options)
            return
        default = settings.BASE_DIR / "var" / f"bench-{options['turns']}-{options['seed']}"
        workdir = (options["workdir"] or default).resolve()
        if Path(settings.VAR_DIR).resolve() != workdir:
            # Re-run in a child whose settings point at the benchmark's own database and
            # index, with debug off (no query log growing in memory) and one core.
            workdir.mkdir(parents=True, exist_ok=True)
            env = {
                k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "SEARCH_URL", "DJANGO_SETTINGS_MODULE"}
            }
            env.update(
                VERBATIM_VAR_DIR=str(workdir),
                DJANGO_DEBUG="0",
                # Debug off would uninstall the developer tools, this command among them.
                VERBATIM_DEVTOOLS="1",
                SECURE_SSL_REDIRECT="0",
                SECRET_KEY=env.get("SECRET_KEY", "benchmark-only-key-" + "x" * 40),
                ALLOWED_HOSTS="127.0.0.1,localhost,testserver",
                DJANGO_SETTINGS_MODULE="archive.settings",
            )
            if options["engine"] == "opensearch":  # the same corpus, indexed in the cluster
                host = urlparse(options["opensearch"]).netloc or options["opensearch"]
                env["SEARCH_URL"] = f"opensearch://{host}/bench-{options['turns']}-{options['seed']}?timeout=60"
            argv = [sys.executable, "manage.py", "benchmark", *sys.argv[sys.argv.index("benchmark") + 1 :]]
            if not options["workdir"]:
                argv += ["--workdir", str(workdir)]
            cmd = ["taskset", "-c", str(options["cpu"]), *argv] if _has_taskset() else argv
            raise SystemExit(subprocess.call(cmd, cwd=settings.BASE_DIR, env=env))
        self._run(options, workdir)

    def _growth(self, options):
        """One child benchmark per size (each with its own corpus), then the growth table."""
        from transcripts.devtools.benchmark import format_growth, format_table

        try:
            sizes = sorted({int(size.replace("_", "")) for size in options["growth"].split(",") if size.strip()})
        except ValueError:
            raise CommandError(
                f"--growth takes corpus sizes separated by commas, e.g. 10000,30000,100000; got {options['growth']!r}."
            ) from None
        if len(sizes) < 2 or sizes[0] <= 0:
            raise CommandError("--growth needs at least two positive corpus sizes, e.g. 10000,30000,100000.")
        passed = _without_options(
            sys.argv[sys.argv.index("benchmark") + 1 :], {"--growth", "--turns", "--out", "--workdir"}
        )
        runs = []
        with tempfile.TemporaryDirectory() as scratch:
            for size in sizes:
                out = Path(scratch) / f"{size}.json"
                argv = [sys.executable, "manage.py", "benchmark", *passed, "--turns", str(size), "--out", str(out)]
                if options["workdir"]:
                    argv += ["--workdir", str(options["workdir"] / f"bench-{size}-{options['seed']}")]
                self.stderr.write(f"growth: measuring at {size:,} turns…")
                if subprocess.call(argv, cwd=settings.BASE_DIR) != 0:
                    raise CommandError(f"the benchmark at {size:,} turns failed (its output is above).")
                runs.append(json.loads(out.read_text()))
        from transcripts.devtools.benchmark import Row

        self.stdout.write(
            "\nGrowth: cold median where measured cold, else median; k from a least-squares fit "
            "of log(time) on log(turns) (for turns/s, of the time per turn)\n"
        )
        self.stdout.write(format_growth(runs) + "\n")
        for run in runs:
            rows = [
                Row(**{k: row[k] for k in ("name", "unit", "samples", "target", "reference", "extra", "cold")})
                for row in run["rows"]
            ]
            self.stdout.write(f"\nAt {run['turns']:,} turns:\n" + format_table(rows) + "\n")
        if options["out"]:
            options["out"].write_text(json.dumps({"growth": runs}, indent=2) + "\n")

    def _run(self, options, workdir):
        from transcripts.devtools.benchmark import Benchmark, format_table

        skip = {s.strip() for s in options["skip"].split(",") if s.strip()}
        call_command("migrate", verbosity=0)
        call_command("collectstatic", interactive=False, verbosity=0)
        bench = Benchmark(
            options["turns"],
            options["seed"],
            options["repeat"],
            log=lambda m: self.stderr.write(m),
            bulk=options["bulk"],
        )
        bench.ensure_corpus()
        steps = [
            ("ingest", bench.ingest_sample),
            ("ingest", lambda: bench.ingest_batch(options["ingest_turns"])),
            ("rebuild", bench.rebuild),
            ("search", bench.search),
            ("pages", bench.pages),
            ("memory", lambda: bench.memory(workdir)),
            ("extra", bench.extra_rows),
            ("parse", bench.parse_corpus),
            ("alignment", bench.alignment),
        ]
        for name, step in steps:
            if name not in skip:
                self.stderr.write(f"measuring {name}…")
                step()
        python = f"{platform.python_implementation()} {platform.python_version()}"
        self.stdout.write(
            f"\nVerbatim benchmark ({options['engine']}): {options['turns']} turns, seed {options['seed']}, "
            f"{options['repeat']} runs per figure, {python}\n"
        )
        self.stdout.write(format_table(bench.rows) + "\n")
        if options["out"]:
            options["out"].write_text(
                json.dumps(
                    {"turns": options["turns"], "seed": options["seed"], "rows": [r.as_dict() for r in bench.rows]},
                    indent=2,
                )
                + "\n"
            )


def _without_options(argv: list[str], names: set[str]) -> list[str]:
    """argv without the named options and their values (`--name value` or `--name=value`)."""
    kept, skip_next = [], False
    for arg in argv:
        if skip_next:
            skip_next = False
        elif arg in names:
            skip_next = True
        elif arg.split("=", 1)[0] not in names:
            kept.append(arg)
    return kept


def _has_taskset() -> bool:
    from shutil import which

    return which("taskset") is not None
