"""axe-core in the browser tests: ``assert_accessible(page)`` after any ``page.goto``.

axe-core comes bundled in the axe-playwright-python package (the ``test`` extra) and is
injected into the page from disk through Playwright, never fetched from a CDN. A page fails on
any violation of impact serious or critical; the message names each rule and its elements.
"""
from axe_playwright_python.sync_playwright import Axe

_AXE = Axe()
FAILING_IMPACTS = ("serious", "critical")


def serious_violations(page) -> list[str]:
    """Each serious or critical axe-core violation on ``page``, as one readable line."""
    violations = _AXE.run(page).response["violations"]
    return [f'{v["id"]} ({v["impact"]}): {v["help"]} — '
            + ", ".join(" ".join(node["target"]) for node in v["nodes"][:5])
            for v in violations if v["impact"] in FAILING_IMPACTS]


def assert_accessible(page) -> None:
    """Fail on any serious or critical axe-core violation of the page as it is now."""
    found = serious_violations(page)
    assert found == [], f"{page.url}:\n" + "\n".join(found)
