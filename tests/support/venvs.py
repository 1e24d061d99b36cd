"""Fresh virtual environments for integration tests, reusing this environment's heavy dependencies.

Installing torch again would take minutes and gigabytes. Instead the new environment gets
a ``.pth`` file pointing at a folder of links to this environment's third-party packages,
leaving out every hub distribution, so hub-core and its plugins must come from the wheels
the test installs.
"""

from __future__ import annotations

import os
import subprocess
import sys
import sysconfig
from collections.abc import Sequence
from pathlib import Path

_OURS = ("hub", "hub_", "__editable__", "acme_", "broken_")


def build_wheel(project: Path, out: Path) -> Path:
    """Build ``project`` into a wheel in ``out`` with this environment's setuptools."""
    out.mkdir(parents=True, exist_ok=True)
    before = set(out.glob("*.whl"))
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q", "-w", str(out), str(project)],
        check=True,
        capture_output=True,
    )
    (wheel,) = set(out.glob("*.whl")) - before
    return wheel


def _package_folders() -> list[Path]:
    """This environment's site-packages, and the folders its ``.pth`` files add (a shared package folder)."""
    site_packages = Path(sysconfig.get_paths()["purelib"])
    folders = [site_packages]
    for pth in sorted(site_packages.glob("*.pth")):
        for line in pth.read_text().splitlines():
            folder = Path(line.strip())
            if line.strip() and not line.startswith(("#", "import")) and folder.is_dir() and folder not in folders:
                folders.append(folder)
    return folders


def _shared_packages(target: Path) -> Path:
    target.mkdir(parents=True, exist_ok=True)
    for folder in _package_folders():
        for entry in folder.iterdir():
            if entry.name.startswith(_OURS) or entry.suffix == ".pth" or entry.name == "__pycache__":
                continue
            link = target / entry.name
            if not link.exists():
                link.symlink_to(entry)
    return target


class Venv:
    """A virtual environment in ``root`` whose dependencies come from this one."""

    def __init__(self, root: Path) -> None:
        self.root = root
        subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(root)], check=True)
        shared = _shared_packages(root.parent / f"{root.name}-shared")
        purelib = subprocess.run(
            [str(self.python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
            check=True,
            capture_output=True,
            text=True,
        ).stdout.strip()
        Path(purelib, "_shared_dependencies.pth").write_text(str(shared) + "\n")
        self.site_packages = Path(purelib)

    @property
    def python(self) -> Path:
        return self.root / "bin" / "python"

    def bin(self, name: str) -> Path:
        return self.root / "bin" / name

    def install(self, *wheels: Path) -> None:
        # this environment's pip, pointed at the new one: the new one has none of its own
        subprocess.run(
            [
                sys.executable,
                "-m",
                "pip",
                "--python",
                str(self.python),
                "install",
                "-q",
                "--no-deps",
                "--no-index",
                *map(str, wheels),
            ],
            check=True,
            capture_output=True,
        )

    def run(
        self, args: Sequence[str | os.PathLike[str]], env: dict[str, str] | None = None
    ) -> subprocess.CompletedProcess[str]:
        environ = {k: v for k, v in os.environ.items() if k not in ("HUB_PLUGINS", "PYTHONPATH")}
        environ.update(env or {})
        return subprocess.run([str(a) for a in args], capture_output=True, text=True, env=environ, check=False)


__all__ = ["Venv", "build_wheel"]
