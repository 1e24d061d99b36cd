"""The architecture data and its scaling rules, checked against timm's builder on plain numbers."""

from __future__ import annotations

import random

import pytest
from support.timm_oracle import timm  # noqa: F401  (skips the module without timm)

from hub_efficientnet import _efficientnet_tables, _mobilenetv3_tables, _variants, arch


def _timm_repeats(repeats: list[int], multiplier: float, rounding: str) -> list[int]:
    from timm.models._efficientnet_builder import _scale_stage_depth

    rows = [{"row": i} for i in range(len(repeats))]
    scaled = _scale_stage_depth(rows, repeats, multiplier, rounding)
    return [sum(1 for b in scaled if b["row"] == i) for i in range(len(repeats))]


@pytest.mark.parametrize("rounding", ["ceil", "round"])
def test_depth_scaling_spreads_repeats_like_timm(rounding: str) -> None:
    rng = random.Random(0)
    multipliers = [0.6, 0.695, 0.85, 0.9, 1.0, 1.1, 1.2, 1.3, 1.4, 1.8, 2.2, 2.6, 3.1, 3.6, 5.3]
    for _ in range(300):
        repeats = [rng.randint(1, 6) for _ in range(rng.randint(1, 4))]
        multiplier = rng.choice(multipliers)
        rows = [arch.mbconv(r, kernel=3, stride=1, expand=6, out=16) for r in repeats]
        expected = _timm_repeats(repeats, multiplier, rounding)
        assert arch.scale_depth(rows, multiplier, rounding) == expected, (repeats, multiplier)


def test_width_scaling_rounds_like_timm() -> None:
    from timm.models._efficientnet_builder import round_channels

    for width in (0.35, 0.5, 0.54, 0.8, 1.0, 1.1, 1.2, 1.4, 1.6, 1.8, 1.92, 2.0, 4.3):
        for chs in (8, 16, 24, 32, 40, 48, 80, 96, 112, 192, 272, 320, 1280):
            for limit in (0.9, 0.95, 0.0):
                for divisor in (8, 16):
                    expected = round_channels(chs, width, divisor=divisor, round_limit=limit)
                    assert arch.scale_width(chs, width, limit, divisor) == expected
    # 16 * 1.2 = 19.2 rounds down to 16, more than 10% below, so it goes up to 24.
    assert arch.scale_width(16, 1.2) == 24
    assert arch.scale_width(1280, 0.0) == 1280  # no multiplier: unchanged


def test_b0_plan_follows_the_paper_table() -> None:
    plan = arch.plan_network(_efficientnet_tables.efficientnet(1.0, 1.0))
    assert plan.stem_chs == 32
    assert [len(stage) for stage in plan.stages] == [1, 2, 2, 3, 3, 4, 1]
    assert [stage[-1].out_chs for stage in plan.stages] == [16, 24, 40, 80, 112, 192, 320]
    assert [stage[0].stride for stage in plan.stages] == [1, 2, 2, 2, 1, 2, 1]
    assert [info["reduction"] for info in plan.feature_info] == [2, 4, 8, 16, 32]
    first = plan.stages[1][0]
    assert first.se is not None
    assert (first.in_chs, first.mid_chs, first.se.rd_chs, first.residual) == (16, 96, 4, False)
    assert plan.stages[1][1].residual


def test_output_stride_turns_strides_into_dilation() -> None:
    plan = arch.plan_network(_efficientnet_tables.efficientnet(1.0, 1.0), output_stride=8)
    blocks = [b for stage in plan.stages for b in stage]
    assert [b.stride for b in blocks if b.stride > 1] == [2, 2]
    # The block that stops striding keeps the old dilation; the ones after it use the new one.
    assert [b.dilation for b in plan.stages[3]] == [1, 2, 2]
    assert plan.stages[-1][0].dilation == 4
    assert [info["reduction"] for info in plan.feature_info] == [2, 4, 8, 8, 8]


def test_drop_path_rates_rise_linearly_over_all_blocks() -> None:
    plan = arch.plan_network(_efficientnet_tables.mobilenetv2(1.0), drop_path_rate=0.2)
    rates = [b.drop_path for stage in plan.stages for b in stage]
    assert rates[0] == 0.0
    assert rates == pytest.approx([0.2 * i / len(rates) for i in range(len(rates))])


def test_mobilenetv3_sizes_se_from_the_expanded_width() -> None:
    plan = arch.plan_network(_mobilenetv3_tables.mobilenetv3("large"))
    block = plan.stages[2][0]  # 24 -> 72 expanded, SE 0.25 of 72 rounded to a multiple of 8
    assert block.se is not None
    assert (block.mid_chs, block.se.rd_chs, block.se.act, block.se.gate, block.act) == (
        72,
        24,
        "relu",
        "hard_sigmoid",
        "relu",
    )
    head = plan.stages[-1][0]
    assert (head.block, head.out_chs, head.act, head.residual) == ("conv", 960, "hard_swish", False)


def test_space_to_depth_halves_the_kernel_and_ends_at_the_next_strided_block() -> None:
    """EfficientNet-X: the first block folds 2x2 pixels into channels, so the next strided block
    stops striding and expands a quarter as much; the stem is a feature level, the first stage is not."""
    plan = arch.plan_network(_efficientnet_tables.efficientnet_x(1.0, 1.0))
    first, second = plan.stages[0][0], plan.stages[1][0]
    assert first.space_to_depth and (first.in_chs, first.mid_chs, first.out_chs, first.kernel) == (32, 128, 64, 2)
    assert first.se is not None and first.se.rd_chs == 8  # 0.25 of the input width, the 4x fold undone
    assert (second.stride, second.mid_chs) == (1, 96)  # 64 * 6 / 4
    assert [info["module"] for info in plan.feature_info] == ["bn1", "blocks.1", "blocks.2", "blocks.4", "blocks.6"]
    assert [info["reduction"] for info in plan.feature_info] == [2, 4, 8, 16, 32]


def test_pruned_widths_replace_the_scaled_ones_but_keep_the_residuals() -> None:
    net = _variants.VARIANTS["efficientnet_b1_pruned"]
    assert net.pruned is not None
    plan, unpruned = arch.plan_network(net), arch.plan_network(_variants.VARIANTS["tf_efficientnet_b1"])
    assert (plan.stem_chs, plan.head_chs) == (net.pruned.stem, net.pruned.head)
    for blocks, reference, (out_chs, widths) in zip(plan.stages, unpruned.stages, net.pruned.stages, strict=True):
        assert [b.out_chs for b in blocks] == [out_chs] * len(blocks)
        assert [(b.mid_chs, b.se.rd_chs if b.se else 0) for b in blocks] == list(widths)
        assert [b.residual for b in blocks] == [b.residual for b in reference]
    assert [info["num_chs"] for info in plan.feature_info] == [16, 12, 35, 67, 320]


def test_group_size_applies_to_rows_without_their_own() -> None:
    net = _variants.VARIANTS["efficientnet_b0_g8_gn"]
    plan = arch.plan_network(net)
    assert {b.group_size for stage in plan.stages for b in stage} == {8}
    edgetpu = arch.plan_network(_variants.VARIANTS["mobilenet_edgetpu_v2_m"])
    assert [b.group_size for b in edgetpu.stages[1]] == [0, 64]  # only the rows that name one
