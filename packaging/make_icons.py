"""Draw the ZC Review app icon: one SVG and the PNG/ICO/ICNS sizes the platforms want.

The icon is plain geometry (a document with a red seal and a check mark on a blue
tile), written once as SVG and drawn again with Pillow from the same shapes, so no
SVG renderer (and no Qt) is needed to make the bitmaps::

    python packaging/make_icons.py   # writes packaging/icons/ and resources/icons/zc-review.svg

The outputs are committed; run this again only when the design changes.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from PIL import Image, ImageDraw

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "packaging" / "icons"
SIZES = (16, 24, 32, 48, 64, 128, 256, 512)

# The design on a 256-unit square.
TILE = "#1f5fa8"
PAPER = "#ffffff"
LINE = "#9db3cf"
SEAL = "#c8302c"
LINES = ((78, 92, 150), (78, 118, 170), (78, 144, 170), (78, 170, 130))  # x0, y, x1


def svg() -> str:
    """The icon as SVG text (paths only, no fonts)."""
    lines = "".join(
        f'<rect x="{x0}" y="{y - 5}" width="{x1 - x0}" height="10" rx="5" fill="{LINE}"/>'
        for x0, y, x1 in LINES
    )
    return (
        '<svg xmlns="http://www.w3.org/2000/svg" width="256" height="256" viewBox="0 0 256 256">'
        f'<rect x="8" y="8" width="240" height="240" rx="48" fill="{TILE}"/>'
        f'<path d="M56 36 H160 L200 76 V220 H56 Z" fill="{PAPER}"/>'
        f'<path d="M160 36 V76 H200 Z" fill="{LINE}"/>'
        f"{lines}"
        f'<circle cx="178" cy="186" r="44" fill="{SEAL}"/>'
        '<path d="M156 186 L172 202 L202 168" fill="none" stroke="#ffffff" stroke-width="13" '
        'stroke-linecap="round" stroke-linejoin="round"/>'
        "</svg>\n"
    )


def draw(size: int) -> Image.Image:
    """The icon as a ``size`` x ``size`` RGBA image (drawn 4x larger, then scaled down smoothly)."""
    k = size * 4 / 256
    big = Image.new("RGBA", (size * 4, size * 4), (0, 0, 0, 0))
    d = ImageDraw.Draw(big)

    def s(*values: float) -> list[float]:
        return [v * k for v in values]

    d.rounded_rectangle(s(8, 8, 248, 248), radius=48 * k, fill=TILE)
    d.polygon(s(56, 36, 160, 36, 200, 76, 200, 220, 56, 220), fill=PAPER)
    d.polygon(s(160, 36, 160, 76, 200, 76), fill=LINE)
    for x0, y, x1 in LINES:
        d.rounded_rectangle(s(x0, y - 5, x1, y + 5), radius=5 * k, fill=LINE)
    d.ellipse(s(134, 142, 222, 230), fill=SEAL)
    d.line(s(156, 186, 172, 202, 202, 168), fill="#ffffff", width=round(13 * k), joint="curve")
    for x, y in ((156, 186), (202, 168)):  # round caps
        d.ellipse(s(x - 6.5, y - 6.5, x + 6.5, y + 6.5), fill="#ffffff")
    return big.resize((size, size), Image.Resampling.LANCZOS)


def main() -> None:
    """Write the SVG, PNGs, .ico and .icns into packaging/icons, and the SVG the app loads."""
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "zc-review.svg").write_text(svg(), encoding="utf-8")
    images = {n: draw(n) for n in SIZES}
    for n, image in images.items():
        image.save(OUT / f"zc-review-{n}.png")
    images[256].save(OUT / "zc-review.ico", sizes=[(n, n) for n in (16, 24, 32, 48, 64, 128, 256)])
    images[512].save(OUT / "zc-review.icns")
    # zc_review.gui.app sets the window icon from resources/icons/zc-review.svg.
    app_icons = ROOT / "resources" / "icons"
    app_icons.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(OUT / "zc-review.svg", app_icons / "zc-review.svg")
    print(f"icons written to {OUT.relative_to(ROOT)} and {app_icons.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
