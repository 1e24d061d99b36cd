"""hub-convnext through the plugin conformance kit, exactly as a third-party plugin would run it.

Every architecture runs the kit's fact checks, a sample of them every check (see
`support.registry.kit_cases`).
"""

import pytest
from support.registry import kit_cases

from hub.testing import check_manifest_is_torch_free, run_check

# Where a fact the cfgs copy from timm contradicts the model, the kit must say so (strict xfail:
# a fact timm corrects shows up here). The cfgs keep timm's facts (see test_convnext_parity.py).
TIMM_FACTS = {
    ("convnextv2_huge", "default_cfg"): (
        "timm's cfg of tag fcmae_ft_in22k_in1k_512 gives pool_size (15, 15) for 512 px, where the maps are 16 x 16"
    ),
}


@pytest.mark.parametrize(("model_name", "check"), kit_cases("hub-convnext", TIMM_FACTS))
def test_conformance(model_name: str, check: str) -> None:
    run_check(model_name, check)


def test_manifest_is_torch_free() -> None:
    check_manifest_is_torch_free("hub-convnext")
