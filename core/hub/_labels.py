"""The names of a classifier's classes: the weights' own, or an ImageNet label set chosen by class count. No torch.

The ImageNet label sets ship with hub as data (``hub/label_sets``): WordNet synset ids in
the class-index order of the weights trained on them, with the WordNet lemmas as readable
names. Which set a 1000-, 11221-, 11821-, 21841- or 21843-class model was trained on
follows from its class count alone, as it does for timm's weights.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from importlib import resources

from hub._pretrained_cfg import PretrainedCfg

__all__ = ["IMAGENET_LABEL_SETS", "ClassNames", "class_names", "imagenet_class_names"]

# class count -> the ImageNet label set of that size
IMAGENET_LABEL_SETS: Mapping[int, str] = {
    1000: "imagenet-1k",
    11221: "imagenet-21k-miil",  # the MIIL-curated part of the full ImageNet
    11821: "imagenet-12k",
    21841: "imagenet-22k",  # the fall 2011 release
    21843: "imagenet-21k",  # Google's copy of the full ImageNet: two classes more
}
# Each set is a .tsv of "synset<TAB>lemma" lines, or a .txt of synsets whose lemmas are in the 21k set's table.
_NAMED_SETS = ("imagenet-1k", "imagenet-21k")
_FOLDER = "label_sets"


@dataclass(frozen=True)
class ClassNames:
    """One label and one readable name per class index, and where they came from.

    ``labels`` are the dataset's identifiers (a WordNet synset, or a name from the weights'
    ``label_names``); ``names`` are for people (the lemma, or the weights'
    ``label_descriptions``, or the label itself). ``source`` is ``"config.json"``, a label
    set's name, ``"file"`` or ``"indices"`` (no names known: ``class 0``, ``class 1``, ...).
    """

    labels: tuple[str, ...]
    names: tuple[str, ...]
    source: str

    def __len__(self) -> int:
        return len(self.labels)

    @classmethod
    def from_labels(
        cls, labels: Sequence[str], source: str, descriptions: Mapping[str, str] | None = None
    ) -> ClassNames:
        described = descriptions or {}
        return cls(tuple(labels), tuple(described.get(label, label) for label in labels), source)

    @classmethod
    def indices(cls, num_classes: int) -> ClassNames:
        labels = tuple(str(i) for i in range(num_classes))
        return cls(labels, tuple(f"class {i}" for i in range(num_classes)), "indices")


def class_names(cfg: PretrainedCfg | None, num_classes: int) -> ClassNames:
    """The names of ``num_classes`` outputs of a model whose weights' cfg is ``cfg``.

    The cfg's ``label_names`` (from a saved ``config.json``) win when there is one per
    class; otherwise an ImageNet label set of that many classes; otherwise the indices.
    """
    if num_classes < 1:
        raise ValueError(f"a classifier has at least one class; this model has num_classes={num_classes}")
    if cfg is not None and cfg.label_names is not None and len(cfg.label_names) == num_classes:
        return ClassNames.from_labels(cfg.label_names, "config.json", cfg.label_descriptions)
    label_set = IMAGENET_LABEL_SETS.get(num_classes)
    if label_set is not None:
        return imagenet_class_names(label_set)
    return ClassNames.indices(num_classes)


@functools.cache
def imagenet_class_names(label_set: str) -> ClassNames:
    """The synsets and lemmas of one ImageNet label set (a value of `IMAGENET_LABEL_SETS`)."""
    if label_set not in IMAGENET_LABEL_SETS.values():
        raise ValueError(
            f"unknown ImageNet label set {label_set!r}; the sets are {', '.join(IMAGENET_LABEL_SETS.values())}"
        )
    if label_set in _NAMED_SETS:
        rows = [line.split("\t", 1) for line in _read(f"{label_set}.tsv").splitlines()]
        return ClassNames(tuple(r[0] for r in rows), tuple(r[1] for r in rows), label_set)
    synsets = _read(f"{label_set}.txt").split()
    full = imagenet_class_names("imagenet-21k")
    lemmas = dict(zip(full.labels, full.names, strict=True))
    return ClassNames(tuple(synsets), tuple(lemmas[s] for s in synsets), label_set)


def _read(filename: str) -> str:
    return (resources.files("hub") / _FOLDER / filename).read_text(encoding="utf-8")
