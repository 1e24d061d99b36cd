"""hub-vit's registrations: torch-free manifest, every name registered and buildable, cfgs equal to timm's."""

from __future__ import annotations

import subprocess
import sys

import pytest
from support.timm_oracle import assert_cfgs_match

import hub
from hub._listing import get_model_entry

ARCHS = hub.list_models(plugin="hub-vit")

EXPECTED = {
    "vit_tiny_patch16_224",
    "vit_small_patch16_224",
    "vit_base_patch16_224",
    "vit_large_patch16_224",
    "vit_small_patch32_224",
    "vit_base_patch32_224",
    "vit_tiny_patch16_384",
    "vit_small_patch16_384",
    "vit_base_patch16_384",
    "vit_base_patch32_384",
    "vit_large_patch16_384",
    "deit_tiny_patch16_224",
    "deit_small_patch16_224",
    "deit_base_patch16_224",
    "deit_base_patch16_384",
    "deit_tiny_distilled_patch16_224",
    "deit_small_distilled_patch16_224",
    "deit_base_distilled_patch16_224",
    "deit3_small_patch16_224",
    "deit3_base_patch16_224",
    "deit3_large_patch16_224",
}


def test_registers_the_family() -> None:
    assert set(ARCHS) == EXPECTED
    assert next(p for p in hub.list_plugins() if p.name == "hub-vit").status == "loaded"


def test_manifest_imports_no_torch() -> None:
    code = (
        "import sys, hub, hub_vit\n"
        "import hub._plugins\n"
        "names = hub.list_models(plugin='hub-vit')\n"
        "assert len(names) == 21, names\n"
        "assert 'torch' not in sys.modules, 'the manifest imported torch'\n"
        "assert 'hub_vit.model' not in sys.modules\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


@pytest.mark.parametrize("arch", ARCHS)
def test_registration(arch: str) -> None:
    entry = get_model_entry(arch)
    assert entry.features == hub.FeatureCfg(feature_cls="getter", out_indices=3)  # timm's: the last three blocks
    assert callable(entry.load_builder())


@pytest.mark.parametrize("arch", ARCHS)
def test_cfgs_match_timm(arch: str) -> None:
    assert_cfgs_match(arch)
