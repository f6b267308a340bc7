"""The served process settles once loaded (`config.process`): the views are imported and
everything loaded so far sits in the garbage collector's permanent generation, so that a
full collection during a request does not walk it."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

PROBE = """
import gc, sys
import {module} as served
assert callable(served.application)
print(gc.get_freeze_count(), "casereview.dashboards.sets_views" in sys.modules)
"""


@pytest.mark.parametrize("module", ["config.wsgi", "config.asgi"])
def test_the_served_application_is_loaded_and_frozen_before_its_first_request(module):
    environment = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings"}
    result = subprocess.run(  # noqa: S603 - this interpreter, a fixed probe
        [sys.executable, "-c", PROBE.format(module=module)],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    frozen, views_loaded = result.stdout.split()
    # Django and the apps alone are tens of thousands of objects.
    assert int(frozen) > 10_000
    assert views_loaded == "True"
