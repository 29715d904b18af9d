"""Published listings past their date become ``expired`` and leave public view."""

from datetime import date, timedelta

from app.db import make_engine, make_session_factory, session_scope
from app.listings.expiry import expire_due
from tests.conftest import Api


def test_expiry_hides_listing_and_allows_resubmission(api: Api) -> None:
    dept = api.department()
    org = api.verified_org(dept, "enterprise")
    soon = (date.today() + timedelta(days=3)).isoformat()
    need = api.published("needs", org["token"], dept, valid_until=soon)
    other = api.published("needs", org["token"], dept, deadline=soon)
    kept = api.published("needs", org["token"], dept)
    factory = make_session_factory(make_engine(api.settings.database_url))
    for session in session_scope(factory):
        assert expire_due(session) == 0
        assert expire_due(session, today=date.today() + timedelta(days=4)) == 2
    assert api.get(f"/needs/{need['id']}").status_code == 404
    assert api.get(f"/needs/{other['id']}", org["token"]).json()["status"] == "expired"
    assert [n["id"] for n in api.get("/needs").json()["items"]] == [kept["id"]]
    # the owner extends it and submits it again
    later = (date.today() + timedelta(days=60)).isoformat()
    assert (
        api.patch(f"/needs/{need['id']}", org["token"], json={"valid_until": later}).status_code
        == 200
    )
    assert (
        api.post(f"/needs/{need['id']}/submit", org["token"]).json()["status"] == "pending_review"
    )
