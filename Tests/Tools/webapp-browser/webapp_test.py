"""The web app in a real browser (Debian's chromium through chromium-driver,
driven by Selenium): a nurse signs in through the local OpenID Connect
provider, sees the worklist, watches a breaching reading's alert appear in the
open feed without a reload, acknowledges it, and finds the reading's point
above the band on the patient's chart. axe-core checks every page against
WCAG 2.1 A and AA, and no page asks another host for anything.

Run by deploy/webapp-test.sh, which starts the server, the provider and the
database: webapp_test.py URL ISSUER GATEWAY_KEY TEAM PATIENT SCREENSHOTS WORK,
then webapp_test.py --development URL WORK against a --dev-auth instance
(a failure leaves WORK/failure.png and the browser's console on stderr)
"""
from __future__ import annotations

import json
import sys
import time
import urllib.request
from datetime import datetime, timezone
from urllib.parse import urlsplit

from axe_selenium_python import Axe
from selenium import webdriver
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support import expected_conditions as ec
from selenium.webdriver.support.select import Select
from selenium.webdriver.support.ui import WebDriverWait

# The WCAG 2.0 and 2.1 A and AA rules. axe-selenium-python bundles axe-core
# 3.1.1, whose 2.1 rules are all tagged wcag21aa (it has no wcag21a tag).
WCAG = ["wcag2a", "wcag2aa", "wcag21aa"]


class Failure(Exception):
    pass


def check(condition: bool, message: str) -> None:
    if not condition:
        raise Failure(message)


def browser() -> webdriver.Chrome:
    options = webdriver.ChromeOptions()
    options.binary_location = "/usr/bin/chromium"
    for argument in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1280,1000",
                     "--lang=nb", "--disable-gpu", "--no-first-run", "--disable-extensions",
                     "--disable-background-networking", "--disable-component-update", "--disable-sync"):
        options.add_argument(argument)
    options.set_capability("goog:loggingPrefs", {"performance": "ALL", "browser": "ALL"})
    service = webdriver.ChromeService(executable_path="/usr/bin/chromedriver")
    return webdriver.Chrome(options=options, service=service)


def requested_hosts(driver: webdriver.Chrome) -> list[str]:
    """Every URL the browser asked for since the last call (Chrome's network log)."""
    urls = []
    for entry in driver.get_log("performance"):
        message = json.loads(entry["message"])["message"]
        if message.get("method") == "Network.requestWillBeSent":
            url = message["params"]["request"]["url"]
            if url.startswith(("http://", "https://", "ws://", "wss://")):
                urls.append(url)
    return urls


def only_from(driver: webdriver.Chrome, origin: str, what: str) -> int:
    urls = requested_hosts(driver)
    foreign = [u for u in urls if f"{urlsplit(u).scheme}://{urlsplit(u).netloc}" != origin]
    check(not foreign, f"{what}: requests to another host: {foreign}")
    return len(urls)


def accessible(driver: webdriver.Chrome, page: str) -> None:
    axe = Axe(driver)
    axe.inject()
    results = axe.run(options={"runOnly": {"type": "tag", "values": WCAG}})
    violations = results["violations"]
    details = [f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']][:3]}" for v in violations]
    check(not violations, f"axe-core, {page}: " + "; ".join(details))
    print(f"  axe-core {page}: {len(results['passes'])} rules pass, no WCAG 2.1 A/AA violation")


def post_reading(url: str, gateway_key: str, serial: str, kind: str, unit: str, value: float) -> None:
    now = datetime.now(timezone.utc).isoformat(timespec="seconds").replace("+00:00", "Z")
    body = {"readings": [{"id": f"browser-{time.time_ns()}", "deviceSerial": serial, "measuredAt": now, "kind": kind,
                          "unit": unit, "value": value}]}
    request = urllib.request.Request(url + "/v1/readings", data=json.dumps(body).encode(), method="POST",
                                     headers={"Authorization": f"Bearer {gateway_key}", "Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=10) as response:
        answer = json.load(response)
    check(answer["results"][0]["status"] == "created", f"reading not stored: {answer}")


def development(url: str, work: str) -> int:
    """A second instance with --dev-auth on the same database: its sign-in
    page, marked DEVELOPMENT, signs in by role, team and name, and the
    session works like any other."""
    driver = browser()
    wait = WebDriverWait(driver, 15)
    try:
        driver.get(url + "/app/alerts")
        wait.until(ec.presence_of_element_located((By.CSS_SELECTOR, "#dev-team option")))
        check("/app/dev-login" in driver.current_url, f"development sign-in page: {driver.current_url}")
        check("DEVELOPMENT" in driver.find_element(By.CSS_SELECTOR, ".development-banner").text, "the page is marked")
        accessible(driver, "development sign-in")
        driver.find_element(By.ID, "dev-name").send_keys("Nina Natt")
        Select(driver.find_element(By.ID, "dev-role")).select_by_value("nurse")
        driver.find_element(By.CSS_SELECTOR, "form.dev-form button[type=submit]").click()
        wait.until(ec.presence_of_element_located((By.CSS_SELECTOR, '#connection[data-state="connected"]')))
        check(driver.current_url == url + "/app/alerts", f"back where it started: {driver.current_url}")
        check("Nina Natt" in driver.find_element(By.ID, "who").text, "signed in by name")
        check(driver.find_elements(By.CSS_SELECTOR, ".development-banner"), "every page is marked")
        only_from(driver, url, "development sign-in")
        print("development sign-in (--dev-auth): marked page, signed in as Nina Natt, the feed connected")
        return 0
    except Exception as error:  # noqa: BLE001
        driver.save_screenshot(f"{work}/failure.png")
        print(f"FAILED: {error}\n  at {driver.current_url}", file=sys.stderr)
        return 1
    finally:
        driver.quit()


def main() -> int:
    if sys.argv[1] == "--development":
        return development(sys.argv[2], sys.argv[3])
    url, issuer, gateway_key, team, patient, shots, work = sys.argv[1:8]
    started = time.monotonic()
    driver = browser()
    wait = WebDriverWait(driver, 15)
    try:
        # Sign in: the app sends the browser to the provider, whose page
        # lists the test users; the provider sends it back with a code.
        driver.get(url + "/app/")
        wait.until(lambda d: d.current_url.startswith(issuer + "/authorize"))
        driver.find_element(By.CSS_SELECTOR, 'input[name="sub"][value="nurse-ola"]').click()
        driver.find_element(By.CSS_SELECTOR, 'button[type="submit"]').click()
        wait.until(ec.presence_of_element_located((By.ID, "worklist-table")))
        check(driver.current_url.rstrip("/") == url + "/app", f"after sign-in: {driver.current_url}")
        cookies = {c["name"]: c for c in driver.get_cookies()}
        session = cookies.get("__Host-varde_session")
        check(session is not None and session["httpOnly"] and session["secure"] and session["sameSite"] == "Strict",
              f"session cookie: {session}")
        check("__Host-varde_login" not in cookies, "the login cookie is gone after sign-in")
        hosts = {f"{urlsplit(u).scheme}://{urlsplit(u).netloc}" for u in requested_hosts(driver)}
        check(hosts <= {url, issuer}, f"sign-in: requests to {hosts - {url, issuer}}")
        print(f"signed in through {issuer} as Ola Nordmann (nurse)")

        # The worklist.
        row = wait.until(ec.presence_of_element_located((By.CSS_SELECTOR, f'tr[data-patient="{patient}"]')))
        check("Ola Nordmann" in driver.find_element(By.ID, "who").text, "the header names who is signed in")
        check(row.get_attribute("data-triage") in ("green", "overdue"), f"before: {row.get_attribute('data-triage')}")
        check(row.find_element(By.CSS_SELECTOR, ".badge").text.strip() != "", "the state is written, not only coloured")
        ranks = [tr.get_attribute("data-triage") for tr in driver.find_elements(By.CSS_SELECTOR, "#worklist-table tbody tr")]
        check(ranks == ["red", "yellow", "green"], f"worst first: {ranks}")
        accessible(driver, "worklist")
        driver.save_screenshot(f"{shots}/worklist.png")
        only_from(driver, url, "worklist")

        # The filters: by state (the red patient only), then all again.
        rows = "#worklist-table tbody tr"
        Select(driver.find_element(By.ID, "state-filter")).select_by_value("red")
        wait.until(lambda d: [tr.get_attribute("data-triage") for tr in d.find_elements(By.CSS_SELECTOR, rows)] == ["red"])
        check("state=red" in driver.current_url, "the filter is in the address")
        Select(driver.find_element(By.ID, "state-filter")).select_by_value("")
        wait.until(lambda d: len(d.find_elements(By.CSS_SELECTOR, rows)) == 3)

        # The live feed: a breaching reading's alert appears without a reload.
        driver.find_element(By.CSS_SELECTOR, 'nav a[href="/app/alerts"]').click()
        connection = wait.until(ec.presence_of_element_located((By.CSS_SELECTOR, '#connection[data-state="connected"]')))
        driver.execute_script("window.__sameDocument = true")
        time.sleep(0.5)  # the feed is waiting on its long poll now
        posted = time.monotonic()
        post_reading(url, gateway_key, "OX-1", "pulse", "/min", 142)
        # The alerts already there (the other patients') carry no cue.
        new = 'li.alert-card:has(.cue[data-cue="new"])'
        card = WebDriverWait(driver, 5, poll_frequency=0.05).until(ec.presence_of_element_located((By.CSS_SELECTOR, new)))
        seen = time.monotonic() - posted
        check(driver.execute_script("return window.__sameDocument === true"), "the page was reloaded")
        check(seen <= 1.0, f"the alert took {seen:.2f} s to appear")
        pulse = f'li.alert-card[data-alert-id="{card.get_attribute("data-alert-id")}"]'
        check(card.get_attribute("data-state") == "open", "a new alert is open")
        check(card.find_elements(By.CSS_SELECTOR, f'a[href="/app/patients/{patient}"]'), "the new alert is the patient's")
        check("sev-red" in card.get_attribute("class"), "a red alert for pulse 142")
        check(card.find_element(By.CSS_SELECTOR, ".alert-state").text.strip() != "", "state in words")
        check(connection.text.strip() != "", "the connection state is written")
        print(f"alert appeared in the open feed {seen:.2f} s after the reading was posted")
        accessible(driver, "alert feed")

        # Acknowledge it with a note, by keyboard alone (the note, Tab, Enter);
        # the card shows the new state and who.
        note = card.find_element(By.CSS_SELECTOR, "textarea")
        note.send_keys("Ringt pasienten, følger opp")
        note.send_keys(Keys.TAB)
        check(driver.switch_to.active_element.get_attribute("data-action") == "acknowledge",
              "Tab from the note reaches the acknowledge button")
        driver.switch_to.active_element.send_keys(Keys.ENTER)
        acknowledged = wait.until(ec.presence_of_element_located(
            (By.CSS_SELECTOR, f'{pulse}[data-state="acknowledged"] li[data-step="acknowledged"]')))
        check("Ola Nordmann" in acknowledged.text, f"acknowledged by: {acknowledged.text}")
        check("Ringt pasienten" in acknowledged.text, "the note is shown")
        card = driver.find_element(By.CSS_SELECTOR, pulse)
        check(card.find_element(By.CSS_SELECTOR, ".alert-state").text.strip().lower() in ("kvittert", "acknowledged"),
              f"state text: {card.find_element(By.CSS_SELECTOR, '.alert-state').text}")
        check(driver.execute_script("return window.__sameDocument === true"), "the page was reloaded")
        print("acknowledged from the page: state and acknowledger changed in place")
        check(driver.find_element(By.CSS_SELECTOR, f"{pulse} textarea").get_attribute("value") == "", "the note field is empty again")
        driver.execute_script("window.scrollTo(0, 0)")
        driver.save_screenshot(f"{shots}/feed.png")
        only_from(driver, url, "alert feed")

        # A lost connection: the feed's requests blocked in the browser. The
        # poll already waiting returns with the next alert; the one after
        # fails, and the page says the connection is lost. A change made
        # meanwhile shows once the feed is back, resumed from its cursor.
        driver.execute_cdp_cmd("Network.enable", {})
        driver.execute_cdp_cmd("Network.setBlockedURLs", {"urls": ["*/alerts?*"]})
        post_reading(url, gateway_key, "OX-1", "spo2", "%", 84)
        fresh = wait.until(ec.presence_of_element_located((By.CSS_SELECTOR, new)))
        spo2 = f'li.alert-card[data-alert-id="{fresh.get_attribute("data-alert-id")}"]'
        check(fresh.find_element(By.CSS_SELECTOR, "h3").text.strip() == "Lav SpO₂", f"the new alert: {fresh.text}")
        wait.until(ec.presence_of_element_located((By.CSS_SELECTOR, '#connection[data-state="lost"]')))
        lost_text = driver.find_element(By.ID, "connection").text
        post_reading(url, gateway_key, "OX-1", "spo2", "%", 82)
        time.sleep(1)
        check("82" not in driver.find_element(By.CSS_SELECTOR, spo2).text, "no change can arrive while the feed is blocked")
        driver.execute_cdp_cmd("Network.setBlockedURLs", {"urls": []})
        WebDriverWait(driver, 12).until(
            lambda d: "82" in d.find_element(By.CSS_SELECTOR, spo2).text)
        wait.until(ec.presence_of_element_located((By.CSS_SELECTOR, '#connection[data-state="connected"]')))
        check(len(driver.find_elements(By.CSS_SELECTOR, spo2)) == 1, "the SpO2 alert once")
        check(driver.execute_script("return window.__sameDocument === true"), "the page was reloaded")
        print(f"connection lost shown ({lost_text!r}); the change made meanwhile arrived once it was back")
        only_from(driver, url, "alert feed")

        # The patient's chart: the reading's point is above the red band's limit.
        driver.find_element(By.CSS_SELECTOR, f'{pulse} a[href="/app/patients/{patient}"]').click()
        point = wait.until(ec.presence_of_element_located(
            (By.CSS_SELECTOR, 'figure[data-kind="pulse"] g.reading[data-alert="red"]')))
        band = driver.find_element(
            By.CSS_SELECTOR, 'figure[data-kind="pulse"] rect.band-red[data-bound="pulseHigh"]')
        limit_y = float(band.get_attribute("y")) + float(band.get_attribute("height"))
        point_y = float(point.get_attribute("data-y"))
        check(float(point.get_attribute("data-value")) == 142, "the posted reading")
        check(point_y < limit_y, f"the point (y {point_y}) lies above the red limit (y {limit_y})")
        check(point.find_elements(By.CSS_SELECTOR, "path.alert-red"), "drawn as a red triangle, not by colour alone")
        history = wait.until(ec.presence_of_element_located((By.CSS_SELECTOR, "#alert-history li.alert-card")))
        check(history.find_element(By.CSS_SELECTOR, ".explanation").text.strip() != "", "the alert's explanation")
        print(f"patient chart: point at y {point_y:.1f}, above the red band's limit at y {limit_y:.1f}")
        accessible(driver, "patient")
        driver.execute_script("document.querySelector('figure[data-kind=\"pulse\"]').scrollIntoView()")
        driver.save_screenshot(f"{shots}/patient-chart.png")
        only_from(driver, url, "patient page")

        # The period buttons: 7 days pressed, kept in the address.
        driver.execute_script("document.querySelector('figure[data-kind=\"pulse\"]').dataset.before = 'period'")
        driver.find_element(By.CSS_SELECTOR, '#periods button[data-days="7"]').click()
        wait.until(lambda d: d.execute_script(
            "const f = document.querySelector('figure[data-kind=\"pulse\"]'); return f && !f.dataset.before"))
        check(driver.find_element(By.CSS_SELECTOR, '#periods button[data-days="7"]').get_attribute("aria-pressed") == "true",
              "the 7-day button is pressed")
        check("days=7" in driver.current_url, "the period is in the address")

        # Void the in-range pulse reading with a reason: struck through on the chart and in the table.
        normal = driver.find_element(By.CSS_SELECTOR, 'figure[data-kind="pulse"] g.reading[data-value="78"]')
        reading = normal.get_attribute("data-reading-id")
        driver.find_element(By.CSS_SELECTOR, 'figure[data-kind="pulse"] details summary').click()
        driver.find_element(By.CSS_SELECTOR, f'button[data-void="{reading}"]').click()
        reason = driver.switch_to.active_element
        check(reason.tag_name == "input", "the reason field has the focus")
        reason.send_keys("Feil pasient målt")
        driver.find_element(By.CSS_SELECTOR, ".void-form button[type=submit]").click()
        wait.until(ec.presence_of_element_located(
            (By.CSS_SELECTOR, f'figure[data-kind="pulse"] g.reading[data-reading-id="{reading}"][data-voided="true"] line.strike')))
        print("voided a reading from the page: struck through on the chart")

        # Escalate the open SpO2 alert, then resolve it with a note, from the alert history.
        history = '#alert-history li.alert-card'
        driver.find_element(By.CSS_SELECTOR, f'{history}[data-state="open"] button[data-action="escalate"]').click()
        escalated = wait.until(ec.presence_of_element_located((By.CSS_SELECTOR, f'{history}[data-state="escalated"]')))
        escalated.find_element(By.CSS_SELECTOR, "textarea").send_keys("Innlagt")
        escalated.find_element(By.CSS_SELECTOR, 'button[data-action="resolve"]').click()
        resolved = wait.until(ec.presence_of_element_located(
            (By.CSS_SELECTOR, f'{history}[data-state="resolved"] li[data-step="resolved"]')))
        check("Ola Nordmann" in resolved.text and "Innlagt" in resolved.text, f"resolved: {resolved.text}")
        steps = driver.find_element(By.CSS_SELECTOR, f'{history}[data-state="resolved"]').text
        check("Eskalert av" in steps, "the escalation stays in the card's steps")
        print("escalated and resolved from the page, with who and when")

        # English, and back.
        driver.find_element(By.ID, "lang-switch").click()
        wait.until(lambda d: d.find_element(By.ID, "alerts-title").text == "Alert history")
        check(driver.find_element(By.TAG_NAME, "html").get_attribute("lang") == "en", "the page says it is English")
        driver.find_element(By.ID, "lang-switch").click()
        wait.until(lambda d: d.find_element(By.ID, "alerts-title").text == "Varselhistorikk")

        # Keyboard: the skip link is the first stop and leads to the content.
        body = driver.find_element(By.TAG_NAME, "body")
        body.send_keys(Keys.TAB)
        check(driver.switch_to.active_element.get_attribute("class") == "skip-link", "the first tab stop is the skip link")

        # Sign out: the session ends and the pages ask for sign-in again.
        driver.find_element(By.ID, "logout").click()
        wait.until(ec.url_contains("/app/signed-out"))
        check(driver.get_cookie("__Host-varde_session") is None, "the session cookie is gone")
        driver.get(url + "/app/")
        wait.until(lambda d: d.current_url.startswith(issuer + "/authorize"))
        print("signed out; the app asks for sign-in again")

        # A clinician changes the thresholds (with a reason) and the routing.
        driver.find_element(By.CSS_SELECTOR, 'input[name="sub"][value="lege-kari"]').click()
        driver.find_element(By.CSS_SELECTOR, 'button[type="submit"]').click()
        wait.until(ec.presence_of_element_located((By.ID, "worklist-table")))
        hosts = {f"{urlsplit(u).scheme}://{urlsplit(u).netloc}" for u in requested_hosts(driver)}
        check(hosts <= {url, issuer}, f"sign-out and sign-in: requests to {hosts - {url, issuer}}")
        driver.get(f"{url}/app/patients/{patient}")
        field = wait.until(ec.presence_of_element_located((By.ID, "th-pulseHigh-red")))
        field.clear()
        field.send_keys("150")
        driver.find_element(By.ID, "th-reason").send_keys("Kjent takykardi, avtalt med fastlege")
        driver.find_element(By.CSS_SELECTOR, "#thresholds-form button[type=submit]").click()
        wait.until(lambda d: len(d.find_elements(By.CSS_SELECTOR, "#threshold-history li")) == 2)
        latest = driver.find_elements(By.CSS_SELECTOR, "#threshold-history li")[-1].text
        check("Kjent takykardi" in latest and "Versjon 2" in latest, f"the new version: {latest}")
        check(driver.find_element(By.CSS_SELECTOR, 'rect.band-red[data-bound="pulseHigh"][data-version="2"]')
              .get_attribute("data-limit") == "150", "the new band from version 2 on")
        Select(driver.find_element(By.ID, "routing")).select_by_value("yellowAlsoToSykehus")
        driver.execute_script("document.getElementById('routing').dataset.before = 'saved'")
        driver.find_element(By.CSS_SELECTOR, "#routing-form button[type=submit]").click()
        # Drawn again from the patient as the server now has it.
        wait.until(lambda d: d.execute_script(
            "const r = document.getElementById('routing'); return r && !r.dataset.before && r.value === 'yellowAlsoToSykehus'"))
        accessible(driver, "patient (clinician)")
        print("a clinician set new thresholds (version 2, its band on the chart) and the routing")
        only_from(driver, url, "clinician's patient page")
        print(f"webapp browser test passed in {time.monotonic() - started:.1f} s")
        return 0
    except Exception as error:  # noqa: BLE001 - the page and its console help the most
        driver.save_screenshot(f"{work}/failure.png")
        print(f"FAILED: {error}\n  at {driver.current_url}", file=sys.stderr)
        for entry in driver.get_log("browser"):
            print(f"  console: {entry['level']} {entry['message']}", file=sys.stderr)
        return 1
    finally:
        driver.quit()


if __name__ == "__main__":
    sys.exit(main())
