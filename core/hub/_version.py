"""hub-core's version, and the plugin API version it speaks.

The plugin API (the hooks, the registration call, the model contract) changes only with
hub-core's major.minor version: a plugin states the API it needs through its dependency
on hub-core, for example ``hub-core>=0.1,<0.2`` for API 0.1. hub refuses a plugin whose
requirement excludes the installed hub-core.
"""

__version__ = "0.1.0"
PLUGIN_API_VERSION = ".".join(__version__.split(".")[:2])
