"""Shared fixtures: a loopback Hub, a private Hugging Face cache, and plugin catalogs for tests."""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest

# Tests never talk to the real Hub: the loopback server is the only endpoint, and no
# progress bars clutter the output.
os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
os.environ.setdefault("HF_HUB_DISABLE_TELEMETRY", "1")


@pytest.fixture(autouse=True, scope="session")
def one_thread() -> Iterator[None]:
    """Run the tests' small forwards on one thread each.

    At test sizes intra-op threads gain nothing, and when processes share the cores
    (pytest-xdist workers, other jobs) OpenMP's spinning threads slow each op a hundredfold.
    """
    import torch

    previous = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(previous)


@pytest.fixture()
def hf_cache(tmp_path, monkeypatch) -> str:
    """An empty Hugging Face cache for this test, seen by this process and by subprocesses."""
    from huggingface_hub import constants

    cache = str(tmp_path / "hf-cache")
    monkeypatch.setattr(constants, "HF_HUB_CACHE", cache)
    monkeypatch.setenv("HF_HUB_CACHE", cache)
    return cache


@pytest.fixture()
def no_retry_waits(monkeypatch) -> None:
    """Keep huggingface_hub's retries of failed requests, but not their exponential backoff (up to half a minute)."""
    import time
    import types

    import huggingface_hub.utils._http as hf_http

    monkeypatch.setattr(hf_http, "time", types.SimpleNamespace(**{**vars(time), "sleep": lambda seconds: None}))


@pytest.fixture()
def hub_server(hf_cache, no_retry_waits, monkeypatch) -> Iterator:
    """A Hub look-alike on loopback that ``huggingface_hub`` (and so hub and timm) talks to."""
    from huggingface_hub import constants
    from support.hf_server import HubServer

    with HubServer() as server:
        monkeypatch.setattr(constants, "ENDPOINT", server.endpoint)
        monkeypatch.setattr(
            constants, "HUGGINGFACE_CO_URL_TEMPLATE", server.endpoint + "/{repo_id}/resolve/{revision}/{filename}"
        )
        monkeypatch.setattr(constants, "HF_HUB_OFFLINE", False)
        monkeypatch.setenv("HF_ENDPOINT", server.endpoint)
        monkeypatch.delenv("HF_HUB_OFFLINE", raising=False)
        yield server


@pytest.fixture()
def offline(monkeypatch) -> None:
    """HF_HUB_OFFLINE=1 for this process and subprocesses."""
    from huggingface_hub import constants

    monkeypatch.setattr(constants, "HF_HUB_OFFLINE", True)
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
