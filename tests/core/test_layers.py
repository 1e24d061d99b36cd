"""hub.layers: loaded lazily so that architecture tables stay torch-free, and the variant-builder helper."""

from __future__ import annotations

import functools
import subprocess
import sys

import pytest

from hub.layers import variant_builders


def test_helpers_and_the_package_import_no_torch() -> None:
    code = "import sys, hub.layers, hub.layers.helpers; print('torch' in sys.modules)"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "False"


def test_variant_builders_serve_one_builder_per_table_entry() -> None:
    table = {"small": 8, "large": 32}
    module_getattr = variant_builders(table, lambda width: functools.partial(dict, width=width))
    assert module_getattr("large")() == {"width": 32}
    assert module_getattr("small") is module_getattr("small")  # built once
    with pytest.raises(AttributeError, match="'medium'.*not in the family's variant table"):
        module_getattr("medium")
