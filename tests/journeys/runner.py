"""Start the app as a person does (its ``zc-review`` entry point, a fresh process) on a journey."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]

# What the offscreen platform says it cannot do for a top-level window ("This plugin does not
# support propagateSizeHints()", "... raise()", "... grabbing the keyboard"): the platform's
# limits, not the app's faults (DESIGN.md).
IGNORED_QT = ("This plugin does not support ",)
# Every Qt message is printed as "QTMSG <type> <category>: <text>" so none can pass unseen.
QT_PATTERN = "QTMSG %{type} %{category}: %{message}"


@dataclass
class JourneyResult:
    returncode: int
    report: dict[str, Any]
    stdout: str
    stderr: str
    shots: Path

    @property
    def facts(self) -> dict[str, Any]:
        facts: dict[str, Any] = self.report.get("facts", {})
        return facts

    def problems(self) -> list[str]:
        """Why the journey failed: its own report, an exit status, a traceback or a Qt warning."""
        found: list[str] = []
        if not self.report.get("ok"):
            found.append(f"journey: {self.report.get('error', 'no report written')}")
        if self.returncode != 0:
            found.append(f"exit status {self.returncode}")
        if "Traceback (most recent call last)" in self.stderr:
            found.append("a traceback was printed:\n" + self.stderr[-4000:])
        for line in self.stderr.splitlines():
            m = re.match(r"QTMSG (\w+) ([^:]*): (.*)", line)
            if (
                m
                and m.group(1) in ("warning", "critical", "fatal")
                and not any(ignored in m.group(3) for ignored in IGNORED_QT)
            ):
                found.append(f"Qt {m.group(1)} ({m.group(2)}): {m.group(3)}")
        return found


def entry_point() -> list[str]:
    """The installed ``zc-review`` script next to this interpreter, else ``python -m zc_review``."""
    script = Path(sys.executable).with_name("zc-review")
    return [str(script)] if script.exists() else [sys.executable, "-m", "zc_review"]


def run_journey(
    journey: str,
    data_dir: Path,
    work: Path,
    params: dict[str, Any],
    *,
    lang: str | None = None,
    timeout: float = 420,
    extra_env: dict[str, str] | None = None,
    command: list[str] | None = None,
) -> JourneyResult:
    """Run ``tests/journeys/<journey>.py`` inside ``zc-review --data-dir DATA gui`` (or ``command``
    after the entry point, e.g. ``["demo", "--workspace", W]``); wait for the app to end."""
    work.mkdir(parents=True, exist_ok=True)
    report = work / f"{journey}-{params.get('phase', 'run')}.json"
    report.unlink(missing_ok=True)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTEST", "ZC_REVIEW"))}
    env.update(
        {
            "QT_QPA_PLATFORM": "offscreen",
            "QT_MESSAGE_PATTERN": QT_PATTERN,
            "ZC_REVIEW_JOURNEY": str(HERE / f"{journey}.py"),
            "ZC_REVIEW_JOURNEY_REPORT": str(report),
            "ZC_REVIEW_JOURNEY_PARAMS": json.dumps(params, ensure_ascii=False),
            "PYTHONFAULTHANDLER": "1",
            # A home of its own: nothing of the machine's user (Downloads, caches) leaks in.
            "HOME": str(work / "home"),
        }
    )
    env.update(extra_env or {})
    (work / "home").mkdir(exist_ok=True)
    cmd = [*entry_point(), "--data-dir", str(data_dir)]
    if lang:
        cmd += ["--lang", lang]
    cmd += command or ["gui"]
    # Not from the checkout: the app must find everything the way an installed copy does.
    done = subprocess.run(cmd, cwd=work, env=env, capture_output=True, text=True, timeout=timeout)
    data = json.loads(report.read_text(encoding="utf-8")) if report.exists() else {}
    return JourneyResult(
        done.returncode, data, done.stdout, done.stderr, report.with_name(report.stem + "-shots")
    )


def demo_workspace(where: Path) -> Path:
    """A demo workspace (bundles, the demo office CA and credential) built by the real command."""
    cmd = [*entry_point(), "demo", "--no-gui", "--workspace", str(where)]
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTEST", "ZC_REVIEW"))}
    done = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    return where


def copy_tree(src: Path, dest: Path) -> Path:
    return Path(shutil.copytree(src, dest))
