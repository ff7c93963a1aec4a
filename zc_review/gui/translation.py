"""The UI language: install Qt translators at start-up and switch them at run time.

Chinese is the source language of every UI string, so Chinese needs no translation of our
own (only Qt's built-in strings, e.g. context menus, get ``qtbase_zh_CN``); English loads
``resources/translations/zc_review_en.qm``, compiled at build time from ``zc_review_en.ts``.
Installing or removing a translator makes Qt send ``QEvent.LanguageChange`` to every widget;
widgets built from forms answer it with ``retranslateUi``.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication, QEvent, QLibraryInfo, QLocale, QTranslator

from zc_review import i18n
from zc_review.errors import UserError
from zc_review.resources import resource_path

SUPPORTED_LANGUAGES: tuple[str, ...] = ("zh", "en")

# Translators must outlive their installation; keep the installed ones here.
_installed: list[QTranslator] = []
_current = "zh"


def translation_file(lang: str) -> Path:
    """The compiled translation of our own strings for ``lang`` (``"en"``)."""
    return resource_path("translations", f"zc_review_{lang}.qm")


def current_language() -> str:
    """The language last installed with :func:`install_language` (``"zh"`` before any)."""
    return _current


def install_language(app: QCoreApplication, lang: str) -> None:
    """Make ``lang`` (``"zh"`` or ``"en"``) the UI language of ``app`` and of core messages.

    Call once at start-up and again to switch: open windows retranslate themselves.
    Raises UserError when the English translation file is missing or unreadable.
    """
    global _current
    if lang not in SUPPORTED_LANGUAGES:
        raise ValueError(f"unsupported UI language {lang!r}; expected one of {SUPPORTED_LANGUAGES}")
    translators = _translators_for(app, lang)
    for old in _installed:
        app.removeTranslator(old)
        old.deleteLater()
    _installed.clear()
    for translator in translators:
        app.installTranslator(translator)
        _installed.append(translator)
    # Dates and numbers in Qt's own widgets (the file dialog's 修改日期 column) follow the UI language.
    QLocale.setDefault(
        QLocale(QLocale.Language.Chinese, QLocale.Country.China)
        if lang == "zh"
        else QLocale(QLocale.Language.English, QLocale.Country.UnitedStates)
    )
    # Qt posts LanguageChange to every widget; deliver it now so the switch is complete on return.
    QCoreApplication.sendPostedEvents(None, QEvent.Type.LanguageChange)
    _current = lang
    i18n.set_language(lang)


def _translators_for(app: QCoreApplication, lang: str) -> list[QTranslator]:
    if lang == "en":
        path = translation_file("en")
        translator = QTranslator(app)
        if not translator.load(str(path)):
            raise UserError(
                "英文界面翻译文件缺失或已损坏，请重新安装 ZC Review。",
                "The English UI translation is missing or damaged; please reinstall ZC Review.",
                path,
            )
        return [translator]
    # Qt's own strings (standard dialogs, context menus) are English in the source; a build
    # without Qt's translations still works, with those few strings in English.
    translators = []
    qt_base = QTranslator(app)
    qt_dir = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    if qt_base.load("qtbase_zh_CN", qt_dir):
        translators.append(qt_base)
    # qtbase_zh_CN leaves a few of Qt's own strings in English (the file dialog's "Look in:" and
    # "Files of type:"); ours fills them in. Installed later, it is searched first.
    missing = QTranslator(app)
    if missing.load(str(resource_path("translations", "qt_missing_zh_CN.qm"))):
        translators.append(missing)
    return translators
