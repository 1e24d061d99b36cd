"""The Vision Transformer and its DeiT-distilled form, and a builder per variant in `VARIANTS`.

Tokens: ``[class] [distillation] [registers] patches``; the prefix tokens that exist
depend on the configuration (``class_token``, ``reg_tokens``, distilled). The learnt
position embedding covers prefix and patch tokens, or only the patches with
``no_embed_class`` (DeiT III, DINOv2 with registers, SigLIP 2, ...).
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Annotated, Any

import torch
import torch.utils.checkpoint
from torch import nn

from hub import ImageSize, PositiveInt, Probability, Range
from hub.layers import (
    JOIN_PREVIOUS_GROUP,
    PosEmbedGrid,
    check_output_fmt,
    check_pool_type,
    checkpoint_seq,
    drop_path_rates,
    feature_take_indices,
    place_like,
    resample_abs_pos_embed,
    to_2tuple,
    trunc_normal_,
    variant_builders,
)
from hub_vit._variants import VARIANTS, ActLayer, AttnLayer, BlockFn, MlpLayer, NormLayer, ViTConfig
from hub_vit.attention import LatentAttentionPool, PatchRefinementPool
from hub_vit.blocks import BlockOptions, PatchEmbed, make_block
from hub_vit.layers import GluMlp, SwiGLU, make_act, make_norm

__all__ = ["GLOBAL_POOLS", "DistilledVisionTransformer", "VisionTransformer"]

# '' keeps every token; "token" takes the class token; "avg" / "max" / "avgmax" reduce the
# patch tokens; "map" and "prr" pool with attention.
GLOBAL_POOLS = ("", "avg", "avgmax", "max", "token", "map", "prr")
_REDUCING_POOLS = ("avg", "avgmax", "max")
_ATTENTION_POOLS = ("map", "prr")


def _check_global_pool(global_pool: str, has_class_token: bool) -> None:
    # Without pooling the head classifies every token, so any number of classes fits.
    check_pool_type(global_pool, allowed=GLOBAL_POOLS, classifier_takes_maps=True)
    if global_pool == "token" and not has_class_token:
        raise ValueError("global_pool='token' needs the class token; use class_token=True or another global_pool")


def _check_shape_args(
    img_size: int | tuple[int, int],
    patch_size: int | tuple[int, int],
    embed_dim: int,
    num_heads: int,
    mlp_ratio: float,
    *,
    split_heads: bool,
) -> None:
    """What the arguments' types alone cannot say: an image holds at least one patch, heads split the width.

    ``split_heads``: differential attention splits each head's queries and keys in two halves.
    """
    image, patch = to_2tuple(img_size), to_2tuple(patch_size)
    if image[0] < patch[0] or image[1] < patch[1]:
        raise ValueError(
            f"img_size {image} is smaller than one patch {patch}: use an img_size of at least the patch size"
        )
    parts = 2 * num_heads if split_heads else num_heads
    if embed_dim % parts:
        halves = " (differential attention splits each head in two halves)" if split_heads else ""
        raise ValueError(f"embed_dim ({embed_dim}) must be divisible by {parts}, for {num_heads} heads{halves}")
    if mlp_ratio * embed_dim < 1:
        raise ValueError(f"mlp_ratio {mlp_ratio} leaves the MLP without hidden units at embed_dim {embed_dim}")


class VisionTransformer(nn.Module):
    """Vision Transformer (ViT; also DeiT, DeiT III, CLIP, SigLIP, DINOv2, AIMv2, ...), with timm's layer names.

    - ``img_size``: the size the position embedding is made for. ``dynamic_img_size=True``
      accepts other sizes (multiples of the patch size, or any with ``dynamic_img_pad``)
      and resamples the embedding on the fly.
    - ``global_pool``: one of `GLOBAL_POOLS`. With "avg", "max" or "avgmax" the final norm
      moves after the pool (``fc_norm``), unless ``fc_norm`` says otherwise;
      ``final_norm=False`` drops it altogether. ``pool_include_prefix``: reducing pools
      also average the prefix tokens.
    - ``class_token``, ``reg_tokens``: prefix tokens; ``no_embed_class``: the position
      embedding covers only the patches.
    - ``pre_norm``: a norm before the blocks, and no bias in the patch projection (CLIP);
      ``embed_norm``: a norm of the patch tokens (AIMv2).
    - The blocks: ``block_fn`` (one of `hub_vit._variants.BLOCK_FNS`), ``attn_layer``
      ("attn" or "diff", differential attention), ``mlp_layer`` ("mlp", "swiglu",
      "swiglu_packed"), ``act_layer`` ("gelu", "gelu_tanh", "quick_gelu", "silu"),
      ``norm_layer`` ("layernorm" or "rmsnorm") with ``norm_eps``; ``qkv_bias``,
      ``proj_bias``, ``qk_norm``, ``scale_attn_norm`` and ``scale_mlp_norm`` (norms inside
      attention and MLP), ``init_values`` (LayerScale).
    """

    pretrained_cfg = None
    distilled = False  # DeiT's distillation token and head (`DistilledVisionTransformer`)

    def __init__(
        self,
        img_size: ImageSize = 224,
        patch_size: ImageSize = 16,
        in_chans: PositiveInt = 3,
        num_classes: Annotated[int, Range(min=0)] = 1000,
        global_pool: str = "token",
        embed_dim: PositiveInt = 768,
        depth: PositiveInt = 12,
        num_heads: PositiveInt = 12,
        mlp_ratio: Annotated[float, Range(min=0)] = 4.0,
        qkv_bias: bool = True,
        qk_norm: bool = False,
        scale_attn_norm: bool = False,
        scale_mlp_norm: bool = False,
        proj_bias: bool = True,
        init_values: Annotated[float, Range(min=0)] | None = None,
        class_token: bool = True,
        reg_tokens: Annotated[int, Range(min=0)] = 0,
        no_embed_class: bool = False,
        fc_norm: bool | None = None,
        pool_include_prefix: bool = False,
        pre_norm: bool = False,
        final_norm: bool = True,
        norm_layer: NormLayer = "layernorm",
        norm_eps: Annotated[float, Range(min=0)] = 1e-6,
        embed_norm: bool = False,
        act_layer: ActLayer = "gelu",
        mlp_layer: MlpLayer = "mlp",
        block_fn: BlockFn = "block",
        attn_layer: AttnLayer = "attn",
        dynamic_img_size: bool = False,
        dynamic_img_pad: bool = False,
        drop_rate: Probability = 0.0,
        pos_drop_rate: Probability = 0.0,
        proj_drop_rate: Probability = 0.0,
        attn_drop_rate: Probability = 0.0,
        drop_path_rate: Probability = 0.0,
    ) -> None:
        _check_shape_args(
            img_size,
            patch_size,
            embed_dim,
            num_heads,
            mlp_ratio,
            split_heads=attn_layer == "diff" or block_fn == "diff_parallel_scaling",
        )
        self._check_args(global_pool=global_pool, class_token=class_token, reg_tokens=reg_tokens)
        super().__init__()

        use_fc_norm = global_pool in _REDUCING_POOLS if fc_norm is None else fc_norm
        norm = make_norm(norm_layer, norm_eps)
        act = make_act(act_layer)
        self.num_classes = num_classes
        self.in_chans = in_chans
        self.global_pool = global_pool
        self.num_features = self.head_hidden_size = self.embed_dim = embed_dim
        self.has_class_token = class_token
        self.num_reg_tokens = reg_tokens
        self.num_prefix_tokens = int(class_token) + int(self.distilled) + reg_tokens
        self.no_embed_class = no_embed_class
        self.pool_include_prefix = pool_include_prefix or global_pool == "prr"
        self.dynamic_img_size = dynamic_img_size
        self.grad_checkpointing = False

        self.patch_embed = PatchEmbed(
            img_size,
            patch_size,
            in_chans,
            embed_dim,
            strict_img_size=not dynamic_img_size,
            dynamic_img_pad=dynamic_img_pad,
            bias=not pre_norm,
            norm=norm if embed_norm else None,
        )
        # Parameter order is timm's: class token, registers, position embedding, distillation token.
        self.cls_token = nn.Parameter(torch.zeros(1, 1, embed_dim)) if class_token else None
        self.reg_token = nn.Parameter(torch.zeros(1, reg_tokens, embed_dim)) if reg_tokens else None
        embed_len = self.patch_embed.num_patches + (0 if no_embed_class else self.num_prefix_tokens)
        self.pos_embed = nn.Parameter(torch.zeros(1, embed_len, embed_dim))
        self.dist_token = nn.Parameter(torch.zeros(1, 1, embed_dim)) if self.distilled else None
        self.pos_drop = nn.Dropout(pos_drop_rate)
        self.norm_pre = norm(embed_dim) if pre_norm else nn.Identity()

        options = BlockOptions(
            norm=norm,
            act=act,
            mlp_ratio=mlp_ratio,
            qkv_bias=qkv_bias,
            qk_norm=qk_norm,
            scale_attn_norm=scale_attn_norm,
            scale_mlp_norm=scale_mlp_norm,
            proj_bias=proj_bias,
            init_values=init_values,
            proj_drop=proj_drop_rate,
            attn_drop=attn_drop_rate,
            mlp_layer=mlp_layer,
            attn_layer=attn_layer,
        )
        rates = drop_path_rates(drop_path_rate, [depth])[0]
        self.blocks = nn.Sequential(
            *[
                make_block(block_fn, embed_dim, num_heads, options, drop_path=rate, index=i)
                for i, rate in enumerate(rates)
            ]
        )
        reduction = max(self.patch_embed.patch_size)
        self.feature_info = [
            {"num_chs": embed_dim, "reduction": reduction, "module": f"blocks.{i}"} for i in range(depth)
        ]
        self.norm = norm(embed_dim) if final_norm and not use_fc_norm else nn.Identity()

        self.attn_pool: nn.Module | None = None
        if global_pool == "map":
            self.attn_pool = LatentAttentionPool(embed_dim, num_heads, mlp_ratio=mlp_ratio, norm=norm, act=act)
        elif global_pool == "prr":
            self.attn_pool = PatchRefinementPool(embed_dim, num_heads, pool_type="token" if class_token else "avg")
        self.fc_norm = norm(embed_dim) if final_norm and use_fc_norm else nn.Identity()
        self.head_drop = nn.Dropout(drop_rate)
        self.head = self._classifier(num_classes)
        if self.distilled:
            self.head_dist = self._classifier(num_classes)
        self.init_weights()

    def _check_args(self, *, global_pool: str, class_token: bool, reg_tokens: int) -> None:
        _check_global_pool(global_pool, class_token)

    def _classifier(self, num_classes: int) -> nn.Module:
        return place_like(nn.Linear(self.embed_dim, num_classes), self) if num_classes > 0 else nn.Identity()

    @torch.no_grad()
    def init_weights(self) -> None:
        """timm's default ViT initialisation: truncated normal (std 0.02) for embeddings and Linear layers."""
        trunc_normal_(self.pos_embed, std=0.02)
        for token in (self.cls_token, self.reg_token):
            if token is not None:
                nn.init.normal_(token, std=1e-6)
        if self.dist_token is not None:
            trunc_normal_(self.dist_token, std=0.02)
        for module in self.modules():
            if isinstance(module, nn.Linear):
                trunc_normal_(module.weight, std=0.02)
                if module.bias is not None:
                    nn.init.zeros_(module.bias)
        for module in self.modules():
            if isinstance(module, (SwiGLU, GluMlp)):
                module.init_weights()
        if isinstance(self.attn_pool, LatentAttentionPool):
            std = self.embed_dim**-0.5
            trunc_normal_(self.attn_pool.latent, std=std, a=-2 * std, b=2 * std)

    @torch.jit.ignore
    def no_weight_decay(self) -> set[str]:
        """Parameters to exclude from weight decay (tokens and position embedding)."""
        return {"pos_embed", "cls_token", "reg_token", "dist_token"}

    def pos_embed_grids(self) -> dict[str, PosEmbedGrid]:
        """For the core's resampling of pretrained position embeddings made for another image size."""
        return {
            "pos_embed": PosEmbedGrid(
                num_prefix_tokens=self._embedded_prefix_tokens, grid_size=self.patch_embed.grid_size
            )
        }

    @property
    def _embedded_prefix_tokens(self) -> int:
        """Prefix tokens that have an entry in ``pos_embed``."""
        return 0 if self.no_embed_class else self.num_prefix_tokens

    @torch.jit.ignore
    def set_grad_checkpointing(self, enable: bool = True) -> None:
        self.grad_checkpointing = enable

    @torch.jit.ignore
    def group_matcher(self, coarse: bool = False) -> dict[str, Any]:
        """Parameter groups for layer-wise learning-rate decay: patch embedding, prefix tokens, position
        embedding and the norm before the blocks first, then each block, the final norm with the last.
        ``coarse`` groups the same way."""
        return {
            "stem": r"^(?:cls_token|dist_token|reg_token|pos_embed|patch_embed|norm_pre)(?:\.|$)",
            "blocks": [(r"^blocks\.(\d+)\.", None), (r"^norm\.", JOIN_PREVIOUS_GROUP)],
        }

    @torch.jit.ignore
    def get_classifier(self) -> nn.Module:
        return self.head

    def reset_classifier(self, num_classes: int, global_pool: str | None = None) -> None:
        """A new head for ``num_classes`` (0: none). ``global_pool`` may change the pool, but
        attention pooling ("map", "prr") can only be removed, not added or swapped."""
        if global_pool is not None:
            _check_global_pool(global_pool, self.has_class_token)
            if global_pool in _ATTENTION_POOLS and (self.attn_pool is None or global_pool != self.global_pool):
                raise ValueError(
                    f"cannot switch to global_pool={global_pool!r} after construction; "
                    f"build the model with global_pool={global_pool!r}"
                )
            if global_pool not in _ATTENTION_POOLS:
                self.attn_pool = None
            self.global_pool = global_pool
        self.num_classes = num_classes
        self.head = self._classifier(num_classes)

    def _prefix_tokens(self) -> list[torch.Tensor]:
        return [t for t in (self.cls_token, self.dist_token, self.reg_token) if t is not None]

    def _embed(self, x: torch.Tensor) -> torch.Tensor:
        """Patch tokens with position embedding and prefix tokens: (B, C, H, W) -> (B, prefix + N, D)."""
        pos_embed: torch.Tensor = self.pos_embed
        if self.dynamic_img_size:
            grid = self.patch_embed.feat_size(x.shape[-2:])
            pos_embed = resample_abs_pos_embed(
                pos_embed, grid, old_size=self.patch_embed.grid_size, num_prefix_tokens=self._embedded_prefix_tokens
            )
        x = self.patch_embed(x)
        prefix = [t.expand(x.shape[0], -1, -1) for t in self._prefix_tokens()]
        if self.no_embed_class:
            x = x + pos_embed
            if prefix:
                x = torch.cat([*prefix, x], dim=1)
        else:
            if prefix:
                x = torch.cat([*prefix, x], dim=1)
            x = x + pos_embed
        return self.pos_drop(x)

    def forward_features(self, x: torch.Tensor) -> torch.Tensor:
        """All tokens after the last block and the final norm: (B, prefix + N, D)."""
        x = self.norm_pre(self._embed(x))
        if self.grad_checkpointing and not torch.jit.is_scripting():
            x = checkpoint_seq(self.blocks, x)
        else:
            x = self.blocks(x)
        return self.norm(x)

    def pool(self, x: torch.Tensor, pool_type: str | None = None) -> torch.Tensor:
        """Tokens (B, L, D) to one vector per image (B, D), or the tokens themselves for pool ''."""
        if self.attn_pool is not None:
            return self.attn_pool(x if self.pool_include_prefix else x[:, self.num_prefix_tokens :])
        pool_type = self.global_pool if pool_type is None else pool_type
        if not pool_type:
            return x
        if pool_type == "token":
            return x[:, 0]
        if not self.pool_include_prefix:
            x = x[:, self.num_prefix_tokens :]
        if pool_type == "avg":
            return x.mean(dim=1)
        if pool_type == "max":
            return x.amax(dim=1)
        return 0.5 * (x.amax(dim=1) + x.mean(dim=1))

    def forward_head(self, x: torch.Tensor, pre_logits: bool = False) -> torch.Tensor:
        x = self.head_drop(self.fc_norm(self.pool(x)))
        return x if pre_logits else self.head(x)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.forward_head(self.forward_features(x))

    def forward_intermediates(
        self,
        x: torch.Tensor,
        indices: int | list[int] | None = None,
        return_prefix_tokens: bool = False,
        norm: bool = False,
        stop_early: bool = False,
        output_fmt: str = "NCHW",
        intermediates_only: bool = False,
        output_dict: bool = False,
    ) -> Any:
        """Block outputs as well as (unless ``intermediates_only``) the final normed tokens.

        ``indices``: the last n blocks for an int, those blocks for a list, all for None.
        Intermediates are the patch tokens, as (B, D, H, W) maps for ``output_fmt="NCHW"``
        or (B, N, D) for "NLC"; ``norm`` applies the final norm to them first.
        ``return_prefix_tokens`` pairs each with its prefix tokens (B, prefix, D).
        ``output_dict`` returns {"image_intermediates", "image_intermediates_prefix",
        "image_features"} instead.
        """
        check_output_fmt(output_fmt, allowed=("NCHW", "NLC"))
        take_indices, max_index = feature_take_indices(len(self.blocks), indices)
        batch, _, height, width = x.shape
        x = self.norm_pre(self._embed(x))
        blocks = self.blocks[: max_index + 1] if stop_early else self.blocks
        intermediates = []
        for i, block in enumerate(blocks):
            if self.grad_checkpointing and not torch.jit.is_scripting():
                x = torch.utils.checkpoint.checkpoint(block, x, use_reentrant=False)
            else:
                x = block(x)
            if i in take_indices:
                intermediates.append(self.norm(x) if norm else x)

        prefix_tokens = None
        if self.num_prefix_tokens:
            prefix_tokens = [y[:, : self.num_prefix_tokens] for y in intermediates]
            intermediates = [y[:, self.num_prefix_tokens :] for y in intermediates]
        if output_fmt == "NCHW":
            rows, cols = self.patch_embed.feat_size((height, width))
            intermediates = [y.reshape(batch, rows, cols, -1).permute(0, 3, 1, 2).contiguous() for y in intermediates]

        if output_dict:
            out: dict[str, Any] = {"image_intermediates": intermediates}
            if return_prefix_tokens and prefix_tokens is not None:
                out["image_intermediates_prefix"] = prefix_tokens
            if not intermediates_only:
                out["image_features"] = self.norm(x)
            return out
        if return_prefix_tokens and prefix_tokens is not None:
            intermediates = list(zip(intermediates, prefix_tokens, strict=True))
        if intermediates_only:
            return intermediates
        return self.norm(x), intermediates

    def prune_intermediate_layers(
        self, indices: int | list[int] = 1, prune_norm: bool = False, prune_head: bool = True
    ) -> list[int]:
        """Drop the blocks after the last of ``indices`` (and the final norm / the head); returns the kept indices."""
        take_indices, max_index = feature_take_indices(len(self.blocks), indices)
        self.blocks = self.blocks[: max_index + 1]
        if prune_norm:
            self.norm = nn.Identity()
        if prune_head:
            self.fc_norm = nn.Identity()
            self.reset_classifier(0, "")
        return take_indices


class DistilledVisionTransformer(VisionTransformer):
    """DeiT with distillation: a distillation token after the class token, read by a second head (``head_dist``).

    In eval (and in training unless `set_distilled_training` is on) the output is the
    mean of both heads; with distilled training on, training returns both logits.
    """

    distilled = True
    distilled_training = False

    def _check_args(self, *, global_pool: str, class_token: bool, reg_tokens: int) -> None:
        if global_pool != "token":
            raise ValueError(
                f"the distilled head reads the class and distillation tokens: global_pool must be 'token', "
                f"got {global_pool!r}"
            )
        if not class_token or reg_tokens:
            raise ValueError("a distilled model has exactly one class token and no register tokens")

    @torch.jit.ignore
    def set_distilled_training(self, enable: bool = True) -> None:
        """Return (class logits, distillation logits) in training, for a distillation loss."""
        self.distilled_training = enable

    @torch.jit.ignore
    def get_classifier(self) -> tuple[nn.Module, nn.Module]:  # type: ignore[override]
        return self.head, self.head_dist

    def reset_classifier(self, num_classes: int, global_pool: str | None = None) -> None:
        if global_pool not in (None, "", "token"):
            raise ValueError(
                f"a distilled model pools its class and distillation tokens; got global_pool={global_pool!r}"
            )
        self.num_classes = num_classes
        self.head = self._classifier(num_classes)
        self.head_dist = self._classifier(num_classes)

    def forward_head(self, x: torch.Tensor, pre_logits: bool = False) -> Any:
        x, x_dist = self.head_drop(x[:, 0]), self.head_drop(x[:, 1])
        if pre_logits:
            return (x + x_dist) / 2
        x, x_dist = self.head(x), self.head_dist(x_dist)
        if self.distilled_training and self.training and not torch.jit.is_scripting():
            return x, x_dist
        return (x + x_dist) / 2


def _model_for(config: ViTConfig) -> Callable[..., VisionTransformer]:
    model_cls = DistilledVisionTransformer if config.distilled else VisionTransformer
    return functools.partial(model_cls, **config.model_args())


# One builder per variant: ``hub_vit.model:vit_base_patch16_224`` is its model class with the variant's arguments.
__getattr__ = variant_builders(VARIANTS, _model_for)
