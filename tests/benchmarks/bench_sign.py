"""Benchmark: export and sign review opinions (render + PAdES signature), and verify them.

Prints the time per opinion as a ratio to the floor of rendering a one-page ReportLab document
with the same embedded CJK font plus a plain pyHanko signature of it; target <= 3x. Uses the
real opinion renderer (zc_review.reports.opinion_pdf.render_opinion) on payloads built from a
store of imported demo applications; if that renderer is not there yet it falls back to the
stand-in opinion of tests/data/pades_keys.py and says so.

    .venv/bin/python tests/benchmarks/bench_sign.py [--opinions 60] [--apps 3]
"""

from __future__ import annotations

import argparse
import io
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from cryptography.hazmat.primitives.serialization import pkcs12  # noqa: E402
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter  # noqa: E402
from pyhanko.sign import fields, signers  # noqa: E402
from pyhanko.stamp.noop import NoOpStampStyle  # noqa: E402
from reportlab.lib.pagesizes import A4  # noqa: E402
from reportlab.pdfbase import pdfmetrics  # noqa: E402
from reportlab.pdfbase.ttfonts import TTFont  # noqa: E402
from reportlab.pdfgen import canvas  # noqa: E402

from zc_review.resources import cjk_font_path  # noqa: E402
from zc_review.signing.pades import make_signer, sign_pdf  # noqa: E402
from zc_review.signing.verify import verify_opinion  # noqa: E402

BOX = (360, 90, 540, 160)


def credential(work: Path) -> tuple[Any, Any, list[Any], Any, bytes | None, str]:
    """(key, cert, chain, CA cert, PKCS#12 bytes, source): the office's demo PKI, or test keys."""
    try:
        from zc_review.signing.ca import DEMO_CREDENTIAL_PASSWORD, make_demo_pki

        ca, p12_path = make_demo_pki(work / "pki")
        p12 = p12_path.read_bytes()
        key, cert, extra = pkcs12.load_key_and_certificates(p12, DEMO_CREDENTIAL_PASSWORD.encode())
        return key, cert, list(extra), ca.certificate, p12, "zc_review.signing.ca demo PKI"
    except ImportError:
        from tests.data import pades_keys as pk

        who = pk.expert()
        return who.key, who.cert, list(who.chain), pk.office_ca().cert, None, "tests/data/pades_keys.py"


def floor_once(font: str, plain_signer: signers.Signer) -> bytes:
    """The floor: a one-page ReportLab page with the same embedded font, signed by stock pyHanko."""
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=A4)
    c.setFont(font, 18)
    c.drawString(72, 770, "专家评审意见表")
    c.setFont(font, 11)
    for i in range(30):
        c.drawString(72, 740 - 20 * i, f"第{i + 1}项 创新资源富集 得分 8 / 10 评语：材料翔实，论证充分。")
    c.save()
    w = IncrementalPdfFileWriter(io.BytesIO(buf.getvalue()))
    meta = signers.PdfSignatureMetadata(field_name="Sig", subfilter=fields.SigSeedSubFilter.PADES)
    spec = fields.SigFieldSpec("Sig", on_page=0, box=BOX)
    out = signers.PdfSigner(meta, plain_signer, stamp_style=NoOpStampStyle(), new_field_spec=spec).sign_pdf(w)
    data: bytes = out.getvalue()
    return data


def real_opinions(
    work: Path, apps: int
) -> tuple[Callable[[int], Any], Callable[[bytes], dict[str, Any]]] | None:
    """A renderer of real opinions (index -> OpinionPdf) and the payload validator, or None."""
    try:
        from zc_review.opinions import build_payload
        from zc_review.reports.opinion_pdf import extract_payload, render_opinion
    except ImportError:
        return None
    from tests.data.bundles import import_demo
    from zc_review import experts, reviews
    from zc_review.core.indicators import evaluate
    from zc_review.core.scoring import ScoreSheet
    from zc_review.experts import ExpertProfile
    from zc_review.store import Store
    from zc_review.workspace import list_applications, load_application

    import_demo(work / "data", work / "import", tuple(range(apps)))
    store = Store.open(work / "data")
    expert_id = experts.find_or_create_expert(store, ExpertProfile(name="演示专家", title="研究员"))
    experts.accept_pledge(store, expert_id)
    prepared = []
    for app in list_applications(store):
        state = reviews.open_review(store, expert_id, app.id)
        reviews.declare_no_conflict(store, state.review_id)
        state = reviews.acknowledge_formal_check(store, state.review_id) if state.missing_materials else state
        rubric = state.rubric
        scores = {i.id: i.max_points for i in rubric.items()}
        comments = {
            i.id: "相关硬指标不达标，已核对申报材料。"
            for i in rubric.items()
            if i.comment_required(scores[i.id], state.failed_checks)
        }
        allowed = [
            r for r in rubric.recommendations if not (state.failed_checks and r.blocked_by_hard_failure)
        ]
        sheet = ScoreSheet(
            scores=scores,
            item_comments=comments,
            goal_comments={g.key: "材料翔实，论证充分，基本符合政策要求。" for g in rubric.goals},
            overall_opinion="该社区区位条件优越，产业定位清晰，创业服务体系较完整，建设计划可行。" * 3,
            recommendation=allowed[0].key,
        )
        reviews.save_sheet(store, state.review_id, sheet)
        try:
            reviews.submit(store, state.review_id)
        except Exception as exc:  # a draft still renders; say so
            print(f"  (review {state.review_id} left as draft: {exc})")
        payload = build_payload(store, state.review_id)
        loaded = load_application(store, state.application_id, state.version)
        checks = evaluate(loaded.app, rubric, loaded.present_materials)
        prepared.append((payload, rubric, checks))
    store.close()

    def render(i: int) -> Any:
        payload, rubric, checks = prepared[i % len(prepared)]
        return render_opinion(payload, rubric, checks)

    return render, extract_payload


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--opinions", type=int, default=60)
    ap.add_argument("--apps", type=int, default=3, help="distinct demo applications to cycle through")
    args = ap.parse_args()
    work = Path(tempfile.mkdtemp(prefix="bench-sign-"))
    try:
        key, cert, chain, ca_cert, p12, source = credential(work)
        print(f"credential: {source}")
        font = "BenchCJK"
        pdfmetrics.registerFont(TTFont(font, str(cjk_font_path()), subfontIndex=0))

        # Floor: stock pyHanko SimpleSigner straight from the PKCS#12 (or the same key).
        if p12 is not None:
            from zc_review.signing.ca import DEMO_CREDENTIAL_PASSWORD

            plain = signers.SimpleSigner.load_pkcs12_data(p12, [], DEMO_CREDENTIAL_PASSWORD.encode())
        else:
            plain = make_signer(key, cert, chain)
        floor_once(font, plain)  # warm-up
        floor = []
        for _ in range(args.opinions):
            t = time.perf_counter()
            floor_once(font, plain)
            floor.append(time.perf_counter() - t)

        real = real_opinions(work, args.apps)
        signer = make_signer(key, cert, chain)
        render: Callable[[int], Any]
        validator: Callable[[bytes], dict[str, Any]] | None
        if real is None:
            from tests.data import pades_keys as pk

            print(
                "opinion renderer: zc_review.reports.opinion_pdf not available - using the STAND-IN opinion"
            )

            class _StandIn:
                data = pk.opinion_pdf()
                signature_page = 0
                signature_box = pk.SIGNATURE_BOX

            render, validator = (lambda _i: _StandIn), None
        else:
            render, validator = real
            print("opinion renderer: zc_review.reports.opinion_pdf.render_opinion")

        render(0)  # warm-up (fonts, rubric caches)
        t_render, t_sign, t_verify, signed = [], [], [], []
        for i in range(args.opinions):
            t0 = time.perf_counter()
            op = render(i)
            t1 = time.perf_counter()
            out = sign_pdf(op.data, signer, cert, chain, op.signature_box, op.signature_page)
            t2 = time.perf_counter()
            t_render.append(t1 - t0)
            t_sign.append(t2 - t1)
            signed.append(out)
        for out in signed:
            t = time.perf_counter()
            report = verify_opinion(out, [ca_cert], validator)
            t_verify.append(time.perf_counter() - t)
            assert report.valid, report.failed()

        med = statistics.median
        ours = [r + s for r, s in zip(t_render, t_sign, strict=True)]
        from pyhanko.pdf_utils.reader import PdfFileReader

        pages = int(PdfFileReader(io.BytesIO(signed[0])).root["/Pages"]["/Count"])
        print(f"opinions: {args.opinions}, pages of the first: {pages}")
        print(f"floor (1-page ReportLab + stock pyHanko sign): median {med(floor) * 1000:.1f} ms")
        print(f"ours render:  median {med(t_render) * 1000:.1f} ms")
        print(f"ours sign:    median {med(t_sign) * 1000:.1f} ms")
        print(
            f"ours total:   median {med(ours) * 1000:.1f} ms  ({args.opinions} opinions: {sum(ours):.2f} s)"
        )
        print(f"verify:       median {med(t_verify) * 1000:.1f} ms")
        ratio = med(ours) / med(floor)
        print(f"ratio ours/floor: {ratio:.2f}x (target <= 3x) {'OK' if ratio <= 3 else 'OVER TARGET'}")
        if shutil.which("pdfsig"):
            f = work / "sample.pdf"
            f.write_bytes(signed[0])
            text = subprocess.run(["pdfsig", "-nocert", str(f)], capture_output=True, text=True).stdout
            print(
                "pdfsig on the first opinion:",
                "Signature is Valid." in text and "Total document signed" in text,
            )
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
