"""The register's pages. Coordinators see and change members; writers see counts only;
viewers nothing (app.access holds every rule). Every view of a member is audited."""
from __future__ import annotations

from datetime import date

from flask import Blueprint, abort, current_app, flash, jsonify, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from app import access
from app.costing import PlanError
from app.extensions import db
from app.membership import lines, vocabulary
from app.membership import services as register
from app.membership.kpis import year_bounds
from app.membership.models import Consent, Involvement, Member, NetworkMeeting
from app.network import services
from app.network.forms import (
    AssignForm,
    ConfirmForm,
    ConsentForm,
    DayForm,
    ImportForm,
    InvolvementForm,
    MeetingForm,
    MemberFilterForm,
    MemberForm,
    NewMemberForm,
    RetentionForm,
    StatusForm,
)
from app.reports.subject_access import render_subject_access_pdf
from app.versions import store

bp = Blueprint("network", __name__)


@bp.before_request
@login_required
def require_sign_in() -> None:
    """Every register page needs a signed-in user who may see something of it."""
    if not access.can_see_network_counts(current_user):
        abort(403)


@bp.context_processor
def labels() -> dict:
    return {"vocab": vocabulary}


def _member_or_404(member_id: int) -> Member:
    access.require_coordinator(current_user)
    member = register.load_member(member_id)
    if member is None or member.erased:
        abort(404)
    return member


@bp.get("/")
def index():
    if not access.is_coordinator(current_user):
        return render_template("network/counts.html", counts=services.counts_by_role())
    filters = MemberFilterForm(request.args)
    valid = filters.validate()  # an unknown choice in the address: no filters, not an error
    chosen = {name: field.data for name, field in filters._fields.items()
              if valid and field.data}
    query = services.member_query(chosen)
    if chosen.get("need"):
        ids = services.ids_with_need(query, chosen["need"])
        query = services.member_query({}).where(Member.id.in_(ids))
    page = db.paginate(query, per_page=current_app.config["NETWORK_MEMBERS_PER_PAGE"],
                       error_out=False)
    if chosen.get("need"):  # the page shows who has a need: a view of special category data
        register.viewed_many([member.id for member in page.items], current_user,
                             f"view-need-filter:{chosen['need']}")
    involved = register.involvement_counts(*year_bounds(date.today()))
    return render_template("network/index.html", page=page, filters=filters, chosen=chosen,
                           involved=involved)


@bp.route("/members/new", methods=["GET", "POST"])
def member_new():
    access.require_coordinator(current_user)
    form = NewMemberForm()
    if form.validate_on_submit():
        member = register.create_member(form.values(), current_user, form.consent())
        db.session.commit()
        flash(f"{member.display_name} added to the network.", "success")
        return redirect(url_for("network.member", member_id=member.id))
    return render_template("network/form.html", form=form, member=None)


@bp.get("/members/<int:member_id>")
def member(member_id: int):
    member = _member_or_404(member_id)
    register.viewed(member, current_user)
    involvements = db.session.scalars(db.select(Involvement).where(
        Involvement.member_id == member.id).order_by(Involvement.assigned_on.desc())).all()
    return render_template("network/member.html", member=member, involvements=involvements,
                           consent_form=ConsentForm(formdata=None, given_on=date.today()),
                           status_form=StatusForm(formdata=None, status=member.status,
                                                  on=date.today()),
                           withdraw_form=DayForm(formdata=None, on=date.today()),
                           involvement_form=InvolvementForm(formdata=None))


@bp.route("/members/<int:member_id>/edit", methods=["GET", "POST"])
def member_edit(member_id: int):
    member = _member_or_404(member_id)
    form = MemberForm(data=_form_data(member) if request.method == "GET" else None)
    if request.method == "GET":
        register.viewed(member, current_user, "view-edit")
    if form.validate_on_submit():
        if form.row_version.data != str(member.row_version):
            form.form_errors.append("Someone else saved this member while you were editing. "
                                    "Check your changes against theirs and save again.")
            form.row_version.data = str(member.row_version)
        else:
            changed = register.update_member(member, form.values(), current_user)
            db.session.commit()
            flash("Member saved." if changed else "Nothing had changed.", "success")
            return redirect(url_for("network.member", member_id=member.id))
    return render_template("network/form.html", form=form, member=member)


def _form_data(member: Member) -> dict:
    return {**{name: getattr(member, name) for name in (
        "kind", "display_name", "organisation_name", "organisation_type", "email", "phone",
        "region", "local_authority", "roles", "needs", "payment_preference", "joined_on")},
        "lived_experience": ", ".join(member.lived_experience),
        "row_version": str(member.row_version)}


@bp.post("/members/<int:member_id>/consents")
def consent_add(member_id: int):
    member = _member_or_404(member_id)
    form = ConsentForm()
    if not form.validate():
        return _member_problem(member, form)
    register.record_consent(member, current_user, purpose=form.purpose.data,
                            given_on=form.given_on.data, may_be_named=form.may_be_named.data)
    db.session.commit()
    _names_follow_consent(member)
    flash("Consent recorded.", "success")
    return redirect(url_for("network.member", member_id=member.id))


@bp.post("/members/<int:member_id>/consents/<int:consent_id>/withdraw")
def consent_withdraw(member_id: int, consent_id: int):
    member = _member_or_404(member_id)
    consent = db.session.get(Consent, consent_id)
    if consent is None or consent.member_id != member.id:
        abort(404)
    form = DayForm()
    if not form.validate():
        return _member_problem(member, form)
    register.withdraw_consent(member, consent, form.on.data, current_user)
    db.session.commit()
    _names_follow_consent(member, release=consent.purpose == "bid_work")
    flash("Consent withdrawn: it is no longer used.", "success")
    return redirect(url_for("network.member", member_id=member.id))


@bp.post("/members/<int:member_id>/status")
def status(member_id: int):
    member = _member_or_404(member_id)
    form = StatusForm()
    if not form.validate():
        return _member_problem(member, form)
    register.change_status(member, form.status.data, form.on.data, current_user)
    db.session.commit()
    flash(f"Status changed to {vocabulary.MEMBER_STATUS_LABELS[member.status].lower()}.", "success")
    return redirect(url_for("network.member", member_id=member.id))


def _names_follow_consent(member: Member, release: bool = False) -> None:
    """Draft plans name the member only as their consent now allows; without consent to
    bid work (or erased) they come off the lines they were only assigned to."""
    stuck = lines.release(member, current_user) if release \
        else lines.refresh_names(member, current_user)
    for bid in {bid.id: bid for bid in stuck}.values():
        flash(f"The plan of “{bid.title}” waits for review or is final, so it still shows "
              "this member as before: change it after the review.", "info")


def _member_problem(member: Member, form):
    """The member page again, with the form's problems at the top (nothing saved)."""
    db.session.rollback()
    problems = [message for errors in form.errors.values() for message in errors[:1]]
    return render_template("network/problem.html", member=member, problems=problems), 400


@bp.get("/members/<int:member_id>/export.json")
def export_json(member_id: int):
    member = _member_or_404(member_id)
    document = register.subject_access(member)
    register.viewed(member, current_user, "export-json")
    response = jsonify(document)
    response.headers["Content-Disposition"] = f"attachment; filename=member-{member.id}.json"
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.get("/members/<int:member_id>/export.pdf")
def export_pdf(member_id: int):
    member = _member_or_404(member_id)
    pdf = render_subject_access_pdf(register.subject_access(member), date.today())
    register.viewed(member, current_user, "export-pdf")
    return current_app.response_class(pdf, mimetype="application/pdf", headers={
        "Content-Disposition": f"attachment; filename=member-{member.id}.pdf",
        "Cache-Control": "no-store"})


@bp.route("/members/<int:member_id>/erase", methods=["GET", "POST"])
def erase(member_id: int):
    member = _member_or_404(member_id)
    form = ConfirmForm()
    if form.validate_on_submit():
        register.erase(member, current_user)
        db.session.commit()
        _names_follow_consent(member, release=True)
        flash(f"Member {member.pseudonym} erased: their participation still counts, "
              "anonymously.", "success")
        return redirect(url_for("network.index"))
    return render_template("network/erase.html", member=member, form=form)


@bp.route("/import", methods=["GET", "POST"])
def import_csv():
    access.require_coordinator(current_user)
    form = ImportForm()
    report = None
    if form.validate_on_submit():
        upload = request.files.get("file")
        if upload is None or not upload.filename:
            form.file.errors = ["Choose a CSV file to import"]
        else:
            try:
                report = services.import_members(services.decode_upload(upload.read()),
                                                 current_user)
            except ValueError as error:
                form.file.errors = [str(error)]
            if report is not None and report.ok:
                flash(f"{report.created} members imported.", "success")
                return redirect(url_for("network.index"))
    return render_template("network/import.html", form=form, report=report,
                           columns=services.CSV_COLUMNS), 200 if report is None else 400


@bp.get("/meetings")
def meetings():
    access.require_coordinator(current_user)
    rows = db.session.scalars(db.select(NetworkMeeting).order_by(
        NetworkMeeting.held_on.desc())).all()
    return render_template("network/meetings.html", meetings=rows)


@bp.route("/meetings/new", methods=["GET", "POST"])
@bp.route("/meetings/<int:meeting_id>", methods=["GET", "POST"])
def meeting(meeting_id: int | None = None):
    access.require_coordinator(current_user)
    record = db.get_or_404(NetworkMeeting, meeting_id) if meeting_id else None
    form = MeetingForm(obj=record if request.method == "GET" else None)
    form.attendees.choices = services.attendee_choices()
    if request.method == "GET" and record is not None:
        form.attendees.data = [a.member_id for a in record.attendances]
    if form.validate_on_submit():
        record = services.save_meeting(record, form, current_user)
        flash(f"Meeting saved: {len(record.attendances)} attended.", "success")
        return redirect(url_for("network.meetings"))
    return render_template("network/meeting.html", form=form, meeting=record)


@bp.post("/involvements/<int:involvement_id>")
def involvement(involvement_id: int):
    access.require_coordinator(current_user)
    record = db.get_or_404(Involvement, involvement_id)
    member = _member_or_404(record.member_id)
    form = InvolvementForm()
    if not form.validate():
        return _member_problem(member, form)
    services.record_involvement(record, form, current_user)
    flash("Involvement recorded.", "success")
    return redirect(url_for("network.member", member_id=member.id))


@bp.route("/retention", methods=["GET", "POST"])
def retention():
    access.require_coordinator(current_user)
    form = RetentionForm(data={"months": register.retention_months()}
                         if request.method == "GET" else None)
    if request.method == "POST":
        if not access.can_set_network_retention(current_user):
            abort(403)
        if form.validate():
            register.set_retention_months(form.months.data, current_user)
            db.session.commit()
            flash(f"Retention period set to {form.months.data} months.", "success")
            return redirect(url_for("network.retention"))
    months = register.retention_months()
    return render_template("network/retention.html", form=form, months=months,
                           due=register.retention_due(date.today(), months))


@bp.route("/bids/<int:bid_id>/lines/<int:line>", methods=["GET", "POST"])
def line(bid_id: int, line: int):
    """How many members fit a plan line (writers); who, and assigning them (coordinators)."""
    bid = access.get_bid_or_404(current_user, bid_id)
    coordinator = access.is_coordinator(current_user)
    form = AssignForm()
    problem = None
    if request.method == "POST":
        access.require_coordinator(current_user)
        form.members.choices = [(m.id, m.display_name)
                                for m, _ in lines.matches(bid, line, True).suggested]
        if form.validate_on_submit() and form.members.data:
            try:
                lines.assign(bid, line, form.members.data, current_user,
                             request.form.get("row_version"))
            except (ValueError, store.PlanInReview, store.StaleVersion, PlanError) as error:
                db.session.rollback()
                problem = lines.refusal(error)
            else:
                flash(f"{len(form.members.data)} assigned: the line's access needs now "
                      "follow theirs.", "success")
                return redirect(url_for("network.line", bid_id=bid.id, line=line))
        else:
            problem = "Choose at least one member to assign"
    result = lines.matches(bid, line, coordinator)
    if coordinator:  # suggestions show each member's needs: audited as views
        register.viewed_many([member.id for member, _ in result.suggested], current_user,
                             "view-suggestion")
    version, _activity = lines.line_or_404(bid, line)
    return render_template("network/line.html", bid=bid, result=result, version=version,
                           coordinator=coordinator, problem=problem), 400 if problem else 200
