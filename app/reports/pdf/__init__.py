"""The tender-ready co-production plan as a PDF: :func:`render_plan_pdf`."""
from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date

from reportlab.platypus import Flowable

from app.charts.labels import level_label
from app.formatting import share_of_bid
from app.reports.pdf import budget, closing, involvement, sections, time_risk
from app.reports.pdf.context import PlanContext
from app.reports.pdf.document import DocumentInfo, build_pdf
from app.reports.text import one_line
from app.reports.version import VersionInfo

#: Bid sizes for the fixed-cost curve when the caller does not supply points.
CURVE_BID_VALUES = (10_000, 25_000, 50_000, 100_000, 250_000, 500_000,
                    1_000_000, 2_500_000, 5_000_000, 10_000_000)
METADATA_TITLE_LIMIT = 200


def cost_curve_points(estimate: Mapping, bid_values: Sequence[float] = CURVE_BID_VALUES
                      ) -> list[tuple[float, float]]:
    """(bid value, % of bid) for this plan's cost at other bid sizes.

    The engine's costs depend on the activities, the scope and the rate card,
    not on the bid value, so the same total divided by each value is what the
    engine would report for that value. Bid sizes smaller than the cost
    itself (over 100%) are left out.
    """
    total = float(estimate["total_gbp"])
    return [(float(v), float(share_of_bid(total, v))) for v in bid_values if v > 0 and v >= total]


def _story(ctx: PlanContext, curve: Sequence[tuple[float, float]]) -> list[Flowable]:
    """Every section, in the order of the product's plan document."""
    return [*sections.cover(ctx), *sections.summary(ctx), *involvement.people(ctx),
            *budget.timeline(ctx), *involvement.access(ctx), *budget.budget(ctx, curve),
            *time_risk.time_overhead(ctx), *time_risk.uncertainty(ctx), *time_risk.risks(ctx),
            *closing.approval(ctx), *closing.easy_read(ctx)]


def _info(ctx: PlanContext) -> DocumentInfo:
    """Running header, footer and metadata for the document."""
    title = ctx.title
    if len(title) > METADATA_TITLE_LIMIT:
        title = title[:METADATA_TITLE_LIMIT - 1].rstrip() + "…"
    client = one_line(ctx.bid.get("client")) or "the client"
    reference = one_line(ctx.bid.get("reference"))
    author = (ctx.version.created_by if ctx.version and ctx.version.created_by
              else "Co-production Planner")
    return DocumentInfo(
        title=title, version_label=ctx.header_label,
        footer_label="Co-production plan" + (f" · {reference}" if reference else ""),
        draft=ctx.draft, author=one_line(author),
        subject=f"Co-production plan for {client[:METADATA_TITLE_LIMIT]}: "
                f"{level_label(ctx.level).lower()} level",
        keywords=("co-production", "bid", "budget", ctx.level),
        created=ctx.version.saved_at if ctx.version else ctx.issued_at)


def render_plan_pdf(plan: Mapping, estimate: Mapping, version: VersionInfo | None = None,
                    *, issued_on: date | None = None,
                    cost_curve: Sequence[tuple[float, float]] | None = None,
                    tagged: bool = True) -> bytes:
    """The plan document as PDF bytes; the same arguments give the same bytes.

    ``version`` (number, status, approval record) marks the document final
    when approved or submitted, DRAFT otherwise. The cover date comes from
    the version, else ``issued_on``; never from the clock. ``cost_curve`` is
    a list of (bid value, % of bid) points; by default it is derived from
    the estimate with :func:`cost_curve_points`. ``tagged=False`` leaves out the
    PDF/UA structure (for the benchmark's same-run baseline only).
    """
    ctx = PlanContext(plan, estimate, version, issued_on)
    curve = cost_curve if cost_curve is not None else cost_curve_points(estimate)
    return build_pdf(_story(ctx, curve), _info(ctx), tagged)
