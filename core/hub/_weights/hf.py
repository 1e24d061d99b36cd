"""Downloads from the Hugging Face Hub through ``huggingface_hub``, with errors a user can act on.

``huggingface_hub`` owns the cache, offline mode, resumption and progress bars; this
module picks the files, checks their sha256 after a fresh download, and turns the
client's exceptions into hub errors that name the repository and say what to do.
"""

from __future__ import annotations

import hashlib
import os
import re
from pathlib import Path

import huggingface_hub
from huggingface_hub import constants as hf_constants
from huggingface_hub import errors as hf_errors

from hub._names import split_hf_hub_id
from hub._saved_config import CONFIG_NAME
from hub.errors import CheckpointError, OfflineError, WeightDownloadError

__all__ = [
    "SAFETENSORS_NAME",
    "TORCH_WEIGHTS_NAME",
    "blob_is_intact",
    "cached_weights",
    "download_config",
    "download_file",
    "download_weights",
]

SAFETENSORS_NAME = "model.safetensors"
TORCH_WEIGHTS_NAME = "pytorch_model.bin"
# Pickle names with a safetensors twin that is preferred when the repository has it.
_SAFE_ALTERNATIVES = {
    TORCH_WEIGHTS_NAME: SAFETENSORS_NAME,
    "open_clip_pytorch_model.bin": "open_clip_model.safetensors",
}
_SHA256 = re.compile(r"[0-9a-f]{64}")
_GIT_SHA1 = re.compile(r"[0-9a-f]{40}")
_HASH_CHUNK = 8 * 1024 * 1024


def download_file(
    repo_id: str,
    filename: str,
    *,
    revision: str | None = None,
    cache_dir: str | os.PathLike[str] | None = None,
    force: bool = False,
    hint: str,
) -> Path:
    """Fetch one file into the Hub cache (or take it from there) and return its local path.

    A file fetched now whose name in the cache is its sha256 (the Hub's large files) is
    hashed; on a mismatch it is removed and a `CheckpointError` raised. ``hint`` is the
    command that fetches the file again, for messages.
    """
    was_cached = not force and _cached_file(repo_id, filename, revision, cache_dir) is not None
    if not was_cached and not hf_constants.HF_HUB_OFFLINE:
        _probe(repo_id, filename, revision, hint)
    try:
        local = huggingface_hub.hf_hub_download(
            repo_id,
            filename,
            revision=revision,
            cache_dir=str(cache_dir) if cache_dir is not None else None,
            force_download=force,
            library_name="hub",
        )
    except Exception as exc:
        raise _translate(exc, repo_id, filename, revision, hint) from exc
    path = Path(local)
    if not was_cached:
        _verify_sha256(path, repo_id, filename, hint)
    return path


def _probe(repo_id: str, filename: str, revision: str | None, hint: str) -> None:
    """One request for the file's metadata, bounded by ``HF_HUB_ETAG_TIMEOUT``, before downloading.

    huggingface_hub retries a request that gets no answer several times, with a longer
    timeout each time (minutes in all); an endpoint that does not answer once is reported
    now, so the whole wait stays within one timeout.
    """
    url = huggingface_hub.hf_hub_url(repo_id, filename, revision=revision)
    try:
        huggingface_hub.get_hf_file_metadata(url, timeout=hf_constants.HF_HUB_ETAG_TIMEOUT)
    except Exception as exc:
        raise _translate(exc, repo_id, filename, revision, hint) from exc


def _verify_sha256(path: Path, repo_id: str, filename: str, hint: str) -> None:
    if blob_is_intact(path) is False:
        blob = path.resolve()
        for stale in (path, blob):
            stale.unlink(missing_ok=True)
        raise CheckpointError(
            f"{filename} of {repo_id} arrived corrupt (its sha256 is not the one the Hub announced) "
            f"and was removed from the cache; fetch it again with `{hint}`"
        )


def blob_is_intact(path: Path) -> bool | None:
    """Whether a cached file still has the content its cache name records; None when the name records none.

    The Hub cache names a large file's blob by its sha256 (the Hub's ETag) and a small
    git-stored file's by its git blob hash.
    """
    blob = path.resolve()
    if _SHA256.fullmatch(blob.name):
        digest = hashlib.sha256()
    elif _GIT_SHA1.fullmatch(blob.name):
        digest = hashlib.sha1(b"blob %d\0" % blob.stat().st_size, usedforsecurity=False)
    else:
        return None
    with open(blob, "rb") as handle:
        while chunk := handle.read(_HASH_CHUNK):
            digest.update(chunk)
    return digest.hexdigest() == blob.name


def download_weights(
    repo_id: str,
    *,
    revision: str | None = None,
    filename: str | None = None,
    cache_dir: str | os.PathLike[str] | None = None,
    force: bool = False,
    hint: str,
) -> Path:
    """The repository's weights: ``model.safetensors`` first, then ``pytorch_model.bin``.

    With ``filename`` (a cfg's ``hf_hub_filename``), that file, or its safetensors twin
    when the repository has one. Offline, whichever of them is cached.
    """
    wanted = filename or TORCH_WEIGHTS_NAME
    names = [n for n in (_SAFE_ALTERNATIVES.get(wanted), wanted) if n]
    failures: list[CheckpointError | OfflineError] = []
    for name in names:
        try:
            return download_file(repo_id, name, revision=revision, cache_dir=cache_dir, force=force, hint=hint)
        except (_MissingRemoteFile, OfflineError) as exc:
            if isinstance(exc, UnreachableError):
                raise  # the next file would wait as long, for the same endpoint
            failures.append(exc)
    offline = [f for f in failures if isinstance(f, OfflineError)]
    if offline:
        raise offline[0]
    raise CheckpointError(f"repository {repo_id} has none of {', '.join(names)}; it holds no weights hub can read")


class _MissingRemoteFile(CheckpointError):
    """The repository exists but does not have the file."""


def download_config(
    repo_id: str, *, revision: str | None = None, cache_dir: str | os.PathLike[str] | None = None
) -> Path:
    """``config.json`` of a Hub repository, for ``hf-hub:`` model names."""
    spec = f"{repo_id}@{revision}" if revision else repo_id
    return download_file(
        repo_id, CONFIG_NAME, revision=revision, cache_dir=cache_dir, hint=f"hub download hf-hub:{spec}"
    )


def _translate(exc: Exception, repo_id: str, filename: str, revision: str | None, hint: str) -> Exception:
    where = f"{filename} of {repo_id}" + (f" at revision {revision}" if revision else "")
    cause = exc.__cause__ or exc.__context__
    if isinstance(exc, hf_errors.LocalEntryNotFoundError) and isinstance(cause, hf_errors.HfHubHTTPError):
        exc = cause  # the Hub answered, with an error: report that, not a connection problem
    if isinstance(exc, (hf_errors.OfflineModeIsEnabled, hf_errors.LocalEntryNotFoundError)):
        if hf_constants.HF_HUB_OFFLINE:
            return OfflineError(
                f"{where} is not in the local cache, and HF_HUB_OFFLINE=1 forbids downloading it; "
                f"fetch it once while online with `{hint}`, or point cache_dir at a cache that has it"
            )
        reason = f" ({type(cause).__name__}: {cause})" if cause else ""
        return OfflineError(
            f"could not reach the Hugging Face Hub at {hf_constants.ENDPOINT} to fetch {where}{reason}, "
            f"and it is not in the local cache; check the connection (or HF_ENDPOINT), then `{hint}`"
        )
    if _is_connection_failure(exc):
        waited = "did not answer in time" if _is_timeout(exc) else "could not be reached"
        return UnreachableError(
            f"the Hugging Face Hub at {hf_constants.ENDPOINT} {waited} ({type(exc).__name__}) while fetching {where}, "
            f"and it is not in the local cache; nothing was downloaded. Check the connection (or HF_ENDPOINT) and run "
            f"`{hint}`; on a slow network raise HF_HUB_ETAG_TIMEOUT (now {hf_constants.HF_HUB_ETAG_TIMEOUT} s) and "
            f"HF_HUB_DOWNLOAD_TIMEOUT, or set HF_HUB_OFFLINE=1 to use only the cache"
        )
    if isinstance(exc, hf_errors.RepositoryNotFoundError):
        return WeightDownloadError(
            f"repository {repo_id} was not found on {hf_constants.ENDPOINT} (or it is private or gated: "
            "log in with `hf auth login`)"
        )
    if isinstance(exc, hf_errors.RevisionNotFoundError):
        return WeightDownloadError(f"repository {repo_id} has no revision {revision!r}")
    if isinstance(exc, hf_errors.EntryNotFoundError):
        return _MissingRemoteFile(f"repository {repo_id} has no file {filename}")
    if isinstance(exc, hf_errors.HfHubHTTPError):
        status = exc.response.status_code if exc.response is not None else "?"
        return WeightDownloadError(
            f"the Hub answered HTTP {status} for {where}; nothing was saved, try `{hint}` again later"
        )
    if isinstance(exc, OSError) or type(exc).__module__.startswith(("httpx", "httpcore", "requests", "urllib3")):
        return WeightDownloadError(
            f"downloading {where} failed ({type(exc).__name__}: {exc}); nothing partial was kept as the file, "
            f"run `{hint}` again"
        )
    return exc


class UnreachableError(OfflineError):
    """The endpoint gave no answer at all (refused, reset or timed out)."""


def _is_connection_failure(exc: BaseException) -> bool:
    return type(exc).__module__.startswith(("httpx", "httpcore")) and (
        "Timeout" in type(exc).__name__ or "Connect" in type(exc).__name__ or "Network" in type(exc).__name__
    )


def _is_timeout(exc: BaseException) -> bool:
    return "Timeout" in type(exc).__name__


def cached_weights(hf_hub_id: str, cache_dir: str | os.PathLike[str] | None = None) -> Path | None:
    """The weights of a Hub repository if the local cache has them (no network); else None."""
    repo_id, revision = split_hf_hub_id(hf_hub_id)
    for name in (SAFETENSORS_NAME, TORCH_WEIGHTS_NAME):
        found = _cached_file(repo_id, name, revision, cache_dir)
        if found is not None:
            return found
    return None


def _cached_file(
    repo_id: str, filename: str, revision: str | None, cache_dir: str | os.PathLike[str] | None
) -> Path | None:
    found = huggingface_hub.try_to_load_from_cache(
        repo_id, filename, revision=revision, cache_dir=str(cache_dir) if cache_dir else None
    )
    return Path(found) if isinstance(found, str) else None
