"""A demo network for `make run`, as the board report describes it: 64 members (27
organisations' representatives, 37 individuals), two meetings this year with 32 and 45
attending, half the members taking part this year (40% the year before). Fictional
people; deterministic, so every demo looks the same. Never used in production."""
from __future__ import annotations

import random
from datetime import date

from app.extensions import db
from app.membership import services as register
from app.membership.kpis import year_bounds
from app.membership.models import Involvement, MeetingAttendance, Member, NetworkMeeting
from app.membership.vocabulary import ORGANISATION_TYPES, PAYMENT_PREFERENCES, REGIONS, ROLE_CHOICES
from app.models import User

MEMBERS, ORGANISATIONS = 64, 27
FIRST = ("Amara", "Ben", "Chloe", "Dev", "Esther", "Femi", "Grace", "Hamid", "Iona", "Jas",
         "Kwame", "Leah", "Mo", "Niamh", "Omar", "Priya", "Quinn", "Rhys", "Sade", "Tom",
         "Una", "Vik", "Wren", "Yusuf", "Zara", "Aled", "Bea", "Cal", "Dina", "Ewan")
LAST = ("Adeyemi", "Brennan", "Chowdhury", "Davies", "Evans", "Fraser", "Gill", "Hughes",
        "Iqbal", "Jones", "Khan", "Lewis", "Morgan", "Nowak", "O'Neill", "Patel", "Quinn",
        "Reid", "Singh", "Taylor", "Walsh", "Young")
ORGANISATION_NAMES = (
    "Shaping Our Lives (demo)", "National Survivor Voices", "Carers Together",
    "Deaf Voices Network", "Young Carers Alliance", "Disabled People Speak",
    "Learning Disability Self-Advocates", "Older People's Forum", "Black Carers Collective",
    "LGBTQ+ Health Voices", "Gypsy and Traveller Voices", "Refugee Wellbeing Group",
    "Mental Health Peer Network", "Autism Voices UK", "Sight Loss Council (demo)",
    "Hearing Loss Hub", "Kinship Carers Group", "Recovery Voices", "Homeless Health Panel",
    "Parent Carers Forum North", "Parent Carers Forum South", "Dementia Voices",
    "Long Covid Peers", "Wheelchair Users' Forum", "Care Leavers Council",
    "Yorkshire Deaf Club", "Leeds Carers' Café")
TAGS = ("carer", "young carer", "mental health", "learning disability", "physical impairment",
        "deaf", "hearing impairment", "sight loss", "older person", "long-term condition",
        "autism", "care leaver")
NEEDS_BY_TAG = {"deaf": ["bsl"], "hearing impairment": ["hearing_loop"],
                "carer": ["replacement_care"], "young carer": ["no_early_start"],
                "physical impairment": ["step_free", "personal_assistant"],
                "learning disability": ["easy_read"], "sight loss": ["large_print"]}


def _member_values(number: int, rng: random.Random, today: date) -> dict:
    organisation = number < ORGANISATIONS
    name = f"{FIRST[number % len(FIRST)]} {LAST[(number * 7) % len(LAST)]}"
    tags = rng.sample(TAGS, rng.choice((1, 1, 2)))
    start, _end = year_bounds(today)
    # A third of the newer members joined this year: more carers and deaf members.
    if number >= 52:
        tags = [("carer", "deaf", "hearing impairment")[number % 3]]
        joined = date(start.year, 5 + number % 6, 1)
    else:
        joined = date(start.year - 1 - number % 5, 4 + number % 8, 1 + number % 27)
    needs = sorted({need for tag in tags for need in NEEDS_BY_TAG.get(tag, [])})
    return dict(
        kind="organisation" if organisation else "person", display_name=name,
        organisation_name=ORGANISATION_NAMES[number] if organisation else "",
        organisation_type=ORGANISATION_TYPES[number % 5] if organisation else "",
        email=f"member{number + 1}@example.org", phone="",
        region="yorkshire" if number % 4 == 0 else REGIONS[number % len(REGIONS)],
        local_authority="Leeds City Council" if number % 8 == 0 else "",
        roles=sorted(set(rng.sample([key for key, _ in ROLE_CHOICES[:10]], 2)
                         + ["advisory_group_member"] * (number % 2 == 0))),
        lived_experience=tags, needs=needs,
        payment_preference=PAYMENT_PREFERENCES[number % 9 % 5], joined_on=joined)


def seed_network(coordinator: User, today: date | None = None) -> list[Member]:
    """Add the demo network (members, consent, meetings, past participation)."""
    today = today or date.today()
    rng = random.Random(64)
    start, _end = year_bounds(today)
    members = []
    for number in range(MEMBERS):
        values = _member_values(number, rng, today)
        consent = None if number % 16 == 15 else {
            "purpose": "bid_work", "given_on": values["joined_on"],
            "may_be_named": number % 3 == 0}
        members.append(register.create_member(values, coordinator, consent))
    db.session.flush()
    for member in members[1:4]:  # left last year: last year's network was larger
        member.status, member.left_on = "left", date(start.year - 1, 12, 15)
    members[5].status, members[5].paused_on = "paused", date(start.year, 9, 1)
    current = [m for m in members if m.status != "left"]
    for held_on, title, count in ((date(start.year, 6, 17), "Summer network meeting", 32),
                                  (date(start.year, 11, 12), "Autumn network meeting", 45)):
        present = [m for m in current if m.joined_on <= held_on][:count]
        db.session.add(NetworkMeeting(title=title, held_on=held_on, format="hybrid",
                                      recorded_by_id=coordinator.id,
                                      attendances=[MeetingAttendance(member_id=m.id)
                                                   for m in present]))
    # Took part in earlier work (before the planner): half the network this year, 40% of
    # it the year before.
    last_start = date(start.year - 1, 4, 1)
    last_network = [m for m in members if m.joined_on < start]
    pools = ((start, [m for m in current if m.joined_on < start], (len(current) + 1) // 2),
             (last_start, [m for m in members if m.joined_on < last_start],
              -(-len(last_network) * 2 // 5)))
    for year_start, pool, count in pools:
        for index, member in enumerate(pool[:count]):
            day = min(date(year_start.year, 4 + index % 7, 1 + index % 27), today)
            db.session.add(Involvement(member_id=member.id, bid_id=None, line_index=index % 3,
                                       role=member.roles[0] if member.roles else "blogger",
                                       status="took_part", assigned_on=day, took_part_on=day,
                                       sessions_attended=1 + index % 4,
                                       recorded_by_id=coordinator.id))
    db.session.commit()
    return members
