"""Channel widths of the pruned ECA-ResNets ("Knapsack Pruning with Inner Distillation", arXiv:2002.08258).

Pruning kept every layer but narrowed each convolution by its own amount, so these variants
are described by their widths rather than by a width rule. No torch here.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["ECARESNET50D_PRUNED", "ECARESNET101D_PRUNED", "PrunedStage"]


@dataclass(frozen=True)
class PrunedStage:
    """One stage of a pruned bottleneck ResNet.

    ``out_chs``: the width every block of the stage outputs (and the shortcut projects to).
    ``blocks``: per block, the widths of its first (1x1) and second (3x3) convolutions.
    """

    out_chs: int
    blocks: tuple[tuple[int, int], ...]


ECARESNET50D_PRUNED = (
    PrunedStage(19, ((47, 18), (52, 22), (64, 35))),
    PrunedStage(171, ((85, 37), (107, 80), (120, 85), (125, 87))),
    PrunedStage(818, ((198, 126), (255, 232), (256, 233), (253, 235), (256, 225), (256, 239))),
    PrunedStage(2022, ((492, 237), (512, 500), (512, 490))),
)

_ECARESNET101D_STAGE3 = (
    (101, 25), (239, 160), (234, 156), (250, 176), (253, 191), (251, 175), (230, 128), (244, 154),
    (244, 159), (238, 97), (244, 149), (253, 181), (245, 119), (255, 216), (256, 201), (253, 149),
    (254, 141), (256, 190), (256, 217), (255, 156), (256, 155), (256, 232), (256, 214),
)  # fmt: skip
ECARESNET101D_PRUNED = (
    PrunedStage(26, ((45, 25), (53, 20), (60, 27))),
    PrunedStage(142, ((81, 24), (93, 49), (102, 54), (122, 78))),
    PrunedStage(278, _ECARESNET101D_STAGE3),
    PrunedStage(2042, ((499, 289), (512, 512), (512, 502))),
)
