"""The catalogue a hundred datasets at a time, its search kept between pages."""

from flask.testing import FlaskClient

from insights.auth.models import User
from insights.datasets.models import Dataset
from insights.extensions import db
from tests.factories import log_in


def test_the_catalogue_pages_through_the_matching_datasets(
    client: FlaskClient, users: dict[str, User]
) -> None:
    for n in range(120):
        db.session.add(Dataset(title=f"Volunteering survey {n:03d}", publisher="NCVO"))
    db.session.add(Dataset(title="Grants register", publisher="360Giving"))
    db.session.commit()
    log_in(client, users["member"].email)
    first = client.get("/datasets/?q=volunteering").get_data(as_text=True)
    assert first.count(">Volunteering survey ") == 100 and "Grants register" not in first
    assert "120 datasets" in first
    second = client.get("/datasets/?q=volunteering&page=2").get_data(as_text=True)
    titles = sorted(t for t in range(120) if f">Volunteering survey {t:03d}<" in second)
    assert len(titles) == 20 and "Grants register" not in second
    assert 'href="/datasets/?q=volunteering"' in second  # page 1, the search kept
    for value in ("-1", "abc", "999999999999999999999"):
        assert client.get(f"/datasets/?q=volunteering&page={value}").status_code == 200
