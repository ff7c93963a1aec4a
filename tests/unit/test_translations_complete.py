"""The English UI translation is complete and keeps every placeholder, tag and mnemonic.

An unfinished message shows in Chinese to an English-speaking expert (lrelease leaves it out of
the .qm); a dropped ``{0}`` or ``%1`` hides a number, and an added one makes ``str.format`` raise
at run time. The checker is tested on small .ts files built here, then run on the shipped one.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from defusedxml import ElementTree

from zc_review.resources import resource_path

_BRACE = re.compile(r"\{[^{}]*\}")
_PERCENT = re.compile(r"%L?[1-9n]")
_TAG = re.compile(r"</?\s*([A-Za-z][A-Za-z0-9]*)[^<>]*>")
# A Qt mnemonic is one "&" before a character other than "&" or a space ("&&" is a literal "&").
_MNEMONIC = re.compile(r"(?<!&)&(?![&\s])")


@dataclass(frozen=True)
class Message:
    """One message of a .ts file: its context, source and translations (one per plural form)."""

    context: str
    source: str
    translations: tuple[str, ...]
    unfinished: bool
    numerus: bool


def read_messages(ts_file: Path) -> list[Message]:
    """Every message of ``ts_file``."""
    root = ElementTree.parse(ts_file).getroot()
    messages: list[Message] = []
    for context in root.iter("context"):
        name = context.findtext("name") or ""
        for message in context.iter("message"):
            translation = message.find("translation")
            numerus = message.get("numerus") == "yes"
            if translation is None:
                texts: tuple[str, ...] = ()
                unfinished = True
            else:
                forms = translation.findall("numerusform")
                texts = tuple(f.text or "" for f in forms) if numerus else (translation.text or "",)
                unfinished = translation.get("type") in ("unfinished", "vanished", "obsolete")
            messages.append(Message(name, message.findtext("source") or "", texts, unfinished, numerus))
    return messages


def _tags(text: str) -> Counter[str]:
    return Counter(
        ("/" if m.group(0).startswith("</") else "") + m.group(1).lower() for m in _TAG.finditer(text)
    )


def problems(ts_file: Path) -> list[str]:
    """What is wrong with the translations of ``ts_file``, one line per problem (empty when all is well)."""
    found: list[str] = []
    for msg in read_messages(ts_file):
        where = f"[{msg.context}] {msg.source!r}"
        if msg.unfinished:
            found.append(f"{where}: unfinished")
        if not msg.translations or any(not t.strip() for t in msg.translations):
            found.append(f"{where}: empty translation")
            continue
        if msg.numerus and len(msg.translations) < 2:
            found.append(f"{where}: English needs a singular and a plural form")
        for text in msg.translations:
            for label, pattern in (("placeholders", _BRACE), ("%-placeholders", _PERCENT)):
                want, got = Counter(pattern.findall(msg.source)), Counter(pattern.findall(text))
                if want != got:
                    found.append(
                        f"{where}: {label} {sorted(want.elements())} became {sorted(got.elements())}"
                    )
            if _tags(msg.source) != _tags(text):
                found.append(f"{where}: HTML tags differ in {text!r}")
            if bool(_MNEMONIC.search(msg.source)) != bool(_MNEMONIC.search(text)):
                found.append(f"{where}: '&' mnemonic added or lost in {text!r}")
    return found


def _write_ts(path: Path, messages: str) -> Path:
    path.write_text(
        '<?xml version="1.0" encoding="utf-8"?>\n<!DOCTYPE TS>\n'
        '<TS version="2.1" language="en" sourcelanguage="zh_CN">\n'
        f"<context><name>Ctx</name>{messages}</context>\n</TS>\n",
        encoding="utf-8",
    )
    return path


def test_shipped_english_translation_is_complete_and_faithful() -> None:
    ts_file = resource_path("translations", "zc_review_en.ts")
    messages = read_messages(ts_file)
    assert len(messages) > 100, "the .ts looks truncated; run packaging/build_qt.py --update-ts"
    assert problems(ts_file) == []


def test_unfinished_and_empty_messages_are_reported(tmp_path: Path) -> None:
    ts_file = _write_ts(
        tmp_path / "x.ts",
        '<message><source>评审</source><translation type="unfinished">Review</translation></message>'
        "<message><source>取消</source><translation></translation></message>"
        '<message numerus="yes"><source>%n 项</source><translation>'
        "<numerusform>%n item</numerusform><numerusform></numerusform></translation></message>",
    )
    found = problems(ts_file)
    assert any("'评审': unfinished" in p for p in found)
    assert any("'取消': empty translation" in p for p in found)
    assert any("'%n 项': empty translation" in p for p in found)


def test_dropped_or_added_placeholders_are_reported(tmp_path: Path) -> None:
    ts_file = _write_ts(
        tmp_path / "x.ts",
        "<message><source>已评 {0}/{1} 项</source><translation>{0} items scored</translation></message>"
        "<message><source>专家：%1</source><translation>Expert: %1 (%2)</translation></message>"
        '<message numerus="yes"><source>%n 项不达标</source><translation>'
        "<numerusform>one failed</numerusform><numerusform>%n failed</numerusform></translation></message>",
    )
    found = problems(ts_file)
    assert any("已评" in p and "['{0}', '{1}'] became ['{0}']" in p for p in found)
    assert any("专家" in p and "['%1'] became ['%1', '%2']" in p for p in found)
    assert any("%n 项不达标" in p and "['%n'] became []" in p for p in found)


def test_html_tags_and_mnemonics_must_survive(tmp_path: Path) -> None:
    ts_file = _write_ts(
        tmp_path / "x.ts",
        "<message><source>版本 %1&lt;br&gt;数据目录</source><translation>Version %1, data folder</translation></message>"
        "<message><source>文件(&amp;F)</source><translation>File</translation></message>"
        "<message><source>退出(&amp;X)</source><translation>E&amp;xit</translation></message>",
    )
    found = problems(ts_file)
    assert any("HTML tags differ" in p and "版本" in p for p in found)
    assert any("mnemonic" in p and "文件" in p for p in found)
    assert not any("退出" in p for p in found)
