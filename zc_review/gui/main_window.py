"""The expert's main window: the application list and, for the selected one, its tabs.

Every edit is saved by the AutoSaver a moment after it is made; submit checks
completeness through the same rules the CLI uses and lists what is missing in a
panel whose entries jump to their fields.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from datetime import datetime
from decimal import Decimal
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, cast

from PySide6.QtCore import QByteArray, QSettings, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QCloseEvent, QDragEnterEvent, QDropEvent, QKeySequence
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QDockWidget,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QMessageBox,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from zc_review import __version__
from zc_review.core.application import MATERIAL_LABELS, MaterialKind, Stage
from zc_review.core.indicators import CheckStatus
from zc_review.core.rubric import Rubric
from zc_review.core.scoring import FieldKind, GoalCalibration, Problem, ScoreSheet, completeness
from zc_review.errors import UserError
from zc_review.gui import relative_size
from zc_review.gui.app import TEXT_SCALE_KEY
from zc_review.gui.app_list import ROW_HEIGHT_FACTOR, ApplicationList, TallRowDelegate, status_text
from zc_review.gui.autosave import AutoSaver
from zc_review.gui.checks_view import ChecksView, check_detail, check_title
from zc_review.gui.import_flow import RecentBundles, choose_bundles, import_bundles
from zc_review.gui.labels import fmt_points as _fmt
from zc_review.gui.labels import stage_label
from zc_review.gui.lazy import LazyModule, LazyPage
from zc_review.gui.overview import OverviewTab
from zc_review.i18n import local_minute, pick
from zc_review.store import readonly
from zc_review.store.status import ReviewStatus

# 图表 comes last so the older tabs keep their indexes (and Alt+1 … Alt+4).
if TYPE_CHECKING:
    from zc_review import experts, reviews, workspace
    from zc_review.gui import backup_flow, dialogs, opinion_flow
    from zc_review.gui.charts_tab import ChartsTab
    from zc_review.gui.materials_view import MaterialEntry, MaterialsView
    from zc_review.gui.meeting_mode import MeetingWindow
    from zc_review.gui.scoring_form import ScoringForm
    from zc_review.reviews import ReviewState
    from zc_review.store.opening import StoreOpening
    from zc_review.store.store import Store
    from zc_review.workspace import LoadedApplication
else:
    # Imported at first use: the ORM-backed functions, the dialogs and signing are not
    # needed to show the window (see zc_review.store.opening).
    experts = LazyModule("zc_review.experts")
    reviews = LazyModule("zc_review.reviews")
    workspace = LazyModule("zc_review.workspace")
    dialogs = LazyModule("zc_review.gui.dialogs")
    backup_flow = LazyModule("zc_review.gui.backup_flow")
    opinion_flow = LazyModule("zc_review.gui.opinion_flow")

TAB_OVERVIEW, TAB_MATERIALS, TAB_CHECKS, TAB_SCORING, TAB_CHARTS = range(5)
IMPORTABLE = (".zcb", ".zip")


class ProblemsPanel(QListWidget):
    """What stops a submit; activating an entry jumps to its field."""

    jump = Signal(object)  # Problem
    countChanged = Signal(int)  # the entries now listed (the dock's title shows it)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setItemDelegate(TallRowDelegate(self))  # rows 1.6× the text, not 15 pixels
        self.itemActivated.connect(self._activated)
        self.itemClicked.connect(self._activated)

    def set_problems(self, problems: list[Problem]) -> None:
        self.clear()
        for p in problems:
            item = QListWidgetItem("• " + pick(p.zh, p.en))
            item.setData(Qt.ItemDataRole.UserRole, p)
            self.addItem(item)
        self.countChanged.emit(len(problems))

    def _activated(self, item: QListWidgetItem) -> None:
        self.jump.emit(item.data(Qt.ItemDataRole.UserRole))


class CalibrationDialog(QDialog):
    """Before submit: this review against the anchors and against the expert's own other reviews."""

    def __init__(self, rubric: Rubric, total: Decimal, rows: list[GoalCalibration], parent: QWidget) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("提交前校准提示"))
        intro = QLabel(
            self.tr(
                "总分 %1 分。请对照各目标的评分标准和您在本批次其他评审中的打分，确认评分尺度一致后再提交。"
            ).replace("%1", _fmt(total))
        )
        intro.setWordWrap(True)
        self.table = QTableWidget(len(rows), 4)
        self.table.setHorizontalHeaderLabels(
            [
                self.tr("目标"),
                self.tr("本次得分"),
                self.tr("各项所处档次"),
                self.tr("您在本批其他评审中的平均分"),
            ]
        )
        self.table.verticalHeader().setVisible(False)
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.unusual = [r for r in rows if r.unusual]
        for i, r in enumerate(rows):
            share = f"{r.fraction * 100:.0f}%"
            bands = "、".join(f"{band} {n} 项" for band, n in r.bands.items()) or "—"
            if r.own_mean is None:
                own = self.tr("暂无可比评审")
            else:
                gap = r.points - r.own_mean
                own = f"{_fmt(r.own_mean)}（{r.own_count} 份）　{'+' if gap >= 0 else ''}{_fmt(gap)}"
                if r.unusual:
                    own += self.tr("　⚠ 与您的一贯尺度差异较大")
            cells = [r.title, f"{_fmt(r.points)} / {_fmt(r.max_points)}（{share}）", bands, own]
            for c, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if r.unusual and c == 3:
                    item.setForeground(Qt.GlobalColor.darkRed)
                self.table.setItem(i, c, item)
        buttons = QDialogButtonBox()
        self.confirm = buttons.addButton(self.tr("确认提交(&S)"), QDialogButtonBox.ButtonRole.AcceptRole)
        back = buttons.addButton(self.tr("返回修改(&B)"), QDialogButtonBox.ButtonRole.RejectRole)
        back.setDefault(True)  # a stray Enter must not submit
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.table)
        note = QLabel(self.tr("提交后评审结果不可再修改。"))
        note.setStyleSheet("color: #9a6700;")
        layout.addWidget(note)
        layout.addWidget(buttons)
        self.resize(820, 360)


class ScoringTab(QWidget):
    """The conflict gate, the rubric's form and the submit bar."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.gate = QFrame()
        self.gate.setObjectName("conflictGate")
        self.gate.setStyleSheet(
            "#conflictGate { background: #fff8e1; border: 1px solid #e5c07b; border-radius: 4px; }"
        )
        self.gate_text = QLabel()
        self.gate_text.setWordWrap(True)
        self.declare_button = QPushButton(self.tr("回避声明…(&D)"))
        gate_row = QHBoxLayout(self.gate)
        gate_row.addWidget(self.gate_text, 1)
        gate_row.addWidget(self.declare_button)
        self.forms = QStackedWidget()
        self.placeholder = QLabel(self.tr("请先在左侧选择一个申报。"))
        self.placeholder.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.forms.addWidget(self.placeholder)
        self.recused = QLabel()
        self.recused.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.recused.setWordWrap(True)
        relative_size.set_style(self.recused, "font-size: 12pt; color: #57606a;")
        self.forms.addWidget(self.recused)
        self.submit_button = QPushButton(self.tr("提交评审(&S)"))
        self.submit_button.setToolTip(self.tr("检查完整性并提交（Ctrl+Enter）"))
        self.state_label = QLabel()
        # Signed opinions: shown once the review is submitted (MainWindow._update_opinion_controls).
        self.history_button = QPushButton(self.tr("签署历史…"))
        self.sign_button = QPushButton(self.tr("签署并导出意见表…"))
        self.sign_button.setToolTip(self.tr("用您的签名证书签署评审意见表并另存一份（Ctrl+E）"))
        self.history_button.hide()
        self.sign_button.hide()
        bar = QHBoxLayout()
        bar.addWidget(self.state_label, 1)
        bar.addWidget(self.submit_button)
        bar.addWidget(self.history_button)
        bar.addWidget(self.sign_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.gate)
        layout.addWidget(self.forms, 1)
        layout.addLayout(bar)


class MainWindow(QMainWindow):
    """The workstation: list on the left, the selected application's tabs on the right."""

    languageChangeRequested = Signal(str)

    def __init__(
        self, store: Store, expert_id: int, settings: QSettings, opening: StoreOpening | None = None
    ) -> None:
        """``opening``: the store is still opening on a worker (``store`` then stands in for it).

        The list is read with sqlite3 and shows at once; the selected application's tabs
        fill in when the store has opened.
        """
        super().__init__()
        self._starting = True  # until the end of __init__: see there
        self.store = store
        self._opening = opening if opening is not None and not opening.done() else None
        self.expert_id = expert_id
        self.settings = settings
        self.recent = RecentBundles(settings)
        self.loaded: LoadedApplication | None = None
        self.state: ReviewState | None = None
        self.forms: dict[tuple[str, str], ScoringForm] = {}
        self.autosaver = AutoSaver(self._save_sheet, parent=self, on_saved=self._sheet_saved)
        self.autosaver.saved.connect(self._saved)
        self.autosaver.saveFailed.connect(self._save_failed)
        self.autosaver.dirtyChanged.connect(self._dirty_changed)
        self._tasks: list[object] = []
        self.sign_next_box: QMessageBox | None = None
        self.setAcceptDrops(True)

        self.app_list = ApplicationList()
        self.app_list.currentApplicationChanged.connect(self._application_changed)
        self.header = QLabel()
        self.header.setObjectName("appHeader")
        relative_size.set_style(
            self.header, "#appHeader { font-size: 14pt; font-weight: bold; padding: 4px 2px; }"
        )
        self.header.setWordWrap(True)
        self.version_bar = QFrame()
        self.version_bar.setStyleSheet("background: #e8f1fb; border: 1px solid #9cc3ea; border-radius: 4px;")
        self.version_text = QLabel()
        self.version_button = QPushButton(self.tr("改为评审最新版本"))
        self.version_button.clicked.connect(self._start_latest_version)
        vrow = QHBoxLayout(self.version_bar)
        vrow.addWidget(self.version_text, 1)
        vrow.addWidget(self.version_button)
        self.version_bar.hide()

        self.overview = OverviewTab()
        self.overview.acknowledgeRequested.connect(self._acknowledge_formal)
        # The materials viewer (QtPdf) and the charts are built with the first application
        # shown or when their tab is opened, not with the window.
        self._materials_page = LazyPage(self._build_materials)
        self._pending_materials: list[MaterialEntry] = []
        self.checks = ChecksView()
        self.scoring = ScoringTab()
        self.scoring.declare_button.clicked.connect(self.declare_conflict)
        self.scoring.submit_button.clicked.connect(self.submit)
        self.scoring.sign_button.clicked.connect(self.sign_opinion)
        self.scoring.history_button.clicked.connect(self.show_opinion_history)
        self.tabs = QTabWidget()
        self.tabs.addTab(self.overview, self.tr("概况"))
        self.tabs.addTab(self._materials_page, self.tr("申报材料"))
        self.tabs.addTab(self.checks, self.tr("指标核查"))
        self.tabs.addTab(self.scoring, self.tr("评分"))
        # Charts: drawn only while the tab is shown (ChartsTab.showEvent), cached by data version.
        self._charts_page = LazyPage(self._build_charts)
        self._pending_charts: tuple[int | None, str | None] = (None, None)
        self.tabs.addTab(self._charts_page, self.tr("图表"))
        self._meeting: MeetingWindow | None = None
        self._office: QMainWindow | None = None
        self._failed: dict[str, str] = {}
        self._form_current = False
        self.tabs.currentChanged.connect(self._tab_changed)

        right = QWidget()
        rlayout = QVBoxLayout(right)
        rlayout.setContentsMargins(4, 0, 0, 0)
        rlayout.addWidget(self.header)
        rlayout.addWidget(self.version_bar)
        rlayout.addWidget(self.tabs, 1)
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        # Wide enough for a readable name beside status, progress, total and the findings.
        self.app_list.setMinimumWidth(360)
        self.splitter.addWidget(self.app_list)
        self.splitter.addWidget(right)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setSizes([520, 846])
        self.setCentralWidget(self.splitter)

        self.problems = ProblemsPanel()
        self.problems.jump.connect(self._jump_to_problem)
        self.problems_dock = QDockWidget(self.tr("待完善事项"), self)
        self.problems_dock.setObjectName("problemsDock")
        self.problems.countChanged.connect(self._problems_counted)
        self.problems_dock.setWidget(self.problems)
        self.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, self.problems_dock)
        self.problems_dock.hide()

        self.save_label = QLabel()
        self.expert_label = QLabel()
        self.counts_label = QLabel()
        self.statusBar().addPermanentWidget(self.counts_label)
        self.app_list.countsChanged.connect(self._show_counts)
        self.statusBar().addPermanentWidget(self.save_label)
        self.statusBar().addPermanentWidget(self.expert_label)

        self._build_actions()
        self._update_expert_label()
        # Filling the list selects its first row; the remembered selection must be read before,
        # and only the application finally selected is opened.
        remembered = self.settings.value("list/last_application")
        self.reload()
        self._restore(remembered)
        self._starting = False
        self._application_changed(self.app_list.current_application())
        if self._opening is not None:
            # Polled, so that the worker never touches a Qt object (the window may be closing).
            self._opening_poll = QTimer(self)
            self._opening_poll.setInterval(15)
            self._opening_poll.timeout.connect(self._poll_opening)
            self._opening_poll.start()

    def _poll_opening(self) -> None:
        if self._opening is None or self._opening.done():
            self._opening_poll.stop()
            self._store_opened()

    # The two lazy pages are built when their tab is first shown (at the window's real size) or
    # when code asks for them; until then they keep what they would show.

    def _build_materials(self) -> QWidget:
        from zc_review.gui.materials_view import MaterialsView

        view = MaterialsView()
        view.set_materials(self._pending_materials)
        return view

    def _build_charts(self) -> QWidget:
        from zc_review.gui.charts_tab import ChartsTab

        tab = ChartsTab(self.store, self.expert_id, self.settings)
        tab.set_application(*self._pending_charts)
        return tab

    def _set_materials(self, entries: list[MaterialEntry]) -> None:
        self._pending_materials = entries
        if self._materials_page.built:
            self.materials.set_materials(entries)

    def _set_chart_application(self, app_id: int | None, batch_id: str | None) -> None:
        self._pending_charts = (app_id, batch_id)
        if self._charts_page.built:
            self.charts.set_application(app_id, batch_id)

    @property
    def materials(self) -> MaterialsView:
        return cast("MaterialsView", self._materials_page.content())

    @property
    def charts(self) -> ChartsTab:
        return cast("ChartsTab", self._charts_page.content())

    def _store_opened(self) -> None:
        opening, self._opening = self._opening, None
        if opening is None:
            return
        error = opening.error
        if error is not None:
            QMessageBox.critical(self, self.tr("无法打开本地数据库"), str(error))
            self.close()
            return
        self._application_changed(self.app_list.current_application())

    # ----- actions and menus ------------------------------------------------------------------

    def _action(
        self,
        text: str,
        slot: Callable[[], object],
        shortcut: QKeySequence | QKeySequence.StandardKey | str | None = None,
    ) -> QAction:
        action = QAction(text, self)
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
        action.triggered.connect(lambda _checked=False: slot())
        self.addAction(action)  # shortcuts work whichever widget has focus
        return action

    def _build_actions(self) -> None:
        bar = self.menuBar()
        file_menu = bar.addMenu(self.tr("文件(&F)"))
        self.import_action = self._action(
            self.tr("导入封装包…(&I)"), self.import_dialog, QKeySequence.StandardKey.Open
        )
        file_menu.addAction(self.import_action)
        self.recent_menu = file_menu.addMenu(self.tr("最近导入(&R)"))
        self.recent_menu.aboutToShow.connect(self._fill_recent)
        file_menu.addSeparator()
        file_menu.addAction(self._action(self.tr("验证意见表…(&V)"), self.verify_opinions))
        file_menu.addAction(self._action(self.tr("办公室汇总…(&C)"), self.open_office, "Ctrl+Shift+O"))
        file_menu.addSeparator()
        self.backup_action = self._action(self.tr("备份…(&B)"), self.backup)
        file_menu.addAction(self.backup_action)
        file_menu.addSeparator()
        quit_action = self._action(self.tr("退出(&X)"), self.close)
        # Windows and some Linux desktops bind no key to StandardKey.Quit: Ctrl+Q works everywhere.
        quit_keys = [QKeySequence("Ctrl+Q")]
        quit_keys += [
            k for k in QKeySequence.keyBindings(QKeySequence.StandardKey.Quit) if k not in quit_keys
        ]
        quit_action.setShortcuts(quit_keys)
        file_menu.addAction(quit_action)

        # Undo and redo are the current form's own actions (it owns the shortcuts).
        self.edit_menu = bar.addMenu(self.tr("编辑(&E)"))
        # One Ctrl+F for the window, acting on what is shown (a second one inside the PDF viewer
        # would be ambiguous to Qt, and neither would fire).
        self.find_action = self._action(self.tr("查找(&F)"), self.find_in_view, QKeySequence.StandardKey.Find)
        self.edit_menu.addAction(self.find_action)
        self.edit_menu.addSeparator()

        review_menu = bar.addMenu(self.tr("评审(&R)"))
        self.declare_action = self._action(self.tr("回避声明…(&D)"), self.declare_conflict, "Ctrl+D")
        self.submit_action = self._action(self.tr("提交评审(&S)"), self.submit, "Ctrl+Return")
        self.next_action = self._action(
            self.tr("下一个申报(&N)"), lambda: self.app_list.step(1), "Ctrl+PgDown"
        )
        self.prev_action = self._action(
            self.tr("上一个申报(&P)"), lambda: self.app_list.step(-1), "Ctrl+PgUp"
        )
        for a in (self.declare_action, self.submit_action, self.next_action, self.prev_action):
            review_menu.addAction(a)
        review_menu.addSeparator()
        self.sign_action = self._action(self.tr("签署并导出意见表…(&E)"), self.sign_opinion, "Ctrl+E")
        self.view_signed_action = self._action(self.tr("查看已签署的意见表(&O)"), self.view_signed_opinion)
        self.history_action = self._action(self.tr("意见表签署历史…(&H)"), self.show_opinion_history)
        self.revise_action = self._action(self.tr("修订评审…(&M)"), self.revise_review)
        for a in (self.sign_action, self.view_signed_action, self.history_action, self.revise_action):
            a.setEnabled(False)  # until a submitted review is shown
            review_menu.addAction(a)

        view_menu = bar.addMenu(self.tr("视图(&V)"))
        names = [self.tr("概况"), self.tr("申报材料"), self.tr("指标核查"), self.tr("评分"), self.tr("图表")]
        for i, name in enumerate(names):
            view_menu.addAction(self._action(name, partial(self.tabs.setCurrentIndex, i), f"Alt+{i + 1}"))
        view_menu.addSeparator()
        self.batch_charts_action = self._action(self.tr("批次图表(&B)"), self.show_batch_charts)
        self.meeting_action = self._action(self.tr("演示模式(&M)"), self.start_meeting, "F5")
        view_menu.addAction(self.batch_charts_action)
        view_menu.addAction(self.meeting_action)
        view_menu.addSeparator()
        view_menu.addAction(self._action(self.tr("搜索申报列表(&L)"), self._focus_search, "Ctrl+L"))
        view_menu.addAction(self.problems_dock.toggleViewAction())

        settings_menu = bar.addMenu(self.tr("设置(&S)"))
        settings_menu.addAction(self._action(self.tr("专家信息…(&P)"), self.edit_profile))
        settings_menu.addAction(self._action(self.tr("手写签名…(&W)"), self.capture_signature))
        settings_menu.addAction(self._action(self.tr("导入签名证书…(&C)"), self.import_credential))
        settings_menu.addAction(
            self._action(self.tr("首选项…(&O)"), self.open_settings, QKeySequence.StandardKey.Preferences)
        )

        help_menu = bar.addMenu(self.tr("帮助(&H)"))
        help_menu.addAction(self._action(self.tr("快捷键(&K)"), self.show_shortcuts, "F1"))
        help_menu.addAction(self._action(self.tr("关于(&A)"), self.show_about))

    def _fill_recent(self) -> None:
        self.recent_menu.clear()
        self.recent.populate(self.recent_menu, lambda p: self.import_paths([p]))

    def show_batch_charts(self) -> None:
        """The 图表 tab at the batch charts (ranking, spread, cities, industries)."""
        self.charts.show_batch()
        self.tabs.setCurrentIndex(TAB_CHARTS)

    def start_meeting(self) -> None:
        """演示模式: the batch of the selected application (else of the first one), full screen."""
        self.autosaver.flush()
        batch_id = self.loaded.batch_id if self.loaded is not None else self.app_list.current_batch()
        if batch_id is None:
            apps = workspace.list_applications(self.store)
            batch_id = apps[0].batch_id if apps else None
        if self._meeting is not None:
            self._meeting.close()
        # Imported here: meeting mode pulls in matplotlib, which the window's start does not need.
        from zc_review.gui.meeting_mode import start_meeting

        self._meeting = start_meeting(self, self.store, batch_id)
        if self._meeting is not None:
            self._meeting.closed.connect(self._meeting_closed)

    def open_office(self) -> None:
        """办公室汇总: collate signed opinions in a window of its own."""
        from zc_review.gui.office_mode import open_office_window  # office mode only loads when used

        if self._office is not None and self._office.isVisible():
            self._office.raise_()
            self._office.activateWindow()
            return
        self._office = open_office_window(self.store, self.settings)

    def _meeting_closed(self) -> None:
        self._meeting = None
        self.activateWindow()

    def _focus_search(self) -> None:
        self.app_list.search.setFocus()
        self.app_list.search.selectAll()

    def find_in_view(self) -> None:
        """Ctrl+F: search the PDF shown in 申报材料; anywhere else, filter the application list."""
        if self.tabs.currentIndex() == TAB_MATERIALS and self.materials.find_in_document():
            return
        self._focus_search()

    def _focus_next_step(self) -> None:
        """After 提交 (and the offer to sign): the sign button while the opinion is unsigned, else the list."""
        button = self.scoring.sign_button
        if button.isVisible() and button.isEnabled():
            button.setFocus(Qt.FocusReason.OtherFocusReason)
        else:
            self.app_list.view.setFocus(Qt.FocusReason.OtherFocusReason)

    # ----- list ---------------------------------------------------------------------------------

    def reload(self) -> None:
        """Refill the list from the store (after an import or a status change)."""
        listing = readonly.read_listing(self.store.data_dir, self.expert_id)
        self.app_list.set_applications(
            listing.applications, listing.summaries, {k: _fmt(v) for k, v in listing.totals.items()}
        )
        self._show_counts()
        if not listing.applications:
            self._show_nothing()

    def _show_nothing(self) -> None:
        self.loaded = None
        self.state = None
        self._set_chart_application(None, None)
        self.header.setText(
            self.tr("还没有申报：请用“文件 ▸ 导入封装包”（Ctrl+O）导入，或把 .zcb 文件拖到窗口中。")
        )
        self.tabs.setEnabled(False)

    def _application_changed(self, app_id: int | None) -> None:
        if self._starting:
            return  # the window is being built: __init__ opens the final selection once
        self.autosaver.flush()
        if app_id is None:
            self._show_nothing()
            return
        if self._opening is not None:
            # The store is still opening (a moment at start-up): shown by _store_opened.
            self.settings.setValue("list/last_application", app_id)
            self.header.setText(self.tr("正在打开…"))
            self.tabs.setEnabled(False)
            return
        self.tabs.setEnabled(True)
        self.problems.set_problems([])
        self.problems_dock.hide()
        self.settings.setValue("list/last_application", app_id)
        try:
            self.state = reviews.open_review(self.store, self.expert_id, app_id)
            self.loaded = workspace.load_application(
                self.store, app_id, self.state.version, expert_id=self.expert_id
            )
        except UserError as exc:
            # Shown in place, not as a box: it would pop up again at every selection.
            self.state = None
            self.loaded = None
            self.header.setText(self.tr("无法打开该申报：") + str(exc))
            self._set_chart_application(None, None)
            self.tabs.setEnabled(False)
            return
        self._show_application()

    def _show_application(self) -> None:
        assert self.loaded is not None and self.state is not None
        app, state = self.loaded.app, self.state
        self._update_header()
        self.version_bar.setVisible(state.newer_version_available and not state.locked)
        if state.newer_version_available:
            self.version_text.setText(
                self.tr("该申报已导入第 %1 版，您正在评审第 %2 版。")
                .replace("%1", str(state.latest_version))
                .replace("%2", str(state.version))
            )
        rows = workspace.version_materials(self.store, self.loaded.id, self.loaded.version)
        self.overview.show_application(
            app,
            [(r.kind, r.name) for r in rows],
            self.loaded.version,
            state.missing_materials,
            state.formal_acknowledged,
            can_acknowledge=not state.locked,
        )
        from zc_review.gui.materials_view import MaterialEntry

        self._set_materials(
            [
                MaterialEntry(
                    name=r.name,
                    kind_label=self.tr("申报书")
                    if r.kind == "workbook"
                    else MATERIAL_LABELS[MaterialKind(r.kind)],
                    path=self.store.blobs.path(r.sha256),
                    media_type=r.media_type,
                    size=r.size,
                    sha256=r.sha256,
                )
                for r in rows
            ]
        )
        checks = workspace.application_checks(self.loaded)
        self.checks.set_checks(checks, Stage(app.stage))
        self._set_chart_application(self.loaded.id, self.loaded.batch_id)
        self._failed = {
            c.key: f"{check_title(c)}：{check_detail(c)}"
            for c in checks
            if c.hard and c.status is CheckStatus.FAIL
        }
        # The form is filled when the 评分 tab is shown (building it is the costliest step of a switch).
        self._form_current = False
        if self.tabs.currentIndex() == TAB_SCORING:
            self._show_form()
        self._update_gate()

    def _tab_changed(self, index: int) -> None:
        if index == TAB_SCORING and self.state is not None and not self._form_current:
            self._show_form()

    def ensure_form(self) -> ScoringForm | None:
        """The current application's form, built and filled if it was not yet."""
        if self.state is not None and not self._form_current:
            self._show_form()
        return self.current_form()

    def _show_form(self) -> None:
        state = self.state
        assert state is not None
        if state.status is ReviewStatus.RECUSED:
            # Nothing to score: no empty form with a "suggestion" for an application the expert left.
            assert state.conflict is not None
            self.scoring.recused.setText(
                self.tr("您已于 %1 声明回避本申报（%2），不参与评分。")
                .replace("%1", local_minute(state.conflict.declared_at))
                .replace(
                    "%2",
                    pick(
                        state.conflict.type,
                        reviews.CONFLICT_TYPES_EN.get(state.conflict.type, state.conflict.type),
                    ),
                )
            )
            self.scoring.forms.setCurrentWidget(self.scoring.recused)
            self._form_current = True
            return
        form = self._form_for(state.rubric)
        form.set_sheet(state.sheet, self._failed, read_only=not state.editable)
        if state.conflict is None:
            form.read_only_banner.hide()  # the gate above already says why the form is locked
        elif state.locked:
            reason = (
                self.tr("您已声明回避，本申报已锁定。")
                if state.status is ReviewStatus.RECUSED
                else self.tr("评审已于 %1 提交，只读。").replace("%1", local_minute(state.submitted_at))
            )
            form.set_read_only(True, reason)
        self.scoring.forms.setCurrentWidget(form)
        for action in self.edit_menu.actions():  # not clear(): that would delete the form's actions
            self.edit_menu.removeAction(action)
        self.edit_menu.addAction(form.undo_action)
        self.edit_menu.addAction(form.redo_action)
        self._form_current = True

    def _update_header(self) -> None:
        if self.loaded is None or self.state is None:
            return
        app = self.loaded.app
        self.header.setText(
            f"{app.community_name}　<span style='font-size:small;font-weight:normal;color:#555'>"
            f"{app.city}{app.county} · {app.leading_industry} · {stage_label(Stage(app.stage))} · "
            f"{status_text(self.state.status)}</span>"
        )

    def _form_for(self, rubric: Rubric) -> ScoringForm:
        key = (rubric.id, rubric.version)
        form = self.forms.get(key)
        if form is None:
            from zc_review.gui.scoring_form import ScoringForm  # with the first form, not the window

            form = ScoringForm(rubric)
            form.sheetEdited.connect(self._sheet_edited)
            form.lockedInput.connect(self._typed_into_locked_form)
            self.forms[key] = form
            self.scoring.forms.addWidget(form)
        return form

    def current_form(self) -> ScoringForm | None:
        widget = self.scoring.forms.currentWidget()
        # The forms built so far (ScoringForm itself is imported with the first one).
        return next((form for form in self.forms.values() if form is widget), None)

    def _update_gate(self) -> None:
        state = self.state
        if state is None:
            return
        gate = self.scoring
        self._update_header()
        if state.status is ReviewStatus.RECUSED:
            assert state.conflict is not None
            gate.gate_text.setText(
                self.tr("您已声明回避（%1：%2），不参与本申报的评审。")
                .replace(
                    "%1",
                    pick(
                        state.conflict.type,
                        reviews.CONFLICT_TYPES_EN.get(state.conflict.type, state.conflict.type),
                    ),
                )
                .replace("%2", state.conflict.reason)
            )
            gate.declare_button.hide()
            gate.gate.show()
        elif state.conflict is None:
            gate.gate_text.setText(
                self.tr("评分前请先声明与该申报单位是否存在利益冲突（回避声明）。声明无利益冲突后方可评分。")
            )
            gate.declare_button.show()
            gate.gate.show()
        else:
            gate.gate.hide()
        gate.submit_button.setEnabled(state.editable)
        self.submit_action.setEnabled(state.editable)
        self.declare_action.setEnabled(state.conflict is None and not state.locked)
        done, required = state.progress
        gate.state_label.setText(
            self.tr("已评 %1/%2 项 · 当前总分 %3")
            .replace("%1", str(done))
            .replace("%2", str(required))
            .replace("%3", _fmt(state.total))
        )
        self._update_opinion_controls()

    # ----- editing and saving -------------------------------------------------------------------

    def _sheet_edited(self, sheet: ScoreSheet) -> None:
        if self.state is None or not self.state.editable:
            return
        self.autosaver.schedule((self.state.review_id, sheet))
        if self.problems_dock.isVisible():
            remaining = self._problems_for(sheet)
            self.problems.set_problems(remaining)

    def _save_sheet(self, pending: tuple[int, ScoreSheet]) -> ReviewState:
        # On the AutoSaver's worker thread: the store only, no widgets.
        review_id, sheet = pending
        return reviews.save_sheet(self.store, review_id, sheet)

    def _sheet_saved(self, _pending: tuple[int, ScoreSheet], saved: ReviewState) -> None:
        # Back on the GUI thread. Only what a save changes is taken over, so a save that
        # committed before another action (e.g. the formal-check acknowledgement) cannot undo it.
        state = self.state
        if state is None or state.review_id != saved.review_id or state.locked:
            return
        self.state = dataclasses.replace(
            state,
            sheet=saved.sheet,
            status=saved.status,
            updated_at=saved.updated_at,
            latest_version=saved.latest_version,
        )
        self._update_gate()

    def _saved(self, when: datetime) -> None:
        # Emitted only once the commit has returned and nothing newer is waiting.
        self.save_label.setText(self.tr("已保存 %1").replace("%1", when.strftime("%H:%M:%S")))
        self._refresh_list_row()

    def _save_failed(self, message: str) -> None:
        self.save_label.setText(self.tr("⚠ 保存失败"))
        self.statusBar().showMessage(message, 10000)

    def _dirty_changed(self, dirty: bool) -> None:
        self.setWindowModified(dirty)
        if dirty:
            self.save_label.setText(self.tr("正在保存…"))

    def _refresh_list_row(self) -> None:
        # The list shows this review's status, progress and total: update that row only.
        state = self.state
        if state is None:
            return
        done, required = state.progress
        shown = state.status in (ReviewStatus.IN_PROGRESS, ReviewStatus.SUBMITTED)
        self.app_list.update_review(
            state.application_id,
            reviews.ReviewSummary(state.status, done, required),
            _fmt(state.total) if shown else "",
        )
        self._show_counts()

    def _show_counts(self) -> None:
        self.counts_label.setText(self.app_list.counts_text())  # follows the list's filter

    # ----- review actions -----------------------------------------------------------------------

    def _typed_into_locked_form(self) -> None:
        """A score typed while the form is locked: say why, and offer the declaration when that is why."""
        state = self.state
        if state is None:
            return
        if state.conflict is None and not state.locked:
            box = QMessageBox(
                QMessageBox.Icon.Information,
                self.tr("请先作回避声明"),
                self.tr(
                    "评分前须先声明与该申报单位是否存在利益冲突（回避声明），刚才输入的内容没有记录。现在声明吗？"
                ),
                QMessageBox.StandardButton.Cancel,
                self,
            )
            declare = box.addButton(self.tr("回避声明…"), QMessageBox.ButtonRole.AcceptRole)
            box.setDefaultButton(declare)
            box.exec()
            if box.clickedButton() is declare:
                self.declare_conflict()
            return
        form = self.current_form()
        reason = form.read_only_banner.text() if form is not None else ""
        self.statusBar().showMessage(reason or self.tr("本评审为只读，不能修改。"), 6000)

    def declare_conflict(self) -> None:
        if self.state is None or self.loaded is None or self.state.conflict is not None or self.state.locked:
            return
        dialog = dialogs.ConflictDialog(self.loaded.app.community_name, self)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        declared, conflict_type, reason = dialog.declaration()
        try:
            if declared:
                self.state = reviews.declare_conflict(self.store, self.state.review_id, conflict_type, reason)
            else:
                self.state = reviews.declare_no_conflict(self.store, self.state.review_id)
        except UserError as exc:
            QMessageBox.warning(self, self.tr("回避声明"), str(exc))
            return
        self._reopen()
        if not declared:
            self.tabs.setCurrentIndex(TAB_SCORING)

    def _acknowledge_formal(self) -> None:
        if self.state is None:
            return
        self.autosaver.flush()
        try:
            self.state = reviews.acknowledge_formal_check(self.store, self.state.review_id)
        except UserError as exc:
            QMessageBox.warning(self, self.tr("形式审查"), str(exc))
            return
        self._reopen()

    def _start_latest_version(self) -> None:
        if self.state is None:
            return
        self.autosaver.flush()
        answer = QMessageBox.question(
            self,
            self.tr("评审最新版本"),
            self.tr("改为评审第 %1 版？当前版本的评分会保留在历史中，新版本需要重新声明并评分。").replace(
                "%1", str(self.state.latest_version)
            ),
        )
        if answer != QMessageBox.StandardButton.Yes:
            return
        try:
            self.state = reviews.start_latest_version(self.store, self.state.review_id)
        except UserError as exc:
            QMessageBox.warning(self, self.tr("评审最新版本"), str(exc))
            return
        self._reopen()

    def _reopen(self) -> None:
        assert self.state is not None
        self.loaded = workspace.load_application(
            self.store, self.state.application_id, self.state.version, expert_id=self.expert_id
        )
        self._refresh_list_row()
        self._show_application()
        # The same application after a state change: its form exists, bring it up to date now.
        form = self.ensure_form()
        if form is not None and self.problems_dock.isVisible():
            self.problems.set_problems(self._problems_for(form.sheet()))

    def _problems_for(self, sheet: ScoreSheet) -> list[Problem]:
        state = self.state
        assert state is not None
        return completeness(
            state.rubric,
            sheet,
            state.failed_checks,
            declared_no_conflict=state.declared_no_conflict,
            missing_materials=state.missing_materials,
            formal_acknowledged=state.formal_acknowledged,
        )

    def submit(self) -> None:
        form = self.ensure_form()
        if self.state is None or form is None or not self.state.editable:
            return
        if not self.autosaver.flush():
            return
        self.state = reviews.review_state(self.store, self.state.review_id)
        problems = reviews.submission_problems(self.state)
        if problems:
            self._show_problems(problems)
            form.show_problems(problems)
            self.statusBar().showMessage(
                self.tr("还有 %1 处需要完善，点击“待完善事项”中的条目可跳转。").replace(
                    "%1", str(len(problems))
                ),
                10000,
            )
            # Stay on the form when a problem is there; else go to the first one wherever it is.
            on_form = self.tabs.currentIndex() == TAB_SCORING
            first = next(
                (p for p in problems if p.kind not in (FieldKind.DECLARATION, FieldKind.FORMAL_CHECK)), None
            )
            self._jump_to_problem(first if on_form and first is not None else problems[0])
            return
        rows = reviews.calibration_for(self.store, self.state.review_id)
        dialog = CalibrationDialog(self.state.rubric, self.state.total, rows, self)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        try:
            self.state = reviews.submit(self.store, self.state.review_id)
        except reviews.IncompleteReview as exc:
            self._show_problems(list(exc.problems))
            return
        self.problems_dock.hide()
        self._reopen()
        self.statusBar().showMessage(self.tr("评审已提交。按 Ctrl+PgDown 打开下一个申报。"), 15000)
        self._offer_signing()

    def _offer_signing(self) -> None:
        """After 提交 the next step is the signed opinion: offer it at once (Ctrl+E later does the same)."""
        if self.state is None or not opinion_flow.opinion_status(self.store, self.state)[0]:
            self._focus_next_step()
            return
        box = QMessageBox(
            QMessageBox.Icon.Information,
            self.tr("评审已提交"),
            self.tr(
                "评审已提交。下一步：签署并导出专家评审意见表（PDF），交评审办公室汇总。\n\n"
                "现在签署吗？也可以稍后按 Ctrl+E 或点击“签署并导出意见表”。"
            ),
            QMessageBox.StandardButton.NoButton,
            self,
        )
        box.setObjectName("signNextBox")
        sign = box.addButton(self.tr("签署并导出意见表…(&S)"), QMessageBox.ButtonRole.AcceptRole)
        box.addButton(self.tr("稍后(&L)"), QMessageBox.ButtonRole.RejectRole)
        box.setDefaultButton(sign)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        # Window-modal and non-blocking: the review stays visible behind it.
        box.setWindowModality(Qt.WindowModality.WindowModal)
        sign.clicked.connect(self.sign_opinion, Qt.ConnectionType.QueuedConnection)

        # 稍后 (or Esc): the focus goes to the next step, so Enter on the sign button signs later.
        def after(_result: int) -> None:
            if box.clickedButton() is not sign:
                self._focus_next_step()

        box.finished.connect(after)
        box.open()
        self.sign_next_box = box

    def _problems_counted(self, count: int) -> None:
        # One place for the title, so the count is the list's whatever updated it (it said （1）
        # over an empty list when the last entry was dealt with outside the form).
        self.problems_dock.setWindowTitle(
            self.tr("待完善事项（%1）").replace("%1", str(count)) if count else self.tr("待完善事项")
        )

    def _show_problems(self, problems: list[Problem]) -> None:
        self.problems.set_problems(problems)
        self.problems_dock.show()
        self.problems_dock.raise_()
        # Room for a handful of entries without taking the form's height.
        row = round(self.problems.fontMetrics().height() * ROW_HEIGHT_FACTOR)
        self.resizeDocks(
            [self.problems_dock], [min(8 * row, 2 * row + row * len(problems))], Qt.Orientation.Vertical
        )

    def _jump_to_problem(self, problem: Problem) -> None:
        if problem.kind is FieldKind.DECLARATION:
            self.tabs.setCurrentIndex(TAB_SCORING)
            self.scoring.declare_button.setFocus()
            return
        if problem.kind is FieldKind.FORMAL_CHECK:
            self.tabs.setCurrentIndex(TAB_OVERVIEW)
            self.overview.ack_button.setFocus()
            return
        self.tabs.setCurrentIndex(TAB_SCORING)
        form = self.ensure_form()
        if form is not None:
            form.focus_field(problem.kind, problem.key)

    # ----- signed opinions (the dialogs and flows are in opinion_flow) ----------------------------

    def _update_opinion_controls(self) -> None:
        signable, signed = (
            opinion_flow.opinion_status(self.store, self.state) if self.state else (False, False)
        )
        self.scoring.sign_button.setVisible(signable)
        self.scoring.history_button.setVisible(signed)
        self.sign_action.setEnabled(signable)
        self.view_signed_action.setEnabled(signed)
        self.history_action.setEnabled(signed)
        self.revise_action.setEnabled(
            signed and not signable and self.state is not None and self.state.locked
        )

    def sign_opinion(self) -> None:
        """签署并导出意见表 for the submitted review shown."""
        if self.state is None or self.loaded is None:
            return
        self.autosaver.flush()
        handle = opinion_flow.sign_and_export(
            self,
            self.store,
            self.expert_id,
            self.state.review_id,
            self.loaded.app.community_name,
            self.settings,
            on_signed=lambda _info: self._update_opinion_controls(),
        )
        if handle is not None:
            self._tasks.append(handle)

    def view_signed_opinion(self) -> None:
        if self.state is not None:
            opinion_flow.view_latest(self, self.store, self.state.review_id)

    def show_opinion_history(self) -> None:
        if self.state is None or self.loaded is None:
            return
        opinion_flow.show_history(
            self,
            self.store,
            self.state.review_id,
            self.loaded.app.community_name,
            self.settings,
            self._revised,
        )

    def revise_review(self) -> None:
        if self.state is not None:
            state = opinion_flow.revise(self, self.store, self.state.review_id)
            if state is not None:
                self._revised(state)

    def _revised(self, state: ReviewState) -> None:
        # The same path as any other state change: the form becomes editable again.
        self.state = state
        self._reopen()
        self.tabs.setCurrentIndex(TAB_SCORING)
        self.statusBar().showMessage(self.tr("评审已进入修订：修改后请重新提交并签署意见表。"), 15000)

    def import_credential(self) -> None:
        opinion_flow.import_credential_flow(self, self.store, self.expert_id, self.settings)
        self._update_opinion_controls()

    def verify_opinions(self) -> None:
        handle = opinion_flow.verify_flow(self, self.store.data_dir, self.settings)
        if handle is not None:
            self._tasks.append(handle)

    def backup(self, folder: Path | None = None) -> None:
        """文件 ▸ 备份…: the database and its files, as one verified archive, to a chosen folder."""
        self.autosaver.flush()  # the last edit goes into the backup
        handle = backup_flow.backup_flow(self, self.store.data_dir, self.settings, folder)
        if handle is not None:
            self._tasks.append(handle)

    # ----- import -------------------------------------------------------------------------------

    def import_dialog(self) -> None:
        paths = choose_bundles(self, self.settings)
        if paths:
            self.import_paths(paths)

    def import_paths(self, paths: list[Path]) -> None:
        self.autosaver.flush()
        self.recent.add(paths)

        def finished(_report: object) -> None:
            self.reload()

        self._tasks.append(import_bundles(self, self.store, paths, finished))

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if any(Path(u.toLocalFile()).suffix.lower() in IMPORTABLE for u in event.mimeData().urls()):
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        paths = [Path(u.toLocalFile()) for u in event.mimeData().urls()]
        paths = [p for p in paths if p.suffix.lower() in IMPORTABLE or p.is_dir()]
        if paths:
            event.acceptProposedAction()
            self.import_paths(paths)

    # ----- profile, settings, help --------------------------------------------------------------

    def _update_expert_label(self) -> None:
        with readonly.reading(self.store.data_dir) as conn:
            name = readonly.expert_name(conn, self.expert_id)
        self.expert_label.setText(self.tr("专家：%1").replace("%1", name))
        self.setWindowTitle(self.tr("众创社区评审工作站") + f" {__version__} — {name}[*]")

    def edit_profile(self) -> None:
        dialog = dialogs.ProfileDialog(
            experts.ExpertProfile.of(experts.get_expert(self.store, self.expert_id)), self
        )
        if dialog.exec() == QDialog.DialogCode.Accepted:
            try:
                experts.save_profile(self.store, dialog.profile())
            except UserError as exc:
                QMessageBox.warning(self, self.tr("专家信息"), str(exc))
            self._update_expert_label()

    def capture_signature(self) -> None:
        """Draw or import the handwritten signature printed on this expert's opinions."""
        from zc_review.gui.signature_pad import SignatureDialog

        dialog = SignatureDialog(self)
        if dialog.exec() != QDialog.DialogCode.Accepted or dialog.png() is None:
            return
        try:
            experts.save_signature(self.store, self.expert_id, dialog.png() or b"")
        except UserError as exc:
            QMessageBox.warning(self, self.tr("手写签名"), str(exc))
            return
        self.statusBar().showMessage(self.tr("签名已保存，将印在您的评审意见表上。"), 8000)

    def open_settings(self) -> None:
        dialog = dialogs.SettingsDialog(self.store.data_dir, self)
        before = self.settings.value("ui/language", "zh")
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        self.settings.setValue(TEXT_SCALE_KEY, dialog.text_scale())  # applied already; for the next start
        if dialog.language() != before:
            self.settings.setValue("ui/language", dialog.language())
            self.languageChangeRequested.emit(dialog.language())

    def shortcut_rows(self) -> list[tuple[str, str]]:
        """What F1 lists: (keys, what they do); a test checks each is bound."""
        return [
            ("Ctrl+O", self.tr("导入封装包")),
            ("Ctrl+PgDown / Ctrl+PgUp", self.tr("下一个 / 上一个申报")),
            ("Alt+↓ / Alt+↑", self.tr("评分表中的下一项 / 上一项")),
            ("Alt+1 … Alt+5", self.tr("切换到概况、申报材料、指标核查、评分、图表")),
            ("F5", self.tr("演示模式（全屏演示图表）")),
            ("Ctrl+D", self.tr("回避声明")),
            ("Ctrl+Enter", self.tr("提交评审")),
            ("Ctrl+E", self.tr("签署并导出意见表")),
            ("Ctrl+Z", self.tr("撤销")),
            ("Ctrl+Y / Ctrl+Shift+Z", self.tr("重做")),
            ("Ctrl+Delete", self.tr("清除评分表中当前项的得分（改为未评分）")),
            ("Ctrl+L", self.tr("搜索申报列表")),
            ("Ctrl+F", self.tr("查找：在申报材料的 PDF 中查找，其他页面筛选申报列表")),
            ("F3 / Shift+F3", self.tr("PDF 中的下一处 / 上一处")),
        ]

    def show_shortcuts(self) -> None:
        text = "<table cellpadding='4'>" + "".join(
            f"<tr><td><b>{k}</b></td><td>{v}</td></tr>" for k, v in self.shortcut_rows()
        )
        QMessageBox.information(self, self.tr("快捷键"), text + "</table>")

    def show_about(self) -> None:
        QMessageBox.about(
            self,
            self.tr("关于"),
            self.tr("众创社区评审工作站 ZC Review %1<br>离线评审江苏省众创社区申报。数据目录：%2")
            .replace("%1", __version__)
            .replace("%2", str(self.store.data_dir)),
        )

    # ----- window state -------------------------------------------------------------------------

    def _restore(self, last: object = None) -> None:
        geometry = self.settings.value("window/geometry")
        if isinstance(geometry, QByteArray):
            self.restoreGeometry(geometry)
        else:
            # First start: fit the screen (a 1366x768 laptop gets a maximised window).
            screen = self.screen().availableGeometry()
            if screen.width() <= 1440 or screen.height() <= 900:
                self.setWindowState(Qt.WindowState.WindowMaximized)
            else:
                self.resize(min(1600, screen.width() - 80), min(1000, screen.height() - 80))
        state = self.settings.value("window/state")
        if isinstance(state, QByteArray):
            self.restoreState(state)
        columns = self.settings.value("list/header")
        if isinstance(columns, QByteArray):
            self.app_list.restore_header_state(columns)
        splitter = self.settings.value("window/splitter")
        if isinstance(splitter, QByteArray):
            self.splitter.restoreState(splitter)
        if last is not None:
            self.app_list.select_application(int(str(last)))
        tab = self.settings.value("window/tab")
        if tab is not None:
            self.tabs.setCurrentIndex(int(tab))
        self.problems_dock.hide()

    def save_state(self) -> None:
        self.settings.setValue("window/geometry", self.saveGeometry())
        self.settings.setValue("window/state", self.saveState())
        self.settings.setValue("window/splitter", self.splitter.saveState())
        self.settings.setValue("list/header", self.app_list.header_state())
        self.settings.setValue("window/tab", self.tabs.currentIndex())
        self.settings.sync()

    def closeEvent(self, event: QCloseEvent) -> None:
        if not self.autosaver.flush():
            answer = QMessageBox.warning(
                self,
                self.tr("保存失败"),
                self.tr("最近的修改未能保存。仍要退出吗？"),
                QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            )
            if answer != QMessageBox.StandardButton.Yes:
                event.ignore()
                return
        self.save_state()
        QTimer.singleShot(0, lambda: None)
        super().closeEvent(event)
