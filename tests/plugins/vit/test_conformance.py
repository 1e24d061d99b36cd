"""hub-vit through the plugin conformance kit, exactly as a third-party plugin would run it.

Every architecture runs the kit's fact checks, a sample of them every check (see
`support.registry.kit_cases`). The kit builds every model at 64 px; the wide architectures
are built with the fewer blocks the parity tests use (``conftest.SmallBuild``), the 1B+
parameter ones among them.
InternViT-300M takes any input size but no 64 px one at patch 14 without padding, so the
kit builds it with ``dynamic_img_pad=True``.
"""

from collections.abc import Callable
from typing import Any

import pytest
from support.registry import kit_cases

import hub
from hub.errors import NoPretrainedWeightsError
from hub.testing import ConformanceError, check_manifest_is_torch_free, run_check
from hub_vit._variants import VARIANTS

# Tags timm lists without a weight source (their weights are not published). hub keeps timm's
# facts, so the kit's pretrained_cfgs check, which wants a source for every tag but
# "untrained", flags exactly these.
UNPUBLISHED = {
    "vit_base_patch32_clip_224": "openai_ft_in12k_in1k",
    "vit_huge_patch14_clip_336": "laion2b_ft_in1k",
    "test_vit4": "r160_in1k",
}


def kit_kwargs(model_name: str, small_build: Callable[[str], Any]) -> dict[str, Any]:
    build = small_build(model_name)
    kwargs: dict[str, Any] = {"depth": build.depth} if build.reduced else {}
    variant = VARIANTS[model_name]
    if variant.dynamic_img_size and 64 % variant.patch_size:
        kwargs["dynamic_img_pad"] = True
    return kwargs


@pytest.mark.parametrize(("model_name", "check"), kit_cases("hub-vit", limit=None))
def test_conformance(model_name: str, check: str, small_build: Callable[[str], Any]) -> None:
    kwargs = kit_kwargs(model_name, small_build)
    if check == "pretrained_cfgs" and model_name in UNPUBLISHED:
        with pytest.raises(ConformanceError, match=f"tag '{UNPUBLISHED[model_name]}': a weight source"):
            run_check(model_name, check, **kwargs)
    else:
        run_check(model_name, check, **kwargs)


@pytest.mark.parametrize("arch", sorted(UNPUBLISHED))
def test_unpublished_tags_say_there_are_no_weights(arch: str) -> None:
    with pytest.raises(NoPretrainedWeightsError):
        hub.create_model(f"{arch}.{UNPUBLISHED[arch]}", pretrained=True)


def test_manifest_is_torch_free() -> None:
    check_manifest_is_torch_free("hub-vit")
