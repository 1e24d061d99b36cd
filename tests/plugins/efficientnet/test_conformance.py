"""hub-efficientnet through the plugin conformance kit, exactly as a third-party plugin would run it.

Every architecture runs the kit's fact checks, a sample of them every check (see
`support.registry.kit_cases`).
"""

import pytest
from support.registry import kit_cases

from hub.testing import check_manifest_is_torch_free, run_check


@pytest.mark.parametrize(("model_name", "check"), kit_cases("hub-efficientnet"))
def test_conformance(model_name: str, check: str) -> None:
    run_check(model_name, check)


def test_manifest_is_torch_free() -> None:
    check_manifest_is_torch_free("hub-efficientnet")
