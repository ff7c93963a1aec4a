"""The review opinion PDF: embedded fonts, extractable Chinese, the review attached, the signature block."""

from __future__ import annotations

import copy
import io
import os
import re
import shutil
import subprocess
from collections.abc import Iterator

import pytest
from PIL import Image, ImageDraw

from tests.data.bundles import demo_case, import_demo
from tests.unit.test_review_payload import CLEAN, HARD_FAIL, expert, submitted_review
from zc_review.core.indicators import CheckResult, CheckStatus, evaluate
from zc_review.core.rubric import Rubric, load_rubric
from zc_review.core.scoring import ScoreSheet, goal_total, total
from zc_review.errors import UserError
from zc_review.opinions import build_payload
from zc_review.reports.opinion_pdf import OpinionPdf, extract_payload, render_opinion
from zc_review.reports.review_payload import check_summary, validate_payload
from zc_review.reviews import ReviewState
from zc_review.store import Store
from zc_review.workspace import load_application

# In CI bootstrap.sh installs poppler-utils: a missing tool must fail there, not skip.
pytestmark = pytest.mark.skipif(
    not all(shutil.which(t) for t in ("pdffonts", "pdftotext", "pdfinfo", "pdfimages"))
    and not os.environ.get("CI"),
    reason="poppler-utils (pdffonts, pdftotext, pdfinfo, pdfimages) not installed",
)


class Opinion:
    """A submitted review, its payload, checks and rendered PDF."""

    def __init__(self, store: Store, state: ReviewState, signature: bytes | None) -> None:
        self.state = state
        self.payload = build_payload(store, state.review_id)
        loaded = load_application(store, state.application_id, state.version)
        self.rubric: Rubric = state.rubric
        self.checks: list[CheckResult] = evaluate(loaded.app, state.rubric, loaded.present_materials)
        self.pdf: OpinionPdf = render_opinion(self.payload, self.rubric, self.checks, signature)


def signature_png() -> bytes:
    image = Image.new("RGBA", (480, 160), (255, 255, 255, 0))
    draw = ImageDraw.Draw(image)
    draw.line([(20, 120), (90, 30), (150, 130), (230, 40), (320, 125), (450, 50)], fill=(10, 10, 80), width=6)
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    root = tmp_path_factory.mktemp("opinion")
    import_demo(root / "data", root / "work", (CLEAN, HARD_FAIL))
    with Store.open(root / "data") as s:
        yield s


@pytest.fixture(scope="module")
def clean(store: Store) -> Opinion:
    return Opinion(store, submitted_review(store, CLEAN, expert(store)), signature_png())


@pytest.fixture(scope="module")
def failing(store: Store, clean: Opinion) -> Opinion:
    return Opinion(store, submitted_review(store, HARD_FAIL, clean.state.expert_id), None)


def poppler(tool: str, pdf: bytes, *args: str) -> str:
    result = subprocess.run(
        [tool, *args, "-", "-"] if tool == "pdftotext" else [tool, *args, "-"],
        input=pdf,
        capture_output=True,
        check=True,
    )
    return result.stdout.decode("utf-8")


def pdf_text(pdf: bytes, *args: str) -> str:
    return poppler("pdftotext", pdf, *args)


def page_count(pdf: bytes) -> int:
    found = re.search(r"^Pages:\s+(\d+)", poppler("pdfinfo", pdf), re.MULTILINE)
    assert found is not None
    return int(found.group(1))


def squeeze(text: str) -> str:
    # pdftotext puts spaces and line breaks where the layout does; compare characters only.
    return re.sub(r"\s+", "", text)


# --- fonts and text -----------------------------------------------------------------------------------


def test_every_font_is_embedded_and_none_is_a_standard_fallback(clean: Opinion) -> None:
    out = subprocess.run(["pdffonts", "-"], input=clean.pdf.data, capture_output=True, check=True)
    rows = out.stdout.decode().splitlines()[2:]
    assert rows, "the PDF uses no font at all"
    for row in rows:
        name, emb = row.split()[0], row.split()[-5]
        assert emb == "yes", row
        assert "WenQuanYi" in name, row
    assert b"Helvetica" not in clean.pdf.data


def test_the_chinese_text_can_be_extracted(clean: Opinion) -> None:
    text = squeeze(pdf_text(clean.pdf.data))
    app = demo_case(CLEAN).app
    assert "江苏省众创社区申报论证专家评审意见表" in text
    for value in (app.community_name, app.applicant, app.city, app.county, "王建国", "研究员"):
        assert value in text, value
    for goal in clean.rubric.goals:
        assert goal.title in text, goal.title
    assert clean.rubric.bonus.title in text
    assert f"总分{clean.rubric.max_with_bonus}{clean.payload['total']}" in text
    assert squeeze(clean.payload["overall_opinion"]) in text
    assert "本人与该申报单位及其负责人无利益冲突" in text
    assert clean.payload["application"]["bundle_sha256"] in text


def test_every_item_shows_its_maximum_and_score(clean: Opinion) -> None:
    text = squeeze(pdf_text(clean.pdf.data))
    for item in clean.rubric.items():
        score = clean.payload["scores"][item.id].rstrip("0").rstrip(".")
        assert f"{item.id}{squeeze(item.title)}{item.max_points}{score}" in text, item.id


def test_the_chosen_recommendation_is_ticked_and_the_others_are_not(clean: Opinion) -> None:
    text = squeeze(pdf_text(clean.pdf.data))
    chosen = clean.payload["recommendation"]["label"]
    assert f"✔{chosen}" in text
    for rec in clean.rubric.recommendations:
        if rec.label != chosen:
            assert rec.label in text and f"✔{rec.label}" not in text


def test_every_page_says_which_page_of_how_many(clean: Opinion) -> None:
    pages = page_count(clean.pdf.data)
    assert 2 <= pages <= 4
    for n in range(1, pages + 1):
        text = pdf_text(clean.pdf.data, "-f", str(n), "-l", str(n))
        assert f"第{n}页/共{pages}页" in squeeze(text)


def test_failed_indicators_are_marked_in_words_not_only_in_colour(clean: Opinion, failing: Opinion) -> None:
    failed = [c for c in failing.checks if c.status is CheckStatus.FAIL]
    assert [c.key for c in failed] == ["hightech_output_share"]
    text = pdf_text(failing.pdf.data)
    assert text.count("✘ 不达标") == len(failed) == 1
    assert squeeze(failed[0].title_zh) in squeeze(text) and squeeze(failed[0].detail_zh) in squeeze(text)
    assert "不达标1项（其中硬性指标1项）" in squeeze(text)
    assert "✘ 不达标" not in pdf_text(clean.pdf.data)
    assert "不达标0项" in squeeze(pdf_text(clean.pdf.data))


# --- the embedded review ------------------------------------------------------------------------------


def test_the_embedded_review_equals_the_stored_review(store: Store, clean: Opinion) -> None:
    extracted = extract_payload(clean.pdf.data, "opinion.pdf")
    assert extracted == clean.payload == build_payload(store, clean.state.review_id)
    validate_payload(extracted, "opinion.pdf")


def test_the_pdf_cannot_disagree_with_its_payload(clean: Opinion, failing: Opinion) -> None:
    with pytest.raises(ValueError, match="checks"):
        render_opinion(clean.payload, clean.rubric, failing.checks)
    other = copy.deepcopy(clean.payload)
    other["rubric"]["version"] = "9.9"
    with pytest.raises(ValueError, match="rubric"):
        render_opinion(other, clean.rubric, clean.checks)


def test_an_invalid_payload_is_not_rendered(clean: Opinion) -> None:
    bad = copy.deepcopy(clean.payload)
    del bad["expert"]["title"]
    with pytest.raises(UserError, match=re.escape("$.expert.title")):
        render_opinion(bad, clean.rubric, clean.checks)


# --- the signature block ------------------------------------------------------------------------------


def _text_in_box(opinion: Opinion) -> str:
    # pdftotext crops in points from the top-left corner; the box is from the bottom-left.
    x1, y1, x2, y2 = opinion.pdf.signature_box
    page = str(opinion.pdf.signature_page + 1)
    crop = ["-x", str(int(x1)), "-y", str(int(841.89 - y2)), "-W", str(int(x2 - x1)), "-H", str(int(y2 - y1))]
    return pdf_text(opinion.pdf.data, "-f", page, "-l", page, *crop)


def test_the_signature_block_is_on_the_last_page_where_it_says(clean: Opinion) -> None:
    pdf = clean.pdf
    assert pdf.signature_page == page_count(pdf.data) - 1
    x1, y1, x2, y2 = pdf.signature_box
    assert 0 < x1 < x2 <= 595.28 and 0 < y1 < y2 <= 841.89
    assert x2 - x1 > 400 and 60 < y2 - y1 < 120
    inside = squeeze(_text_in_box(clean))
    assert "评审专家：王建国" in inside and "专家签名" in inside
    assert "2026年" in inside or "年" in inside
    assert "利益冲突" not in inside  # the box holds the block only


def test_the_handwritten_signature_image_is_drawn_in_the_block(clean: Opinion, failing: Opinion) -> None:
    listing = poppler("pdfimages", clean.pdf.data, "-list").splitlines()[2:]
    pages = {int(row.split()[0]) for row in listing}
    assert pages == {clean.pdf.signature_page + 1}
    assert poppler("pdfimages", failing.pdf.data, "-list").splitlines()[2:] == []  # a line to sign on


def test_an_unreadable_signature_image_is_refused(clean: Opinion) -> None:
    with pytest.raises(UserError, match="签名图片"):
        render_opinion(clean.payload, clean.rubric, clean.checks, b"\x89PNG not really")


def test_a_draft_is_marked_as_such(store: Store, clean: Opinion) -> None:
    draft = copy.deepcopy(clean.payload)
    draft["status"] = "in_progress"
    draft["timestamps"]["submitted"] = None
    text = pdf_text(render_opinion(draft, clean.rubric, clean.checks).data)
    assert "草稿" in text
    assert "草稿" not in pdf_text(clean.pdf.data)


def test_long_comments_flow_onto_more_pages_and_stay_readable(clean: Opinion) -> None:
    long = copy.deepcopy(clean.payload)
    essay = "申报材料中关于载体建设的描述与实际情况存在一定出入，需要核实补充。" * 60
    first = clean.rubric.goals[0].items[0]
    long["item_comments"][first.id] = essay
    long["goal_comments"][clean.rubric.goals[0].key] = essay
    long["overall_opinion"] = essay + "\n" + essay
    pdf = render_opinion(long, clean.rubric, clean.checks)
    text = squeeze(pdf_text(pdf.data))
    assert page_count(pdf.data) > page_count(clean.pdf.data)
    assert "见表后注1" in text and f"注1{first.id}{squeeze(first.title)}：" in text
    assert text.count(squeeze(essay)[:40]) >= 4
    assert pdf.signature_page == page_count(pdf.data) - 1


def test_text_typed_by_the_expert_is_not_read_as_markup(clean: Opinion) -> None:
    odd = copy.deepcopy(clean.payload)
    odd["overall_opinion"] = "建议<b>加强</b>统计监测 & 数据核验，年均增长>10%。" * 3
    text = squeeze(pdf_text(render_opinion(odd, clean.rubric, clean.checks).data))
    assert "建议<b>加强</b>统计监测&数据核验，年均增长>10%。" in text


@pytest.mark.parametrize(("stage", "title"), [("annual", "年度考核"), ("acceptance", "评估验收")])
def test_later_stages_render_under_their_own_title_and_options(
    clean: Opinion, stage: str, title: str
) -> None:
    rubric = load_rubric(stage)
    sheet = ScoreSheet(scores={i.id: i.max_points for i in rubric.items()})
    checks = evaluate(demo_case(CLEAN).app, rubric)
    payload = copy.deepcopy(clean.payload)
    payload["batch"]["stage"] = stage
    payload["rubric"] = {"id": rubric.id, "version": rubric.version}
    payload["scores"] = {k: f"{v:f}" for k, v in sheet.scores.items()}
    payload["item_comments"] = {}
    payload["goal_totals"] = {g.key: f"{goal_total(rubric, sheet, g.key):f}" for g in rubric.goals}
    payload["bonus"], payload["total"] = "0", f"{total(rubric, sheet):f}"
    payload["recommendation"] = {
        "key": rubric.recommendations[0].key,
        "label": rubric.recommendations[0].label,
    }
    payload["checks"] = check_summary(checks)
    text = squeeze(pdf_text(render_opinion(payload, rubric, checks).data))
    assert f"江苏省众创社区{title}专家评审意见表" in text
    assert f"✔{squeeze(rubric.recommendations[0].label)}" in text
    assert all(squeeze(r.label) in text for r in rubric.recommendations)
