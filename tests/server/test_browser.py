"""The control room in a real browser: Playwright driving the system's Chromium (headless).

`make test` installs Debian's chromium; these tests are skipped (with the reason) only where
/usr/bin/chromium is missing. Screenshots go to a temporary folder, or to the folder named by
NPPSIM_SCREENSHOTS (``NPPSIM_SCREENSHOTS=docs/img`` refreshes the docs' pictures).
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from .conftest import CHROMIUM, CHROMIUM_ARGS

pytestmark = pytest.mark.skipif(
    not CHROMIUM.exists(), reason="/usr/bin/chromium is missing (make test installs it)"
)
playwright = pytest.importorskip("playwright.sync_api")


@pytest.fixture(scope="module")
def browser():
    with playwright.sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture
def page(browser, live_server):
    ctx = browser.new_context(viewport={"width": 1500, "height": 1050}, accept_downloads=True)
    pg = ctx.new_page()
    errors: list[str] = []
    pg.on("pageerror", lambda e: errors.append(str(e)))
    pg.set_default_timeout(60_000)
    yield pg
    ctx.close()
    assert not errors, f"errors in the page: {errors}"


@pytest.fixture
def shots(tmp_path) -> Path:
    folder = os.environ.get("NPPSIM_SCREENSHOTS")
    out = Path(folder) if folder else tmp_path
    out.mkdir(parents=True, exist_ok=True)
    return out


def plant_model_available() -> bool:
    from nppsim.designs import load_design
    from nppsim.server.live import plant_available

    return plant_available(load_design("vver1000-v446"))


def start_run(page, url: str, pace: str = "10", power: str = "100") -> None:
    page.goto(url)
    page.wait_for_selector("#new-run[open]")
    if plant_model_available():
        page.select_option("#nr-model", "plant")
    page.fill("#nr-power", power)
    page.select_option("#nr-pace", pace)
    page.click("#nr-start")
    page.wait_for_selector("#mimic-svg")


def points(page, col: str) -> int:
    v = page.get_attribute(f'.trend .chip[data-col="{col}"]', "data-points")
    return int(v or 0)


def last(page, col: str) -> float:
    return float(page.get_attribute(f'.trend .chip[data-col="{col}"]', "data-last") or "nan")


def sim_time(page) -> float:
    return float(page.get_attribute("#clock", "data-t") or 0)


def test_full_power_run_trip_and_power_falls(page, live_server, shots):
    """The bar: start a full-power live run, watch the trends move, trip, see the trip and the
    power fall below 10 %."""
    start_run(page, live_server.url, pace="10")
    page.wait_for_function("document.querySelector('#status').dataset.status === 'running'")
    n_power = points(page, "power_relative")
    n_press = points(page, "pressure_primary_pa")
    t0 = sim_time(page)
    page.wait_for_function(f"Number(document.querySelector('#clock').dataset.t) > {t0 + 20}")
    page.wait_for_function(
        "(() => { const c = document.querySelector('.trend .chip[data-col=power_relative]');"
        f" return Number(c.dataset.points) > {n_power}; }})()"
    )
    assert points(page, "pressure_primary_pa") > n_press
    assert last(page, "power_relative") == pytest.approx(100.0, abs=1.0)
    page.screenshot(path=str(shots / "control-room-running.png"), full_page=True)

    page.click("#btn-trip")
    tile = page.locator('#annunciator .tile[data-name="manual"]')
    page.wait_for_function(
        "document.querySelector('#annunciator .tile[data-name=manual]').classList.contains('on')"
    )
    assert "FIRST OUT" in tile.inner_text()
    page.wait_for_selector("#log tr.trip")
    page.wait_for_function(
        "Number(document.querySelector('.trend .chip[data-col=power_relative]').dataset.last) < 10"
    )
    assert last(page, "power_relative") < 10.0
    # the trend holds the fall: its recorded points go from about 100 % to below 10 % (the chip
    # and the trend's arrays are updated by separate handlers: wait for the array too)
    page.wait_for_function(
        "(() => { const a = window.nppsim.data.power_relative; return a[a.length - 1] < 0.1 })()"
    )
    data = page.evaluate("window.nppsim.data.power_relative")
    assert max(data) > 0.99 and data[-1] < 0.1
    page.wait_for_timeout(1500)
    page.screenshot(path=str(shots / "control-room-trip.png"), full_page=True)


def test_setpoint_change_and_bad_value(page, live_server, shots):
    """Change the load (turbine load on the plant, the reactor power setpoint on the core);
    an out-of-range value is refused with the field marked, and nothing changes."""
    start_run(page, live_server.url, pace="100")
    plant = plant_model_available()
    kind = "turbine_load" if plant else "power_setpoint"
    col = "power_electric_w" if plant else "power_setpoint"
    form = page.locator(f'details.action[data-kind="{kind}"]')
    form.locator("summary").click()
    form.locator('.field[data-name="target"] input').fill("150")
    form.locator('.field[data-name="rate"] input').fill("20")
    form.locator('button[type="submit"]').click()
    page.wait_for_selector(".toast.error")
    assert "allowed" in page.locator(".toast.error").first.inner_text()
    assert form.locator('.field[data-name="target"]').get_attribute("class").endswith("bad")
    assert page.locator(f'#log td:text-is("{kind}")').count() == 0

    form.locator('.field[data-name="target"] input').fill("80")
    # within the design's fastest turbine-load rate (V-446: 10 %/min)
    form.locator('.field[data-name="rate"] input').fill("10")
    form.locator('button[type="submit"]').click()
    page.wait_for_selector(f'#log td:text-is("{kind}")')
    if not plant:
        page.wait_for_function(
            f"Number(document.querySelector('.trend .chip[data-col={col}]').dataset.last) < 85"
        )
        page.wait_for_function(
            "Number(document.querySelector('.trend .chip[data-col=power_relative]')"
            ".dataset.last) < 90"
        )
    page.screenshot(path=str(shots / "control-room-setpoint.png"), full_page=True)


def test_snapshot_save_rewind_download_and_load(page, live_server, shots, tmp_path):
    start_run(page, live_server.url, pace="100")
    page.wait_for_function("Number(document.querySelector('#clock').dataset.t) > 30")
    page.fill("#snap-label", "before the trip")
    page.click("#btn-snap")
    page.wait_for_selector("#snapshots li")
    t_snap = page.evaluate("window.nppsim.snapshots[0].t")
    page.click("#btn-trip")
    page.wait_for_selector("#log tr.trip")
    page.wait_for_function(
        "Number(document.querySelector('.trend .chip[data-col=power_relative]').dataset.last) < 10"
    )
    # rewind: the trip is gone from the log and the annunciator, power is back
    page.click("#snapshots li button.rewind")
    page.wait_for_function(f"Number(document.querySelector('#clock').dataset.t) === {t_snap}")
    page.wait_for_function("document.querySelectorAll('#log tr.trip').length === 0")
    assert page.locator("#annunciator .tile.on").count() == 0
    assert page.get_attribute("#status", "data-status") == "paused"
    assert page.evaluate("window.nppsim.values.power_relative") > 0.95
    page.screenshot(path=str(shots / "control-room-snapshots.png"), full_page=True)

    # download the snapshot, then start a new run from the file
    with page.expect_download() as dl:
        page.click("#snapshots li a")
    path = tmp_path / "saved.nppsnap"
    dl.value.save_as(path)
    assert path.read_bytes().startswith(b"NPPSIM-SNAPSHOT 1\n")
    old_run = page.evaluate("window.nppsim.run.id")
    page.click("#btn-new")
    page.check("input[name=from][value=snapshot]")
    page.set_input_files("#nr-snapshot-file", str(path))
    page.select_option("#nr-pace", "0")
    page.click("#nr-start")
    page.wait_for_function(f"window.nppsim.run && window.nppsim.run.id !== '{old_run}'")
    assert page.evaluate("window.nppsim.run.t") == pytest.approx(t_snap)
    assert "snapshot" in page.evaluate("window.nppsim.run.source")
    # downloads of the record and the event log
    for link in ("#dl-parquet", "#dl-csv", "#dl-events"):
        with page.expect_download() as dl:
            page.click(link)
        assert dl.value.suggested_filename.startswith("run")


def test_second_viewer_sees_the_same_run(browser, live_server, page):
    start_run(page, live_server.url, pace="10")
    run_id = page.evaluate("window.nppsim.run.id")
    ctx = browser.new_context(viewport={"width": 1300, "height": 900})
    other = ctx.new_page()
    other.goto(f"{live_server.url}/?run={run_id}")
    other.wait_for_selector("#mimic-svg")
    page.click("#btn-trip")
    other.wait_for_selector("#log tr.trip")
    assert "2 watching" in other.inner_text("#viewers")
    ctx.close()


def test_plant_mimic_is_drawn_from_the_topology(page, live_server, shots):
    """The plant's mimic from the V-446 topology (4 loops, pumps, steam generators,
    pressurizer, dumps, turbine, generator), drawn before the plant model can run."""
    page.goto(live_server.url)
    page.wait_for_selector("#new-run[open]")
    page.click("#nr-cancel")
    topo = page.evaluate(
        "fetch('/api/designs/vver1000-v446/topology?model=plant').then(r => r.json())"
    )
    page.evaluate("t => Mimic.draw(document.getElementById('mimic'), t)", topo)
    svg = page.locator("#mimic-svg")
    assert svg.get_attribute("data-loops") == "4"
    assert page.locator("#mimic-svg circle.pump").count() >= 4
    assert page.locator("#mimic-svg rect.sg").count() == 4
    assert page.locator("#mimic-svg rect.pzr").count() == 1
    assert page.locator("#mimic-svg path.turbine").count() == 1
    # pumps and valves show their states from values
    page.evaluate(
        "t => Mimic.update({speed_pump1_rad_s: 104, speed_pump2_rad_s: 40, speed_pump3_rad_s: 0,"
        " speed_pump4_rad_s: 104, flow_bru_k_kg_s: 300, flow_bru_a_kg_s: 0,"
        " power_electric_w: 1.0e9}, {speed_pump1_rad_s: 'rad/s', power_electric_w: 'W'})",
        topo,
    )
    states = page.eval_on_selector_all(
        "#mimic-svg circle.pump[data-state]", "els => els.map(e => e.dataset.state)"
    )
    assert states == ["on", "coast", "off", "on"]
    valves = page.eval_on_selector_all(
        "#mimic-svg path.valve[data-state]", "els => els.map(e => e.dataset.state)"
    )
    assert "open" in valves and "closed" in valves
    page.locator("#mimic-panel").screenshot(path=str(shots / "mimic-plant.png"))
