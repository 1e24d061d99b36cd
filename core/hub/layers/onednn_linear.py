"""`OneDNNLinear`: a linear layer run by oneDNN's linear primitive on the CPU, an activation fused in.

On the CPU, ``nn.Linear`` computes ``addmm``: it first copies the bias into every output
row, then accumulates the matrix product on top, and an activation after it is one more
pass over the output. oneDNN's primitive adds the bias and applies the activation while
the product is still in registers. The weights, the results (to float rounding) and the
state dict are those of ``nn.Linear``; `hub.optimize` swaps these in. The primitive is a
private torch operator (the one torch.compile's CPU backend uses), so every other case
takes ``nn.Linear``'s own path: another device or dtype, a graph being traced or compiled,
gradients to record, a torch without it, or an input of few rows.

Measured on 2 threads of a Xeon (float32, a call each way alternately): the primitive costs
about 35 us more per call, so it loses on small inputs (197 rows: 269 against 228 us) and
wins on large ones (1,576 rows, a ViT-S block's four layers and GELU at batch 8: 10% faster;
4,096 rows: 4%). Whole models at batch 8: vit_small_patch16_224 3-6% faster, convnext_tiny 15%.
"""

from __future__ import annotations

import functools

import torch
import torch.nn.functional as F
from torch import nn

from hub.layers.tracing import register_leaf_module

__all__ = ["MIN_ROWS", "ONEDNN_ACTIVATIONS", "OneDNNLinear", "onednn_linear_available"]

# Below this many input rows (all dimensions but the last), the primitive's fixed cost wins.
MIN_ROWS = 1024

# Activations the primitive can fuse, as (its post-op name, its algorithm) per module kind.
ONEDNN_ACTIVATIONS = {
    "none": ("none", ""),
    "gelu": ("gelu", "none"),
    "gelu_tanh": ("gelu", "tanh"),
    "relu": ("relu", ""),
}


@functools.cache  # asked on every call of every layer
def onednn_linear_available() -> bool:
    """Whether this torch has oneDNN and its fused linear operator."""
    return torch.backends.mkldnn.is_available() and hasattr(torch.ops.mkldnn, "_linear_pointwise")


@register_leaf_module
class OneDNNLinear(nn.Linear):
    """``activation(linear(x))`` with the parameters of ``linear`` (shared, not copied)."""

    def __init__(self, linear: nn.Linear, activation: str = "none") -> None:
        if activation not in ONEDNN_ACTIVATIONS:
            raise ValueError(f"activation must be one of {', '.join(ONEDNN_ACTIVATIONS)}, got {activation!r}")
        nn.Module.__init__(self)  # nn.Linear's own would allocate and initialise a weight
        self.in_features, self.out_features = linear.in_features, linear.out_features
        self.weight, self.bias = linear.weight, linear.bias
        self.activation = activation

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        if self._fused_path_applies(x):
            post_op, algorithm = ONEDNN_ACTIVATIONS[self.activation]
            out: torch.Tensor = torch.ops.mkldnn._linear_pointwise(x, self.weight, self.bias, post_op, [], algorithm)
            return out
        out = F.linear(x, self.weight, self.bias)
        if self.activation == "relu":
            return F.relu(out)
        if self.activation != "none":
            return F.gelu(out, approximate="tanh" if self.activation == "gelu_tanh" else "none")
        return out

    def _fused_path_applies(self, x: torch.Tensor) -> bool:
        weight = self.weight
        return (
            not torch.jit.is_tracing()  # first: a trace would record the checks below as constants
            and not torch.compiler.is_compiling()
            and x.numel() >= MIN_ROWS * self.in_features
            and x.device.type == "cpu"
            and weight.device.type == "cpu"
            and x.dtype == weight.dtype == torch.float32
            and not (torch.is_grad_enabled() and (x.requires_grad or weight.requires_grad))
            and onednn_linear_available()
        )

    def extra_repr(self) -> str:
        return f"{super().extra_repr()}, activation={self.activation}"
