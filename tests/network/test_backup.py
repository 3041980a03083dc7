"""The backup (flask export / import) carries the register, its member data still
encrypted, and a restore opens it with the same keys."""
from __future__ import annotations

from datetime import date

from app.backup import export_data, import_data
from app.extensions import db
from app.membership import services as register
from app.membership.models import Involvement, MeetingAttendance, NetworkMeeting


def test_a_backup_round_trip_keeps_the_register_and_its_encryption(app, coordinator,
                                                                   add_member):
    member = add_member("Rhea Restore", needs=["bsl"], lived_experience=["carer"])
    db.session.add_all([
        NetworkMeeting(title="Restored meeting", held_on=date(2025, 10, 1), format="online",
                       attendances=[MeetingAttendance(member_id=member.id)]),
        Involvement(member_id=member.id, line_index=0, role="blogger",
                    assigned_on=date(2025, 5, 1), status="took_part",
                    took_part_on=date(2025, 5, 1))])
    db.session.commit()
    before = export_data()
    text = str(before["tables"]["network_members"])
    assert "Rhea Restore" in text and "carer" not in text and "bsl" not in text
    for table in reversed(db.metadata.sorted_tables):
        db.session.execute(table.delete())
    db.session.commit()
    import_data(before)
    assert export_data() == before
    restored = register.load_member(member.id)
    assert restored.needs == ["bsl"] and restored.lived_experience == ["carer"]
    assert register.network_kpis(2025).this_year.took_part == 1
