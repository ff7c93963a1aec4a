"""Render screenshots of the workstation's main screens into a folder.

    xvfb-run -a -s "-screen 0 1920x1080x24" .venv/bin/python -m tests.screenshots OUT_DIR [--size 1366x768] [--lang en]
    (add --text-scale 150 for Settings ▸ 字号 at 150%)

Builds a throw-away demo workspace (three demo communities), signs in a demo
expert, and saves one PNG per tab plus the submit flow's dock and the
calibration dialog. Used for the README and to look at every change a person sees.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("out", type=Path)
    parser.add_argument("--size", default="1366x768")
    parser.add_argument("--lang", choices=("zh", "en"), default="zh")
    parser.add_argument("--text-scale", type=int, default=100, help="Settings ▸ 字号, in percent (100–200)")
    args = parser.parse_args()
    width, height = (int(x) for x in args.size.split("x"))
    args.out.mkdir(parents=True, exist_ok=True)

    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication, QWidget

    from tests.data.bundles import import_demo
    from zc_review.experts import ExpertProfile, accept_pledge, save_profile
    from zc_review.gui.app import apply_text_scale, install_cjk_font, open_settings
    from zc_review.gui.main_window import TAB_CHECKS, TAB_MATERIALS, TAB_OVERVIEW, TAB_SCORING, MainWindow
    from zc_review.gui.translation import install_language
    from zc_review.store.store import Store

    app = QApplication(sys.argv)
    install_cjk_font(app)
    apply_text_scale(app, args.text_scale)
    install_language(app, args.lang)
    with tempfile.TemporaryDirectory(prefix="zc-shots-") as tmp:
        data = Path(tmp) / "data"
        import_demo(data, Path(tmp) / "work", (0, 11, 1))
        store = Store.open(data)
        expert = save_profile(
            store, ExpertProfile("王立新", "研究员", "江苏省科学技术情报研究所", "电子信息")
        )
        accept_pledge(store, expert)
        window = MainWindow(store, expert, open_settings(data))
        window.resize(width, height)
        window.show()

        def shot(name: str, widget: QWidget | None = None) -> None:
            for _ in range(5):
                app.processEvents()
            (widget or window).grab().save(str(args.out / f"{name}.png"))
            print(args.out / f"{name}.png")

        # The weakest application shows every kind of finding.
        weakest = max(
            range(window.app_list.visible_count()),
            key=lambda r: int(window.app_list.proxy.index(r, 7).data(window.app_list.proxy.sortRole()) or 0),
        )
        window.app_list.select_row(weakest)
        window.tabs.setCurrentIndex(TAB_OVERVIEW)
        shot("1-overview")
        window.tabs.setCurrentIndex(TAB_MATERIALS)
        pdf = next(e for e in window.materials.entries() if e.media_type == "application/pdf")
        window.materials.select_material(pdf.name)
        window.materials.pdf_viewer.search(window.loaded.app.community_name[:4] if window.loaded else "众创")
        for _ in range(50):
            app.processEvents()
        shot("2-materials")
        window.tabs.setCurrentIndex(TAB_CHECKS)
        shot("3-checks")
        window.tabs.setCurrentIndex(TAB_SCORING)
        shot("4-scoring-gate")
        assert window.state is not None

        def answer() -> None:
            dialog = QApplication.activeModalWidget()
            if dialog is None:
                QTimer.singleShot(20, answer)
                return
            shot("4b-conflict-dialog", dialog)
            dialog.ui.noConflictRadio.setChecked(True)  # type: ignore[attr-defined]
            dialog.ok_button.click()  # type: ignore[attr-defined]

        QTimer.singleShot(0, answer)
        window.declare_conflict()
        window.tabs.setCurrentIndex(TAB_SCORING)
        form = window.current_form()
        assert form is not None
        for item in form.rubric.items()[:9]:
            spin = form.cards[item.id].spin
            if spin is not None:
                spin.setValue(float(item.max_points * Decimal("0.6") // item.step * item.step))
        form.focus_field(*_first_failure(form))
        shot("5-scoring")
        window.submit()
        shot("6-submit-missing")
        QTimer.singleShot(0, app.quit)
        app.exec()
        window.close()
        store.close()
    return 0


def _first_failure(form: object) -> tuple[object, str]:
    from zc_review.core.scoring import FieldKind

    failed = getattr(form, "_failed", {})
    for item in form.rubric.items():  # type: ignore[attr-defined]
        if set(item.checks) & set(failed):
            return FieldKind.SCORE, item.id
    return FieldKind.SCORE, form.rubric.items()[0].id  # type: ignore[attr-defined]


if __name__ == "__main__":
    raise SystemExit(main())
