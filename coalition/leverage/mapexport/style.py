"""How the map looks: colours, shapes, sizes and widths, shared by every format.

Colours
    allies by kind (``KIND_COLOURS``, a colour-blind friendly Tableau 10 set);
    members, insurer contacts, insurers and issues have one fixed colour each
    (``TYPE_COLOURS``).
Shapes (Cytoscape.js names; each writer maps them to its own vocabulary)
    member diamond, ally ellipse, contact round-rectangle, insurer hexagon,
    issue star.
Sizes
    ally: ``ALLY_BASE_SIZE + ALLY_SIZE_STEP * influence`` (influence 1-5 gives
    26-50); the other types have a fixed size (``TYPE_SIZES``).
Widths
    people links (relationship, reports-to): ``1 + usable`` (1-6 px), so a
    strong fresh link is thick and a faded one thin; structural links 1 px.
Stale links (see ``mapdata``) are drawn dashed and faded (``STALE_OPACITY``).
"""

from __future__ import annotations

from coalition.leverage.network.rows import ALLY_KINDS

KIND_COLOURS: dict[str, str] = {
    "patient": "#4E79A7",
    "regulator": "#E15759",
    "patient_org": "#F28E2B",
    "support_group": "#EDC948",
    "medical": "#59A14F",
    "legislator": "#B07AA1",
    "media": "#FF9DA7",
    "employer": "#9C755F",
    "other": "#BAB0AC",
}
assert set(KIND_COLOURS) == set(ALLY_KINDS)
UNKNOWN_KIND_COLOUR = "#BAB0AC"

TYPE_COLOURS: dict[str, str] = {
    "member": "#17A589",
    "contact": "#7F8C8D",
    "insurer": "#2C3E50",
    "issue": "#C0392B",
}

#: Human names of the ally kinds; also the stem of a pseudonym ("Patient 12").
KIND_LABELS: dict[str, str] = {
    "patient": "Patient",
    "regulator": "Regulator",
    "patient_org": "Patient organisation",
    "support_group": "Support group",
    "medical": "Medical community",
    "legislator": "Legislator",
    "media": "Media",
    "employer": "Employer",
    "other": "Ally",
}

#: The kinds' names as the app shows them (``coalition.models.allies.ALLY_KINDS``, copied
#: because this package stays free of the database; a test keeps them equal), for legends.
KIND_DISPLAY_LABELS: dict[str, str] = {
    "patient": "Patient",
    "regulator": "Insurance commissioner / regulator",
    "patient_org": "Patient organisation",
    "support_group": "Support group",
    "medical": "Medical community",
    "legislator": "Legislator",
    "media": "Media / public",
    "employer": "Employer",
    "other": "Other",
}

TYPE_LABELS: dict[str, str] = {
    "member": "Chapter member",
    "ally": "Ally",
    "contact": "Insurer contact",
    "insurer": "Insurer",
    "issue": "Issue",
}

TYPE_SHAPES: dict[str, str] = {
    "member": "diamond",
    "ally": "ellipse",
    "contact": "round-rectangle",
    "insurer": "hexagon",
    "issue": "star",
}

TYPE_SIZES: dict[str, float] = {"member": 32.0, "contact": 30.0, "insurer": 60.0, "issue": 50.0}
ALLY_BASE_SIZE = 20.0
ALLY_SIZE_STEP = 6.0

EDGE_COLOURS: dict[str, str] = {
    "relationship": "#555555",
    "reports_to": "#7F8C8D",
    "stance": "#C0392B",
    "employment": "#95A5A6",
    "oversight": "#E15759",
}
STALE_OPACITY = 0.35
EDGE_OPACITY = 0.8

#: Stances as the legend and the page show them.
STANCE_COLOURS: dict[str, str] = {
    "champion": "#1E8449",
    "supporter": "#58D68D",
    "neutral": "#AAB7B8",
    "unknown": "#D5DBDB",
    "opposed": "#C0392B",
}


def node_colour(type_: str, kind: str | None) -> str:
    if type_ == "ally":
        return KIND_COLOURS.get(kind or "", UNKNOWN_KIND_COLOUR)
    return TYPE_COLOURS.get(type_, UNKNOWN_KIND_COLOUR)


def node_size(type_: str, influence: int | None) -> float:
    if type_ == "ally":
        return ALLY_BASE_SIZE + ALLY_SIZE_STEP * max(1, min(5, int(influence or 1)))
    return TYPE_SIZES.get(type_, 30.0)


def edge_width(type_: str, usable: float | None) -> float:
    if type_ in ("relationship", "reports_to") and usable is not None:
        return round(1.0 + max(0.0, min(5.0, usable)), 2)
    return 1.0


def hex_to_rgb(colour: str) -> tuple[int, int, int]:
    c = colour.lstrip("#")
    return int(c[0:2], 16), int(c[2:4], 16), int(c[4:6], 16)


def legend() -> dict:
    """Legend data for the page and the drawn formats (plain JSON-able dict)."""
    return {
        "kinds": [
            {"kind": k, "label": KIND_DISPLAY_LABELS[k], "colour": KIND_COLOURS[k]} for k in ALLY_KINDS
        ],
        "types": [
            {
                "type": t,
                "label": TYPE_LABELS[t],
                "shape": TYPE_SHAPES[t],
                "colour": TYPE_COLOURS.get(t),  # None for allies: coloured by kind
            }
            for t in TYPE_SHAPES
        ],
        "edges": [
            {"type": t, "colour": c, "label": t.replace("_", " ")} for t, c in EDGE_COLOURS.items()
        ],
        "stances": [{"stance": s, "colour": c} for s, c in STANCE_COLOURS.items()],
        "stale": {"dashed": True, "opacity": STALE_OPACITY},
        "size": "ally size grows with influence (1-5)",
        "width": "link width grows with usable (faded) strength",
    }
