"""Hatchling build hook: compile the Designer forms and translations before a wheel is built.

Runs for wheel and editable builds (``pip install .``, ``pip install -e .``, ``python -m build``).
The work is done by ``packaging/build_qt.py`` on the source tree, so an editable install
finds the outputs where a checkout does. The outputs are git-ignored, which hatch would
otherwise leave out of the wheel: the compiled forms are declared as artifacts here, and
the ``.qm`` files travel with the force-included ``resources`` directory.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

from hatchling.builders.hooks.plugin.interface import BuildHookInterface


def _load_build_qt(root: Path) -> ModuleType:
    # packaging/ is not a package; load the script by path.
    path = root / "packaging" / "build_qt.py"
    spec = importlib.util.spec_from_file_location("zc_review_build_qt", path)
    if spec is None or spec.loader is None:
        raise RuntimeError(f"cannot load {path}")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


class CustomBuildHook(BuildHookInterface):
    """Compile ``ui/*.ui`` and ``resources/translations/*.ts`` into the tree being packaged."""

    PLUGIN_NAME = "custom"

    def initialize(self, version: str, build_data: dict[str, Any]) -> None:
        """Build what is out of date, then make sure the wheel carries it."""
        if self.target_name != "wheel":
            return  # an sdist ships the sources; the wheel built from it compiles them
        root = Path(self.root)
        build_qt = _load_build_qt(root)
        for path in build_qt.build(root):
            self.app.display_info(f"compiled {path.relative_to(root)}")
        build_data["artifacts"].append("/zc_review/gui/forms/ui_*.py")
