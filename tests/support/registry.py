"""The architectures hub's own families provide, for tests parametrized over the registry.

hub-timm registers every timm architecture as a fallback; tests that build each native
architecture leave those out (hub-timm's own tests sample them).
"""

from __future__ import annotations

import hub
from hub._listing import get_model_entry


def native_models() -> list[str]:
    """Registered bare names that a native (non-fallback) registration builds."""
    return [name for name in hub.list_models() if ":" not in name and not get_model_entry(name).fallback]
