"""Plotly figures for the portal. Amounts are Decimals everywhere else; they become floats
only here, on their way to the drawing. User text (category names) reaches plotly escaped
(`app.plain_text.html`): plotly renders HTML in labels, legends and hover text."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from typing import Any

import plotly.graph_objects as go

from app import plain_text as plain

PRIMARY = "#0d6efd"
INCOME = "#198754"  # Bootstrap success
EXPENSE = "#dc3545"  # Bootstrap danger


def floats(values: Iterable[Decimal | None]) -> list[float]:
    return [float(v or 0) for v in values]


def layout(fig: go.Figure, height: int = 360, **more: Any) -> go.Figure:
    fig.update_layout(
        height=height,
        margin={"l": 8, "r": 8, "t": 32, "b": 8},
        legend={"orientation": "h", "y": -0.15},
        font={"family": "sans-serif"},
        **more,
    )
    return fig


def parents(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Category rows rolled up into their top-level category (Decimal sums), largest first."""
    out: dict[int, dict[str, Any]] = {}
    for row in rows:
        top = row["parent_id"] or row["id"]
        entry = out.setdefault(
            top,
            {
                "id": top,
                "name": row["parent_name"] or row["name"],
                "color": row["parent_color"] or row["color"],
                "total": Decimal(0),
            },
        )
        entry["total"] += row["total"]
    return sorted(out.values(), key=lambda e: (-e["total"], e["name"]))


def donut(tops: list[dict[str, Any]], currency: str) -> go.Figure:
    fig = go.Figure(
        go.Pie(
            labels=[plain.html(t["name"]) for t in tops],
            values=floats(t["total"] for t in tops),
            marker={"colors": [t["color"] for t in tops]},
            hole=0.55,
            sort=False,
            hovertemplate=f"%{{label}}: %{{value:,.2f}} {currency}<extra></extra>",
        )
    )
    return layout(fig, showlegend=False)


def sunburst(rows: list[dict[str, Any]], tops: list[dict[str, Any]]) -> go.Figure:
    ids, labels, parent_ids, values, colors = [], [], [], [], []
    for top in tops:
        ids.append(f"c{top['id']}")
        labels.append(plain.html(top["name"]))
        parent_ids.append("")
        values.append(float(top["total"]))
        colors.append(top["color"])
    for row in rows:
        if row["parent_id"]:
            ids.append(f"c{row['id']}")
            labels.append(plain.html(row["name"]))
            parent_ids.append(f"c{row['parent_id']}")
            values.append(float(row["total"]))
            colors.append(row["color"])
    fig = go.Figure(
        go.Sunburst(
            ids=ids,
            labels=labels,
            parents=parent_ids,
            values=values,
            branchvalues="remainder",
            marker={"colors": colors},
        )
    )
    return layout(fig)


def lines(
    x: list[Any], series: dict[str, tuple[list[Decimal], dict[str, Any]]], height: int = 360
) -> go.Figure:
    fig = go.Figure()
    for name, (values, style) in series.items():
        fig.add_trace(
            go.Scatter(x=x, y=floats(values), name=plain.html(name), mode="lines+markers", **style)
        )
    return layout(fig, height)
