"""Pretrained cfgs of the family: what each published set of weights is and how to feed it.

Torch-free data, read by the manifest. Each tag is the family's cfg (`FAMILY`) at its
resolutions, changed by its own values. Every tag's weights live on the Hugging Face Hub as
``timm/<arch>.<tag>``; the first tag of an architecture is its default.
"""

from __future__ import annotations

import math
from typing import Any

from hub import IMAGENET_INCEPTION_MEAN, IMAGENET_INCEPTION_STD, PretrainedCfg

__all__ = ["FAMILY", "PRETRAINED"]

_RW = "https://github.com/rwightman/pytorch-image-models/releases/download/v0.1-weights/"
_RW_V2 = "https://github.com/rwightman/pytorch-image-models/releases/download/v0.1-effv2-weights/"
_HF = "https://github.com/huggingface/pytorch-image-models/releases/download/v0.1-weights/"
_MIIL = "https://github.com/rwightman/pytorch-image-models/releases/download/v0.1-tresnet/"

FAMILY = PretrainedCfg(hf_hub_id="timm/", first_conv="conv_stem", classifier="classifier", license="apache-2.0")
# Inception-style normalisation (inputs scaled to [-1, 1]), used by most TensorFlow ports.
_INCEPTION: dict[str, Any] = {"mean": IMAGENET_INCEPTION_MEAN, "std": IMAGENET_INCEPTION_STD}
_SQUASH: dict[str, Any] = {"crop_mode": "squash"}
_IN21K = 21843


def _w(size: int = 224, *, test_size: int | None = None, **fields: Any) -> PretrainedCfg:
    """One tag: the family's cfg at train resolution ``size``, changed by the tag's own ``fields``.

    The pooled map is size / 32, rounded up; ``test_size`` is the resolution the weights
    evaluate best at, when it differs.
    """
    sizes: dict[str, Any] = {"input_size": (3, size, size), "pool_size": (math.ceil(size / 32),) * 2}
    if test_size is not None:
        sizes["test_input_size"] = (3, test_size, test_size)
    return FAMILY.replace(sizes, fields)


def _tf_efficientnet(size: int, crop_pct: float, files: dict[str, str]) -> dict[str, PretrainedCfg]:
    """The TensorFlow EfficientNet ports: one resolution per variant, tags differing by source file.

    AdvProp (``ap``) weights were trained on inputs in [-1, 1]; the others on ImageNet normalisation.
    """
    return {
        tag: _w(size, url=url, crop_pct=crop_pct, **(_INCEPTION if tag == "ap_in1k" else {}))
        for tag, url in files.items()
    }


PRETRAINED: dict[str, dict[str, PretrainedCfg]] = {
    # --- EfficientNet, trained in PyTorch ---
    "efficientnet_b0": dict(
        ra_in1k=_w(url=_RW + "efficientnet_b0_ra-3dd342df.pth"),
        ra4_e3600_r224_in1k=_w(test_size=256, crop_pct=0.9, test_crop_pct=1.0, **_INCEPTION),
    ),
    "efficientnet_b1": dict(
        ra4_e3600_r240_in1k=_w(240, test_size=288, crop_pct=0.9, test_crop_pct=1.0, **_INCEPTION),
        ft_in1k=_w(test_size=256, test_crop_pct=1.0, url=_RW + "efficientnet_b1-533bc792.pth"),
    ),
    "efficientnet_b2": dict(
        ra_in1k=_w(256, test_size=288, test_crop_pct=1.0, url=_RW + "efficientnet_b2_ra-bcdf34b7.pth"),
    ),
    "efficientnet_b3": dict(
        ra2_in1k=_w(288, test_size=320, test_crop_pct=1.0, url=_RW + "efficientnet_b3_ra2-cf984f9c.pth"),
    ),
    "efficientnet_b4": dict(
        ra2_in1k=_w(320, test_size=384, test_crop_pct=1.0, url=_RW + "efficientnet_b4_ra2_320-7eb33cd5.pth"),
    ),
    "efficientnet_b5": dict(
        sw_in12k_ft_in1k=_w(448, crop_pct=1.0, **_SQUASH),
        sw_in12k=_w(416, crop_pct=0.95, num_classes=11821),
    ),
    # --- EfficientNet, ported from TensorFlow ---
    "tf_efficientnet_b0": _tf_efficientnet(
        224,
        0.875,
        {
            "ns_jft_in1k": _RW + "tf_efficientnet_b0_ns-c0e6a31c.pth",
            "ap_in1k": _RW + "tf_efficientnet_b0_ap-f262efe1.pth",
            "aa_in1k": _RW + "tf_efficientnet_b0_aa-827b6e33.pth",
            "in1k": _HF + "tf_efficientnet_b0-0af12548.pth",
        },
    ),
    "tf_efficientnet_b1": _tf_efficientnet(
        240,
        0.882,
        {
            "ns_jft_in1k": _RW + "tf_efficientnet_b1_ns-99dd0c41.pth",
            "ap_in1k": _RW + "tf_efficientnet_b1_ap-44ef0a3d.pth",
            "aa_in1k": _RW + "tf_efficientnet_b1_aa-ea7a6ee0.pth",
            "in1k": _HF + "tf_efficientnet_b1-5c1377c4.pth",
        },
    ),
    "tf_efficientnet_b2": _tf_efficientnet(
        260,
        0.89,
        {
            "ns_jft_in1k": _RW + "tf_efficientnet_b2_ns-00306e48.pth",
            "ap_in1k": _RW + "tf_efficientnet_b2_ap-2f8e7636.pth",
            "aa_in1k": _RW + "tf_efficientnet_b2_aa-60c94f97.pth",
            "in1k": _HF + "tf_efficientnet_b2-e393ef04.pth",
        },
    ),
    "tf_efficientnet_b3": _tf_efficientnet(
        300,
        0.904,
        {
            "ns_jft_in1k": _RW + "tf_efficientnet_b3_ns-9d44bf68.pth",
            "ap_in1k": _RW + "tf_efficientnet_b3_ap-aad25bdd.pth",
            "aa_in1k": _RW + "tf_efficientnet_b3_aa-84b4657e.pth",
            "in1k": _HF + "tf_efficientnet_b3-e3bd6955.pth",
        },
    ),
    "tf_efficientnet_b4": _tf_efficientnet(
        380,
        0.922,
        {
            "ns_jft_in1k": _RW + "tf_efficientnet_b4_ns-d6313a46.pth",
            "ap_in1k": _RW + "tf_efficientnet_b4_ap-dedb23e6.pth",
            "aa_in1k": _RW + "tf_efficientnet_b4_aa-818f208c.pth",
            "in1k": _HF + "tf_efficientnet_b4-74ee3bed.pth",
        },
    ),
    "tf_efficientnet_b5": _tf_efficientnet(
        456,
        0.934,
        {
            "ns_jft_in1k": _RW + "tf_efficientnet_b5_ns-6f26d0cf.pth",
            "ap_in1k": _RW + "tf_efficientnet_b5_ap-9e82fae8.pth",
            "ra_in1k": _RW + "tf_efficientnet_b5_ra-9a3e5369.pth",
            "aa_in1k": _HF + "tf_efficientnet_b5_aa-99018a74.pth",
            "in1k": _HF + "tf_efficientnet_b5-c6949ce9.pth",
        },
    ),
    "tf_efficientnet_b6": _tf_efficientnet(
        528,
        0.942,
        {
            "ns_jft_in1k": _RW + "tf_efficientnet_b6_ns-51548356.pth",
            "ap_in1k": _RW + "tf_efficientnet_b6_ap-4ffb161f.pth",
            "aa_in1k": _RW + "tf_efficientnet_b6_aa-80ba17e4.pth",
        },
    ),
    "tf_efficientnet_b7": _tf_efficientnet(
        600,
        0.949,
        {
            "ns_jft_in1k": _RW + "tf_efficientnet_b7_ns-1dbc32de.pth",
            "ap_in1k": _RW + "tf_efficientnet_b7_ap-ddb28fec.pth",
            "ra_in1k": _RW + "tf_efficientnet_b7_ra-6c08e654.pth",
            "aa_in1k": _HF + "tf_efficientnet_b7_aa-076e3472.pth",
        },
    ),
    # --- EfficientNetV2 ---
    "tf_efficientnetv2_b0": dict(
        in1k=_w(192, test_size=224, url=_RW_V2 + "tf_efficientnetv2_b0-c7cc451f.pth"),
    ),
    "tf_efficientnetv2_b1": dict(
        in1k=_w(192, test_size=240, crop_pct=0.882, url=_RW_V2 + "tf_efficientnetv2_b1-be6e41b0.pth"),
    ),
    "tf_efficientnetv2_b2": dict(
        in1k=_w(208, test_size=260, crop_pct=0.89, url=_RW_V2 + "tf_efficientnetv2_b2-847de54e.pth"),
    ),
    "tf_efficientnetv2_b3": dict(
        in21k_ft_in1k=_w(240, test_size=300, crop_pct=0.9, **_SQUASH, **_INCEPTION),
        in1k=_w(240, test_size=300, crop_pct=0.904, url=_RW_V2 + "tf_efficientnetv2_b3-57773f13.pth"),
        in21k=_w(240, test_size=300, crop_pct=0.904, num_classes=_IN21K, **_INCEPTION),
    ),
    "tf_efficientnetv2_s": dict(
        in21k_ft_in1k=_w(
            300, test_size=384, crop_pct=1.0, url=_RW_V2 + "tf_efficientnetv2_s_21ft1k-d7dafa41.pth", **_INCEPTION
        ),
        in1k=_w(300, test_size=384, crop_pct=1.0, url=_RW_V2 + "tf_efficientnetv2_s-eb54923e.pth", **_INCEPTION),
        in21k=_w(
            300,
            test_size=384,
            crop_pct=1.0,
            num_classes=_IN21K,
            url=_RW_V2 + "tf_efficientnetv2_s_21k-6337ad01.pth",
            **_INCEPTION,
        ),
    ),
    "tf_efficientnetv2_m": dict(
        in21k_ft_in1k=_w(
            384,
            test_size=480,
            crop_pct=1.0,
            url=_RW_V2 + "tf_efficientnetv2_m_21ft1k-bf41664a.pth",
            **_SQUASH,
            **_INCEPTION,
        ),
        in1k=_w(
            384, test_size=480, crop_pct=1.0, url=_RW_V2 + "tf_efficientnetv2_m-cc09e0cd.pth", **_SQUASH, **_INCEPTION
        ),
        in21k=_w(
            384,
            test_size=480,
            crop_pct=1.0,
            num_classes=_IN21K,
            url=_RW_V2 + "tf_efficientnetv2_m_21k-361418a2.pth",
            **_SQUASH,
            **_INCEPTION,
        ),
    ),
    "tf_efficientnetv2_l": dict(
        in21k_ft_in1k=_w(
            384,
            test_size=480,
            crop_pct=1.0,
            url=_RW_V2 + "tf_efficientnetv2_l_21ft1k-60127a9d.pth",
            **_SQUASH,
            **_INCEPTION,
        ),
        in1k=_w(
            384, test_size=480, crop_pct=1.0, url=_RW_V2 + "tf_efficientnetv2_l-d664b728.pth", **_SQUASH, **_INCEPTION
        ),
        in21k=_w(
            384,
            test_size=480,
            crop_pct=1.0,
            num_classes=_IN21K,
            url=_RW_V2 + "tf_efficientnetv2_l_21k-91a19ec9.pth",
            **_SQUASH,
            **_INCEPTION,
        ),
    ),
    "efficientnetv2_rw_t": dict(
        ra2_in1k=_w(test_size=288, crop_pct=1.0, url=_RW + "efficientnetv2_t_agc-3620981a.pth"),
    ),
    "efficientnetv2_rw_s": dict(
        ra2_in1k=_w(288, test_size=384, crop_pct=1.0, url=_RW + "efficientnet_v2s_ra2_288-a6477665.pth"),
    ),
    # --- MobileNetV2 ---
    "mobilenetv2_100": dict(ra_in1k=_w(url=_RW + "mobilenetv2_100_ra-b33bc2c4.pth")),
    "mobilenetv2_110d": dict(ra_in1k=_w(url=_RW + "mobilenetv2_110d_ra-77090ade.pth")),
    "mobilenetv2_120d": dict(ra_in1k=_w(url=_RW + "mobilenetv2_120d_ra-5987e2ed.pth")),
    "mobilenetv2_140": dict(ra_in1k=_w(url=_RW + "mobilenetv2_140_ra-21a4e913.pth")),
    # --- MobileNetV3 ---
    "mobilenetv3_large_100": dict(
        ra_in1k=_w(url=_RW + "mobilenetv3_large_100_ra-f55367f5.pth"),
        ra4_e3600_r224_in1k=_w(test_size=256, crop_pct=0.95, test_crop_pct=1.0, **_INCEPTION),
        miil_in21k_ft_in1k=_w(
            url=_MIIL + "mobilenetv3_large_100_1k_miil_78_0-66471c13.pth",
            interpolation="bilinear",
            mean=(0.0, 0.0, 0.0),
            std=(1.0, 1.0, 1.0),
            origin_url="https://github.com/Alibaba-MIIL/ImageNet21K",
            paper_ids="arXiv:2104.10972v4",
        ),
        miil_in21k=_w(
            url=_MIIL + "mobilenetv3_large_100_in21k_miil-d71cc17b.pth",
            interpolation="bilinear",
            mean=(0.0, 0.0, 0.0),
            std=(1.0, 1.0, 1.0),
            num_classes=11221,
            origin_url="https://github.com/Alibaba-MIIL/ImageNet21K",
            paper_ids="arXiv:2104.10972v4",
        ),
    ),
    "mobilenetv3_small_100": dict(lamb_in1k=_w(url=_RW + "mobilenetv3_small_100_lamb-266a294c.pth")),
    "tf_mobilenetv3_large_100": dict(
        in1k=_w(url=_RW + "tf_mobilenetv3_large_100-427764d5.pth", interpolation="bilinear", **_INCEPTION),
    ),
}
