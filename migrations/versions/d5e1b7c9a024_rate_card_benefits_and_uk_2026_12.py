"""Rate cards: the benefits section and correlated lines; the default card uk-2026-12

Revision ID: d5e1b7c9a024
Revises: b81f0c2d5e97
Create Date: 2026-12-01 21:20:00

Stored rate card documents written before the ``benefits`` section (their
``rates.benefit_weekly_threshold`` and ``rates.benefit_monthly_threshold``) get
it with the values they were costed with: the weekly figure for both weekly
limits (Carer's Allowance and ESA permitted work), the monthly one for the
Universal Credit work allowance, and ``uncertainty.correlation`` 0 (independent
lines, as they were costed); each value's source gains a checked date (the
card's effective date). Plan versions keep their stored estimates. A database
that holds the engine's ``uk-2026`` card also gets ``uk-2026-12`` (frozen here
as it was on 2026-12-01), which becomes the default for new plans when
``uk-2026`` was the default (an organisation's own default card stays).
"""
import json
from datetime import date, datetime, timezone

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'd5e1b7c9a024'
down_revision = 'b81f0c2d5e97'
branch_labels = None
depends_on = None

OLD = {'carers_allowance_weekly': 'benefit_weekly_threshold',
       'esa_permitted_work_weekly': 'benefit_weekly_threshold',
       'uc_work_allowance_monthly': 'benefit_monthly_threshold'}
CARDS = sa.table('rate_cards', sa.column('id', sa.String), sa.column('label', sa.String),
                 sa.column('effective_from', sa.Date), sa.column('values', sa.JSON),
                 sa.column('is_default', sa.Boolean),
                 sa.column('created_at', sa.DateTime(timezone=True)))
UK_2026_12 = json.loads(r"""
{
 "id": "uk-2026-12",
 "label": "UK default rates December 2026",
 "description": "The Co-production Planner's default UK rates, effective from 1 December 2026: published BSL and homecare rates, the 2026/27 benefit limits and correlated uncertainty. Copy it to make an organisation's own card.",
 "currency": "GBP",
 "effective_from": "2026-12-01",
 "rates": {
  "contributor_hourly": 27.5,
  "minimum_paid_hours": 1.0,
  "role_fee_multipliers": {
   "co_lead": 1.5,
   "interview_panel_member": 1.0,
   "advisory_group_chair": 1.5,
   "advisory_group_member": 1.0,
   "guideline_committee_member": 1.0,
   "peer_researcher": 1.0,
   "writer": 1.0,
   "consultant": 1.0,
   "editor_reviewer": 1.0,
   "film_contributor": 1.0,
   "video_diarist": 1.0,
   "co_trainer": 1.0,
   "conference_speaker": 1.0,
   "media_spokesperson": 1.0,
   "blogger": 1.0
  },
  "travel_return": {
   "local": 12.0,
   "regional": 40.0,
   "national": 110.0
  },
  "mileage_per_mile": 0.45,
  "subsistence": 10.0,
  "overnight_stay": 130.0,
  "early_start_before": "10:00",
  "pa_hourly": 21.0,
  "replacement_care_hourly": 32.14,
  "replacement_care_travel_hours": 1.0,
  "bsl_half_day": 140.0,
  "bsl_full_day": 280.0,
  "bsl_half_day_max_hours": 3.5,
  "bsl_two_interpreters_over_hours": 1.0,
  "easy_read_per_page": 60.0,
  "venue_per_session": {
   "local": 150.0,
   "regional": 250.0,
   "national": 400.0
  },
  "catering": 9.0,
  "digital_allowance": 10.0,
  "staff_day_rate": 360.0,
  "staff_day_hours": 7.5,
  "recruitment_hours_new": 3.0,
  "recruitment_hours_existing_network": 1.0,
  "support_hours_per_attendance": 0.5,
  "organising_hours_in_person": 4.0,
  "organising_hours_remote": 2.0,
  "payment_admin_hours_per_attendance": 0.25,
  "induction_hours": 3.0,
  "annual_inflation": 0.03
 },
 "time": {
  "recruitment_weeks_existing_network": 4,
  "recruitment_weeks_new": 10,
  "easy_read_weeks": 6,
  "review_weeks_per_session": 2,
  "payment_weeks_min": 4,
  "payment_weeks_max": 6
 },
 "uncertainty": {
  "sessions": {
   "low": 0.9,
   "mode": 1.0,
   "high": 1.5
  },
  "prep_hours": {
   "low": 0.75,
   "mode": 1.0,
   "high": 2.0
  },
  "travel_costs": {
   "low": 0.8,
   "mode": 1.0,
   "high": 1.5
  },
  "attendance": {
   "low": 0.7,
   "mode": 0.95,
   "high": 1.0
  },
  "staff_hours": {
   "low": 0.8,
   "mode": 1.0,
   "high": 1.6
  },
  "correlation": 0.5
 },
 "benefits": {
  "carers_allowance_weekly": 204.0,
  "esa_permitted_work_weekly": 203.5,
  "uc_work_allowance_monthly": 411.0
 },
 "policy": {
  "limited_below_gbp": 25000,
  "good_below_gbp": 500000,
  "client_requirement_level": "good",
  "disproportionate_percent": 15,
  "limited_target_percent": 3,
  "good_target_percent": 8,
  "full_target_percent": 15,
  "tight_timeline_percent": 25,
  "justification_min_chars": 40
 },
 "sources": {
  "rates.contributor_hourly": {
   "label": "Contributor hourly rate",
   "unit": "GBP per hour",
   "status": "published",
   "basis": "published range: GBP 25/h (Blue Heart), 30/h (Co-Production Collective 2024 pilot); NIHR raised its involvement rates 10% from 16 Dec 2025",
   "checked": "2026-04-01"
  },
  "rates.minimum_paid_hours": {
   "label": "Minimum paid hours",
   "unit": "hours per attendance",
   "status": "assumed",
   "basis": "assumed: nobody is paid for less than an hour",
   "checked": "2026-04-01"
  },
  "rates.role_fee_multipliers": {
   "label": "Fee multiplier by role",
   "unit": "times the hourly rate",
   "status": "assumed",
   "basis": "assumed: roles that lead or chair are paid 1.5 times the hourly rate",
   "checked": "2026-04-01"
  },
  "rates.travel_return": {
   "label": "Return travel",
   "unit": "GBP per attendance",
   "status": "assumed",
   "basis": "assumed (mileage alternative: 0.45/mile, published HMRC rate)",
   "checked": "2026-04-01"
  },
  "rates.mileage_per_mile": {
   "label": "Mileage rate",
   "unit": "GBP per mile",
   "status": "published",
   "basis": "published HMRC approved mileage rate (for reference; fares use travel_return)",
   "checked": "2026-04-01"
  },
  "rates.subsistence": {
   "label": "Subsistence",
   "unit": "GBP per in-person attendance",
   "status": "assumed",
   "basis": "assumed",
   "checked": "2026-04-01"
  },
  "rates.overnight_stay": {
   "label": "Overnight stay",
   "unit": "GBP per attendance",
   "status": "assumed",
   "basis": "assumed",
   "checked": "2026-04-01"
  },
  "rates.early_start_before": {
   "label": "Early start before",
   "unit": "HH:MM",
   "status": "assumed",
   "basis": "from the board report: breakfast meetings excluded people and forced overnight stays",
   "checked": "2026-04-01"
  },
  "rates.pa_hourly": {
   "label": "Personal assistant hourly rate",
   "unit": "GBP per hour",
   "status": "assumed",
   "basis": "assumed",
   "checked": "2026-04-01"
  },
  "rates.replacement_care_hourly": {
   "label": "Replacement care hourly rate",
   "unit": "GBP per hour",
   "status": "published",
   "basis": "published: Homecare Association minimum price for homecare 2025/26 (agency care; a self-employed sitter costs less)",
   "checked": "2026-12-01"
  },
  "rates.replacement_care_travel_hours": {
   "label": "Replacement care travel allowance",
   "unit": "hours per session",
   "status": "assumed",
   "basis": "assumed",
   "checked": "2026-04-01"
  },
  "rates.bsl_half_day": {
   "label": "BSL interpreter, half day",
   "unit": "GBP per interpreter",
   "status": "published",
   "basis": "published: NUBSLI fees guidance 2020-22 (London; every region's full day at least 245.00; updated guidance May 2024)",
   "checked": "2026-12-01"
  },
  "rates.bsl_full_day": {
   "label": "BSL interpreter, full day",
   "unit": "GBP per interpreter",
   "status": "published",
   "basis": "published: NUBSLI fees guidance 2020-22 (London; every region's full day at least 245.00; updated guidance May 2024)",
   "checked": "2026-12-01"
  },
  "rates.bsl_half_day_max_hours": {
   "label": "BSL half day lasts up to",
   "unit": "hours",
   "status": "published",
   "basis": "published (UK sole-trader rates)",
   "checked": "2026-04-01"
  },
  "rates.bsl_two_interpreters_over_hours": {
   "label": "Two BSL interpreters for sessions over",
   "unit": "hours",
   "status": "published",
   "basis": "published (co-working for sessions over an hour)",
   "checked": "2026-04-01"
  },
  "rates.easy_read_per_page": {
   "label": "Easy read",
   "unit": "GBP per page",
   "status": "assumed",
   "basis": "assumed",
   "checked": "2026-04-01"
  },
  "rates.venue_per_session": {
   "label": "Venue hire by bid scope",
   "unit": "GBP per in-person session",
   "status": "assumed",
   "basis": "assumed",
   "checked": "2026-04-01"
  },
  "rates.catering": {
   "label": "Catering",
   "unit": "GBP per in-person attendance",
   "status": "assumed",
   "basis": "assumed",
   "checked": "2026-04-01"
  },
  "rates.digital_allowance": {
   "label": "Digital allowance",
   "unit": "GBP per remote attendance",
   "status": "assumed",
   "basis": "assumed",
   "checked": "2026-04-01"
  },
  "rates.staff_day_rate": {
   "label": "Staff day rate",
   "unit": "GBP per day",
   "status": "assumed",
   "basis": "assumed",
   "checked": "2026-04-01"
  },
  "rates.staff_day_hours": {
   "label": "Staff day length",
   "unit": "hours",
   "status": "assumed",
   "basis": "assumed",
   "checked": "2026-04-01"
  },
  "rates.recruitment_hours_new": {
   "label": "Recruitment, new contributors",
   "unit": "staff hours per contributor",
   "status": "assumed",
   "basis": "assumed staff time per task",
   "checked": "2026-04-01"
  },
  "rates.recruitment_hours_existing_network": {
   "label": "Recruitment from an existing network",
   "unit": "staff hours per contributor",
   "status": "assumed",
   "basis": "assumed staff time per task",
   "checked": "2026-04-01"
  },
  "rates.support_hours_per_attendance": {
   "label": "Support",
   "unit": "staff hours per attendance",
   "status": "assumed",
   "basis": "assumed staff time per task",
   "checked": "2026-04-01"
  },
  "rates.organising_hours_in_person": {
   "label": "Organising, in person",
   "unit": "staff hours per session",
   "status": "assumed",
   "basis": "assumed staff time per task",
   "checked": "2026-04-01"
  },
  "rates.organising_hours_remote": {
   "label": "Organising, remote",
   "unit": "staff hours per session",
   "status": "assumed",
   "basis": "assumed staff time per task",
   "checked": "2026-04-01"
  },
  "rates.payment_admin_hours_per_attendance": {
   "label": "Payment admin",
   "unit": "staff hours per attendance",
   "status": "assumed",
   "basis": "assumed staff time per task",
   "checked": "2026-04-01"
  },
  "rates.induction_hours": {
   "label": "Induction (levels good and full)",
   "unit": "contributor hours per contributor",
   "status": "assumed",
   "basis": "assumed (the report's KPI: capacity development for new roles)",
   "checked": "2026-04-01"
  },
  "rates.annual_inflation": {
   "label": "Yearly inflation",
   "unit": "fraction a year",
   "status": "assumed",
   "basis": "assumed",
   "checked": "2026-04-01"
  },
  "time.recruitment_weeks_existing_network": {
   "label": "Recruitment from an existing network",
   "unit": "weeks",
   "status": "assumed",
   "basis": "assumed",
   "checked": "2026-04-01"
  },
  "time.recruitment_weeks_new": {
   "label": "Recruitment of new contributors",
   "unit": "weeks",
   "status": "assumed",
   "basis": "assumed",
   "checked": "2026-04-01"
  },
  "time.easy_read_weeks": {
   "label": "Easy read production",
   "unit": "weeks",
   "status": "published",
   "basis": "published range 4 to 8 weeks",
   "checked": "2026-04-01"
  },
  "time.review_weeks_per_session": {
   "label": "Review turnaround",
   "unit": "weeks per reviewer session",
   "status": "assumed",
   "basis": "assumed",
   "checked": "2026-04-01"
  },
  "time.payment_weeks_min": {
   "label": "Contributor payments take at least",
   "unit": "weeks",
   "status": "published",
   "basis": "published: payments take 4 to 6 weeks to process",
   "checked": "2026-04-01"
  },
  "time.payment_weeks_max": {
   "label": "Contributor payments take at most",
   "unit": "weeks",
   "status": "published",
   "basis": "published: payments take 4 to 6 weeks to process",
   "checked": "2026-04-01"
  },
  "uncertainty.sessions": {
   "label": "Sessions held",
   "unit": "times planned",
   "status": "assumed",
   "basis": "assumed (low, most likely, high) multiplier of the planned figure",
   "checked": "2026-04-01"
  },
  "uncertainty.prep_hours": {
   "label": "Preparation hours",
   "unit": "times planned",
   "status": "assumed",
   "basis": "assumed (low, most likely, high) multiplier of the planned figure",
   "checked": "2026-04-01"
  },
  "uncertainty.travel_costs": {
   "label": "Travel fares",
   "unit": "times planned",
   "status": "assumed",
   "basis": "assumed (low, most likely, high) multiplier of the planned figure",
   "checked": "2026-04-01"
  },
  "uncertainty.attendance": {
   "label": "Attendance",
   "unit": "share of planned places",
   "status": "assumed",
   "basis": "assumed (low, most likely, high) multiplier of the planned figure",
   "checked": "2026-04-01"
  },
  "uncertainty.staff_hours": {
   "label": "Staff hours",
   "unit": "times planned",
   "status": "assumed",
   "basis": "assumed (low, most likely, high) multiplier of the planned figure",
   "checked": "2026-04-01"
  },
  "uncertainty.correlation": {
   "label": "Correlation between lines",
   "unit": "0 independent lines to 1 one shared factor",
   "status": "assumed",
   "basis": "assumed: sessions, attendance and staff time overrun together across lines (the same staff, people and client)",
   "checked": "2026-12-01"
  },
  "benefits.carers_allowance_weekly": {
   "label": "Carer's Allowance earnings limit",
   "unit": "GBP per week",
   "status": "published",
   "basis": "published: DWP, Carer's Allowance earnings limit from April 2026 (196.00 in 2025/26)",
   "checked": "2026-12-01"
  },
  "benefits.esa_permitted_work_weekly": {
   "label": "ESA permitted work limit",
   "unit": "GBP per week",
   "status": "derived",
   "basis": "derived: 16 h \u00d7 National Living Wage 12.71 from April 2026, rounded up to 50p, the DWP's rule (195.50 in 2025/26, published)",
   "checked": "2026-12-01"
  },
  "benefits.uc_work_allowance_monthly": {
   "label": "Universal Credit work allowance",
   "unit": "GBP per month",
   "status": "published",
   "basis": "published: 2025/26 lower work allowance (with housing costs; 684.00 without); the 2026/27 figure to be checked",
   "checked": "2026-12-01"
  },
  "policy.limited_below_gbp": {
   "label": "Recommend limited below",
   "unit": "GBP bid value",
   "status": "assumed",
   "basis": "organisation policy (editable)",
   "checked": "2026-04-01"
  },
  "policy.good_below_gbp": {
   "label": "Recommend good below",
   "unit": "GBP bid value (full at or above)",
   "status": "assumed",
   "basis": "organisation policy (editable)",
   "checked": "2026-04-01"
  },
  "policy.client_requirement_level": {
   "label": "Lowest level when the client requires co-production",
   "unit": "level",
   "status": "assumed",
   "basis": "organisation policy (editable)",
   "checked": "2026-04-01"
  },
  "policy.disproportionate_percent": {
   "label": "Warn when co-production costs more than",
   "unit": "percent of bid value",
   "status": "assumed",
   "basis": "organisation policy (editable)",
   "checked": "2026-04-01"
  },
  "policy.limited_target_percent": {
   "label": "Size limited starting plans to at most",
   "unit": "percent of bid value",
   "status": "assumed",
   "basis": "organisation policy (editable)",
   "checked": "2026-04-01"
  },
  "policy.good_target_percent": {
   "label": "Size good starting plans to at most",
   "unit": "percent of bid value",
   "status": "assumed",
   "basis": "organisation policy (editable)",
   "checked": "2026-04-01"
  },
  "policy.full_target_percent": {
   "label": "Size full starting plans to at most",
   "unit": "percent of bid value",
   "status": "assumed",
   "basis": "organisation policy (editable)",
   "checked": "2026-04-01"
  },
  "policy.tight_timeline_percent": {
   "label": "Warn when time overhead is more than",
   "unit": "percent of the bid's weeks",
   "status": "assumed",
   "basis": "organisation policy (editable)",
   "checked": "2026-04-01"
  },
  "policy.justification_min_chars": {
   "label": "Shortest justification for level none",
   "unit": "characters",
   "status": "assumed",
   "basis": "organisation policy (editable)",
   "checked": "2026-04-01"
  }
 }
}
""")


def upgraded(document):
    """The document in the new layout, its values unchanged (None if nothing to do)."""
    rates = document.get('rates') or {}
    if 'benefits' in document or not any(key in rates for key in OLD.values()):
        return None
    new = dict(document)
    new['rates'] = {key: value for key, value in rates.items() if key not in OLD.values()}
    new['benefits'] = {key: rates.get(old) for key, old in OLD.items()}
    new['uncertainty'] = dict(document.get('uncertainty') or {})
    new['uncertainty'].setdefault('correlation', 0)
    sources = dict(document.get('sources') or {})
    for key, old in OLD.items():
        if 'rates.' + old in sources:
            sources.setdefault('benefits.' + key, sources['rates.' + old])
    for old in set(OLD.values()):
        sources.pop('rates.' + old, None)
    sources.setdefault('uncertainty.correlation', {
        'label': 'Correlation between lines', 'unit': '0 independent lines to 1 one shared factor',
        'status': 'assumed', 'basis': 'cards written before correlated lines vary independently (0)'})
    checked = document.get('effective_from')
    new['sources'] = {path: dict(entry, checked=entry.get('checked') or checked)
                      if isinstance(entry, dict) else entry for path, entry in sources.items()}
    return new


def upgrade():
    connection = op.get_bind()
    for card_id, document in connection.execute(sa.select(CARDS.c.id, CARDS.c['values'])).all():
        new = upgraded(document or {})
        if new is not None:
            connection.execute(CARDS.update().where(CARDS.c.id == card_id).values(values=new))
    ids = {row[0]: row[1] for row in connection.execute(sa.select(CARDS.c.id, CARDS.c.is_default))}
    if 'uk-2026' in ids and 'uk-2026-12' not in ids:
        default = ids['uk-2026'] or not any(ids.values())
        if default:
            connection.execute(CARDS.update().values(is_default=False))
        connection.execute(CARDS.insert().values(
            id='uk-2026-12', label=UK_2026_12['label'],
            effective_from=date.fromisoformat(UK_2026_12['effective_from']),
            values=UK_2026_12, is_default=default, created_at=datetime.now(timezone.utc)))


def downgrade():
    connection = op.get_bind()
    versions = sa.table('plan_versions', sa.column('rate_card_id', sa.String))
    used = connection.execute(sa.select(sa.func.count()).select_from(versions).where(
        versions.c.rate_card_id == 'uk-2026-12')).scalar()
    if not used:
        was_default = connection.execute(sa.select(CARDS.c.is_default).where(
            CARDS.c.id == 'uk-2026-12')).scalar()
        connection.execute(CARDS.delete().where(CARDS.c.id == 'uk-2026-12'))
        if was_default:
            connection.execute(CARDS.update().where(CARDS.c.id == 'uk-2026').values(
                is_default=True))
    for card_id, document in connection.execute(sa.select(CARDS.c.id, CARDS.c['values'])).all():
        benefits = (document or {}).get('benefits')
        if not isinstance(benefits, dict):
            continue
        old = dict(document)
        old.pop('benefits')
        old['rates'] = dict(document.get('rates') or {},
                            benefit_weekly_threshold=benefits.get('carers_allowance_weekly'),
                            benefit_monthly_threshold=benefits.get('uc_work_allowance_monthly'))
        connection.execute(CARDS.update().where(CARDS.c.id == card_id).values(values=old))
