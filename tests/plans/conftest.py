"""Plan builder fixtures: a writer of team Alpha, signed in, and a bid of theirs."""
import pytest

from tests.factories import make_bid


@pytest.fixture
def writer(make_user, auth):
    user = make_user("writer@example.org", role="writer", team="Alpha")
    auth.sign_in(user.email)
    return user


@pytest.fixture
def bid(writer):
    return make_bid("Alpha", title="Care Act training", value_pence=12_000_000,
                    work_type="training", scope="local", client_requires_coproduction=True)
