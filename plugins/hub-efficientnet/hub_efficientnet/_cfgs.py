"""Pretrained cfgs of the family: what each published set of weights is and how to feed it.

Torch-free data, read by the manifest. Each tag is its family's cfg (`FAMILY` for the
EfficientNet relatives, `MOBILENET` for MobileNetV3 / V4, FBNetV3 and LCNet, whose default
resize is bilinear) at its resolutions, changed by its recipe and its own values. Every tag
with weights lives on the Hugging Face Hub as ``timm/<arch>.<tag>``; ``untrained`` tags name
an architecture without published weights. The first tag of an architecture is its default.
"""

from __future__ import annotations

import math
from typing import Any

from hub import IMAGENET_INCEPTION_MEAN, IMAGENET_INCEPTION_STD, PretrainedCfg

__all__ = ["FAMILY", "MOBILENET", "PRETRAINED"]

_RELEASES = "https://github.com/rwightman/pytorch-image-models/releases/download/"
_RW = _RELEASES + "v0.1-weights/"
_RW_V2 = _RELEASES + "v0.1-effv2-weights/"
_RW_TRESNET = _RELEASES + "v0.1-tresnet/"  # the MIIL ImageNet-21K weights and the pruned EfficientNets
_HF = "https://github.com/huggingface/pytorch-image-models/releases/download/v0.1-weights/"
_TINYNET = "https://github.com/huawei-noah/CV-Backbones/releases/download/v1.2.0/"

FAMILY = PretrainedCfg(hf_hub_id="timm/", first_conv="conv_stem", classifier="classifier", license="apache-2.0")
MOBILENET = FAMILY.replace(interpolation="bilinear")

# Inception-style normalisation (inputs scaled to [-1, 1]): most TensorFlow ports and the ra4 recipes.
_INCEPTION: dict[str, Any] = {"mean": IMAGENET_INCEPTION_MEAN, "std": IMAGENET_INCEPTION_STD}
_SQUASH: dict[str, Any] = {"crop_mode": "squash"}
_UNTRAINED: dict[str, Any] = {"hf_hub_id": None}
# MobileNetV4's recipe: bicubic, a 0.95 crop, evaluated uncropped at the test size.
_MNV4: dict[str, Any] = {"interpolation": "bicubic", "crop_pct": 0.95}
# The Alibaba-MIIL ImageNet-21K training of MobileNetV3: inputs in [0, 1].
_MIIL: dict[str, Any] = {
    "mean": (0.0, 0.0, 0.0),
    "std": (1.0, 1.0, 1.0),
    "origin_url": "https://github.com/Alibaba-MIIL/ImageNet21K",
    "paper_ids": "arXiv:2104.10972v4",
}
_IN21K = 21843
_IN12K = 11821


def _cfg(base: PretrainedCfg, size: int, test_size: int | None, fields: dict[str, Any]) -> PretrainedCfg:
    """``base`` at train resolution ``size`` (pooled map size / 32, rounded up), changed by ``fields``."""
    sizes: dict[str, Any] = {"input_size": (3, size, size), "pool_size": (math.ceil(size / 32),) * 2}
    if test_size is not None:
        sizes["test_input_size"] = (3, test_size, test_size)
    return base.replace(sizes, fields)


def _w(size: int = 224, *, test_size: int | None = None, **fields: Any) -> PretrainedCfg:
    """A tag of the EfficientNet relatives; ``test_size`` is where the weights evaluate best, when it differs."""
    return _cfg(FAMILY, size, test_size, fields)


def _m(size: int = 224, *, test_size: int | None = None, **fields: Any) -> PretrainedCfg:
    """A tag of the MobileNetV3 relatives."""
    return _cfg(MOBILENET, size, test_size, fields)


def _mnv4(size: int = 224, *, test_size: int | None = None, **fields: Any) -> PretrainedCfg:
    """A MobileNetV4 tag: its recipe, and an uncropped test resolution when it has one."""
    test = {"test_crop_pct": 1.0} if test_size is not None else {}
    return _cfg(MOBILENET, size, test_size, {**_MNV4, **test, **fields})


def _tf_efficientnet(size: int, crop_pct: float, files: dict[str, str]) -> dict[str, PretrainedCfg]:
    """The TensorFlow EfficientNet ports: one resolution per variant, tags differing by source file.

    AdvProp (``ap``) weights were trained on inputs in [-1, 1]; the others on ImageNet normalisation.
    """
    return {
        tag: _w(size, url=url, crop_pct=crop_pct, **(_INCEPTION if tag == "ap_in1k" else {}))
        for tag, url in files.items()
    }


def _tf_efficientnetv2(size: int, test_size: int, files: dict[str, str], **fields: Any) -> dict[str, PretrainedCfg]:
    """The TensorFlow EfficientNetV2 S-XL ports: ImageNet-21K (``in21k``), fine-tuned and ImageNet-1K tags."""
    return {
        tag: _w(
            size,
            test_size=test_size,
            crop_pct=1.0,
            url=_RW_V2 + name,
            **({"num_classes": _IN21K} if tag == "in21k" else {}),
            **_INCEPTION,
            **fields,
        )
        for tag, name in files.items()
    }


PRETRAINED: dict[str, dict[str, PretrainedCfg]] = {
    # --- MnasNet, MobileNetV1 / V2, FBNet-C, Single-Path NAS ---
    "mnasnet_050": dict(untrained=_w(**_UNTRAINED)),
    "mnasnet_075": dict(untrained=_w(**_UNTRAINED)),
    "mnasnet_100": dict(rmsp_in1k=_w(url=_RW + "mnasnet_b1-74cb7081.pth")),
    "mnasnet_140": dict(untrained=_w(**_UNTRAINED)),
    "semnasnet_050": dict(untrained=_w(**_UNTRAINED)),
    "semnasnet_075": dict(rmsp_in1k=_w(url=_RW + "semnasnet_075-18710866.pth")),
    "semnasnet_100": dict(rmsp_in1k=_w(url=_RW + "mnasnet_a1-d9418771.pth")),
    "semnasnet_140": dict(untrained=_w(**_UNTRAINED)),
    "mnasnet_small": dict(lamb_in1k=_w(url=_RW + "mnasnet_small_lamb-aff75073.pth")),
    "mobilenetv1_100": dict(ra4_e3600_r224_in1k=_w(test_size=256, test_crop_pct=0.95, **_INCEPTION)),
    "mobilenetv1_100h": dict(ra4_e3600_r224_in1k=_w(test_size=256, test_crop_pct=0.95, **_INCEPTION)),
    "mobilenetv1_125": dict(
        ra4_e3600_r224_in1k=_w(test_size=256, crop_pct=0.9, test_crop_pct=1.0, **_INCEPTION),
    ),
    "mobilenetv2_035": dict(untrained=_w(**_UNTRAINED)),
    "mobilenetv2_050": dict(lamb_in1k=_w(url=_RW + "mobilenetv2_050-3d30d450.pth")),
    "mobilenetv2_075": dict(untrained=_w(**_UNTRAINED)),
    "mobilenetv2_100": dict(ra_in1k=_w(url=_RW + "mobilenetv2_100_ra-b33bc2c4.pth")),
    "mobilenetv2_110d": dict(ra_in1k=_w(url=_RW + "mobilenetv2_110d_ra-77090ade.pth")),
    "mobilenetv2_120d": dict(ra_in1k=_w(url=_RW + "mobilenetv2_120d_ra-5987e2ed.pth")),
    "mobilenetv2_140": dict(ra_in1k=_w(url=_RW + "mobilenetv2_140_ra-21a4e913.pth")),
    "fbnetc_100": dict(rmsp_in1k=_w(url=_RW + "fbnetc_100-c345b898.pth", interpolation="bilinear")),
    "spnasnet_100": dict(rmsp_in1k=_w(url=_RW + "spnasnet_100-048bc3f4.pth", interpolation="bilinear")),
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
        sw_in12k=_w(416, crop_pct=0.95, num_classes=_IN12K),
    ),
    "efficientnet_b6": dict(untrained=_w(528, crop_pct=0.942, **_UNTRAINED)),
    "efficientnet_b7": dict(untrained=_w(600, crop_pct=0.949, **_UNTRAINED)),
    "efficientnet_b8": dict(untrained=_w(672, crop_pct=0.954, **_UNTRAINED)),
    "efficientnet_l2": dict(untrained=_w(800, crop_pct=0.961, **_UNTRAINED)),
    "efficientnet_b0_gn": dict(untrained=_w(**_UNTRAINED)),
    "efficientnet_b0_g8_gn": dict(untrained=_w(**_UNTRAINED)),
    "efficientnet_b0_g16_evos": dict(untrained=_w(**_UNTRAINED)),
    "efficientnet_b3_gn": dict(untrained=_w(288, test_size=320, crop_pct=1.0, **_UNTRAINED)),
    "efficientnet_b3_g8_gn": dict(untrained=_w(288, test_size=320, crop_pct=1.0, **_UNTRAINED)),
    "efficientnet_blur_b0": dict(untrained=_w(**_UNTRAINED)),
    # --- EfficientNet-EdgeTPU, CondConv, Lite, pruned ---
    "efficientnet_es": dict(ra_in1k=_w(url=_RW + "efficientnet_es_ra-f111e99c.pth")),
    "efficientnet_es_pruned": dict(in1k=_w(url=_RW + "efficientnet_es_pruned75-1b7248cf.pth")),
    "efficientnet_em": dict(ra2_in1k=_w(240, crop_pct=0.882, url=_RW + "efficientnet_em_ra2-66250f76.pth")),
    "efficientnet_el": dict(ra_in1k=_w(300, crop_pct=0.904, url=_RW + "efficientnet_el-3b455510.pth")),
    "efficientnet_el_pruned": dict(
        in1k=_w(300, crop_pct=0.904, url=_RW + "efficientnet_el_pruned70-ef2a2ccf.pth"),
    ),
    "efficientnet_cc_b0_4e": dict(untrained=_w(**_UNTRAINED)),
    "efficientnet_cc_b0_8e": dict(untrained=_w(**_UNTRAINED)),
    "efficientnet_cc_b1_8e": dict(untrained=_w(240, crop_pct=0.882, **_UNTRAINED)),
    "efficientnet_lite0": dict(ra_in1k=_w(url=_RW + "efficientnet_lite0_ra-37913777.pth")),
    "efficientnet_lite1": dict(untrained=_w(240, crop_pct=0.882, **_UNTRAINED)),
    "efficientnet_lite2": dict(untrained=_w(260, crop_pct=0.89, **_UNTRAINED)),
    "efficientnet_lite3": dict(untrained=_w(300, crop_pct=0.904, **_UNTRAINED)),
    "efficientnet_lite4": dict(untrained=_w(380, crop_pct=0.922, **_UNTRAINED)),
    "efficientnet_b1_pruned": dict(
        in1k=_w(240, crop_pct=0.882, url=_RW_TRESNET + "effnetb1_pruned-bea43a3a.pth", **_INCEPTION),
    ),
    "efficientnet_b2_pruned": dict(
        in1k=_w(260, crop_pct=0.89, url=_RW_TRESNET + "effnetb2_pruned-08c1b27c.pth", **_INCEPTION),
    ),
    "efficientnet_b3_pruned": dict(
        in1k=_w(300, crop_pct=0.904, url=_RW_TRESNET + "effnetb3_pruned-59ecf72d.pth", **_INCEPTION),
    ),
    # --- EfficientNetV2 ---
    "efficientnetv2_rw_t": dict(
        ra2_in1k=_w(test_size=288, crop_pct=1.0, url=_RW + "efficientnetv2_t_agc-3620981a.pth"),
    ),
    "gc_efficientnetv2_rw_t": dict(
        agc_in1k=_w(test_size=288, crop_pct=1.0, url=_RW + "gc_efficientnetv2_rw_t_agc-927a0bde.pth"),
    ),
    "efficientnetv2_rw_s": dict(
        ra2_in1k=_w(288, test_size=384, crop_pct=1.0, url=_RW + "efficientnet_v2s_ra2_288-a6477665.pth"),
    ),
    "efficientnetv2_rw_m": dict(
        agc_in1k=_w(320, test_size=416, crop_pct=1.0, url=_RW + "efficientnetv2_rw_m_agc-3d90cb1e.pth"),
    ),
    "efficientnetv2_s": dict(untrained=_w(288, test_size=384, crop_pct=1.0, **_UNTRAINED)),
    "efficientnetv2_m": dict(untrained=_w(320, test_size=416, crop_pct=1.0, **_UNTRAINED)),
    "efficientnetv2_l": dict(untrained=_w(384, test_size=480, crop_pct=1.0, **_UNTRAINED)),
    "efficientnetv2_xl": dict(untrained=_w(384, test_size=512, crop_pct=1.0, **_UNTRAINED)),
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
    "tf_efficientnet_b8": _tf_efficientnet(
        672,
        0.954,
        {
            "ap_in1k": _RW + "tf_efficientnet_b8_ap-00e169fa.pth",
            "ra_in1k": _RW + "tf_efficientnet_b8_ra-572d5dd9.pth",
        },
    ),
    "tf_efficientnet_l2": dict(
        ns_jft_in1k_475=_w(475, crop_pct=0.936, url=_RW + "tf_efficientnet_l2_ns_475-bebbd00a.pth"),
        ns_jft_in1k=_w(800, crop_pct=0.96, url=_RW + "tf_efficientnet_l2_ns-df73bb44.pth"),
    ),
    "tf_efficientnet_es": dict(in1k=_w(url=_RW + "tf_efficientnet_es-ca1afbfe.pth", **_INCEPTION)),
    "tf_efficientnet_em": dict(
        in1k=_w(240, crop_pct=0.882, url=_RW + "tf_efficientnet_em-e78cfe58.pth", **_INCEPTION),
    ),
    "tf_efficientnet_el": dict(
        in1k=_w(300, crop_pct=0.904, url=_RW + "tf_efficientnet_el-5143854e.pth", **_INCEPTION),
    ),
    "tf_efficientnet_cc_b0_4e": dict(in1k=_w(url=_RW + "tf_efficientnet_cc_b0_4e-4362b6b2.pth", **_INCEPTION)),
    "tf_efficientnet_cc_b0_8e": dict(in1k=_w(url=_RW + "tf_efficientnet_cc_b0_8e-66184a25.pth", **_INCEPTION)),
    "tf_efficientnet_cc_b1_8e": dict(
        in1k=_w(240, crop_pct=0.882, url=_RW + "tf_efficientnet_cc_b1_8e-f7c79ae1.pth", **_INCEPTION),
    ),
    "tf_efficientnet_lite0": dict(in1k=_w(url=_RW + "tf_efficientnet_lite0-0aa007d2.pth", **_INCEPTION)),
    "tf_efficientnet_lite1": dict(
        in1k=_w(240, crop_pct=0.882, url=_RW + "tf_efficientnet_lite1-bde8b488.pth", **_INCEPTION),
    ),
    "tf_efficientnet_lite2": dict(
        in1k=_w(260, crop_pct=0.89, url=_RW + "tf_efficientnet_lite2-dcccb7df.pth", **_INCEPTION),
    ),
    "tf_efficientnet_lite3": dict(
        in1k=_w(
            300, crop_pct=0.904, interpolation="bilinear", url=_RW + "tf_efficientnet_lite3-b733e338.pth", **_INCEPTION
        ),
    ),
    "tf_efficientnet_lite4": dict(
        in1k=_w(
            380, crop_pct=0.92, interpolation="bilinear", url=_RW + "tf_efficientnet_lite4-741542c3.pth", **_INCEPTION
        ),
    ),
    # --- EfficientNetV2, ported from TensorFlow ---
    "tf_efficientnetv2_s": _tf_efficientnetv2(
        300,
        384,
        {
            "in21k_ft_in1k": "tf_efficientnetv2_s_21ft1k-d7dafa41.pth",
            "in1k": "tf_efficientnetv2_s-eb54923e.pth",
            "in21k": "tf_efficientnetv2_s_21k-6337ad01.pth",
        },
    ),
    "tf_efficientnetv2_m": _tf_efficientnetv2(
        384,
        480,
        {
            "in21k_ft_in1k": "tf_efficientnetv2_m_21ft1k-bf41664a.pth",
            "in1k": "tf_efficientnetv2_m-cc09e0cd.pth",
            "in21k": "tf_efficientnetv2_m_21k-361418a2.pth",
        },
        **_SQUASH,
    ),
    "tf_efficientnetv2_l": _tf_efficientnetv2(
        384,
        480,
        {
            "in21k_ft_in1k": "tf_efficientnetv2_l_21ft1k-60127a9d.pth",
            "in1k": "tf_efficientnetv2_l-d664b728.pth",
            "in21k": "tf_efficientnetv2_l_21k-91a19ec9.pth",
        },
        **_SQUASH,
    ),
    "tf_efficientnetv2_xl": _tf_efficientnetv2(
        384,
        512,
        {
            "in21k_ft_in1k": "tf_efficientnetv2_xl_in21ft1k-06c35c48.pth",
            "in21k": "tf_efficientnetv2_xl_in21k-fd7e8abf.pth",
        },
        **_SQUASH,
    ),
    "tf_efficientnetv2_b0": dict(in1k=_w(192, test_size=224, url=_RW_V2 + "tf_efficientnetv2_b0-c7cc451f.pth")),
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
    # --- EfficientNet-X / -H ---
    "efficientnet_x_b3": dict(untrained=_w(288, crop_pct=0.95, **_UNTRAINED)),
    "efficientnet_x_b5": dict(sw_r448_e450_in1k=_w(448, test_size=576, crop_pct=1.0, **_SQUASH)),
    "efficientnet_h_b5": dict(sw_r448_e450_in1k=_w(448, test_size=576, crop_pct=1.0, **_SQUASH)),
    # --- MixNet ---
    "mixnet_s": dict(ft_in1k=_w(url=_RW + "mixnet_s-a907afbc.pth")),
    "mixnet_m": dict(ft_in1k=_w(url=_RW + "mixnet_m-4647fc68.pth")),
    "mixnet_l": dict(ft_in1k=_w(url=_RW + "mixnet_l-5a9a2ed8.pth")),
    "mixnet_xl": dict(ra_in1k=_w(url=_RW + "mixnet_xl_ra-aac3c00c.pth")),
    "mixnet_xxl": dict(untrained=_w(**_UNTRAINED)),
    "tf_mixnet_s": dict(in1k=_w(url=_RW + "tf_mixnet_s-89d3354b.pth")),
    "tf_mixnet_m": dict(in1k=_w(url=_RW + "tf_mixnet_m-0f4d8805.pth")),
    "tf_mixnet_l": dict(in1k=_w(url=_RW + "tf_mixnet_l-6c92e0c8.pth")),
    # --- TinyNet (published by its authors, at their own resolutions) ---
    "tinynet_a": dict(in1k=_w(192, url=_TINYNET + "tinynet_a.pth")),
    "tinynet_b": dict(in1k=_w(188, url=_TINYNET + "tinynet_b.pth")),
    "tinynet_c": dict(in1k=_w(184, url=_TINYNET + "tinynet_c.pth")),
    "tinynet_d": dict(in1k=_w(152, url=_TINYNET + "tinynet_d.pth")),
    "tinynet_e": dict(in1k=_w(106, url=_TINYNET + "tinynet_e.pth")),
    # --- MobileNet-EdgeTPU ---
    "mobilenet_edgetpu_100": dict(untrained=_w(crop_pct=0.9, **_UNTRAINED)),
    "mobilenet_edgetpu_v2_xs": dict(untrained=_w(crop_pct=0.9, **_UNTRAINED)),
    "mobilenet_edgetpu_v2_s": dict(untrained=_w(crop_pct=0.9, **_UNTRAINED)),
    "mobilenet_edgetpu_v2_m": dict(
        ra4_e3600_r224_in1k=_w(test_size=256, crop_pct=0.9, test_crop_pct=0.95, **_INCEPTION),
    ),
    "mobilenet_edgetpu_v2_l": dict(untrained=_w(crop_pct=0.9, **_UNTRAINED)),
    # --- timm's test networks, trained at 160 px ---
    "test_efficientnet": dict(r160_in1k=_w(160, crop_pct=0.95)),
    "test_efficientnet_gn": dict(r160_in1k=_w(160, crop_pct=0.95, **_INCEPTION)),
    "test_efficientnet_ln": dict(r160_in1k=_w(160, crop_pct=0.95)),
    "test_efficientnet_evos": dict(r160_in1k=_w(160, crop_pct=0.95, **_INCEPTION)),
    # --- MobileNetV3 ---
    "mobilenetv3_large_075": dict(untrained=_m(**_UNTRAINED)),
    "mobilenetv3_large_100": dict(
        ra_in1k=_m(url=_RW + "mobilenetv3_large_100_ra-f55367f5.pth", interpolation="bicubic"),
        ra4_e3600_r224_in1k=_m(test_size=256, crop_pct=0.95, test_crop_pct=1.0, interpolation="bicubic", **_INCEPTION),
        miil_in21k_ft_in1k=_m(url=_RW_TRESNET + "mobilenetv3_large_100_1k_miil_78_0-66471c13.pth", **_MIIL),
        miil_in21k=_m(url=_RW_TRESNET + "mobilenetv3_large_100_in21k_miil-d71cc17b.pth", num_classes=11221, **_MIIL),
    ),
    "mobilenetv3_large_150d": dict(
        ra4_e3600_r256_in1k=_m(256, test_size=320, crop_pct=0.95, test_crop_pct=1.0, **_INCEPTION),
    ),
    "mobilenetv3_small_050": dict(
        lamb_in1k=_m(url=_RW + "mobilenetv3_small_050_lambc-4b7bbe87.pth", interpolation="bicubic"),
    ),
    "mobilenetv3_small_075": dict(
        lamb_in1k=_m(url=_RW + "mobilenetv3_small_075_lambc-384766db.pth", interpolation="bicubic"),
    ),
    "mobilenetv3_small_100": dict(
        lamb_in1k=_m(url=_RW + "mobilenetv3_small_100_lamb-266a294c.pth", interpolation="bicubic"),
    ),
    "mobilenetv3_rw": dict(rmsp_in1k=_m(url=_RW + "mobilenetv3_100-35495452.pth", interpolation="bicubic")),
    "tf_mobilenetv3_large_075": dict(in1k=_m(url=_RW + "tf_mobilenetv3_large_075-150ee8b0.pth", **_INCEPTION)),
    "tf_mobilenetv3_large_100": dict(in1k=_m(url=_RW + "tf_mobilenetv3_large_100-427764d5.pth", **_INCEPTION)),
    "tf_mobilenetv3_large_minimal_100": dict(
        in1k=_m(url=_RW + "tf_mobilenetv3_large_minimal_100-8596ae28.pth", **_INCEPTION),
    ),
    "tf_mobilenetv3_small_075": dict(in1k=_m(url=_RW + "tf_mobilenetv3_small_075-da427f52.pth", **_INCEPTION)),
    "tf_mobilenetv3_small_100": dict(in1k=_m(url=_RW + "tf_mobilenetv3_small_100-37f49e2b.pth", **_INCEPTION)),
    "tf_mobilenetv3_small_minimal_100": dict(
        in1k=_m(url=_RW + "tf_mobilenetv3_small_minimal_100-922a7843.pth", **_INCEPTION),
    ),
    # --- FBNetV3, LCNet ---
    "fbnetv3_b": dict(ra2_in1k=_m(test_size=256, crop_pct=0.95, url=_RW + "fbnetv3_b_224-ead5d2a1.pth")),
    "fbnetv3_d": dict(ra2_in1k=_m(test_size=256, crop_pct=0.95, url=_RW + "fbnetv3_d_224-c98bce42.pth")),
    "fbnetv3_g": dict(ra2_in1k=_m(240, test_size=288, crop_pct=0.95, url=_RW + "fbnetv3_g_240-0b1df83b.pth")),
    "lcnet_035": dict(untrained=_m(**_UNTRAINED)),
    "lcnet_050": dict(ra2_in1k=_m(url=_RW + "lcnet_050-f447553b.pth", interpolation="bicubic")),
    "lcnet_075": dict(ra2_in1k=_m(url=_RW + "lcnet_075-318cad2c.pth", interpolation="bicubic")),
    "lcnet_100": dict(ra2_in1k=_m(url=_RW + "lcnet_100-a929038c.pth", interpolation="bicubic")),
    "lcnet_150": dict(untrained=_m(**_UNTRAINED)),
    # --- MobileNetV4 ---
    "mobilenetv4_conv_small_035": dict(
        untrained=_mnv4(test_size=256, crop_pct=0.875, test_crop_pct=0.95, **_INCEPTION, **_UNTRAINED),
    ),
    "mobilenetv4_conv_small_050": dict(
        e3000_r224_in1k=_mnv4(test_size=256, crop_pct=0.875, test_crop_pct=0.95, **_INCEPTION),
    ),
    "mobilenetv4_conv_small": dict(
        e2400_r224_in1k=_mnv4(test_size=256, crop_pct=0.875, test_crop_pct=0.95),
        e1200_r224_in1k=_mnv4(test_size=256, crop_pct=0.875, test_crop_pct=0.95),
        e3600_r256_in1k=_mnv4(256, test_size=320, **_INCEPTION),
    ),
    "mobilenetv4_conv_medium": dict(
        e500_r256_in1k=_mnv4(256, test_size=320),
        e500_r224_in1k=_mnv4(test_size=256),
        e250_r384_in12k_ft_in1k=_mnv4(384),
        e180_r384_in12k=_mnv4(384, crop_pct=1.0, num_classes=_IN12K),
        e180_ad_r384_in12k=_mnv4(384, crop_pct=1.0, num_classes=_IN12K),
        e250_r384_in12k=_mnv4(384, crop_pct=1.0, num_classes=_IN12K),
    ),
    "mobilenetv4_conv_large": dict(
        e600_r384_in1k=_mnv4(384, test_size=448),
        e500_r256_in1k=_mnv4(256, test_size=320),
    ),
    "mobilenetv4_hybrid_medium": dict(
        e200_r256_in12k_ft_in1k=_mnv4(256, test_size=320),
        ix_e550_r256_in1k=_mnv4(256, test_size=320),
        ix_e550_r384_in1k=_mnv4(384, test_size=448),
        e500_r224_in1k=_mnv4(test_size=256),
        e200_r256_in12k=_mnv4(256, test_size=320, num_classes=_IN12K),
    ),
    "mobilenetv4_hybrid_large": dict(
        ix_e600_r384_in1k=_mnv4(384, test_size=448),
        e600_r384_in1k=_mnv4(384, test_size=448),
    ),
    "mobilenetv4_conv_aa_medium": dict(untrained=_mnv4(256, **_UNTRAINED)),
    "mobilenetv4_conv_blur_medium": dict(e500_r224_in1k=_mnv4(test_size=256)),
    "mobilenetv4_conv_aa_large": dict(
        e230_r448_in12k_ft_in1k=_mnv4(448, test_size=544),
        e230_r384_in12k_ft_in1k=_mnv4(384, test_size=480),
        e600_r384_in1k=_mnv4(384, test_size=480),
        e230_r384_in12k=_mnv4(384, test_size=448, num_classes=_IN12K),
    ),
    "mobilenetv4_hybrid_medium_075": dict(untrained=_mnv4(**_UNTRAINED)),
    "mobilenetv4_hybrid_large_075": dict(untrained=_mnv4(256, **_UNTRAINED)),
}
