"""The apps by concern (docs/architecture.md): the data's way runs one direction, views reach
search only through transcripts.search.api, the search app's commands are the ones that run,
and developer tools are not installed on a server."""

import ast
import datetime
import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command, get_commands
from search_helpers import make_event, search_index  # noqa: F401

from transcripts.search.api import find_turns
from transcripts.search.models import IndexTask

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "transcripts"
# Sub-packages that are apps of their own; everything else under transcripts/ is the domain.
APPS = ("search", "reader", "staff", "devtools", "alerts")


def imported_modules(path: Path) -> set[str]:
    """Every transcripts.* module a file imports, at the top or inside a function."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
            found.update(f"{node.module}.{alias.name}" for alias in node.names)
        elif isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
    return {name for name in found if name.startswith("transcripts.")}


def app_of(path: Path) -> str:
    parts = path.relative_to(PACKAGE).parts
    return parts[0] if len(parts) > 1 and parts[0] in APPS else "domain"


def sources(*apps):
    for path in sorted(PACKAGE.rglob("*.py")):
        if app_of(path) in apps and "migrations" not in path.parts:
            yield path


def test_the_domain_imports_no_reader_staff_or_developer_code():
    wrong = {
        f"{path.relative_to(ROOT)}: {name}"
        for path in sources("domain")
        for name in imported_modules(path)
        if name.split(".")[1] in ("reader", "staff", "devtools", "alerts")
    }
    assert not wrong


def test_the_domain_uses_search_only_to_queue_work():
    # The importer and actions queue index work in their transaction, and that is all.
    allowed = {"transcripts.search.queue"}
    used = {
        f"{path.relative_to(ROOT)}: {module}"
        for path in sources("domain")
        for module in imported_modules(path)
        if module.startswith("transcripts.search.") and module.count(".") == 2 and module not in allowed
    }
    assert not used


def test_search_imports_nothing_from_readers_staff_or_alerts():
    wrong = {
        f"{path.relative_to(ROOT)}: {name}"
        for path in sources("search")
        for name in imported_modules(path)
        if name.split(".")[1] in ("reader", "staff", "devtools", "alerts")
    }
    assert not wrong


def test_views_and_alerts_reach_search_only_through_its_api():
    outside = list(sources("reader", "staff", "alerts"))
    assert any(p.name == "search.py" and "views" in p.parts for p in outside)
    allowed = {"transcripts.search.api"}
    bypass = {
        f"{path.relative_to(ROOT)}: {module}"
        for path in outside
        for module in imported_modules(path)
        if module.startswith("transcripts.search.") and module.count(".") == 2 and module not in allowed
    }
    assert not bypass


def test_nothing_in_search_imports_its_api_back():
    # api -> engine -> results: a module behind the API importing it would make a cycle.
    back = {
        path.name
        for path in sources("search")
        if path.name != "api.py" and "transcripts.search.api" in imported_modules(path)
    }
    assert not back


def test_the_search_app_owns_the_index_commands_and_the_queue_table():
    commands = get_commands()
    for name in ("rebuild_index", "update_index", "clear_index", "process_index_queue"):
        assert commands[name] == "transcripts.search", name
    assert commands["benchmark"] == commands["loadtest"] == commands["generate_corpus"] == "transcripts.devtools"
    assert IndexTask._meta.app_label == "search" and IndexTask._meta.db_table == "transcripts_indextask"


@pytest.mark.django_db(transaction=True)
def test_clear_index_is_refused_and_the_index_keeps_answering(search_index):  # noqa: F811
    make_event("Wobbegong Panel", date=datetime.date(2024, 3, 1), turns=[("Ann Lee", "panelist", "Wobbegongs ahoy.")])
    call_command("process_index_queue")
    with pytest.raises(CommandError, match="rebuild_index --noinput"):
        call_command("clear_index", "--noinput")
    assert [hit.speaker_name for hit in find_turns("wobbegongs")] == ["Ann Lee"]


def _commands_listed(tmp_path, **env_overrides) -> str:
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_") and k != "VERBATIM_DEVTOOLS"}
    env.update(VERBATIM_VAR_DIR=str(tmp_path), SECRET_KEY=secrets.token_urlsafe(50), **env_overrides)
    done = subprocess.run(
        [sys.executable, "manage.py", "help", "--commands"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout.split()


def test_developer_tools_are_not_installed_on_a_server(tmp_path):
    served = _commands_listed(tmp_path)
    assert "rebuild_index" in served and "import_transcripts" in served
    assert "benchmark" not in served and "loadtest" not in served and "generate_corpus" not in served
    assert "benchmark" in _commands_listed(tmp_path, VERBATIM_DEVTOOLS="1")


# --- writes: one home, side effects said out loud ------------------------------------------

DOMAIN_MODELS = {
    "Appearance",
    "Event",
    "EventRevision",
    "PendingUpload",
    "Person",
    "PersonRedirect",
    "Topic",
    "Turn",
    "TurnRevision",
}
# The names an instance of a domain model goes by in this code base.
DOMAIN_INSTANCES = {
    "appearance",
    "event",
    "turn",
    "person",
    "topic",
    "pending",
    "revision",
    "keep",
    "duplicate",
    "locked",
}
WRITES = {"save", "delete", "update", "bulk_create", "bulk_update", "create", "get_or_create", "update_or_create"}
RELATION_WRITES = {"set", "add", "remove", "clear"}
# Writes to domain rows that stay outside transcripts/operations/, each with its reason.
WRITES_ALLOWED = {
    # Keeps the parser's result on the staged upload row (a cache: nothing of the archive,
    # nothing indexed or counted), so the review pages do not parse again.
    ("transcripts/plan.py", "pending.save"),
    # Fills TurnRevision rows from stored versions; the migration that added the table runs
    # it with its historical model, so it stays beside the rows' readers (the archive
    # restore, an operation, calls it inside its transaction).
    ("transcripts/revisions.py", "turn_revision_model.objects.bulk_create"),
}


def _receiver(node: ast.AST) -> tuple[str, str]:
    """(the name a call chain starts from, the chain as text), e.g. ("Turn", "Turn.objects.filter.update")."""
    parts = []
    while True:
        if isinstance(node, ast.Call):
            node = node.func
        elif isinstance(node, ast.Attribute):
            parts.append(node.attr)
            node = node.value
        elif isinstance(node, ast.Subscript):
            node = node.value
        else:
            break
    root = node.id if isinstance(node, ast.Name) else ""
    return root, ".".join([root, *reversed(parts)])


def domain_writes(path: Path) -> set[str]:
    """The calls in a file that write domain rows: a manager or queryset write on a domain
    model, a save or delete on an instance, a change to an instance's relations."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)):
            continue
        method = node.func.attr
        root, chain = _receiver(node.func)
        through_model = root in DOMAIN_MODELS and method in WRITES
        on_instance = root in DOMAIN_INSTANCES and (
            method in WRITES or method in RELATION_WRITES and chain.count(".") > 1
        )
        if through_model or on_instance or chain == "turn_revision_model.objects.bulk_create":
            found.add(chain)
    return found


def test_domain_rows_are_written_only_by_operations():
    outside = {
        (str(path.relative_to(ROOT)), chain)
        for path in PACKAGE.rglob("*.py")
        if not {"migrations", "operations", "devtools"} & set(path.relative_to(PACKAGE).parts)
        for chain in domain_writes(path)
    }
    assert outside - WRITES_ALLOWED == set()
    assert outside >= WRITES_ALLOWED  # an allowance nothing needs any more goes


def test_the_write_finder_finds_writes():
    source = (
        "Turn.objects.filter(pk=1).update(text='x')\nevent.save()\nevent.topics.set([])\n"
        "Event.objects.create(title='t')\ncache.set('k', 1)\nwords.add('w')\n"
    )
    path = ROOT / "var" / "write_finder_sample.py"
    path.parent.mkdir(exist_ok=True)
    path.write_text(source, encoding="utf-8")
    try:
        assert domain_writes(path) == {
            "Turn.objects.filter.update",
            "event.save",
            "event.topics.set",
            "Event.objects.create",
        }
    finally:
        path.unlink()


def test_no_signal_receiver_is_connected_for_domain_models():
    from django.apps import apps
    from django.db.models import signals

    models = list(apps.get_app_config("transcripts").get_models(include_auto_created=True))
    assert {model.__name__ for model in models} >= DOMAIN_MODELS
    connected = {
        f"{name} {model.__name__}"
        for name in ("pre_save", "post_save", "pre_delete", "post_delete", "m2m_changed")
        for model in models
        if getattr(signals, name).has_listeners(sender=model)
    }
    assert connected == set()


def domain_import_graph() -> dict[str, set[str]]:
    """Each domain module (migrations aside) and the domain modules it imports."""
    modules = {}
    for path in sources("domain"):
        parts = list(path.relative_to(ROOT).with_suffix("").parts)
        modules[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = path
    return {name: (imported_modules(path) & modules.keys()) - {name} for name, path in modules.items()}


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The circles in an import graph (modules reachable from themselves), each once."""
    found, done = [], set()

    def visit(module, path):
        if module in path:
            circle = path[path.index(module) :]
            if not any(set(circle) == set(seen) for seen in found):
                found.append(circle)
            return
        if module in done:
            return
        for imported in sorted(graph[module]):
            visit(imported, [*path, module])
        done.add(module)

    for module in sorted(graph):
        visit(module, [])
    return found


def test_the_domains_imports_have_no_circle():
    graph = domain_import_graph()
    assert "transcripts.operations.imports" in graph and "transcripts.models" in graph
    assert not graph["transcripts.models"] & {"transcripts.validation", "transcripts.snapshots"}
    assert cycles(graph) == []


def test_the_circle_finder_finds_circles():
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert cycles({"a": {"b"}, "b": set()}) == []


def test_no_staff_function_is_over_sixty_lines():
    """A view that runs past a screen does several steps at once: split it by step."""
    longest = 60
    long = {
        f"{path.relative_to(ROOT)}: {node.name} ({node.end_lineno - node.lineno + 1} lines)"
        for path in sources("staff")
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and node.end_lineno - node.lineno + 1 > longest
    }
    assert long == set()


def test_nothing_below_the_operations_imports_them():
    """Models, validation, snapshots, the plan and the rest are used by the operations, never
    the other way: only entry points (commands, the reports app's accept) call operations."""
    entry_points = {"management", "reports"}
    upward = {
        f"{path.relative_to(ROOT)}: {module}"
        for path in sources("domain")
        if not {"operations", *entry_points} & set(path.relative_to(PACKAGE).parts)
        for module in imported_modules(path)
        if module.startswith("transcripts.operations")
    }
    assert upward == set()


# The suite mirrors the code: the tests for a module are found in the folder of its part.
TEST_FOLDERS = {
    "parsing": "transcripts/parsing/",
    "operations": "the writes and the domain they keep (transcripts/operations/ and its helpers)",
    "search": "transcripts/search/",
    "reader": "transcripts/reader/",
    "staff": "transcripts/staff/",
    "alerts": "transcripts/alerts/",
    "media": "transcripts/media/",
    "reports": "transcripts/reports/",
    "browser": "every page in a real browser",
    "project": "the project as a whole: layout, settings, commands, demo, benchmark",
}


def test_every_test_file_lives_in_the_folder_of_the_part_it_tests():
    tests = ROOT / "tests"
    stray = sorted(p.name for p in tests.glob("test_*.py"))
    folders = {p.parent.name for p in tests.rglob("test_*.py")}
    assert not stray, f"test files outside a folder: {stray}"
    assert folders <= set(TEST_FOLDERS), f"unknown test folders: {folders - set(TEST_FOLDERS)}"
    names = [p.name for p in tests.rglob("test_*.py")]
    assert len(names) == len(set(names)), "two test files share a name"
