"""name_key now folds through transcripts.normalise.fold, which also straightens curly
apostrophes and quotes ("O’Brien" == "O'Brien") and spells letters that only appear after
decomposition (ǿ, ǽ) in ASCII: recompute the stored keys so people already in the archive
are found under the new key. The recomputation is 0004's, run again (it compares the
stored key with the current name_key and updates only those that differ)."""

import importlib

from django.db import migrations

refold_name_keys = importlib.import_module("transcripts.migrations.0004_staff_roles").refold_name_keys


class Migration(migrations.Migration):
    dependencies = [
        ("transcripts", "0006_merge_media"),
    ]

    operations = [
        migrations.RunPython(refold_name_keys, migrations.RunPython.noop),
    ]
