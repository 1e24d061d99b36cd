"""hub-vit's registrations: torch-free manifest, every timm architecture of the family registered and
buildable, cfgs (every tag, in timm's order) equal to timm's."""

from __future__ import annotations

import subprocess
import sys

import pytest
from support.timm_oracle import assert_cfgs_match, timm

import hub
from hub._listing import get_model_entry
from hub_vit._variants import VARIANTS

ARCHS = hub.list_models(plugin="hub-vit")
# The family is every architecture timm registers in these modules.
TIMM_MODULES = ("vision_transformer", "deit")


def test_registers_every_architecture_of_timms_modules() -> None:
    expected = {name for module in TIMM_MODULES for name in timm.list_models(module=module)}
    assert set(ARCHS) == expected
    assert len(ARCHS) == 179
    assert next(p for p in hub.list_plugins() if p.name == "hub-vit").status == "loaded"


def test_manifest_imports_no_torch() -> None:
    code = (
        "import sys, hub, hub_vit\n"
        "import hub._plugins\n"
        "names = hub.list_models(plugin='hub-vit')\n"
        "assert len(names) == 179, names\n"
        "assert 'torch' not in sys.modules, 'the manifest imported torch'\n"
        "assert 'hub_vit.model' not in sys.modules\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


@pytest.mark.parametrize("arch", ARCHS)
def test_registration(arch: str) -> None:
    entry = get_model_entry(arch)
    assert entry.features == hub.FeatureCfg(feature_cls="getter", out_indices=3)  # timm's: the last three blocks
    assert callable(entry.load_builder())
    # the table's input size is the default weights' (the builder's default when no cfg is given)
    assert VARIANTS[arch].img_size == entry.pretrained_cfg().input_size[-1]


@pytest.mark.parametrize("arch", ARCHS)
def test_cfgs_match_timm(arch: str) -> None:
    assert_cfgs_match(arch)
