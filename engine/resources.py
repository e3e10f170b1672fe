"""Where the files Kaohe ships with live: the JSON Schema, the report templates
and the bundled schemes — in a clone and in an installed wheel alike.

The repository keeps ``schema/``, ``reports/`` and ``schemes/`` beside
``engine/``; the wheel carries the same folders *inside* the package
(``engine/schema``, ``engine/reports``, ``engine/schemes``: pyproject.toml
maps them there with ``[tool.setuptools.package-dir]``). Every lookup goes
through :func:`shipped`, which asks ``importlib.resources`` for the ``engine``
package and takes the folder inside it when the wheel put it there, else the
one beside it (a clone, editable install or not). Nothing else in the engine
builds such a path, so a wheel can never look into the source tree again.

Only stdlib modules are imported: ``kaohe --version`` stays fast.
"""

from __future__ import annotations

import functools
import importlib.resources
import typing as t
from pathlib import Path

#: The folders shipped with the engine.
Folder = t.Literal["schema", "reports", "schemes"]

#: The scheme language's JSON Schema, inside ``schema/``.
SCHEMA_NAME = "scheme.schema.json"


@functools.cache
def shipped(folder: Folder) -> Path:
    """The shipped folder ``folder`` as a real directory on disk.

    A wheel is installed unpacked, so ``importlib.resources`` hands back a
    plain path (jinja2's FileSystemLoader and ``shutil.copy`` need one).

    >>> (shipped("schema") / SCHEMA_NAME).is_file()
    True
    """
    package = Path(str(importlib.resources.files("engine")))
    inside = package / folder
    # The wheel's copy first; in a clone the package has no such folder and the sibling is the source.
    return inside if inside.is_dir() else package.parent / folder


def schema_file() -> Path:
    """``scheme.schema.json``: what ``kaohe validate`` checks against and editors complete from."""
    return shipped("schema") / SCHEMA_NAME


def reports_dir() -> Path:
    """The folder of the Jinja2 report templates (``*.j2``)."""
    return shipped("reports")


def bundled_scheme(name: str) -> Path:
    """The scheme file of the bundled scheme folder ``name`` (e.g. ``jifenzhi``)."""
    return shipped("schemes") / name / f"{name}.yaml"


def serve_folder(folder: t.Literal["templates", "static"]) -> Path:
    """The workbench's (``kaohe serve``) templates or static files: inside ``engine/serve`` in a clone and a wheel alike."""
    return Path(str(importlib.resources.files("engine.serve"))) / folder
