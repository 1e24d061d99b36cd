"""hub-vit through the plugin conformance kit, exactly as a third-party plugin would run it."""

import pytest

from hub.testing import check_manifest_is_torch_free, conformance_cases, run_check


@pytest.mark.parametrize(("model_name", "check"), conformance_cases("hub-vit"))
def test_conformance(model_name: str, check: str) -> None:
    run_check(model_name, check)


def test_manifest_is_torch_free() -> None:
    check_manifest_is_torch_free("hub-vit")
