"""The network KPIs on hand-counted records (pure) and from the register."""
from __future__ import annotations

from datetime import date

from app.extensions import db
from app.membership import services as register
from app.membership.kpis import MeetingRecord, MemberRecord, ParticipationRecord, groups_of, network_year
from app.membership.models import Involvement, MeetingAttendance, NetworkMeeting

START, END = date(2025, 4, 1), date(2026, 3, 31)


def _members():
    return [
        MemberRecord(1, date(2020, 1, 1), groups=frozenset({"carers"})),
        MemberRecord(2, date(2024, 6, 1), groups=frozenset({"hearing"})),
        MemberRecord(3, date(2023, 1, 1), left_on=date(2025, 9, 30)),  # left mid-year
        MemberRecord(4, date(2026, 1, 10), groups=frozenset({"carers", "hearing"})),
        MemberRecord(5, date(2019, 1, 1), left_on=date(2025, 3, 31)),  # left before the year
        MemberRecord(6, date(2026, 4, 1)),                             # joins after it
    ]


def test_hand_counted_year_with_a_mid_year_leaver_and_a_meeting_on_31_march():
    # 30 September: 2 of 3 (1, 2 and 3, who leaves that day); 31 March: 1 of 3 (1, 2, 4)
    meetings = [MeetingRecord(date(2025, 9, 30), frozenset({1, 3})),
                MeetingRecord(date(2026, 3, 31), frozenset({1})),
                MeetingRecord(date(2026, 4, 1), frozenset({1, 2, 4, 6}))]  # next year
    took_part = [ParticipationRecord(3, date(2025, 5, 1)),   # the leaver, while a member
                 ParticipationRecord(1, date(2026, 3, 31)),
                 ParticipationRecord(1, date(2025, 6, 1)),   # counted once
                 ParticipationRecord(2, date(2025, 3, 31)),  # last year
                 ParticipationRecord(5, date(2025, 5, 1))]   # not a member this year
    year = network_year(_members(), meetings, took_part, START, END)
    assert year.members == 4                     # 1, 2, 3 (left mid-year) and 4
    assert year.took_part == 2                   # 1 and 3
    assert year.participation_percent == 50.0 and year.participation_met
    assert [(m.held_on, m.attended, m.network_size) for m in year.meetings] == [
        (date(2025, 9, 30), 2, 3), (date(2026, 3, 31), 1, 3)]
    assert [m.well_attended for m in year.meetings] == [True, True]
    assert year.meetings_met
    assert year.mix == {"carers": 2, "hearing": 2}
    last = network_year(_members(), meetings, took_part, date(2024, 4, 1), date(2025, 3, 31))
    assert (last.members, last.took_part, last.meetings) == (4, 1, ())
    assert last.mix == {"carers": 1, "hearing": 1}


def test_attendance_below_a_third_is_not_well_attended():
    members = [MemberRecord(n, date(2020, 1, 1)) for n in range(1, 11)]
    year = network_year(members, [MeetingRecord(date(2025, 5, 1), frozenset({1, 2, 3}))],
                        [], START, END)
    assert not year.meetings[0].well_attended and not year.meetings_met
    assert year.participation_percent == 0 and not year.participation_met


def test_groups_come_from_tags_and_needs():
    assert groups_of(["Young Carer"], []) == {"carers"}
    assert groups_of(["Deaf"], []) == {"hearing"}
    assert groups_of([], ["hearing_loop"]) == {"hearing"}
    assert groups_of(["mental health"], ["step_free"]) == frozenset()


def test_erasure_removes_personal_fields_and_keeps_the_counts(app, coordinator, add_member):
    member = add_member("Erin Erasable", email="erin@example.org", phone="0113 496 0000",
                        local_authority="Leeds", needs=["bsl"], lived_experience=["carer"])
    other = add_member("Other")
    meeting = NetworkMeeting(title="Spring", held_on=date(2026, 3, 31), format="online",
                             attendances=[MeetingAttendance(member_id=member.id),
                                          MeetingAttendance(member_id=other.id)])
    db.session.add_all([meeting, Involvement(member_id=member.id, line_index=0, role="blogger",
                                             assigned_on=date(2025, 5, 1), status="took_part",
                                             took_part_on=date(2025, 5, 2))])
    db.session.commit()
    before = register.network_kpis(2025).this_year
    register.erase(member, coordinator)
    db.session.commit()
    erased = register.load_member(member.id)
    for name in ("display_name", "email", "phone", "local_authority", "region"):
        assert getattr(erased, name) == "", name
    assert erased.needs == [] and erased.lived_experience == [] and erased.roles == []
    assert erased.needs_cipher is None and erased.lived_experience_cipher is None
    assert erased.document_name() == erased.pseudonym
    after = register.network_kpis(2025).this_year
    assert (after.members, after.took_part, after.meetings) == \
        (before.members, before.took_part, before.meetings)
    assert after.took_part == 1 and after.meetings[0].attended == 2
