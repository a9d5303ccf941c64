"""Mutation testing of the modules behind the archive's promises, one module at a time.

`make mutation` runs every module in TARGETS; `make mutation MODULES=transcripts/normalise.py`
runs the ones named. For each module, mutmut (pinned in requirements-dev.txt) changes one
thing at a time (a comparison, a number, a string, an `and`) and runs only that module's
test files (TARGETS below) against each change; a change no test notices is a "survivor":
a decision nothing pins. The score printed is killed / all mutants. docs/testing.md lists the
survivors the team judged equivalent (no input can tell them apart) and why.

Each module runs in its own scratch directory, var/mutation/<module>/, holding links to the
project and the mutmut settings for that module, so runs never share half-valid caches and
the project tree stays clean. Mutation is CPU-heavy: JOBS (default 1) sets the workers.
"""

from __future__ import annotations

import argparse
import ast
import difflib
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MUTMUT = Path(sys.executable).with_name("mutmut")
SCRATCH = ROOT / "var" / "mutation"
# What the tests need beside the code: settings, templates, static files, pytest's settings.
PROJECT = ["archive", "templates", "static", "manage.py", "pytest.ini"]

# Each module and the test files that exercise it (and nothing slower): the label grammar and
# label shapes, quote location, name folding and normalising, search syntax, the writes.
TARGETS = {
    "transcripts/reader/quotes.py": ["tests/reader/test_quotes.py"],
    "transcripts/normalise.py": ["tests/operations/test_normalise.py"],
    "transcripts/search/syntax.py": ["tests/search/test_search_syntax.py"],
    "transcripts/parsing/grammar.py": [
        "tests/parsing/test_grammar_decisions.py",
        "tests/parsing/test_parser_labels.py",
    ],
    "transcripts/parsing/labels.py": ["tests/parsing/test_parser_labels.py", "tests/parsing/test_grammar_decisions.py"],
    "transcripts/parsing/names.py": ["tests/parsing/test_names.py"],
    "transcripts/operations/edits.py": ["tests/operations/test_actions.py", "tests/operations/test_edits.py"],
    "transcripts/operations/people.py": [
        "tests/operations/test_actions.py",
        "tests/operations/test_operations_people.py",
        "tests/operations/test_operations_effects.py",
    ],
    "transcripts/operations/imports.py": ["tests/operations/test_importer.py"],
    "transcripts/operations/uploads.py": [
        "tests/operations/test_actions.py",
        "tests/operations/test_uploads.py",
        "tests/operations/test_plan.py",
    ],
    "transcripts/turn_rows.py": [
        "tests/operations/test_turn_rows.py",
        "tests/operations/test_importer.py",
        "tests/operations/test_actions.py",
    ],
    "transcripts/plan.py": ["tests/operations/test_plan.py"],
}

# The change was noticed: the tests failed (1), pytest broke (3), or the tests never finished
# and hit the CPU limit (a loop that no longer ends: the timeouts below).
KILLED = {1, 3, 24, -24, 152, 36, 255}
STATUS = {0: "survived", 33: "no tests", 34: "skipped", None: "not run"}


def prepare(module: str) -> Path:
    """A fresh scratch directory for `module`: links to the project and mutmut's settings."""
    work = scratch(module)
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    for name in ["transcripts", "tests", *PROJECT]:
        (work / name).symlink_to(ROOT / name)
    write_settings(work, module)
    return work


def write_settings(work: Path, module: str) -> None:
    """mutmut's settings for `module`, its test files from TARGETS as they are now (a survivors
    rerun writes them too, so a test file mapped since the whole run is run)."""
    settings = {
        "source_paths": ["transcripts"],
        "only_mutate": [module],
        "also_copy": PROJECT,
        "pytest_add_cli_args_test_selection": TARGETS[module],
        # --nomigrations: each mutant's run builds the test database from the models, not by
        # replaying every migration (seconds per mutant; the migrations have their own tests).
        "pytest_add_cli_args": ["-p", "no:cacheprovider", "-W", "ignore", "--nomigrations"],
        "use_git_change_detection": False,
        # A mutant that loops forever is stopped after a few times its tests' usual CPU time
        # (mutmut's default, 15 times, holds a shared machine for many minutes per such mutant).
        "timeout_multiplier": 3.0,
        # Each mutant's pytest run also sets up Django and the test database (seconds on a
        # loaded machine) that mutmut's per-test estimate leaves out; without this margin every
        # mutant of a database-backed module hit the wall-clock limit and counted as killed.
        "timeout_constant": 20.0,
    }
    lines = ["[tool.mutmut]"] + [f"{key} = {json.dumps(value)}" for key, value in settings.items()]
    (work / "pyproject.toml").write_text("\n".join(lines) + "\n")


def results(work: Path, module: str) -> dict[str, int | None]:
    """Each mutant's name and the exit code its tests gave (None: not run)."""
    meta = json.loads((work / "mutants" / (module + ".meta")).read_text())
    return meta["exit_code_by_key"]


def scratch(module: str) -> Path:
    return SCRATCH / module.replace("/", ".").removesuffix(".py")


def run(module: str, jobs: int, survivors_only: bool = False) -> tuple[int, int, list[str]]:
    """Mutate `module` and run its tests against each mutant; with `survivors_only`, only the
    last run's survivors, against the tests as they are now (after adding the tests that pin them)."""
    work = scratch(module)
    env = {**os.environ, "DJANGO_DEBUG": "1", "HYPOTHESIS_PROFILE": "mutation"}
    command = [str(MUTMUT), "run", "--max-children", str(jobs)]
    meta = work / "mutants" / (module + ".meta")
    # Survivors are named by their place in the module: once the module changes, run it whole.
    if survivors_only and meta.exists() and (ROOT / module).stat().st_mtime < meta.stat().st_mtime:
        command += [name for name, code in results(work, module).items() if code not in KILLED]
        write_settings(work, module)
    else:
        prepare(module)
    done = subprocess.run(command, cwd=work, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    if not (work / "mutants" / (module + ".meta")).exists():
        sys.stdout.write(done.stdout[-4000:])
        raise SystemExit(f"mutation: mutmut did not run on {module} (exit {done.returncode}); its output is above.")
    codes = results(work, module)
    survivors = sorted(name for name, code in codes.items() if code not in KILLED)
    changes = mutant_diffs(work, module)
    for name in survivors:
        print(f"--- {STATUS.get(codes[name], f'exit {codes[name]}')}: {name}\n{changes.get(name, '(no diff found)')}\n")
    return len(codes) - len(survivors), len(codes), survivors


def mutant_diffs(work: Path, module: str) -> dict[str, str]:
    """Each mutant's change as a diff against the original function, from one reading of the
    mutated module (`mutmut show` reparses it for every mutant: minutes for a long list)."""
    source = (work / "mutants" / module).read_text()
    text = source.splitlines()  # once: ast.get_source_segment splits the whole file on every call
    functions = {
        node.name: text[node.lineno - 1 : node.end_lineno]
        for node in ast.walk(ast.parse(source))
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and "__mutmut_" in node.name
    }
    prefix = module.removesuffix(".py").replace("/", ".") + "."
    diffs = {}
    for name, lines in functions.items():
        original = functions.get(name.rsplit("__mutmut_", 1)[0] + "__mutmut_orig")
        if original is None or name.endswith("__mutmut_orig"):
            continue
        changed = [line.replace(name, "") for line in lines]
        before = [line.replace(name.rsplit("__mutmut_", 1)[0] + "__mutmut_orig", "") for line in original]
        diffs[prefix + name] = "\n".join(difflib.unified_diff(before, changed, module, module, n=1, lineterm=""))
    return diffs


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("modules", nargs="*", help="modules to mutate (default: every module in TARGETS)")
    parser.add_argument("--jobs", type=int, default=1, help="tests running at once (default 1: the machine is shared)")
    parser.add_argument("--survivors", action="store_true", help="rerun only the last run's survivors")
    args = parser.parse_args()
    modules = args.modules or list(TARGETS)
    unknown = [m for m in modules if m not in TARGETS]
    if unknown:
        raise SystemExit(f"mutation: no tests are mapped for {', '.join(unknown)}; add it to TARGETS in {__file__}.")
    scores = []
    for module in modules:
        killed, total, _ = run(module, args.jobs, args.survivors)
        scores.append((module, killed, total))
        print(f"{module}: {killed}/{total} mutants killed ({100 * killed / max(total, 1):.0f}%)", flush=True)
    print("\nMutation scores (killed / mutants):")
    for module, killed, total in scores:
        print(f"  {module:40} {killed:4}/{total:<4} {100 * killed / max(total, 1):5.1f}%")


if __name__ == "__main__":
    main()
