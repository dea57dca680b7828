"""Without Chromium the browser tests say what is missing: skipped locally, a failure in CI."""
from __future__ import annotations

import pytest

import dev
from tests.e2e.conftest import require_browser


def test_dev_test_names_the_missing_browser_and_how_to_install_it():
    note = dev.browser_note("/nonexistent/chromium")
    assert note.count("\n") == 0
    assert "/nonexistent/chromium" in note and "apt-get install chromium" in note and "CI=true" in note
    assert dev.browser_note(dev.__file__) is None  # present: nothing printed


def test_missing_browser_skips_locally_and_fails_in_ci(monkeypatch):
    monkeypatch.delenv("CI", raising=False)
    with pytest.raises(pytest.skip.Exception, match="apt-get install chromium"):
        require_browser("/nonexistent/chromium")
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match="apt-get install chromium"):
        require_browser("/nonexistent/chromium")
    require_browser(dev.__file__)  # present: neither
