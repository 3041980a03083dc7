"""Portfolio pages: the bid table (and its CSV), the KPI summary (and its PDF), targets."""
from __future__ import annotations

from datetime import datetime

from flask import Blueprint, Response, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from app import access
from app.costing.vocabulary import LEVEL_LABELS
from app.formatting import LONDON, pence_to_pounds
from app.portfolio import queries, services
from app.portfolio.export import portfolio_csv
from app.portfolio.forms import PortfolioFilterForm, SummaryForm, TargetsForm
from app.portfolio.periods import FinancialYear, current_financial_year
from app.portfolio.queries import Scope, TableFilters
from app.portfolio.summary import DEFINITIONS, NETWORK_DEFINITIONS, PortfolioSummary
from app.reports.board import render_board_pdf
from app.reports.text import slug

bp = Blueprint("portfolio", __name__)
PER_PAGE = 25


@bp.before_request
@login_required
def require_sign_in() -> None:
    """Every portfolio page needs a signed-in user; each shows only the user's bids."""


def _form(form_class, years: list[int]):
    """A GET form over the query string; with no year given, the current financial year."""
    teams = queries.teams_for(current_user)
    all_label = "All teams" if access.is_admin(current_user) else "All your teams"
    form = form_class(request.args, years=years, teams=teams, all_teams_label=all_label,
                      year=str(current_financial_year()))
    form.validate()
    team_id = form.value("team")
    team_name = dict(form.team.choices).get(team_id) if team_id else all_label
    return form, (int(team_id) if team_id else None), team_name


def _table_query(form: PortfolioFilterForm, team_id: int | None):
    # "All years" is an explicit choice; a year not in the list falls back to this one.
    year = str(current_financial_year()) if form.year.errors else form.year.data
    scope = Scope(current_user, team_id, FinancialYear(int(year)) if year else None)
    filters = TableFilters(status=form.value("status"), level=form.value("level"),
                           client=(form.value("client") or "").strip() or None,
                           work_type=form.value("work_type"), scope=form.value("scope"),
                           outcome=form.value("outcome"), sort=form.sort_key(),
                           descending=form.descending())
    return scope, filters


@bp.get("/")
def index():
    form, team_id, team_name = _form(PortfolioFilterForm, queries.financial_years(current_user))
    scope, filters = _table_query(form, team_id)
    rows, total, page = queries.table_page(scope, filters, request.args.get("page", 1, type=int),
                                           PER_PAGE)
    return render_template("portfolio/index.html", form=form, rows=rows, total=total,
                           page=page, pages=max((total + PER_PAGE - 1) // PER_PAGE, 1),
                           team_name=team_name,
                           year_label=scope.year.label if scope.year else None,
                           show_team=team_id is None and len(form.team.choices) > 2,
                           level_labels=LEVEL_LABELS, count_rules=DEFINITIONS,
                           args={k: v for k, v in request.args.items() if k != "page"})


@bp.get("/export.csv")
def export_csv():
    form, team_id, _team_name = _form(PortfolioFilterForm,
                                      queries.financial_years(current_user))
    scope, filters = _table_query(form, team_id)
    year = f"-{scope.year.start_year}" if scope.year else ""
    return Response(portfolio_csv(queries.all_rows(scope, filters)),
                    mimetype="text/csv", headers={
                        "Content-Disposition":
                            f'attachment; filename="coproduction-portfolio{year}.csv"',
                        "Cache-Control": "no-store"})


def _summary() -> tuple[SummaryForm, PortfolioSummary]:
    form, team_id, team_name = _form(SummaryForm, queries.financial_years(current_user))
    year = FinancialYear(int(form.value("year") or current_financial_year()))
    return form, PortfolioSummary.build(current_user, year, team_id, team_name)


@bp.get("/summary")
def summary():
    form, result = _summary()
    return render_template("portfolio/summary.html", form=form, summary=result,
                           count_rules=DEFINITIONS, network_rules=NETWORK_DEFINITIONS)


@bp.get("/summary.pdf")
def summary_pdf():
    _, result = _summary()
    pdf = render_board_pdf(result.board_paper(datetime.now(LONDON).date()))
    name = f"coproduction-kpis-{result.year.start_year}-{slug(result.scope_label, 'teams')}.pdf"
    return Response(pdf, mimetype="application/pdf", headers={
        "Content-Disposition": f'attachment; filename="{name}"', "Cache-Control": "no-store"})


@bp.route("/targets", methods=["GET", "POST"])
def targets():
    access.require_admin(current_user)
    current = current_financial_year()
    years = sorted(set(queries.financial_years(current_user)) | {current + 1}, reverse=True)
    chosen = request.args.get("year", type=int) or current
    in_force = queries.targets_for(chosen)
    form = TargetsForm(years=years, data=None if request.method == "POST" else {
        "year": str(chosen), "considered_percent": in_force.considered_percent,
        "income_gbp": pence_to_pounds(in_force.income_pence)})
    if form.validate_on_submit():
        year = int(form.year.data)
        services.save_targets(year, form.considered_percent.data, form.income_gbp.data,
                              current_user)
        flash(f"Targets saved for {FinancialYear(year).label} onwards.", "success")
        return redirect(url_for("portfolio.summary", year=year))
    return render_template("portfolio/targets.html", form=form, in_force=in_force,
                           year=FinancialYear(chosen))
