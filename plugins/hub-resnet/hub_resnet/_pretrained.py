"""Pretrained weights of the ResNet family: one cfg per tag, in timm's order (the first is the default).

Each tag is the family's cfg (`FAMILY`) changed by the preset of the recipe its weights were
trained with, then by its own values (usually the original download URL). Every tag's weights
are on the Hugging Face Hub as ``timm/<arch>.<tag>``, except the ``untrained`` placeholders.
The manifest adds ``first_conv``, which depends on the architecture's stem. No torch here.
"""

from __future__ import annotations

from typing import Any

from hub import IMAGENET_INCEPTION_MEAN, IMAGENET_INCEPTION_STD, PretrainedCfg

__all__ = ["FAMILY", "PRETRAINED"]

_TIMM = "https://github.com/huggingface/pytorch-image-models"
_RSB_PAPER = "arXiv:2110.00476"  # "ResNet strikes back"

# Where the original files were published (the URLs are facts of each tag's cfg).
_RW_RELEASES = "https://github.com/rwightman/pytorch-image-models/releases/download"
_HF_RELEASES = "https://github.com/huggingface/pytorch-image-models/releases/download"
_RW_WEIGHTS = f"{_RW_RELEASES}/v0.1-weights/"
_HF_WEIGHTS = f"{_HF_RELEASES}/v0.1-weights/"
_RW_RSB = f"{_RW_RELEASES}/v0.1-rsb-weights/"
_HF_RSB = f"{_HF_RELEASES}/v0.1-rsb-weights/"
_GLUON = "https://github.com/rwightman/pytorch-pretrained-gluonresnet/releases/download/v0.1/"
_TV = "https://download.pytorch.org/models/"
_TRESNET = f"{_RW_RELEASES}/v0.1-tresnet/"
_RW_TPU = f"{_RW_RELEASES}/v0.1-tpu-weights/"
_FB_SEMI = "https://dl.fbaipublicfiles.com/semiweaksupervision/model_files/"

FAMILY = PretrainedCfg(
    hf_hub_id="timm/",
    num_classes=1000,
    input_size=(3, 224, 224),
    pool_size=(7, 7),
    crop_pct=0.875,
    interpolation="bilinear",
    classifier="fc",
    license="apache-2.0",
)

# Training recipes shared by many tags.
_BICUBIC = {"interpolation": "bicubic"}
TIMM_RECIPE = {**_BICUBIC, "test_input_size": (3, 288, 288), "test_crop_pct": 0.95, "origin_url": _TIMM}
# timm's later recipes (the "sw" fine-tunes), then the "ResNet strikes back" ones, which add the paper.
SW = {**_BICUBIC, "crop_pct": 0.95, "test_input_size": (3, 288, 288), "test_crop_pct": 1.0, "origin_url": _TIMM}
RSB = {**SW, "paper_ids": _RSB_PAPER}
RSB_160 = {
    **RSB,
    "input_size": (3, 160, 160),
    "pool_size": (5, 5),
    "test_input_size": (3, 224, 224),
    "test_crop_pct": 0.95,
}
# 176 px training (the "t" variants' c3 recipe, resnet50's a1h).
_AT_176 = {**_BICUBIC, "input_size": (3, 176, 176), "pool_size": (6, 6), "test_input_size": (3, 224, 224)}
C3_176 = {**_AT_176, "test_crop_pct": 0.95, "origin_url": _TIMM}
A1H_176 = {**_AT_176, "crop_pct": 0.9, "test_crop_pct": 1.0, "origin_url": _TIMM, "paper_ids": _RSB_PAPER}
# 256 px RandAugment-2 training of the deep "d" variants.
_AT_256 = {**_BICUBIC, "input_size": (3, 256, 256), "pool_size": (8, 8), "test_input_size": (3, 320, 320)}
RA2_256 = {**_AT_256, "crop_pct": 0.95, "test_crop_pct": 1.0, "origin_url": _TIMM}
# The 3600-epoch RandAugment-4 recipe, on inputs scaled to [-1, 1].
RA4 = {
    **_BICUBIC,
    "crop_pct": 0.9,
    "test_input_size": (3, 288, 288),
    "test_crop_pct": 1.0,
    "mean": IMAGENET_INCEPTION_MEAN,
    "std": IMAGENET_INCEPTION_STD,
    "origin_url": _TIMM,
    "paper_ids": _RSB_PAPER,
}
GLUON = {**_BICUBIC, "origin_url": "https://cv.gluon.ai/model_zoo/classification.html"}
# Alibaba MIIL's ECA-ResNets, evaluated at 288 px.
MIIL = {**_BICUBIC, "test_input_size": (3, 288, 288), "test_crop_pct": 0.95}
TORCHVISION = {"license": "bsd-3-clause", "origin_url": "https://github.com/pytorch/vision"}
TORCHVISION_V2 = {
    **TORCHVISION,
    "input_size": (3, 176, 176),
    "pool_size": (6, 6),
    "test_input_size": (3, 224, 224),
    "test_crop_pct": 0.965,
}
FB_SEMI_SUPERVISED = {
    "license": "cc-by-nc-4.0",
    "origin_url": "https://github.com/facebookresearch/semi-supervised-ImageNet1K-models",
}


def tag(*presets: dict[str, Any], **fields: Any) -> PretrainedCfg:
    """One tag's cfg: the family's, changed by ``presets`` in order, then by ``fields``."""
    return FAMILY.replace(*presets, **fields)


def _fb_semi(file: str) -> PretrainedCfg:
    return tag(FB_SEMI_SUPERVISED, url=_FB_SEMI + file)


def _fb_wsl(file: str) -> PretrainedCfg:
    return tag(url=_TV + file, license="cc-by-nc-4.0", origin_url="https://github.com/facebookresearch/WSL-Images")


def _untrained(*presets: dict[str, Any], **fields: Any) -> PretrainedCfg:
    """A placeholder without weights, with the cfg timm gives it (usually timm's recipe)."""
    return tag(*(presets or (TIMM_RECIPE,)), hf_hub_id=None, **fields)


def _square(size: int, test_size: int | None = None) -> dict[str, Any]:
    """Input (and test input) size, with the final map's size as pool_size."""
    at_size: dict[str, Any] = {"input_size": (3, size, size), "pool_size": (size // 32, size // 32)}
    if test_size:
        at_size["test_input_size"] = (3, test_size, test_size)
    return at_size


def _rs(file: str, size: int, test_size: int, crop_pct: float, release: str = "v0.1-rs-weights") -> PretrainedCfg:
    """ResNet-RS weights ported from TensorFlow."""
    return tag(_BICUBIC, _square(size, test_size), crop_pct=crop_pct, url=f"{_RW_RELEASES}/{release}/{file}")


PRETRAINED: dict[str, dict[str, PretrainedCfg]] = {
    "resnet10t": {"c3_in1k": tag(C3_176, url=_RW_RSB + "resnet10t_176_c3-f3215ab1.pth")},
    "resnet14t": {"c3_in1k": tag(C3_176, url=_RW_RSB + "resnet14t_176_c3-c4ed2c37.pth")},
    "resnet18": {
        "a1_in1k": tag(RSB, url=_HF_RSB + "resnet18_a1_0-d63eafa0.pth"),
        "a2_in1k": tag(RSB, url=_HF_RSB + "resnet18_a2_0-b61bd467.pth"),
        "a3_in1k": tag(RSB_160, url=_HF_RSB + "resnet18_a3_0-40c531c8.pth"),
        "tv_in1k": tag(TORCHVISION, url=_TV + "resnet18-f37072fd.pth"),
        "fb_ssl_yfcc100m_ft_in1k": _fb_semi("semi_supervised_resnet18-d92f0530.pth"),
        "fb_swsl_ig1b_ft_in1k": _fb_semi("semi_weakly_supervised_resnet18-118f1556.pth"),
        "gluon_in1k": tag(GLUON, url=_GLUON + "gluon_resnet18_v1b-0757602b.pth"),
    },
    "resnet18d": {
        "ra2_in1k": tag(TIMM_RECIPE, url=_RW_WEIGHTS + "resnet18d_ra2-48a79e06.pth"),
        "ra4_e3600_r224_in1k": tag(RA4),
    },
    "resnet26": {"bt_in1k": tag(TIMM_RECIPE, url=_RW_WEIGHTS + "resnet26-9aa10e23.pth")},
    "resnet26d": {"bt_in1k": tag(TIMM_RECIPE, url=_RW_WEIGHTS + "resnet26d-69e92c46.pth")},
    "resnet34": {
        "a1_in1k": tag(RSB, url=_HF_RSB + "resnet34_a1_0-46f8f793.pth"),
        "a2_in1k": tag(RSB, url=_HF_RSB + "resnet34_a2_0-82d47d71.pth"),
        "a3_in1k": tag(RSB_160, url=_HF_RSB + "resnet34_a3_0-a20cabb6.pth"),
        "bt_in1k": tag(TIMM_RECIPE, url=_RW_WEIGHTS + "resnet34-43635321.pth"),
        "ra4_e3600_r224_in1k": tag(RA4),
        "tv_in1k": tag(TORCHVISION, url=_TV + "resnet34-b627a593.pth"),
        "gluon_in1k": tag(GLUON, url=_GLUON + "gluon_resnet34_v1b-c6d82d59.pth"),
    },
    "resnet34d": {"ra2_in1k": tag(TIMM_RECIPE, url=_RW_WEIGHTS + "resnet34d_ra2-f8dcfcaf.pth")},
    "resnet50": {
        "a1_in1k": tag(RSB, url=_RW_RSB + "resnet50_a1_0-14fe96d1.pth"),
        "a1h_in1k": tag(A1H_176, url=_HF_RSB + "resnet50_a1h2_176-001a1197.pth"),
        "a2_in1k": tag(RSB, url=_HF_RSB + "resnet50_a2_0-a2746f79.pth"),
        "a3_in1k": tag(RSB_160, url=_HF_RSB + "resnet50_a3_0-59cae1ef.pth"),
        "b1k_in1k": tag(RSB, url=_HF_RSB + "resnet50_b1k-532a802a.pth"),
        "b2k_in1k": tag(RSB, url=_HF_RSB + "resnet50_b2k-1ba180c1.pth"),
        "c1_in1k": tag(RSB, url=_HF_RSB + "resnet50_c1-5ba5e060.pth"),
        "c2_in1k": tag(RSB, url=_HF_RSB + "resnet50_c2-d01e05b2.pth"),
        "d_in1k": tag(RSB, url=_HF_RSB + "resnet50_d-f39db8af.pth"),
        "ram_in1k": tag(TIMM_RECIPE, url=_HF_WEIGHTS + "resnet50_ram-a26f946b.pth"),
        "am_in1k": tag(_BICUBIC, url=_HF_WEIGHTS + "resnet50_am-6c502b37.pth"),
        "ra_in1k": tag(TIMM_RECIPE, url=_HF_WEIGHTS + "resnet50_ra-85ebb6e5.pth"),
        "bt_in1k": tag(TIMM_RECIPE, url=_HF_WEIGHTS + "rw_resnet50-86acaeed.pth"),
        "tv_in1k": tag(TORCHVISION, url=_TV + "resnet50-0676ba61.pth"),
        "tv2_in1k": tag(TORCHVISION_V2, url=_TV + "resnet50-11ad3fa6.pth"),
        "bamboo": tag(
            _BICUBIC,
            crop_pct=1.0,
            num_classes=0,
            license=None,
            origin_url="https://github.com/ZhangYuanhan-AI/Bamboo",
            paper_ids="arXiv:2203.07845",
        ),
        "fb_ssl_yfcc100m_ft_in1k": _fb_semi("semi_supervised_resnet50-08389792.pth"),
        "fb_swsl_ig1b_ft_in1k": _fb_semi("semi_weakly_supervised_resnet50-16a12f1b.pth"),
        "gluon_in1k": tag(GLUON, url=_GLUON + "gluon_resnet50_v1b-0ebe02e2.pth"),
    },
    "resnet50d": {
        "ra2_in1k": tag(TIMM_RECIPE, url=_RW_WEIGHTS + "resnet50d_ra2-464e36ba.pth"),
        "ra4_e3600_r224_in1k": tag(RSB, mean=IMAGENET_INCEPTION_MEAN, std=IMAGENET_INCEPTION_STD),
        "a1_in1k": tag(RSB, url=_HF_RSB + "resnet50d_a1_0-e20cff14.pth"),
        "a2_in1k": tag(RSB, url=_HF_RSB + "resnet50d_a2_0-a3adc64d.pth"),
        "a3_in1k": tag(RSB_160, url=_HF_RSB + "resnet50d_a3_0-403fdfad.pth"),
        "gluon_in1k": tag(GLUON, url=_GLUON + "gluon_resnet50_v1d-818a1b1b.pth"),
    },
    "resnet101": {
        "a1h_in1k": tag(RSB, url=_RW_RSB + "resnet101_a1h-36d3f2aa.pth"),
        "a1_in1k": tag(RSB, url=_HF_RSB + "resnet101_a1_0-cdcb52a9.pth"),
        "a2_in1k": tag(RSB, url=_HF_RSB + "resnet101_a2_0-6edb36c7.pth"),
        "a3_in1k": tag(RSB_160, url=_HF_RSB + "resnet101_a3_0-1db14157.pth"),
        "tv_in1k": tag(TORCHVISION, url=_TV + "resnet101-63fe2227.pth"),
        "tv2_in1k": tag(TORCHVISION_V2, url=_TV + "resnet101-cd907fc2.pth"),
        "gluon_in1k": tag(GLUON, url=_GLUON + "gluon_resnet101_v1b-3b017079.pth"),
    },
    "resnet101d": {
        "ra2_in1k": tag(RA2_256, url=_RW_WEIGHTS + "resnet101d_ra2-2803ffab.pth"),
        "gluon_in1k": tag(GLUON, url=_GLUON + "gluon_resnet101_v1d-0f9c8644.pth"),
    },
    "resnet152": {
        "a1h_in1k": tag(RSB, url=_RW_RSB + "resnet152_a1h-dc400468.pth"),
        "a1_in1k": tag(RSB, url=_HF_RSB + "resnet152_a1_0-2eee8a7a.pth"),
        "a2_in1k": tag(RSB, url=_HF_RSB + "resnet152_a2_0-b4c6978f.pth"),
        "a3_in1k": tag(RSB_160, url=_HF_RSB + "resnet152_a3_0-134d4688.pth"),
        "tv_in1k": tag(TORCHVISION, url=_TV + "resnet152-394f9c45.pth"),
        "tv2_in1k": tag(TORCHVISION_V2, url=_TV + "resnet152-f82ba261.pth"),
        "gluon_in1k": tag(GLUON, url=_GLUON + "gluon_resnet152_v1b-c1edb0dd.pth"),
    },
    "resnet152d": {
        "ra2_in1k": tag(RA2_256, url=_RW_WEIGHTS + "resnet152d_ra2-5cac0439.pth"),
        "gluon_in1k": tag(GLUON, url=_GLUON + "gluon_resnet152_v1d-bd354e12.pth"),
    },
    "resnet200d": {"ra2_in1k": tag(RA2_256, url=_RW_WEIGHTS + "resnet200d_ra2-bdba9bf9.pth")},
    "wide_resnet50_2": {
        "racm_in1k": tag(TIMM_RECIPE, url=_RW_WEIGHTS + "wide_resnet50_racm-8234f177.pth"),
        "tv_in1k": tag(TORCHVISION, url=_TV + "wide_resnet50_2-95faca4d.pth"),
        "tv2_in1k": tag(TORCHVISION_V2, url=_TV + "wide_resnet50_2-9ba9bcbe.pth"),
    },
    "wide_resnet101_2": {
        "tv_in1k": tag(TORCHVISION, url=_TV + "wide_resnet101_2-32ee1156.pth"),
        "tv2_in1k": tag(TORCHVISION_V2, url=_TV + "wide_resnet101_2-d733dc28.pth"),
    },
    "resnext50_32x4d": {
        "a1h_in1k": tag(RSB, url=_RW_RSB + "resnext50_32x4d_a1h-0146ab0a.pth"),
        "a1_in1k": tag(RSB, url=_HF_RSB + "resnext50_32x4d_a1_0-b5a91a1d.pth"),
        "a2_in1k": tag(RSB, url=_HF_RSB + "resnext50_32x4d_a2_0-efc76add.pth"),
        "a3_in1k": tag(RSB_160, url=_HF_RSB + "resnext50_32x4d_a3_0-3e450271.pth"),
        "ra_in1k": tag(TIMM_RECIPE, url=_HF_WEIGHTS + "resnext50_32x4d_ra-d733960d.pth"),
        "tv_in1k": tag(TORCHVISION, url=_TV + "resnext50_32x4d-7cdf4587.pth"),
        "tv2_in1k": tag(TORCHVISION_V2, url=_TV + "resnext50_32x4d-1a0047aa.pth"),
        "fb_ssl_yfcc100m_ft_in1k": _fb_semi("semi_supervised_resnext50_32x4-ddb3e555.pth"),
        "fb_swsl_ig1b_ft_in1k": _fb_semi("semi_weakly_supervised_resnext50_32x4-72679e44.pth"),
        "gluon_in1k": tag(GLUON, url=_GLUON + "gluon_resnext50_32x4d-e6a097c1.pth"),
    },
    "resnext50d_32x4d": {"bt_in1k": tag(TIMM_RECIPE, url=_RW_WEIGHTS + "resnext50d_32x4d-103e99f8.pth")},
    "resnext101_32x4d": {
        "fb_ssl_yfcc100m_ft_in1k": _fb_semi("semi_supervised_resnext101_32x4-dc43570a.pth"),
        "untrained": _untrained(),
        "fb_swsl_ig1b_ft_in1k": _fb_semi("semi_weakly_supervised_resnext101_32x4-3f87e46b.pth"),
        "gluon_in1k": tag(GLUON, url=_GLUON + "gluon_resnext101_32x4d-b253c8c4.pth"),
    },
    "resnext101_32x8d": {
        "tv_in1k": tag(TORCHVISION, url=_TV + "resnext101_32x8d-8ba56ff5.pth"),
        "tv2_in1k": tag(TORCHVISION_V2, url=_TV + "resnext101_32x8d-110c445d.pth"),
        "fb_wsl_ig1b_ft_in1k": _fb_wsl("ig_resnext101_32x8-c38310e5.pth"),
        "fb_ssl_yfcc100m_ft_in1k": _fb_semi("semi_supervised_resnext101_32x8-2cfe2f8b.pth"),
        "fb_swsl_ig1b_ft_in1k": _fb_semi("semi_weakly_supervised_resnext101_32x8-b4712904.pth"),
    },
    "resnext101_64x4d": {
        "c1_in1k": tag(RSB, url=_RW_TPU + "resnext101_64x4d_c-0d0e0cc0.pth"),
        "tv_in1k": tag(TORCHVISION, url=_TV + "resnext101_64x4d-173b62eb.pth"),
        "gluon_in1k": tag(GLUON, url=_GLUON + "gluon_resnext101_64x4d-f9a8e184.pth"),
    },
    "seresnet50": {
        "a1_in1k": tag(RSB, url=_HF_RSB + "seresnet50_a1_0-ffa00869.pth"),
        "a2_in1k": tag(RSB, url=_HF_RSB + "seresnet50_a2_0-850de0d9.pth"),
        "a3_in1k": tag(RSB_160, url=_HF_RSB + "seresnet50_a3_0-317ecd56.pth"),
        "ra2_in1k": tag(TIMM_RECIPE, url=_RW_WEIGHTS + "seresnet50_ra_224-8efdb4bb.pth"),
    },
    "seresnext50_32x4d": {
        "racm_in1k": tag(TIMM_RECIPE, url=_RW_WEIGHTS + "seresnext50_32x4d_racm-a304a460.pth"),
        "gluon_in1k": tag(GLUON, url=_GLUON + "gluon_seresnext50_32x4d-90cf2d6e.pth"),
    },
    "seresnext101_32x4d": {
        "gluon_in1k": tag(GLUON, url=_GLUON + "gluon_seresnext101_32x4d-cf52900d.pth"),
        "untrained": _untrained(),
    },
    "ecaresnet50d": {"miil_in1k": tag(MIIL, url=_TRESNET + "ecaresnet50d-93c81e3b.pth")},
    "resnet26t": {
        "ra2_in1k": tag(
            _AT_256,
            url=f"{_RW_RELEASES}/v0.1-attn-weights/resnet26t_256_ra2-6f6fa748.pth",
            crop_pct=0.94,
            test_crop_pct=1.0,
            origin_url=_TIMM,
        ),
    },
    "resnet50c": {"gluon_in1k": tag(GLUON, url=_GLUON + "gluon_resnet50_v1c-48092f55.pth")},
    "resnet50s": {"gluon_in1k": tag(GLUON, url=_GLUON + "gluon_resnet50_v1s-1762acc0.pth")},
    "resnet50t": {"untrained": _untrained()},
    "resnet101c": {"gluon_in1k": tag(GLUON, url=_GLUON + "gluon_resnet101_v1c-1f26822a.pth")},
    "resnet101s": {"gluon_in1k": tag(GLUON, url=_GLUON + "gluon_resnet101_v1s-60fe0cc1.pth")},
    "resnet152c": {"gluon_in1k": tag(GLUON, url=_GLUON + "gluon_resnet152_v1c-a3bb0b98.pth")},
    "resnet152s": {"gluon_in1k": tag(GLUON, url=_GLUON + "gluon_resnet152_v1s-dcc41b81.pth")},
    "resnet200": {"untrained": _untrained()},
    "resnet50_gn": {
        "a1h_in1k": tag(TIMM_RECIPE, url=_RW_RSB + "resnet50_gn_a1h2-8fe6c4d0.pth", crop_pct=0.94),
    },
    "resnext101_32x16d": {
        "fb_wsl_ig1b_ft_in1k": _fb_wsl("ig_resnext101_32x16-c6f796b0.pth"),
        "fb_ssl_yfcc100m_ft_in1k": _fb_semi("semi_supervised_resnext101_32x16-15fffa57.pth"),
        "fb_swsl_ig1b_ft_in1k": _fb_semi("semi_weakly_supervised_resnext101_32x16-f3559a9c.pth"),
    },
    "resnext101_32x32d": {"fb_wsl_ig1b_ft_in1k": _fb_wsl("ig_resnext101_32x32-e4b90b00.pth")},
    "ecaresnet26t": {
        "ra2_in1k": tag(
            _AT_256, url=_RW_WEIGHTS + "ecaresnet26t_ra2-46609757.pth", test_crop_pct=0.95, origin_url=_TIMM
        ),
    },
    "ecaresnet50d_pruned": {"miil_in1k": tag(MIIL, url=_TRESNET + "ecaresnet50d_p-e4fa23c2.pth")},
    "ecaresnet50t": {
        "ra2_in1k": tag(_AT_256, url=_RW_WEIGHTS + "ecaresnet50t_ra2-f7ac63c4.pth", test_crop_pct=0.95),
        "a1_in1k": tag(RSB, url=_HF_RSB + "ecaresnet50t_a1_0-99bd76a8.pth"),
        "a2_in1k": tag(RSB, url=_HF_RSB + "ecaresnet50t_a2_0-b1c7b745.pth"),
        "a3_in1k": tag(RSB_160, url=_HF_RSB + "ecaresnet50t_a3_0-8cc311f1.pth"),
    },
    "ecaresnetlight": {"miil_in1k": tag(MIIL, url=_TRESNET + "ecaresnetlight-75a9c627.pth")},
    "ecaresnet101d": {"miil_in1k": tag(MIIL, url=_TRESNET + "ecaresnet101d-153dad65.pth")},
    "ecaresnet101d_pruned": {"miil_in1k": tag(MIIL, url=_TRESNET + "ecaresnet101d_p-9e74cb91.pth")},
    "ecaresnet200d": {
        "untrained": _untrained(TIMM_RECIPE, _square(256, 288), crop_pct=0.95),
    },
    "ecaresnet269d": {
        "ra2_in1k": tag(
            _BICUBIC,
            _square(320, 352),
            url=_RW_WEIGHTS + "ecaresnet269d_320_ra2-7baa55cb.pth",
            crop_pct=0.95,
            test_crop_pct=1.0,
            origin_url=_TIMM,
        ),
    },
    "ecaresnext26t_32x4d": {"untrained": _untrained(_BICUBIC)},
    "ecaresnext50t_32x4d": {"untrained": _untrained(_BICUBIC)},
    "seresnet18": {"untrained": _untrained()},
    "seresnet34": {"untrained": _untrained()},
    "seresnet50t": {"untrained": _untrained()},
    "seresnet101": {"untrained": _untrained()},
    "seresnet152": {"untrained": _untrained()},
    "seresnet152d": {"ra2_in1k": tag(RA2_256, url=_RW_WEIGHTS + "seresnet152d_ra2-04464dd2.pth")},
    "seresnet200d": {"untrained": _untrained(TIMM_RECIPE, _square(256, 288))},
    "seresnet269d": {"untrained": _untrained(TIMM_RECIPE, _square(256, 288))},
    "seresnext26d_32x4d": {"bt_in1k": tag(TIMM_RECIPE, url=_RW_WEIGHTS + "seresnext26d_32x4d-80fa48a3.pth")},
    "seresnext26t_32x4d": {"bt_in1k": tag(TIMM_RECIPE, url=_RW_WEIGHTS + "seresnext26tn_32x4d-569cb627.pth")},
    "seresnext101_32x8d": {"ah_in1k": tag(RSB, url=_RW_TPU + "seresnext101_32x8d_ah-e6bc4c0a.pth")},
    "seresnext101d_32x8d": {"ah_in1k": tag(RSB, url=_RW_TPU + "seresnext101d_32x8d_ah-191d7b94.pth")},
    "seresnext101_64x4d": {"gluon_in1k": tag(GLUON, url=_GLUON + "gluon_seresnext101_64x4d-f9926f93.pth")},
    "senet154": {"gluon_in1k": tag(GLUON, url=_GLUON + "gluon_senet154-70a1a3c0.pth")},
    "resnetblur18": {"untrained": _untrained()},
    "resnetblur50": {"bt_in1k": tag(TIMM_RECIPE, url=_RW_WEIGHTS + "resnetblur50-84f4748f.pth")},
    "resnetblur50d": {"untrained": _untrained()},
    "resnetblur101d": {"untrained": _untrained()},
    "resnetaa34d": {"untrained": _untrained()},
    "resnetaa50": {"a1h_in1k": tag(RSB, url=_RW_RSB + "resnetaa50_a1h-4cf422b3.pth")},
    "resnetaa50d": {
        "sw_in12k_ft_in1k": tag(SW),
        "sw_in12k": tag(SW, num_classes=11821),
        "d_in12k": tag(SW, num_classes=11821),
    },
    "resnetaa101d": {
        "sw_in12k_ft_in1k": tag(SW),
        "sw_in12k": tag(SW, num_classes=11821),
    },
    "seresnetaa50d": {"untrained": _untrained()},
    "seresnextaa101d_32x8d": {
        "sw_in12k_ft_in1k_288": tag(SW, _square(288, 320)),
        "sw_in12k_ft_in1k": tag(SW, crop_pct=0.875),
        "sw_in12k": tag(SW, num_classes=11821),
        "ah_in1k": tag(RSB, url=_RW_TPU + "seresnextaa101d_32x8d_ah-83c8ae12.pth"),
    },
    "seresnextaa201d_32x8d": {
        "sw_in12k_ft_in1k_384": tag(_BICUBIC, _square(384), crop_pct=1.0),
        "sw_in12k": tag(_BICUBIC, _square(320, 384), crop_pct=0.95, test_crop_pct=1.0, num_classes=11821),
    },
    "resnetrs50": {"tf_in1k": _rs("resnetrs50_ema-6b53758b.pth", 160, 224, 0.91)},
    "resnetrs101": {"tf_in1k": _rs("resnetrs101_i192_ema-1509bbf6.pth", 192, 288, 0.94)},
    "resnetrs152": {"tf_in1k": _rs("resnetrs152_i256_ema-a9aff7f9.pth", 256, 320, 1.0)},
    "resnetrs200": {"tf_in1k": _rs("resnetrs200_c-6b698b88.pth", 256, 320, 1.0, release="v0.1-tpu-weights")},
    "resnetrs270": {"tf_in1k": _rs("resnetrs270_ema-b40e674c.pth", 256, 352, 1.0)},
    "resnetrs350": {"tf_in1k": _rs("resnetrs350_i256_ema-5a1aa8f1.pth", 288, 384, 1.0)},
    "resnetrs420": {"tf_in1k": _rs("resnetrs420_ema-972dee69.pth", 320, 416, 1.0)},
    "test_resnet": {
        "r160_in1k": tag(_square(160), crop_pct=0.95, mean=IMAGENET_INCEPTION_MEAN, std=IMAGENET_INCEPTION_STD),
    },
}
