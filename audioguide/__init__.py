"""audioguide: turn a written patient guide into an accessible, chaptered audio package, offline."""

__version__ = "0.1.0"
