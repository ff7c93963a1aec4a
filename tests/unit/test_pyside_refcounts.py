"""The Qt binding must not lose references to None: under Python 3.11 that aborts a long session.

PySide6 6.12.0 returns None from every void call without a new reference. Under Python 3.11,
where None is an ordinary object, None's count falls by one per call until the interpreter
aborts ("none_dealloc"); a review session makes that many calls in an afternoon. (3.12 made
None immortal, which hides the bug.) pyproject pins a release without it; this keeps it so.
"""

from __future__ import annotations

import os
import subprocess
import sys

PROBE = """
import sys
from PySide6.QtWidgets import QApplication, QLabel
app = QApplication([])
label = QLabel()
before = sys.getrefcount(None)
for i in range(2000):
    label.setText(str(i))
    label.resize(100 + i % 5, 20)
    app.processEvents()
print(before - sys.getrefcount(None))
"""


def test_void_calls_keep_their_reference_to_none() -> None:
    result = subprocess.run(
        [sys.executable, "-c", PROBE],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
    )
    assert result.returncode == 0, result.stderr
    lost = int(result.stdout.split()[-1])
    # 6000 void calls: a leaking binding loses about 6000; a sound one a handful at most.
    assert lost < 100, f"None lost {lost} references over 6000 Qt calls"
