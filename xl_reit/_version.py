"""The package's version, at the ground floor so any module may show it without a loop."""

__version__ = "0.2.0"
