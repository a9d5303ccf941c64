from django.apps import AppConfig


class DevtoolsConfig(AppConfig):
    """Benchmark, load test and the synthetic corpus with their commands. Installed only when
    debugging or with VERBATIM_DEVTOOLS=1 (and in the test settings), never shipped on."""

    name = "transcripts.devtools"
    label = "devtools"
    verbose_name = "Developer tools"
