"""PDF documents for exports and reports (reportlab): one layout for all of them.

Every page carries the org's name, the document's title and period at the top and the
generated date and page number at the bottom; tables break across pages with their header
repeated; a report may open with a monthly bar chart. Cells are drawn as plain strings, never
parsed as markup, so a name like `<b>` is shown as typed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import IO, Any
from xml.sax.saxutils import escape

from reportlab.graphics.charts.barcharts import VerticalBarChart
from reportlab.graphics.charts.legends import Legend
from reportlab.graphics.shapes import Drawing
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

# A Unicode font when the machine has one (Debian's fonts-dejavu-core); else Helvetica.
DEJAVU = Path("/usr/share/fonts/truetype/dejavu")
PAGE = landscape(A4)
SERIES_COLOURS = (colors.HexColor("#198754"), colors.HexColor("#dc3545"), colors.grey)


def _fonts() -> tuple[str, str]:
    regular, bold = DEJAVU / "DejaVuSans.ttf", DEJAVU / "DejaVuSans-Bold.ttf"
    if regular.exists() and bold.exists():
        if "OutlaySans" not in pdfmetrics.getRegisteredFontNames():
            pdfmetrics.registerFont(TTFont("OutlaySans", str(regular)))
            pdfmetrics.registerFont(TTFont("OutlaySans-Bold", str(bold)))
        return "OutlaySans", "OutlaySans-Bold"
    return "Helvetica", "Helvetica-Bold"


@dataclass
class TableBlock:
    header: list[str]
    rows: list[list[Any]]
    numeric: set[int] = field(default_factory=set)  # right-aligned columns
    bold_rows: set[int] = field(default_factory=set)  # subtotal and total rows
    widths: list[float] | None = None
    heading: str = ""


@dataclass
class ChartBlock:
    labels: list[str]
    series: dict[str, list[Decimal]]  # name -> one value per label
    heading: str = ""


@dataclass
class Document:
    org_name: str
    title: str
    period: str
    generated: date
    blocks: list[Any] = field(default_factory=list)
    footnotes: list[str] = field(default_factory=list)


def clip(text: Any, width: int = 48) -> str:
    value = "" if text is None else str(text)
    return value if len(value) <= width else value[: width - 1] + "\u2026"


def _table(block: TableBlock, regular: str, bold: str) -> Table:
    data = [block.header, *[[clip(c) for c in row] for row in block.rows]]
    table = Table(data, colWidths=block.widths, repeatRows=1)
    style: list[tuple[Any, ...]] = [
        ("FONT", (0, 0), (-1, -1), regular, 8),
        ("FONT", (0, 0), (-1, 0), bold, 8),
        ("LINEBELOW", (0, 0), (-1, 0), 0.6, colors.black),
        ("ROWBACKGROUNDS", (0, 1), (-1, -1), [colors.white, colors.HexColor("#f3f4f6")]),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
    ]
    for column in block.numeric:
        style.append(("ALIGN", (column, 0), (column, -1), "RIGHT"))
    for row in block.bold_rows:
        style.append(("FONT", (0, row + 1), (-1, row + 1), bold, 8))
        style.append(("LINEABOVE", (0, row + 1), (-1, row + 1), 0.4, colors.black))
    table.setStyle(TableStyle(style))
    return table


def _chart(block: ChartBlock, regular: str) -> Drawing:
    drawing = Drawing(PAGE[0] - 40 * mm, 62 * mm)
    chart = VerticalBarChart()
    chart.x, chart.y, chart.width, chart.height = 40, 20, drawing.width - 170, 50 * mm
    chart.data = [[float(v) for v in values] for values in block.series.values()]
    chart.categoryAxis.categoryNames = block.labels
    chart.categoryAxis.labels.fontName = regular
    chart.categoryAxis.labels.fontSize = 7
    chart.valueAxis.labels.fontName = regular
    chart.valueAxis.labels.fontSize = 7
    chart.valueAxis.valueMin = 0
    for index in range(len(chart.data)):
        chart.bars[index].fillColor = SERIES_COLOURS[index % len(SERIES_COLOURS)]
    drawing.add(chart)
    legend = Legend()
    legend.x, legend.y = drawing.width - 110, drawing.height - 20
    legend.fontName, legend.fontSize = regular, 8
    legend.colorNamePairs = [
        (SERIES_COLOURS[i % len(SERIES_COLOURS)], name) for i, name in enumerate(block.series)
    ]
    drawing.add(legend)
    return drawing


def render(doc: Document, out: IO[bytes]) -> None:
    regular, bold = _fonts()
    styles = getSampleStyleSheet()
    heading = styles["Heading3"].clone("OutlayHeading", fontName=bold)
    note = styles["BodyText"].clone("OutlayNote", fontName=regular, fontSize=8)

    def decorate(canvas: Any, pdf: Any) -> None:
        canvas.saveState()
        width, height = PAGE
        canvas.setFont(bold, 11)
        canvas.drawString(15 * mm, height - 12 * mm, doc.org_name)
        canvas.setFont(regular, 9)
        canvas.drawString(15 * mm, height - 17 * mm, f"{doc.title} \u00b7 {doc.period}")
        canvas.setFont(regular, 8)
        canvas.drawString(15 * mm, 8 * mm, f"Generated {doc.generated.isoformat()}")
        canvas.drawRightString(width - 15 * mm, 8 * mm, f"Page {pdf.page}")
        canvas.restoreState()

    template = SimpleDocTemplate(
        out,
        pagesize=PAGE,
        topMargin=24 * mm,
        bottomMargin=15 * mm,
        leftMargin=15 * mm,
        rightMargin=15 * mm,
        title=f"{doc.title} \u00b7 {doc.org_name}",
    )
    story: list[Any] = []
    for block in doc.blocks:
        if block.heading:
            story.append(Paragraph(escape(block.heading), heading))
        if isinstance(block, ChartBlock) and not any(block.series.values()):
            # reportlab cannot draw an axis over no bars (a period with nothing in it)
            story.append(Paragraph("Nothing to chart for this period.", note))
        elif isinstance(block, ChartBlock):
            story.append(_chart(block, regular))
        else:
            story.append(_table(block, regular, bold))
        story.append(Spacer(1, 5 * mm))
    for text in doc.footnotes:
        story.append(Paragraph(escape(text), note))
    template.build(story, onFirstPage=decorate, onLaterPages=decorate)
