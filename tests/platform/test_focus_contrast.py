"""The focus ring stands out (WCAG 1.4.11: 3:1) against every background app.css paints,
worked out from the stylesheet itself with WCAG's contrast formula."""
from __future__ import annotations

import re
from pathlib import Path

CSS = (Path(__file__).resolve().parents[2] / "coalition" / "static" / "app.css").read_text()
# Rules whose background is dark and that set a focus colour of their own.
DARK = ".site-header"


def luminance(hex_colour: str) -> float:
    hex_colour = hex_colour.lstrip("#")
    if len(hex_colour) == 3:
        hex_colour = "".join(c * 2 for c in hex_colour)
    channels = []
    for i in (0, 2, 4):
        c = int(hex_colour[i:i + 2], 16) / 255
        channels.append(c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4)
    r, g, b = channels
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: str, b: str) -> float:
    la, lb = sorted((luminance(a), luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def _rules() -> list[tuple[str, str]]:
    css = re.sub(r"/\*.*?\*/", "", CSS, flags=re.S)
    return [(sel.strip(), body) for sel, body in re.findall(r"([^{}]+)\{([^{}]*)\}", css)]


def _variables(selector: str) -> dict[str, str]:
    body = next(body for sel, body in _rules() if sel == selector)
    return dict(re.findall(r"(--[\w-]+):\s*([^;]+);", body))


def _backgrounds() -> list[tuple[str, str]]:
    """(selector, colour) of every background in app.css, variables resolved; only plain
    colours (#rgb or #rrggbb): a translucent backdrop is no surface a ring sits on."""
    root = _variables(":root")
    found = []
    for selector, body in _rules():
        for value in re.findall(r"background(?:-color)?:\s*([^;]+);", body):
            value = value.strip()
            variable = re.fullmatch(r"var\((--[\w-]+)(?:,\s*(#[0-9a-fA-F]+))?\)", value)
            if variable:
                value = root.get(variable.group(1), variable.group(2) or "")
            if re.fullmatch(r"#[0-9a-fA-F]{3}|#[0-9a-fA-F]{6}", value):
                found.append((selector, value))
    return found


def test_the_formula_matches_known_pairs():
    assert round(contrast("#000000", "#ffffff"), 1) == 21.0
    assert round(contrast("#767676", "#ffffff"), 1) == 4.5
    # The old amber ring on the page's light background: the audit's 1.5:1.
    assert round(contrast("#ffbf47", "#f6f7fa"), 1) == 1.5


def test_the_focus_ring_has_3_to_1_against_every_background():
    focus = _variables(":root")["--focus"]
    backgrounds = [(s, c) for s, c in _backgrounds() if not s.startswith(DARK)]
    assert len(backgrounds) > 10  # the page, cards, tables, notices, primary buttons...
    assert ("button.primary" in " ".join(s for s, _ in backgrounds))
    low = [(s, c, round(contrast(focus, c), 2)) for s, c in backgrounds if contrast(focus, c) < 3]
    assert not low, f"focus ring {focus} below 3:1 on: {low}"


def test_the_dark_header_has_a_focus_colour_of_its_own():
    header = _variables(DARK)
    background = header.get("--focus") and re.search(
        r"background:\s*(#[0-9a-fA-F]+)", next(b for s, b in _rules() if s == DARK)).group(1)
    assert contrast(header["--focus"], background) >= 3
    # And the ring on the header's links uses the variable rather than a fixed colour.
    assert re.search(r"a:focus[^{]*\{[^}]*outline:[^;]*var\(--focus\)", CSS)
