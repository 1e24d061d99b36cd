"""The architectures of the family as data: one `ViTConfig` per registered name. No torch.

Every ViT, DeiT, CLIP, SigLIP, DINOv2, AIMv2, BEiT-3 or RADIO tower here is the same
transformer: patch embedding, prefix tokens, a stack of blocks, a final norm and a pooled
head. A variant is its size, its patch and input size, and a handful of typed switches
(which norm, activation, MLP and block, which prefix tokens, which pool), each one a
constructor argument of `hub_vit.model.VisionTransformer`.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import Any, Literal

__all__ = [
    "ACT_LAYERS",
    "ATTN_LAYERS",
    "BLOCK_FNS",
    "MLP_LAYERS",
    "NORM_LAYERS",
    "VARIANTS",
    "ViTConfig",
]

NormLayer = Literal["layernorm", "rmsnorm"]
ActLayer = Literal["gelu", "gelu_tanh", "quick_gelu", "silu"]
MlpLayer = Literal["mlp", "swiglu", "swiglu_packed"]
BlockFn = Literal["block", "res_post", "parallel_scaling", "diff_parallel_scaling", "parallel_things"]
AttnLayer = Literal["attn", "diff"]

NORM_LAYERS: tuple[NormLayer, ...] = ("layernorm", "rmsnorm")
ACT_LAYERS: tuple[ActLayer, ...] = ("gelu", "gelu_tanh", "quick_gelu", "silu")
MLP_LAYERS: tuple[MlpLayer, ...] = ("mlp", "swiglu", "swiglu_packed")
BLOCK_FNS: tuple[BlockFn, ...] = ("block", "res_post", "parallel_scaling", "diff_parallel_scaling", "parallel_things")
ATTN_LAYERS: tuple[AttnLayer, ...] = ("attn", "diff")


@dataclass(frozen=True)
class ViTConfig:
    """One architecture: the constructor arguments of its model, and which model class it uses.

    Each field is the `VisionTransformer` argument of the same name (see its docstring);
    ``distilled`` picks DeiT's distilled model, with a distillation token and a second head.
    ``img_size`` is the input size of the default weights.
    """

    patch_size: int
    embed_dim: int
    depth: int
    num_heads: int
    img_size: int = 224
    mlp_ratio: float = 4.0
    qkv_bias: bool = True
    qk_norm: bool = False
    scale_attn_norm: bool = False
    scale_mlp_norm: bool = False
    proj_bias: bool = True
    init_values: float | None = None
    class_token: bool = True
    reg_tokens: int = 0
    no_embed_class: bool = False
    global_pool: str = "token"
    fc_norm: bool | None = None
    pool_include_prefix: bool = False
    pre_norm: bool = False
    final_norm: bool = True
    norm_layer: NormLayer = "layernorm"
    norm_eps: float = 1e-6
    embed_norm: bool = False
    act_layer: ActLayer = "gelu"
    mlp_layer: MlpLayer = "mlp"
    block_fn: BlockFn = "block"
    attn_layer: AttnLayer = "attn"
    dynamic_img_size: bool = False
    distilled: bool = False

    def model_args(self) -> dict[str, Any]:
        """Keyword arguments for the model class (everything but ``distilled``, which picks the class)."""
        return {f.name: getattr(self, f.name) for f in fields(self) if f.name != "distilled"}


# Widths, depths and heads of the named sizes (the MLP is 4x wide unless the size says otherwise).
_SIZES: dict[str, dict[str, Any]] = {
    "tiny": {"embed_dim": 192, "depth": 12, "num_heads": 3},
    "small": {"embed_dim": 384, "depth": 12, "num_heads": 6},
    "medium": {"embed_dim": 512, "depth": 12, "num_heads": 8},
    "base": {"embed_dim": 768, "depth": 12, "num_heads": 12},
    "large": {"embed_dim": 1024, "depth": 24, "num_heads": 16},
    "huge": {"embed_dim": 1280, "depth": 32, "num_heads": 16},
    "giant": {"embed_dim": 1408, "depth": 40, "num_heads": 16, "mlp_ratio": 48 / 11},
    "gigantic": {"embed_dim": 1664, "depth": 48, "num_heads": 16, "mlp_ratio": 64 / 13},
    # sizes of the later papers
    "xsmall": {"embed_dim": 256, "depth": 10, "num_heads": 4},  # TinyCLIP
    "betwixt": {"embed_dim": 640, "depth": 12, "num_heads": 10},
    "base_plus": {"embed_dim": 896, "depth": 12, "num_heads": 14},
    "mediumd": {"embed_dim": 512, "depth": 20, "num_heads": 8},
    "wee": {"embed_dim": 256, "depth": 14, "num_heads": 4, "mlp_ratio": 5},
    "pwee": {"embed_dim": 256, "depth": 16, "num_heads": 4, "mlp_ratio": 5},
    "little": {"embed_dim": 320, "depth": 14, "num_heads": 5, "mlp_ratio": 5.6},
    # shape-optimised (SoViT) sizes
    "so150m": {"embed_dim": 896, "depth": 18, "num_heads": 14, "mlp_ratio": 2.572},
    "so150m2": {"embed_dim": 832, "depth": 21, "num_heads": 13, "mlp_ratio": 34 / 13},
    "so400m": {"embed_dim": 1152, "depth": 27, "num_heads": 16, "mlp_ratio": 3.7362},
    "so400m_exact": {"embed_dim": 1152, "depth": 27, "num_heads": 16, "mlp_ratio": 4304 / 1152},
    "giantopt": {"embed_dim": 1536, "depth": 40, "num_heads": 16},
    # DINOv2's giant: 24 heads, a SwiGLU MLP with fc1 packing gate and value (2 x 4096)
    "giant2": {
        "embed_dim": 1536,
        "depth": 40,
        "num_heads": 24,
        "mlp_ratio": 2.66667 * 2,
        "mlp_layer": "swiglu_packed",
        "act_layer": "silu",
    },
    # AIMv2: fewer heads, SwiGLU MLPs
    "aimv2_large": {"embed_dim": 1024, "depth": 24, "num_heads": 8, "mlp_ratio": 2.75},
    "aimv2_huge": {"embed_dim": 1536, "depth": 24, "num_heads": 12, "mlp_ratio": 2.6667},
    "aimv2_1b": {"embed_dim": 2048, "depth": 24, "num_heads": 16, "mlp_ratio": 2.75},
    "aimv2_3b": {"embed_dim": 3072, "depth": 24, "num_heads": 24, "mlp_ratio": 2.6667},
    "beit3_giant": {"embed_dim": 1408, "depth": 40, "num_heads": 16, "mlp_ratio": 4.3637},
    # timm's test models
    "test64": {"embed_dim": 64, "depth": 6, "num_heads": 2, "mlp_ratio": 3},
    "test96": {"embed_dim": 96, "depth": 9, "num_heads": 3, "mlp_ratio": 3},
}


def _arch(size: str, patch_size: int, img_size: int = 224, *presets: dict[str, Any], **changes: Any) -> ViTConfig:
    """A `ViTConfig` of a named size, changed by each preset in order, then by ``changes``."""
    merged = dict(_SIZES[size])
    for preset in presets:
        merged.update(preset)
    merged.update(changes)
    return ViTConfig(patch_size=patch_size, img_size=img_size, **merged)


# DeiT III: the position embedding leaves out the class token; LayerScale from 1e-6.
_DEIT3 = {"no_embed_class": True, "init_values": 1e-6}
# CLIP image towers: a norm before the blocks (and no bias in the patch projection), LayerNorm eps 1e-5.
_CLIP = {"pre_norm": True, "norm_eps": 1e-5}
_QUICK_GELU = {"act_layer": "quick_gelu"}  # the activation OpenAI's and MetaCLIP's towers were trained with
# SigLIP: no class token; attention pooling ('map') or an average of the normed tokens ('gap').
_SIGLIP = {"class_token": False, "global_pool": "map"}
_SIGLIP_GAP = {"class_token": False, "global_pool": "avg", "fc_norm": False}
_GELU_TANH = {"act_layer": "gelu_tanh"}  # SigLIP 2 at patch 32, and the larger SigLIP 2 towers
# An average-pooled ViT without class token (I-JEPA, and timm's own 'gap' models).
_GAP = {"class_token": False, "global_pool": "avg", "fc_norm": False}
_GAP_TIMM = {**_GAP, "qkv_bias": False, "init_values": 1e-6}
# DINOv2 (and register-token DINOv2): LayerScale from 1e-5, registers outside the position embedding.
_DINOV2 = {"init_values": 1e-5}
_REG4_DINOV2 = {"init_values": 1e-5, "reg_tokens": 4, "no_embed_class": True}
_TIPSV2 = {"init_values": 1.0, "reg_tokens": 1, "no_embed_class": True}
# timm's searching-for-better-baselines (SBB) models: registers, no class token, average pool.
_SBB = {"init_values": 1e-5, "class_token": False, "no_embed_class": True, "global_pool": "avg"}
_REG1 = {**_SBB, "reg_tokens": 1}
_REG4 = {**_SBB, "reg_tokens": 4}
# Parallel attention and MLP with qk-norm ('xp'), RMSNorm throughout.
_XP = {
    "pre_norm": True,
    "no_embed_class": True,
    "norm_layer": "rmsnorm",
    "block_fn": "parallel_scaling",
    "qkv_bias": False,
    "qk_norm": True,
}
# AIMv2: RMSNorm (also after the patch projection), SwiGLU, no biases, average pool without class token.
_AIMV2 = {
    "class_token": False,
    "fc_norm": False,
    "global_pool": "avg",
    "qkv_bias": False,
    "proj_bias": False,
    "act_layer": "silu",
    "norm_layer": "rmsnorm",
    "norm_eps": 1e-5,
    "embed_norm": True,
    "mlp_layer": "swiglu",
}
# BEiT-3's vision tower: norms inside attention and MLP (sub-LN), average pool, LayerNorm eps 1e-5.
_BEIT3 = {"scale_attn_norm": True, "scale_mlp_norm": True, "global_pool": "avg", "norm_eps": 1e-5}
# RADIO: class token and registers, no final norm, made for 512 px.
_RADIO_V3 = {"reg_tokens": 7, "no_embed_class": True, "final_norm": False}
_RADIO_V4 = {**_RADIO_V3, "reg_tokens": 9}
_SO150M2 = {"init_values": 1e-5, "qkv_bias": False, "class_token": False, "reg_tokens": 1, "global_pool": "avg"}
_TEST_REG1 = {"class_token": False, "reg_tokens": 1, "init_values": 1e-5}
# Three things everyone should know about ViTs: parallel blocks, LayerScale.
_PARALLEL = {"init_values": 1e-5, "block_fn": "parallel_things"}

VARIANTS: dict[str, ViTConfig] = {
    # ViT (Dosovitskiy et al.; AugReg, SAM, DINO, MAE and the original weights)
    "vit_tiny_patch16_224": _arch("tiny", 16),
    "vit_tiny_patch16_384": _arch("tiny", 16, 384),
    "vit_small_patch32_224": _arch("small", 32),
    "vit_small_patch32_384": _arch("small", 32, 384),
    "vit_small_patch16_224": _arch("small", 16),
    "vit_small_patch16_384": _arch("small", 16, 384),
    "vit_small_patch8_224": _arch("small", 8),
    "vit_base_patch32_224": _arch("base", 32),
    "vit_base_patch32_384": _arch("base", 32, 384),
    "vit_base_patch16_224": _arch("base", 16),
    "vit_base_patch16_384": _arch("base", 16, 384),
    "vit_base_patch8_224": _arch("base", 8),
    "vit_large_patch32_224": _arch("large", 32),
    "vit_large_patch32_384": _arch("large", 32, 384),
    "vit_large_patch16_224": _arch("large", 16),
    "vit_large_patch16_384": _arch("large", 16, 384),
    "vit_large_patch14_224": _arch("large", 14),
    "vit_huge_patch14_224": _arch("huge", 14),
    "vit_giant_patch14_224": _arch("giant", 14),
    "vit_gigantic_patch14_224": _arch("gigantic", 14),
    "vit_base_patch16_224_miil": _arch("base", 16, qkv_bias=False),
    # average-pooled ViTs without class token
    "vit_medium_patch16_gap_240": _arch("medium", 16, 240, _GAP_TIMM),
    "vit_medium_patch16_gap_256": _arch("medium", 16, 256, _GAP_TIMM),
    "vit_medium_patch16_gap_384": _arch("medium", 16, 384, _GAP_TIMM),
    "vit_betwixt_patch16_gap_256": _arch("betwixt", 16, 256, _GAP_TIMM),
    "vit_base_patch16_gap_224": _arch("base", 16, 224, _GAP, num_heads=16),
    "vit_huge_patch14_gap_224": _arch("huge", 14, 224, _GAP),
    "vit_huge_patch16_gap_448": _arch("huge", 16, 448, _GAP),
    "vit_giant_patch16_gap_224": _arch("giant", 16, 224, _GAP),
    # CLIP image towers (OpenAI, LAION, DataComp, DFN, MetaCLIP, TinyCLIP, MobileCLIP 2)
    "vit_xsmall_patch16_clip_224": _arch("xsmall", 16, 224, _CLIP),
    "vit_medium_patch32_clip_224": _arch("medium", 32, 224, _CLIP),
    "vit_medium_patch16_clip_224": _arch("medium", 16, 224, _CLIP),
    "vit_betwixt_patch32_clip_224": _arch("betwixt", 32, 224, _CLIP),
    "vit_base_patch32_clip_224": _arch("base", 32, 224, _CLIP),
    "vit_base_patch32_clip_256": _arch("base", 32, 256, _CLIP),
    "vit_base_patch32_clip_384": _arch("base", 32, 384, _CLIP),
    "vit_base_patch32_clip_448": _arch("base", 32, 448, _CLIP),
    "vit_base_patch16_clip_224": _arch("base", 16, 224, _CLIP),
    "vit_base_patch16_clip_384": _arch("base", 16, 384, _CLIP),
    "vit_base_patch16_plus_clip_240": _arch("base_plus", 16, 240, _CLIP),
    "vit_large_patch14_clip_224": _arch("large", 14, 224, _CLIP),
    "vit_large_patch14_clip_336": _arch("large", 14, 336, _CLIP),
    "vit_huge_patch14_clip_224": _arch("huge", 14, 224, _CLIP),
    "vit_huge_patch14_clip_336": _arch("huge", 14, 336, _CLIP),
    "vit_huge_patch14_clip_378": _arch("huge", 14, 378, _CLIP),
    "vit_giant_patch14_clip_224": _arch("giant", 14, 224, _CLIP),
    "vit_gigantic_patch14_clip_224": _arch("gigantic", 14, 224, _CLIP),
    "vit_gigantic_patch14_clip_378": _arch("gigantic", 14, 378, _CLIP),
    "vit_base_patch32_clip_quickgelu_224": _arch("base", 32, 224, _CLIP, _QUICK_GELU),
    "vit_base_patch16_clip_quickgelu_224": _arch("base", 16, 224, _CLIP, _QUICK_GELU),
    "vit_large_patch14_clip_quickgelu_224": _arch("large", 14, 224, _CLIP, _QUICK_GELU),
    "vit_large_patch14_clip_quickgelu_336": _arch("large", 14, 336, _CLIP, _QUICK_GELU),
    "vit_huge_patch14_clip_quickgelu_224": _arch("huge", 14, 224, _CLIP, _QUICK_GELU),
    "vit_huge_patch14_clip_quickgelu_378": _arch("huge", 14, 378, _CLIP, _QUICK_GELU),
    "vit_gigantic_patch14_clip_quickgelu_224": _arch("gigantic", 14, 224, _CLIP, _QUICK_GELU),
    # ViT-B/16+ and ViT-B/32+ (LayerScale)
    "vit_base_patch32_plus_256": _arch("base_plus", 32, 256, init_values=1e-5),
    "vit_base_patch16_plus_240": _arch("base_plus", 16, 240, init_values=1e-5),
    # residual post-norm blocks, parallel blocks, a deep narrow stack
    "vit_base_patch16_rpn_224": _arch(
        "base", 16, 224, qkv_bias=False, init_values=1e-5, class_token=False, block_fn="res_post", global_pool="avg"
    ),
    "vit_small_patch16_36x1_224": _arch("small", 16, 224, init_values=1e-5, depth=36),
    "vit_small_patch16_18x2_224": _arch("small", 16, 224, _PARALLEL, depth=18),
    "vit_base_patch16_18x2_224": _arch("base", 16, 224, _PARALLEL, depth=18),
    # EVA (MIM pre-training, average pool), FlexiViT
    "eva_large_patch14_196": _arch("large", 14, 196, global_pool="avg"),
    "eva_large_patch14_336": _arch("large", 14, 336, global_pool="avg"),
    "flexivit_small": _arch("small", 16, 240, no_embed_class=True),
    "flexivit_base": _arch("base", 16, 240, no_embed_class=True),
    "flexivit_large": _arch("large", 16, 240, no_embed_class=True),
    # parallel blocks with qk-norm
    "vit_base_patch16_xp_224": _arch("base", 16, 224, _XP),
    "vit_large_patch14_xp_224": _arch("large", 14, 224, _XP),
    "vit_huge_patch14_xp_224": _arch("huge", 14, 224, _XP),
    # DINOv2, with and without registers; TIPSv2
    "vit_small_patch14_dinov2": _arch("small", 14, 518, _DINOV2),
    "vit_base_patch14_dinov2": _arch("base", 14, 518, _DINOV2),
    "vit_large_patch14_dinov2": _arch("large", 14, 518, _DINOV2),
    "vit_giant_patch14_dinov2": _arch("giant2", 14, 518, _DINOV2),
    "vit_small_patch14_reg4_dinov2": _arch("small", 14, 518, _REG4_DINOV2),
    "vit_base_patch14_reg4_dinov2": _arch("base", 14, 518, _REG4_DINOV2),
    "vit_large_patch14_reg4_dinov2": _arch("large", 14, 518, _REG4_DINOV2),
    "vit_giant_patch14_reg4_dinov2": _arch("giant2", 14, 518, _REG4_DINOV2),
    "vit_base_patch14_reg1_tipsv2": _arch("base", 14, 448, _TIPSV2),
    "vit_large_patch14_reg1_tipsv2": _arch("large", 14, 448, _TIPSV2),
    "vit_so400m_patch14_reg1_tipsv2": _arch("so400m_exact", 14, 448, _TIPSV2),
    "vit_giant_patch14_reg1_tipsv2": _arch("giant2", 14, 448, _TIPSV2),
    # SigLIP and SigLIP 2, attention-pooled
    "vit_base_patch32_siglip_256": _arch("base", 32, 256, _SIGLIP, _GELU_TANH),
    "vit_base_patch16_siglip_224": _arch("base", 16, 224, _SIGLIP),
    "vit_base_patch16_siglip_256": _arch("base", 16, 256, _SIGLIP),
    "vit_base_patch16_siglip_384": _arch("base", 16, 384, _SIGLIP),
    "vit_base_patch16_siglip_512": _arch("base", 16, 512, _SIGLIP),
    "vit_large_patch16_siglip_256": _arch("large", 16, 256, _SIGLIP),
    "vit_large_patch16_siglip_384": _arch("large", 16, 384, _SIGLIP),
    "vit_large_patch16_siglip_512": _arch("large", 16, 512, _SIGLIP, _GELU_TANH),
    "vit_so400m_patch14_siglip_224": _arch("so400m", 14, 224, _SIGLIP),
    "vit_so400m_patch14_siglip_378": _arch("so400m", 14, 378, _SIGLIP),
    "vit_so400m_patch14_siglip_384": _arch("so400m", 14, 384, _SIGLIP),
    "vit_so400m_patch16_siglip_256": _arch("so400m", 16, 256, _SIGLIP, _GELU_TANH),
    "vit_so400m_patch16_siglip_384": _arch("so400m", 16, 384, _SIGLIP, _GELU_TANH),
    "vit_so400m_patch16_siglip_512": _arch("so400m", 16, 512, _SIGLIP, _GELU_TANH),
    "vit_giantopt_patch16_siglip_256": _arch("giantopt", 16, 256, _SIGLIP, _GELU_TANH),
    "vit_giantopt_patch16_siglip_384": _arch("giantopt", 16, 384, _SIGLIP, _GELU_TANH),
    # SigLIP and SigLIP 2 (and PaliGemma's towers), average-pooled
    "vit_base_patch32_siglip_gap_256": _arch("base", 32, 256, _SIGLIP_GAP, _GELU_TANH),
    "vit_base_patch16_siglip_gap_224": _arch("base", 16, 224, _SIGLIP_GAP),
    "vit_base_patch16_siglip_gap_256": _arch("base", 16, 256, _SIGLIP_GAP),
    "vit_base_patch16_siglip_gap_384": _arch("base", 16, 384, _SIGLIP_GAP),
    "vit_base_patch16_siglip_gap_512": _arch("base", 16, 512, _SIGLIP_GAP),
    "vit_large_patch16_siglip_gap_256": _arch("large", 16, 256, _SIGLIP_GAP),
    "vit_large_patch16_siglip_gap_384": _arch("large", 16, 384, _SIGLIP_GAP),
    "vit_large_patch16_siglip_gap_512": _arch("large", 16, 512, _SIGLIP_GAP, _GELU_TANH),
    "vit_so400m_patch14_siglip_gap_224": _arch("so400m", 14, 224, _SIGLIP_GAP),
    "vit_so400m_patch14_siglip_gap_378": _arch("so400m", 14, 378, _SIGLIP_GAP),
    "vit_so400m_patch14_siglip_gap_384": _arch("so400m", 14, 384, _SIGLIP_GAP),
    "vit_so400m_patch14_siglip_gap_448": _arch("so400m", 14, 448, _SIGLIP_GAP),
    "vit_so400m_patch14_siglip_gap_896": _arch("so400m", 14, 896, _SIGLIP_GAP),
    "vit_so400m_patch16_siglip_gap_256": _arch("so400m", 16, 256, _SIGLIP_GAP, _GELU_TANH),
    "vit_so400m_patch16_siglip_gap_384": _arch("so400m", 16, 384, _SIGLIP_GAP, _GELU_TANH),
    "vit_so400m_patch16_siglip_gap_512": _arch("so400m", 16, 512, _SIGLIP_GAP, _GELU_TANH),
    "vit_giantopt_patch16_siglip_gap_256": _arch("giantopt", 16, 256, _SIGLIP_GAP, _GELU_TANH),
    "vit_giantopt_patch16_siglip_gap_384": _arch("giantopt", 16, 384, _SIGLIP_GAP, _GELU_TANH),
    # SBB: register tokens, average pool; differential attention ('d') and parallel blocks ('p')
    "vit_wee_patch16_reg1_gap_256": _arch("wee", 16, 256, _REG1),
    "vit_dwee_patch16_reg1_gap_256": _arch("wee", 16, 256, _REG1, attn_layer="diff"),
    "vit_pwee_patch16_reg1_gap_256": _arch("pwee", 16, 256, _REG1, block_fn="parallel_scaling"),
    "vit_dpwee_patch16_reg1_gap_256": _arch("pwee", 16, 256, _REG1, block_fn="diff_parallel_scaling"),
    "vit_little_patch16_reg1_gap_256": _arch("little", 16, 256, _REG1),
    "vit_dlittle_patch16_reg1_gap_256": _arch("little", 16, 256, _REG1, attn_layer="diff"),
    "vit_little_patch16_reg4_gap_256": _arch("little", 16, 256, _REG4),
    "vit_medium_patch16_reg1_gap_256": _arch("medium", 16, 256, _REG1),
    "vit_medium_patch16_reg4_gap_256": _arch("medium", 16, 256, _REG4),
    "vit_mediumd_patch16_reg4_gap_256": _arch("mediumd", 16, 256, _REG4),
    "vit_mediumd_patch16_reg4_gap_384": _arch("mediumd", 16, 384, _REG4),
    "vit_betwixt_patch16_reg1_gap_256": _arch("betwixt", 16, 256, _REG1),
    "vit_betwixt_patch16_reg4_gap_256": _arch("betwixt", 16, 256, _REG4),
    "vit_betwixt_patch16_reg4_gap_384": _arch("betwixt", 16, 384, _REG4),
    "vit_base_patch16_reg4_gap_256": _arch(
        "base", 16, 256, class_token=False, no_embed_class=True, global_pool="avg", reg_tokens=4
    ),
    "vit_so150m_patch16_reg4_map_256": _arch("so150m", 16, 256, class_token=False, reg_tokens=4, global_pool="map"),
    "vit_so150m_patch16_reg4_gap_256": _arch("so150m", 16, 256, _GAP, reg_tokens=4),
    "vit_so150m_patch16_reg4_gap_384": _arch("so150m", 16, 384, _GAP, reg_tokens=4),
    "vit_so150m2_patch16_reg1_gap_256": _arch("so150m2", 16, 256, _SO150M2),
    "vit_so150m2_patch16_reg1_gap_384": _arch("so150m2", 16, 384, _SO150M2),
    "vit_so150m2_patch16_reg1_gap_448": _arch("so150m2", 16, 448, _SO150M2),
    # InternViT-300M, RADIO
    "vit_intern300m_patch14_448": _arch("large", 14, 448, init_values=0.1, final_norm=False, dynamic_img_size=True),
    "vit_base_patch16_radio_v3": _arch("base", 16, 512, _RADIO_V3, init_values=1e-5),
    "vit_large_patch16_radio_v3": _arch("large", 16, 512, _RADIO_V3, init_values=1e-5),
    "vit_huge_patch16_radio_v3": _arch("huge", 16, 512, _RADIO_V3),
    "vit_giant_patch16_radio_v3": _arch("giantopt", 16, 512, _RADIO_V3, num_heads=24),
    "vit_huge_patch16_radio_v4": _arch("huge", 16, 512, _RADIO_V4),
    "vit_so400m_patch16_radio_v4": _arch("so400m_exact", 16, 512, _RADIO_V4),
    # AIMv2
    "aimv2_large_patch14_224": _arch("aimv2_large", 14, 224, _AIMV2),
    "aimv2_large_patch14_336": _arch("aimv2_large", 14, 336, _AIMV2),
    "aimv2_large_patch14_448": _arch("aimv2_large", 14, 448, _AIMV2),
    "aimv2_huge_patch14_224": _arch("aimv2_huge", 14, 224, _AIMV2),
    "aimv2_huge_patch14_336": _arch("aimv2_huge", 14, 336, _AIMV2),
    "aimv2_huge_patch14_448": _arch("aimv2_huge", 14, 448, _AIMV2),
    "aimv2_1b_patch14_224": _arch("aimv2_1b", 14, 224, _AIMV2),
    "aimv2_1b_patch14_336": _arch("aimv2_1b", 14, 336, _AIMV2),
    "aimv2_1b_patch14_448": _arch("aimv2_1b", 14, 448, _AIMV2),
    "aimv2_3b_patch14_224": _arch("aimv2_3b", 14, 224, _AIMV2),
    "aimv2_3b_patch14_336": _arch("aimv2_3b", 14, 336, _AIMV2),
    "aimv2_3b_patch14_448": _arch("aimv2_3b", 14, 448, _AIMV2),
    # BEiT-3's image tower
    "beit3_base_patch16_224": _arch("base", 16, 224, _BEIT3),
    "beit3_large_patch16_224": _arch("large", 16, 224, _BEIT3),
    "beit3_giant_patch14_224": _arch("beit3_giant", 14, 224, _BEIT3),
    "beit3_giant_patch14_336": _arch("beit3_giant", 14, 336, _BEIT3),
    # tiny models for tests of timm's and of downstream code
    "test_vit": _arch("test64", 16, 160, dynamic_img_size=True),
    "test_vit2": _arch("test64", 16, 160, _TEST_REG1, depth=8, global_pool="avg", dynamic_img_size=True),
    "test_vit3": _arch("test96", 16, 160, _TEST_REG1, mlp_ratio=2, global_pool="map", pool_include_prefix=True),
    "test_vit4": _arch("test96", 16, 160, _TEST_REG1, global_pool="avg", dynamic_img_size=True, norm_layer="rmsnorm"),
    # DeiT: the ViT architecture, trained on ImageNet-1k only
    "deit_tiny_patch16_224": _arch("tiny", 16),
    "deit_small_patch16_224": _arch("small", 16),
    "deit_base_patch16_224": _arch("base", 16),
    "deit_base_patch16_384": _arch("base", 16, 384),
    # DeiT distilled: an extra distillation token with its own head
    "deit_tiny_distilled_patch16_224": _arch("tiny", 16, distilled=True),
    "deit_small_distilled_patch16_224": _arch("small", 16, distilled=True),
    "deit_base_distilled_patch16_224": _arch("base", 16, distilled=True),
    "deit_base_distilled_patch16_384": _arch("base", 16, 384, distilled=True),
    # DeiT III
    "deit3_small_patch16_224": _arch("small", 16, 224, _DEIT3),
    "deit3_small_patch16_384": _arch("small", 16, 384, _DEIT3),
    "deit3_medium_patch16_224": _arch("medium", 16, 224, _DEIT3),
    "deit3_base_patch16_224": _arch("base", 16, 224, _DEIT3),
    "deit3_base_patch16_384": _arch("base", 16, 384, _DEIT3),
    "deit3_large_patch16_224": _arch("large", 16, 224, _DEIT3),
    "deit3_large_patch16_384": _arch("large", 16, 384, _DEIT3),
    "deit3_huge_patch14_224": _arch("huge", 14, 224, _DEIT3),
}
