"""Model registrations: what each plugin provides, and looking names up across plugins.

Registration is data: a name, where the builder lives ("module:callable", imported only
when a model is built) and the pretrained cfgs. Nothing here imports torch.
"""

from __future__ import annotations

import difflib
import importlib
import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

from hub._pretrained_cfg import PretrainedCfg
from hub.errors import AmbiguousModelError, InvalidRegistrationError, UnknownModelError, UnknownTagError

__all__ = ["FEATURE_CLASSES", "ModelEntry", "ModelIndex", "ModelRegistrar", "ResolvedName", "canonical_plugin_name"]

FEATURE_CLASSES = ("list", "dict", "hook", "getter")

_MODEL_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_\-]*")
_TAG = re.compile(r"[A-Za-z0-9][A-Za-z0-9_\-]*")
_BUILDER = re.compile(r"[A-Za-z_][\w.]*:[A-Za-z_][\w.]*")


def canonical_plugin_name(name: str) -> str:
    """A distribution name in PEP 503 normal form, so 'Hub_ResNet' and 'hub-resnet' match."""
    return re.sub(r"[-_.]+", "-", name).lower()


@dataclass(frozen=True)
class ModelEntry:
    """One registered architecture: its name, its plugin, its builder and its pretrained tags."""

    name: str
    plugin: str
    builder: str
    pretrained: Mapping[str, PretrainedCfg] = field(default_factory=dict)
    feature_cls: str = "list"

    @property
    def qualified_name(self) -> str:
        return f"{self.plugin}:{self.name}"

    @property
    def tags(self) -> tuple[str, ...]:
        """Pretrained tags in registration order; the first is the default."""
        return tuple(self.pretrained)

    @property
    def default_tag(self) -> str | None:
        return next(iter(self.pretrained), None)

    def pretrained_cfg(self, tag: str | None = None) -> PretrainedCfg:
        """The cfg of ``tag`` (default tag when None); a bare cfg when the model has no tags."""
        if tag is None:
            tag = self.default_tag
            if tag is None:
                return PretrainedCfg(architecture=self.name)
        try:
            return self.pretrained[tag]
        except KeyError:
            raise UnknownTagError(self.name, tag, self.tags) from None

    def load_builder(self) -> Callable[..., Any]:
        """Import and return the builder; errors name the plugin that declared it."""
        module_name, _, attr_path = self.builder.partition(":")
        try:
            target: Any = importlib.import_module(module_name)
            for attr in attr_path.split("."):
                target = getattr(target, attr)
        except (ImportError, AttributeError) as exc:
            raise InvalidRegistrationError(
                f"plugin {self.plugin!r} registers {self.name!r} with builder {self.builder!r}, "
                f"which cannot be loaded ({type(exc).__name__}: {exc}); reinstall or upgrade {self.plugin}"
            ) from exc
        if not callable(target):
            raise InvalidRegistrationError(
                f"plugin {self.plugin!r}: builder {self.builder!r} of {self.name!r} is not callable"
            )
        return target


class ModelRegistrar:
    """What a plugin's ``register_models`` hook receives: collects one plugin's models.

    Every registration is checked here, so a malformed one fails at load time with a
    message that names the plugin, not later when a user builds the model.
    """

    def __init__(self, plugin: str) -> None:
        self.plugin = plugin
        self._entries: dict[str, ModelEntry] = {}

    def register(
        self,
        name: str,
        *,
        builder: str,
        pretrained: Mapping[str, PretrainedCfg] | None = None,
        feature_cls: str = "list",
    ) -> None:
        """Register architecture ``name``.

        ``builder`` is "module:callable"; the callable takes the architecture's keyword
        arguments and returns an ``nn.Module``. ``pretrained`` maps tags to cfgs, the first
        tag being the default; a cfg whose ``hf_hub_id`` is an organisation ("timm/") gets
        the repository ``ORG/NAME.TAG``. ``feature_cls`` is the wrapper ``features_only=True`` uses
        unless the caller picks one: "list" for models whose stages run as a plain
        sequence of modules, "getter" for models that need ``forward_intermediates``.
        """
        where = f"plugin {self.plugin!r}, model {name!r}"
        if not isinstance(name, str) or not _MODEL_NAME.fullmatch(name):
            raise InvalidRegistrationError(
                f"{where}: a model name is letters, digits, '_' and '-' (no '.', ':' or '/')"
            )
        if name in self._entries:
            raise InvalidRegistrationError(f"{where}: registered twice")
        if not isinstance(builder, str) or not _BUILDER.fullmatch(builder):
            raise InvalidRegistrationError(f"{where}: builder must be 'module:callable', got {builder!r}")
        if feature_cls not in FEATURE_CLASSES:
            raise InvalidRegistrationError(f"{where}: feature_cls must be one of {', '.join(FEATURE_CLASSES)}")
        cfgs: dict[str, PretrainedCfg] = {}
        for tag, cfg in (pretrained or {}).items():
            if not isinstance(tag, str) or not _TAG.fullmatch(tag):
                raise InvalidRegistrationError(f"{where}: invalid pretrained tag {tag!r}")
            if not isinstance(cfg, PretrainedCfg):
                raise InvalidRegistrationError(
                    f"{where}, tag {tag!r}: expected a hub.PretrainedCfg, got {type(cfg).__name__}"
                )
            if cfg.architecture not in (None, name) or cfg.tag not in (None, tag):
                raise InvalidRegistrationError(f"{where}, tag {tag!r}: the cfg says it is {cfg.architecture}.{cfg.tag}")
            hf_hub_id = cfg.hf_hub_id
            if hf_hub_id and hf_hub_id.endswith("/"):  # an organisation: its repository is named ARCH.TAG
                hf_hub_id = f"{hf_hub_id}{name}.{tag}"
            cfgs[tag] = cfg.replace(architecture=name, tag=tag, hf_hub_id=hf_hub_id)
        self._entries[name] = ModelEntry(
            name=name,
            plugin=self.plugin,
            builder=builder,
            pretrained=MappingProxyType(cfgs),
            feature_cls=feature_cls,
        )

    def entries(self) -> list[ModelEntry]:
        return list(self._entries.values())


@dataclass(frozen=True)
class ResolvedName:
    """A model name taken apart: the entry it names and the pretrained tag, if one was given."""

    entry: ModelEntry
    tag: str | None

    def pretrained_cfg(self) -> PretrainedCfg:
        return self.entry.pretrained_cfg(self.tag)


class ModelIndex:
    """Every registered model across plugins, looked up by bare or qualified name."""

    def __init__(self) -> None:
        self._by_name: dict[str, list[ModelEntry]] = {}
        self.unknown_hint = ""  # why a name may be missing (plugins left out), for UnknownModelError

    def add(self, entries: Iterable[ModelEntry]) -> None:
        for entry in entries:
            self._by_name.setdefault(entry.name, []).append(entry)

    def __iter__(self) -> Iterator[ModelEntry]:
        for entries in self._by_name.values():
            yield from entries

    def __len__(self) -> int:
        return sum(len(entries) for entries in self._by_name.values())

    def listed_name(self, entry: ModelEntry) -> str:
        """The name to show for an entry: bare, or qualified when several plugins share it."""
        return entry.qualified_name if len(self._by_name[entry.name]) > 1 else entry.name

    def resolve(self, name: str) -> ResolvedName:
        """Find the entry for 'arch', 'arch.tag', 'plugin:arch' or 'plugin:arch.tag'."""
        if not isinstance(name, str):
            raise TypeError(f"a model name is a string ('resnet50', 'resnet50.a1_in1k'), got {name!r}")
        plugin, _, rest = name.rpartition(":")
        arch, _, tag = rest.partition(".")
        candidates = self._by_name.get(arch, [])
        if plugin:
            candidates = [e for e in candidates if e.plugin == canonical_plugin_name(plugin)]
        if not candidates:
            raise UnknownModelError(name, self.suggest(arch), hint=self.unknown_hint)
        if len(candidates) > 1:
            raise AmbiguousModelError(arch, [e.plugin for e in candidates])
        entry = candidates[0]
        if tag and tag not in entry.pretrained:
            raise UnknownTagError(entry.name, tag, entry.tags)
        return ResolvedName(entry, tag or None)

    def suggest(self, name: str, limit: int = 3) -> list[str]:
        return difflib.get_close_matches(name, list(self._by_name), n=limit, cutoff=0.6)
