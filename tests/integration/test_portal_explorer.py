"""The portal's Explorer shows amounts in each currency's minor units (105.40, not 105.4, 5 or
210) in its table and its CSV."""

from __future__ import annotations

from datetime import UTC, datetime

from tests.integration.test_portal import portal, token  # noqa: F401 (the fixture)


def test_explorer_amounts_in_minor_units(app, make, portal):  # noqa: F811
    owner = make.user()
    org = make.org(owner)
    today = datetime.now(UTC).date().isoformat()
    make.transaction(org, owner, amount="105.4", date=today, description="Paper")
    make.transaction(org, owner, amount="210", date=today, description="Desk")
    make.transaction(
        org, owner, amount="1050", currency="JPY", rate="0.0063", date=today, description="Tea"
    )
    at = portal(token(app, owner, org))
    at.switch_page("views/explorer.py").run()
    assert not at.exception, at.exception
    table = at.dataframe[0].value
    shown = {
        row["Description"]: (str(row["Amount"]), str(row["Base amount"]))
        for _, row in table.iterrows()
    }
    assert shown == {
        "Paper": ("105.40", "105.40"),
        "Desk": ("210.00", "210.00"),
        "Tea": ("1050", "6.62"),
    }
    # (The CSV's file name is not visible through AppTest; tests/unit/test_portal_export.py
    # covers `file_name`, the one the view passes to the download button.)
    assert at.get("download_button")[0].proto.label == "Download CSV"
