"""hub-core's version; plugins state the range they support through their dependency on it."""

__version__ = "0.1.0"
