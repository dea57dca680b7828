"""Channel manager back office in a real browser against gunicorn, with a real RQ worker in burst mode."""
from __future__ import annotations

import secrets
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.channels.helpers import insert_logs
from tests.e2e.conftest import login_as, screenshot
from tests.live_server import server_env

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.slow


@pytest.fixture
def connection(app, make_user):
    """An admin of an agency with one property and its active Airbnb connection (plus old logs to purge)."""
    from app.channels import service
    from app.extensions import db
    from app.inventory.models import Property

    user = make_user(role="admin")
    with app.app_context():
        prop = Property(agency_id=user.agency.id, name="Haus Seeblick", ical_token=secrets.token_urlsafe(24))
        db.session.add(prop)
        db.session.flush()
        created = service.create_connection(user.agency.id, prop.id, "airbnb", skip_connection_test=True,
                                            platform_listing_id="mock_airbnb_e2e")
        db.session.commit()
        db.session.refresh(created)
        db.session.expunge(created)
        insert_logs(created, "success", "failed", age=timedelta(days=40), error="Channel timeout")
        insert_logs(created, "success", age=timedelta(days=10))
    created.user = user
    return created


def run_worker_burst(app_config: dict) -> subprocess.CompletedProcess:
    """`flask worker --burst` with the live server's database and Redis, channels simulated in-process."""
    env = server_env(app_config, CHANNELS_MOCK_MODE="true", CHANNELS_MOCK_DELAY_SECONDS="0.2",
                     WORKER_WAIT_FOR_DEPS="false")
    return subprocess.run([sys.executable, "-m", "flask", "--app", "wsgi", "worker", "--burst"], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=120)


def test_full_sync_turns_success_live_then_log_and_batch_details(page, connection, app_config):
    cid = connection.id
    login_as(page, connection.user)
    page.goto("/connections")
    expect(page.locator(f"#connection-{cid}")).to_contain_text("Haus Seeblick")
    screenshot(page, "channels-01-connections")

    page.locator(f"#connection-{cid}").get_by_role("link", name="Open").click()
    dialog = page.locator(f"#connection-dialog-{cid}")
    expect(dialog).to_be_visible()
    trigger = dialog.locator(f"#trigger-sync-{cid} button[type=submit]")
    expect(trigger).to_be_disabled()  # no sync type preselected
    dialog.locator(f"#sync-type-{cid}").select_option("full")
    expect(trigger).to_be_enabled()
    page.evaluate("window.notReloaded = true")
    trigger.click()
    expect(dialog.locator(f"#trigger-result-{cid}")).to_contain_text("Sync started: full")
    card = dialog.locator(".batch-card").first
    expect(card).to_have_attribute("data-state", "pending")  # no worker has picked it up yet
    expect(dialog.locator(f"#sync-log-list-{cid}")).to_contain_text("refreshing every 3 s")
    card.scroll_into_view_if_needed()
    screenshot(page, "channels-02-sync-pending")

    worker = run_worker_burst(app_config)
    assert worker.returncode == 0, worker.stdout[-2000:] + worker.stderr[-2000:]
    expect(card).to_have_attribute("data-state", "success", timeout=15000)
    expect(dialog.locator(f"#sync-log-list-{cid}")).to_contain_text("Auto-refresh resumes when a sync starts")
    assert page.evaluate("window.notReloaded") is True
    expect(dialog.locator(f"#connection-summary-{cid}")).not_to_contain_text("Never")  # freshness refreshed too
    card.scroll_into_view_if_needed()
    screenshot(page, "channels-03-sync-success")

    card.locator(".batch-head").click()
    card.get_by_role("link", name="Details").first.click()
    log_dialog = page.locator("dialog[id^=log-dialog-]")
    expect(log_dialog).to_be_visible()
    log_id = log_dialog.get_attribute("id")
    expect(log_dialog).to_contain_text("Availability")
    screenshot(page, "channels-04-log-details")

    log_dialog.get_by_role("link", name="Open Batch Details →").click()
    batch_dialog = page.locator("dialog[id^=batch-dialog-]")
    expect(batch_dialog).to_be_visible()
    expect(batch_dialog).to_contain_text("Data Updated At")
    expect(batch_dialog.locator("[data-status=success]").first).to_be_visible()
    screenshot(page, "channels-05-batch-details")

    batch_dialog.get_by_role("button", name="Back to log details").click()
    expect(batch_dialog).to_have_count(0)
    expect(page.locator(f"#{log_id}")).to_be_visible()
    page.keyboard.press("Escape")
    expect(page.locator(f"#{log_id}")).to_have_count(0)
    expect(dialog).to_be_visible()

    history_row = dialog.locator(f"#sync-history-{cid} tr.clickable").first
    expect(history_row.locator("td").nth(1)).to_contain_text("Success")  # refreshed when the sync finished
    history_row.locator("td").nth(2).click()
    from_history = page.locator("dialog[id^=batch-dialog-]")
    expect(from_history).to_be_visible()
    from_history.get_by_role("button", name="Back to connection").click()
    expect(from_history).to_have_count(0)
    expect(dialog).to_be_visible()


def test_purge_dialog_previews_and_needs_the_typed_phrase(page, connection):
    cid = connection.id
    login_as(page, connection.user)
    page.goto(f"/connections/{cid}")
    page.locator(f"#purge-logs-{cid}").click()
    purge = page.locator("#purge-dialog")
    expect(purge).to_be_visible()
    expect(purge.locator("#purge-preview")).to_contain_text("Will delete: 2 logs")
    purge.get_by_label("7 days").check()
    expect(purge.locator("#purge-preview")).to_contain_text("Will delete: 3 logs")
    purge.get_by_label("30 days").check()
    expect(purge.locator("#purge-preview")).to_contain_text("Will delete: 2 logs")
    submit = purge.locator("button[type=submit]")
    expect(submit).to_be_disabled()
    purge.locator("#purge-confirm").fill("purge")
    expect(submit).to_be_disabled()
    purge.locator("#purge-confirm").fill("PURGE")
    expect(submit).to_be_enabled()
    screenshot(page, "channels-06-purge-dialog")
    submit.click()
    expect(purge).to_have_count(0)
    expect(page.locator("#sync-logs-banner")).to_contain_text("Purged 2 logs older than 30 days")
    expect(page.locator(f"#sync-log-list-{cid}")).to_contain_text("1 log")
