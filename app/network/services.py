"""What the register's views need beyond a few lines: the list query and the CSV import."""
from __future__ import annotations

import csv
import io
from collections.abc import Mapping
from dataclasses import dataclass, field

from sqlalchemy import String, cast, func, select
from werkzeug.datastructures import MultiDict

from app.extensions import db
from app.membership import services as register
from app.membership.models import Consent, Involvement, MeetingAttendance, Member, NetworkMeeting
from app.membership.vocabulary import (
    BID_WORK,
    KIND_LABELS,
    NEED_LABELS,
    ORGANISATION_TYPE_LABELS,
    PAYMENT_LABELS,
    REGION_LABELS,
    ROLE_CHOICES,
)
from app.models import User
from app.network.forms import NewMemberForm

#: The columns a coordinator keeps in their spreadsheet, in order (names or keys accepted
#: in every cell; several roles, needs or areas of lived experience separated by ";").
CSV_COLUMNS = ("name", "kind", "organisation", "organisation_type", "email", "phone", "region",
               "local_authority", "roles", "lived_experience", "needs", "payment_preference",
               "joined_on", "consent_bid_work", "may_be_named", "consent_given_on")
REQUIRED_COLUMNS = ("name", "kind", "region", "payment_preference", "joined_on")
MAX_ROWS = 5_000
_FIELD_FOR_COLUMN = {"name": "display_name", "organisation": "organisation_name"}
_YES = {"yes", "y", "true", "1"}
_NO = {"no", "n", "false", "0", ""}


def member_query(filters: Mapping[str, str]):
    """The register's list: filters on the plain columns (needs are filtered apart)."""
    query = select(Member).where(Member.erased_at.is_(None))
    if filters.get("role"):
        query = query.where(cast(Member.roles, String).like(f'%"{filters["role"]}"%'))
    for name in ("region", "status", "kind"):
        if filters.get(name):
            query = query.where(getattr(Member, name) == filters[name])
    return query.order_by(func.lower(Member.display_name), Member.id)


def ids_with_need(query, need: str) -> list[int]:
    """The ids of the query's members with this need (decrypts: coordinators only)."""
    ids = list(db.session.scalars(query.with_only_columns(Member.id)))
    needs = register.needs_of(ids)
    return [member_id for member_id in ids if need in needs.get(member_id, ())]


def counts_by_role() -> list[tuple[str, str, int]]:
    """(role key, label, active members with bid-work consent who want it): writers' view."""
    consenting = select(Consent.member_id).where(Consent.purpose == BID_WORK,
                                                 Consent.withdrawn_on.is_(None))
    counts: dict[str, int] = {}
    for roles in db.session.scalars(select(Member.roles).where(
            Member.status == "active", Member.erased_at.is_(None),
            Member.id.in_(consenting))):
        for role in roles or ():
            counts[role] = counts.get(role, 0) + 1
    return [(key, label, counts.get(key, 0)) for key, label in ROLE_CHOICES]


@dataclass
class ImportReport:
    """What an import did, or why it saved nothing: problems by row and field."""

    rows: int = 0
    created: int = 0
    problems: list[tuple[int | None, str, str]] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


_LOOKUPS = {
    "kind": KIND_LABELS, "organisation_type": ORGANISATION_TYPE_LABELS, "region": REGION_LABELS,
    "payment_preference": PAYMENT_LABELS, "needs": NEED_LABELS, "roles": dict(ROLE_CHOICES),
}


def _key(column: str, text: str) -> str:
    """A cell's label or key as the key (case-insensitive); unknown text stays as typed,
    so the form names it."""
    labels = _LOOKUPS[column]
    wanted = text.strip().lower()
    for key, label in labels.items():
        if wanted in (key.lower(), label.lower()):
            return key
    return text.strip()


def _form_data(row: Mapping[str, str]) -> tuple[MultiDict, list[tuple[str, str]]]:
    data, problems = MultiDict(), []
    for column in CSV_COLUMNS:
        text = (row.get(column) or "").strip()
        name = _FIELD_FOR_COLUMN.get(column, column)
        if column in ("roles", "needs"):
            for part in filter(None, (p.strip() for p in text.split(";"))):
                data.add(name, _key(column, part))
        elif column in _LOOKUPS:
            data[name] = _key(column, text) if text else ""
        elif column in ("consent_bid_work", "may_be_named"):
            if text.lower() not in _YES | _NO:
                problems.append((column, f"{column} must be yes or no, not “{text}”"))
            elif text.lower() in _YES:
                data[name] = "y"
        else:
            data[name] = text
    return data, problems


def import_members(text: str, user: User) -> ImportReport:
    """Validate every row as the add-member form does; save all of them or none."""
    report = ImportReport()
    reader = csv.DictReader(io.StringIO(text))
    headers = [(name or "").strip().lower() for name in reader.fieldnames or []]
    missing = [column for column in REQUIRED_COLUMNS if column not in headers]
    if missing:
        report.problems.append((None, "columns", "The file has no column " + ", ".join(
            f"“{column}”" for column in missing) + ". The first row must name the columns: "
            + ", ".join(CSV_COLUMNS)))
        return report
    reader.fieldnames = headers
    valid = []
    for number, row in enumerate(reader, start=2):
        report.rows += 1
        if report.rows > MAX_ROWS:
            report.problems.append((number, "file", f"at most {MAX_ROWS:,} members at a time"))
            return report
        data, problems = _form_data(row)
        form = NewMemberForm(formdata=data, meta={"csrf": False})
        form.validate()
        problems += [(name, message) for name, errors in form.errors.items()
                     for message in errors[:1]]
        report.problems += [(number, _column_for(name), message) for name, message in problems]
        if not problems:
            valid.append((form.values(), form.consent()))
    if not report.rows:
        report.problems.append((None, "file", "The file has no members below its header row"))
    if report.problems:
        return report
    for values, consent in valid:
        register.create_member(values, user, consent)
    register.audit("import", None, user, [f"rows:{len(valid)}"])
    db.session.commit()
    report.created = len(valid)
    return report


def _column_for(field_name: str) -> str:
    reverse = {value: key for key, value in _FIELD_FOR_COLUMN.items()}
    return reverse.get(field_name, field_name)


def decode_upload(raw: bytes) -> str:
    """The upload as text: UTF-8 (with or without a byte-order mark) or Windows-1252."""
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ValueError("The file is not text: save it from your spreadsheet as CSV (UTF-8)")


def attendee_choices() -> list[tuple[int, str]]:
    """Members who can be ticked as attending a meeting (every member not erased)."""
    rows = db.session.execute(select(Member.id, Member.display_name, Member.organisation_name)
                              .where(Member.erased_at.is_(None))
                              .order_by(func.lower(Member.display_name), Member.id))
    return [(member_id, f"{name} ({organisation})" if organisation else name)
            for member_id, name, organisation in rows]


def save_meeting(meeting: NetworkMeeting | None, form, user: User) -> NetworkMeeting:
    """Create or update a meeting and its attendance from a validated form; committed."""
    if meeting is None:
        meeting = NetworkMeeting(recorded_by_id=user.id)
        db.session.add(meeting)
    meeting.title, meeting.held_on = form.title.data.strip(), form.held_on.data
    meeting.format = form.format.data
    wanted = set(form.attendees.data or [])
    meeting.attendances = [a for a in meeting.attendances if a.member_id in wanted]
    present = {a.member_id for a in meeting.attendances}
    meeting.attendances += [MeetingAttendance(member_id=member_id)
                            for member_id in sorted(wanted - present)]
    db.session.flush()
    for member_id in wanted ^ present:
        register.audit("meeting-attendance", member_id, user, ["attendance"])
    db.session.commit()
    return meeting


def record_involvement(involvement: Involvement, form, user: User) -> None:
    """Assigned or took part (with the day and the sessions attended); committed."""
    involvement.status = form.status.data
    involvement.took_part_on = form.took_part_on.data if form.status.data == "took_part" \
        else None
    involvement.sessions_attended = form.sessions_attended.data or 0
    involvement.recorded_by_id = user.id
    register.audit("involvement", involvement.member_id, user, ["involvement"])
    db.session.commit()
