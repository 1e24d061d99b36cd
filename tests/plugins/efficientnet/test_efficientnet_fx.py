"""EfficientNets traced with hub.fx: TensorFlow "same" padding, traced once, follows each input's size."""

from __future__ import annotations

import pytest
import torch

import hub
import hub.fx


@pytest.mark.parametrize("arch", ["tf_efficientnet_b0", "tf_mobilenetv3_large_100"])
def test_tf_padding_traced_once_serves_every_size(arch: str) -> None:
    model = hub.create_model(arch).eval()
    traced = hub.fx.symbolic_trace(model)
    modules = dict(traced.named_modules())
    assert any(type(m).__name__ == "Conv2dSame" for m in modules.values())
    generator = torch.Generator().manual_seed(0)
    with torch.no_grad():
        for size in (64, 67, 49):  # odd sizes pad asymmetrically, differently at each stride
            x = torch.randn(1, 3, size, size + 3, generator=generator)
            torch.testing.assert_close(traced(x), model(x), rtol=0, atol=0)
