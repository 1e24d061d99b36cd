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

from hub._feature_cfg import FEATURE_CLASSES, FeatureCfg
from hub._pretrained_cfg import PretrainedCfg
from hub.errors import AmbiguousModelError, InvalidRegistrationError, UnknownModelError, UnknownTagError

__all__ = ["ModelEntry", "ModelIndex", "ModelRegistrar", "ResolvedName", "canonical_plugin_name"]

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
    features: FeatureCfg = field(default_factory=FeatureCfg)
    fallback: bool = False  # a fallback yields the bare name to a native registration of it

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
        self._fallback = False

    def declare_fallback(self) -> None:
        """Make every model this plugin registers a fallback (what a bridge to another library calls first).

        A fallback never clashes with a native registration of the same name: the native
        one gets the bare name, and the fallback stays reachable as ``plugin:name``.
        """
        self._fallback = True

    def register(
        self,
        name: str,
        *,
        builder: str,
        pretrained: Mapping[str, PretrainedCfg] | None = None,
        features: FeatureCfg | None = None,
        fallback: bool | None = None,
    ) -> None:
        """Register architecture ``name``.

        ``builder`` is "module:callable"; the callable takes the architecture's keyword
        arguments and returns an ``nn.Module``. ``pretrained`` maps tags to cfgs, the first
        tag being the default; a cfg whose ``hf_hub_id`` is an organisation ("timm/") gets
        the repository ``ORG/NAME.TAG``. ``features`` says how ``features_only=True`` wraps
        the model unless the caller chooses (default wrapper and stages; see `hub.FeatureCfg`).
        ``fallback=True`` ranks this registration below native ones of the same name
        (default: the plugin's choice, see `declare_fallback`).
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
        features = _checked_features(where, FeatureCfg() if features is None else features)
        if fallback is not None and not isinstance(fallback, bool):
            raise InvalidRegistrationError(f"{where}: fallback must be True or False, got {fallback!r}")
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
            # A bridge registering thousands of cfgs passes them complete: no copy needed.
            if (cfg.architecture, cfg.tag, cfg.hf_hub_id) == (name, tag, hf_hub_id):
                cfgs[tag] = cfg
            else:
                cfgs[tag] = cfg.replace(architecture=name, tag=tag, hf_hub_id=hf_hub_id)
        self._entries[name] = ModelEntry(
            name=name,
            plugin=self.plugin,
            builder=builder,
            pretrained=MappingProxyType(cfgs),
            features=features,
            fallback=self._fallback if fallback is None else fallback,
        )

    def entries(self) -> list[ModelEntry]:
        return list(self._entries.values())


def _checked_features(where: str, features: object) -> FeatureCfg:
    """``features`` if it is a valid `FeatureCfg`; otherwise an error naming the plugin and the field."""
    if not isinstance(features, FeatureCfg):
        raise InvalidRegistrationError(f"{where}: features must be a hub.FeatureCfg, got {type(features).__name__}")
    if features.feature_cls not in FEATURE_CLASSES:
        raise InvalidRegistrationError(
            f"{where}: FeatureCfg.feature_cls must be one of {', '.join(FEATURE_CLASSES)}, got {features.feature_cls!r}"
        )
    indices = features.out_indices
    if isinstance(indices, int) and not isinstance(indices, bool):
        valid = indices > 0
    elif isinstance(indices, tuple):
        valid = bool(indices) and all(isinstance(i, int) and not isinstance(i, bool) for i in indices)
    else:
        valid = indices is None
    if not valid:
        raise InvalidRegistrationError(
            f"{where}: FeatureCfg.out_indices must be None (every stage), an int > 0 (the last n stages) "
            f"or a non-empty tuple of stage indices, got {indices!r}"
        )
    if not isinstance(features.flatten_sequential, bool):
        raise InvalidRegistrationError(f"{where}: FeatureCfg.flatten_sequential must be True or False")
    return features


@dataclass(frozen=True)
class ResolvedName:
    """A model name taken apart: the entry it names and the pretrained tag, if one was given."""

    entry: ModelEntry
    tag: str | None

    def pretrained_cfg(self) -> PretrainedCfg:
        return self.entry.pretrained_cfg(self.tag)


class ModelIndex:
    """Every registered model across plugins, looked up by bare or qualified name.

    A bare name belongs to its best-ranked providers: the native registrations, or the
    fallbacks when no plugin registers it natively. One such provider resolves it; two
    of the same rank make it ambiguous. Every provider stays reachable as ``plugin:arch``.
    """

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

    def providers(self, arch: str) -> list[ModelEntry]:
        """Every registration of ``arch``, best-ranked first (natives before fallbacks)."""
        return sorted(self._by_name.get(arch, []), key=lambda e: e.fallback)

    def owners(self, arch: str) -> list[ModelEntry]:
        """The registrations that the bare name ``arch`` belongs to: its best-ranked providers."""
        entries = self._by_name.get(arch, [])
        natives = [e for e in entries if not e.fallback]
        return natives or list(entries)

    def is_shadowed(self, entry: ModelEntry) -> bool:
        """True for a fallback whose bare name a native registration has taken."""
        return entry.fallback and any(not e.fallback for e in self._by_name[entry.name])

    def listed_name(self, entry: ModelEntry) -> str:
        """The name to show for an entry: bare when it owns the name alone, else ``plugin:arch``."""
        owners = self.owners(entry.name)
        return entry.name if owners == [entry] else entry.qualified_name

    def resolve(self, name: str) -> ResolvedName:
        """Find the entry for 'arch', 'arch.tag', 'plugin:arch' or 'plugin:arch.tag'."""
        if not isinstance(name, str):
            raise TypeError(f"a model name is a string ('resnet50', 'resnet50.a1_in1k'), got {name!r}")
        plugin, _, rest = name.rpartition(":")
        arch, _, tag = rest.partition(".")
        if plugin:
            candidates = [e for e in self._by_name.get(arch, []) if e.plugin == canonical_plugin_name(plugin)]
        else:
            candidates = self.owners(arch)
        if not candidates:
            raise UnknownModelError(name, self.suggest(arch), hint=self.unknown_hint)
        if len(candidates) > 1:
            raise AmbiguousModelError(arch, [e.plugin for e in candidates])
        entry = candidates[0]
        if tag and tag not in entry.pretrained:
            elsewhere = [
                f"{e.qualified_name}.{tag}" for e in self._by_name[arch] if e is not entry and tag in e.pretrained
            ]
            raise UnknownTagError(entry.name, tag, entry.tags, elsewhere=elsewhere)
        return ResolvedName(entry, tag or None)

    def suggest(self, name: str, limit: int = 3) -> list[str]:
        return difflib.get_close_matches(name, list(self._by_name), n=limit, cutoff=0.6)
