"""axe-core: the audit every page gets (run by ``test_screenshots.py`` on each page of an
empty and a heavy workbook, in the same pass as its screenshots).

No "serious" or "critical" violation may come from what the app renders. Every
violation found (any impact) is printed per page: run with ``-s`` to see the summary.

Streamlit's own chrome that the app cannot change is scoped out precisely (see
``STREAMLIT_OWNED``): only the named rules are switched off, only inside the named
element; everything else about that element is still audited.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from playwright.sync_api import Page

from .conftest import AXE_JS

pytestmark = pytest.mark.browser

BLOCKING = {"serious", "critical"}

# (selector, rules switched off inside it, why). Streamlit-owned, not the app's:
STREAMLIT_OWNED: list[tuple[str, list[str], str]] = [
    (
        # Streamlit's sidebar menu for st.navigation with sections: its <ul> holds a
        # <div> per section (header + <li> items), so axe reports `list` on the <ul> and
        # `listitem` on every <li>. The markup comes from Streamlit's frontend; app.py
        # only passes the sections to st.navigation.
        "[data-testid='stSidebarNavItems']",
        ["list", "listitem"],
        "Streamlit's sidebar navigation markup (<div> between <ul> and <li>)",
    ),
]

AXE_SCRIPT = """async (owned) => {
    const describe = (violations, scope) => violations.map(v => ({
        id: v.id,
        impact: v.impact,
        help: v.help,
        scope,
        nodes: v.nodes.map(n => {
            let el = null;
            try { el = document.querySelector(n.target[0]); } catch (e) {}
            const inside = [];
            for (let e = el; e; e = e.parentElement) {
                if (e.dataset && e.dataset.testid) inside.push(e.dataset.testid);
            }
            return {
                target: n.target.map(t => Array.isArray(t) ? t.join(' >>> ') : t),
                impact: n.impact,
                summary: n.failureSummary,
                html: n.html.slice(0, 200),
                inside,
            };
        }),
    }));
    const options = {resultTypes: ['violations']};
    // 1. The whole document, minus the Streamlit-owned elements.
    const main = await axe.run(
        {include: [document], exclude: owned.map(([selector]) => [selector])}, options);
    const out = describe(main.violations, 'page');
    // 2. Each Streamlit-owned element with every rule except the ones named for it.
    for (const [selector, rules] of owned) {
        if (!document.querySelector(selector)) continue;
        const off = Object.fromEntries(rules.map(r => [r, {enabled: false}]));
        const part = await axe.run({include: [[selector]]}, {...options, rules: off});
        out.push(...describe(part.violations, selector));
    }
    return out;
}"""


def run_axe(page: Page) -> list[dict[str, Any]]:
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.add_script_tag(path=str(AXE_JS))
    owned = [[selector, rules] for selector, rules, _ in STREAMLIT_OWNED]
    return page.evaluate(AXE_SCRIPT, owned)


def audit(page: Page, label: str) -> list[str]:
    """Run axe, print every violation, and return the blocking ones."""
    violations = run_axe(page)
    blocking: list[str] = []
    print(f"\n[axe] {label}: {len(violations)} rule(s) violated")
    for violation in violations:
        for node in violation["nodes"]:
            impact = node["impact"] or violation["impact"]
            print(f"  - {impact:9} {violation['id']}: {node['target']} in {node['inside'][:3]}")
            if impact in BLOCKING:
                blocking.append(
                    f"{violation['id']} ({impact}) {violation['help']}\n"
                    f"    at {json.dumps(node['target'])} inside {node['inside'][:4]}\n"
                    f"    {node['html']}\n    {node['summary']}"
                )
    return blocking
