"""Walks the web console in a real browser as a person would, against a stack from scripts/up.

Signs in with the one-time link, connects Stripe (a wrong key first, refused with Stripe's
message), connects Xero by OAuth (declined in a popup, then approved with the popup blocked so
the full-page flow runs), starts a sync held by a Stripe 429 and watches it say so and finish
without a reload, reads the run in the history, opens records, edits field-mapping rows (a
refused path shown beside its row), connects Plaid through Plaid Link (the sandbox's stand-in:
exit, then pick a bank), creates a webhook endpoint and sees its success rate, a delivery and its
attempt's headers, counts nothing to recover, enables again an endpoint the hub disabled after a 410
and recovers its failed deliveries, rotates the secret, creates a Zapier API key (shown once) and
revokes it, disconnects, signs out. Every page is checked for Content-Security-Policy violations (the browser's log) and
for axe violations, and a screenshot of every screen is saved.

Usage: console_walk.py --front HOST:PORT --sandbox HOST:PORT --link URL --screenshots DIR
"""

import argparse
import json
import os
import re
import sys
import time
import urllib.request

from selenium_axe_python import Axe
from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.common.exceptions import StaleElementReferenceException, WebDriverException
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import Select, WebDriverWait


# WCAG 2.0, 2.1 and 2.2 A and AA, and axe's best practices (axe-core 4.9, selenium-axe-python).
AXE_OPTIONS = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]}}


class Walk:
    def __init__(self, args):
        self.front = f"http://{args.front}"
        self.sandbox = f"http://{args.sandbox}"
        self.link = args.link
        self.shots = args.screenshots
        os.makedirs(self.shots, exist_ok=True)
        options = webdriver.ChromeOptions()
        options.binary_location = args.chromium
        for flag in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1366,900",
                     "--disable-gpu", "--no-first-run", "--lang=en-US"):
            options.add_argument(flag)
        options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
        self.driver = webdriver.Chrome(service=Service(args.driver), options=options)
        self.driver.set_page_load_timeout(60)
        self.wait = WebDriverWait(self.driver, 60)
        self.failures = []
        self.expected_statuses = ("422", "410")
        self.checked = 0
        self.step_no = 0
        self.leaving = None

    # --- checks on every page ---------------------------------------------------------------

    def check_page(self, name, width=1366):
        """CSP and axe on the current page, then a screenshot named after the screen."""
        self.step_no += 1
        d = self.driver
        for entry in d.get_log("browser"):
            message = entry.get("message", "")
            if "Content Security Policy" in message or "Content-Security-Policy" in message:
                self.failures.append(f"{name}: CSP violation: {message}")
            elif "Failed to load resource" in message and any(f"status of {code}" in message for code in self.expected_statuses):
                pass  # a refused form answers 422 by design, a spent link 410
            elif entry.get("level") == "SEVERE":
                self.failures.append(f"{name}: browser error: {message}")
        axe = Axe(d)
        axe.inject()
        results = axe.run(options=AXE_OPTIONS)
        for violation in results.get("violations", []):
            targets = [", ".join(node.get("target", [])) for node in violation.get("nodes", [])][:3]
            self.failures.append(f"{name}: axe {violation['id']} ({violation.get('impact')}): {violation['help']} at {targets}")
        # Full-page screenshot: the window grows to the page's height for the shot.
        d.execute_script("window.scrollTo(0, 0)")
        height = d.execute_script("return Math.max(document.body.scrollHeight, 900)")
        d.set_window_size(width, min(height + 40, 4000))
        d.save_screenshot(os.path.join(self.shots, f"{self.step_no:02d}-{name}.png"))
        d.set_window_size(1366, 900)
        self.checked += 1
        print(f"    ok   {name}  ({d.current_url.replace(self.front, '')})", flush=True)

    def shot(self, name):
        """A screenshot only, for a state axe cannot check (a provider's cross-origin iframe)."""
        self.step_no += 1
        self.driver.save_screenshot(os.path.join(self.shots, f"{self.step_no:02d}-{name}.png"))
        print(f"    shot {name}", flush=True)

    def expect(self, condition, message):
        if not condition:
            self.failures.append(message)
            print(f"    FAIL {message}", flush=True)

    def text(self):
        # A page replaced between finding <main> and reading it (a redirect landing) is read again.
        for _ in range(20):
            try:
                return self.driver.find_element(By.TAG_NAME, "main").text
            except StaleElementReferenceException:
                time.sleep(0.05)
        return self.driver.find_element(By.TAG_NAME, "main").text

    def click(self, selector):
        # The page the click may leave: wait_url waits for it to go, so an address that already
        # carried the fragment (?notice=connected before ?notice=tested) is not taken for the new one.
        self.leaving = self.driver.find_element(By.TAG_NAME, "html")
        self.driver.find_element(By.CSS_SELECTOR, selector).click()

    def confirm(self, selector, page):
        # A form behind the confirmation dialog: opens it, keeps a screenshot of it, confirms.
        self.click(selector)
        self.wait.until(lambda dr: dr.find_element(By.ID, "confirm-dialog").get_attribute("open") is not None)
        self.check_page(page)
        self.click("#confirm-dialog button[value=ok]")

    def go(self, path):
        self.driver.get(self.front + path)

    def wait_for(self, css):
        return self.wait.until(EC.presence_of_element_located((By.CSS_SELECTOR, css)))

    def left(self, _driver):
        """Whether the page the last click left is gone. Chromium may answer a look at an element of a
        page being replaced with "Node with given id does not belong to the document" rather than a
        stale reference: gone too."""
        try:
            self.leaving.is_enabled()
            return False
        except WebDriverException:  # StaleElementReferenceException among them
            return True

    def wait_url(self, fragment):
        if self.leaving is not None:
            self.wait.until(self.left)
            self.leaving = None
        # The address changes when navigation commits, before the new page has loaded.
        self.wait.until(lambda d: fragment in d.current_url
                        and d.execute_script("return document.readyState") == "complete")

    def reload_until(self, text, seconds=60):
        """Reloads the page every second until it shows `text` (what a background worker does next), or
        `seconds` pass; the caller checks which."""
        deadline = time.time() + seconds
        while time.time() < deadline and text not in self.text():
            time.sleep(1)
            self.driver.refresh()

    def sandbox_put(self, path, body):
        request = urllib.request.Request(self.sandbox + path, data=json.dumps(body).encode(), method="PUT",
                                         headers={"Content-Type": "application/json"})
        urllib.request.urlopen(request, timeout=10).read()

    # --- the walk ---------------------------------------------------------------------------

    def run(self):
        d = self.driver

        # Sign in with the one-time link; the link is spent afterwards.
        d.get(self.link)
        self.check_page("sign-in-link")
        self.click("main form button[type=submit]")
        self.wait_url("/integrations")
        self.check_page("catalog")
        self.expect("available" in self.text().lower() and "Stripe" in self.text(), "the catalog lists Stripe with counts")
        d.get(self.link)
        self.expect("expired" in self.text(), "a used sign-in link is refused")
        d.get_log("browser")  # its 410 is logged as a failed load, as expected

        # Catalog filters live in the URL.
        self.go("/integrations?category=accounting")
        self.check_page("catalog-accounting")
        self.expect("Xero" in self.text() and "Stripe" not in self.text(), "the accounting tab shows Xero, not Stripe")
        self.go("/integrations")
        box = d.find_element(By.ID, "q")
        box.send_keys("stri")
        box.submit()
        self.wait_url("q=stri")
        cards = d.find_elements(By.CSS_SELECTOR, ".cards > li")
        self.expect(len(cards) == 1, f"searching 'stri' shows one provider, saw {len(cards)}")

        # Connect Stripe: a wrong key is refused with Stripe's own message, then the sandbox key.
        self.go("/integrations/stripe/connect")
        self.check_page("connect-stripe")
        d.find_element(By.ID, "field_api_key").send_keys("sk_test_wrong")
        self.click("main form.stack button[type=submit]")
        self.wait_for(".error-summary")
        self.check_page("connect-stripe-refused")
        self.expect("Invalid API Key" in self.text() or "invalid" in self.text().lower(),
                    f"the refusal carries the provider's message: {self.text()[:300]}")
        field = d.find_element(By.ID, "field_api_key")
        field.clear()
        field.send_keys("sk_test_sandbox")
        self.click("main form.stack button[type=submit]")
        self.wait_url("/connections/")
        stripe_url = d.current_url.split("?")[0]
        self.check_page("connection-stripe")
        self.expect("Connected" in self.text() and "Hub Sandbox" in self.text(), "Stripe shows connected to Hub Sandbox")

        self.click("form[action$='/test'] button")
        self.wait_url("notice=")
        self.expect("Connection test passed" in self.text(), "the connection test passes")

        # Reconnect in place: a wrong key is refused and the connection stays; the right one replaces it.
        d.find_element(By.LINK_TEXT, "Replace credentials").click()
        self.wait_url("reconnect=")
        d.find_element(By.ID, "field_api_key").send_keys("sk_test_wrong_again")
        self.click("main form.stack button[type=submit]")
        self.wait_for(".error-summary")
        self.check_page("reconnect-refused")
        field = d.find_element(By.ID, "field_api_key")
        field.clear()
        field.send_keys("sk_test_sandbox")
        self.click("main form.stack button[type=submit]")
        self.wait_url("notice=connected")
        self.expect(d.current_url.split("?")[0] == stripe_url, "the same connection was reconnected in place")

        # Sync customers and watch the job finish without a reload. Stripe answers the first call
        # 429 with Retry-After: 12, so the live progress shows the rate-limit wait while it lasts
        # (long enough for the page to load and poll on a loaded machine).
        self.go(stripe_url.replace(self.front, "") + "/sync")
        self.check_page("sync")
        self.sandbox_put("/_admin/faults/stripe", {"rate_limit_next": 1, "retry_after_seconds": 12})
        self.click("form[action$='/sync'] input[value='customers'] ~ button")
        self.wait_url("/sync/jobs/")
        d.execute_script("window.__sameDocument = 'yes'")
        self.wait.until(lambda dr: dr.find_element(By.ID, "job-waiting").is_displayed()
                        or dr.find_element(By.ID, "job").get_attribute("data-finished") == "true")
        waiting = d.find_element(By.ID, "job-waiting")
        self.expect(waiting.is_displayed() and re.search(r"Waiting for Stripe's rate limit until \d\d:\d\d:\d\d UTC", waiting.text),
                    f"the running job says it waits for Stripe's rate limit: {self.text()[:300]}")
        self.check_page("sync-job-waiting")
        self.wait.until(lambda dr: dr.find_element(By.ID, "job").get_attribute("data-finished") == "true")
        self.expect(not d.find_element(By.ID, "job-waiting").is_displayed(), "a finished job no longer says it waits")
        waits = d.find_element(By.CSS_SELECTOR, "[data-field='rate_limit_waits']").text
        self.expect(waits.isdigit() and int(waits) >= 1, f"the job counts its rate-limit waits: {waits!r}")
        same = d.execute_script("return window.__sameDocument || 'reloaded'")
        self.expect(same == "yes", "the job page updated without a reload")
        self.expect("completed" in self.text(), f"the job completed: {self.text()[:200]}")
        self.expect(d.find_element(By.CSS_SELECTOR, "[data-field='created']").text == "25", "25 customers created")
        self.expect(not d.find_elements(By.ID, "job-cancel"), "a finished job offers no cancel")
        self.check_page("sync-job")
        stripe_job = d.current_url.split("?")[0].replace(self.front, "")

        # The runs: trigger, who started it, duration, counts and rate-limit waits.
        self.go(stripe_url.replace(self.front, "") + "/sync")
        cells = [c.text for c in d.find_elements(By.CSS_SELECTOR, "section[aria-labelledby=jobs-h] tbody tr:first-child td")]
        self.expect(len(cells) == 12 and cells[2] == "manual" and cells[3] not in ("", "—") and cells[4] == "completed",
                    f"the run says its trigger, who and status: {cells}")
        self.expect(len(cells) == 12 and re.fullmatch(r"\d+ ms|\d+\.\d s", cells[5]) and cells[7] == "25",
                    f"the run says how long it took and what it created: {cells}")
        self.expect(len(cells) == 12 and re.fullmatch(r"[1-9]\d* \(\d+\.\d s\)", cells[10]), f"the run counts its rate-limit waits: {cells}")
        self.check_page("sync-history")
        d.back()


        # Records: the list, then one record's canonical fields beside Stripe's payload.
        self.click("a[href$='/records/customers']")
        self.wait_url("/records/customers")
        self.check_page("records")
        rows = d.find_elements(By.CSS_SELECTOR, "main tbody tr")
        self.expect(len(rows) == 25, f"25 customer records listed, saw {len(rows)}")
        rows[0].find_element(By.TAG_NAME, "a").click()
        self.wait_for("pre.payload")
        self.check_page("record")
        self.expect("email" in self.text() and '"object": "customer"' in self.text(), "the record shows canonical fields and the payload")

        # A full resync asks first (here: the page a browser without scripts gets).
        self.go(stripe_url.replace(self.front, "") + "/sync?confirm_resync=customers")
        self.expect("Fully resync customers?" in self.text(), "the full resync says what it does before it runs")
        self.check_page("sync-confirm-resync")

        # An entity's settings: a refused value is explained beside the form, then saved.
        self.go(stripe_url.replace(self.front, "") + "/sync/customers/settings")
        self.check_page("sync-settings")
        Select(d.find_element(By.ID, "schedule")).select_by_value("interval")
        interval = d.find_element(By.ID, "interval_seconds")
        interval.clear()
        interval.send_keys("30")
        self.click("form.stack button[type=submit]")
        self.wait_for(".error-summary")
        self.check_page("sync-settings-refused")
        interval = d.find_element(By.ID, "interval_seconds")
        interval.clear()
        interval.send_keys("3600")
        checkbox = d.find_element(By.CSS_SELECTOR, "input[name=enabled]")
        if not checkbox.is_selected():
            checkbox.click()
        self.click("form.stack button[type=submit]")
        self.wait_url("notice=saved")
        self.expect("every 3600 s" in self.text() or "interval" in self.text(), f"the saved schedule shows: {self.text()[:400]}")

        # Field mappings, row by row in a plain form: the API's refusal lands beside the row it names.
        self.go(stripe_url.replace(self.front, "") + "/sync/customers/mappings")
        self.check_page("sync-mappings")
        def fill(index, source, target, transform=""):
            for name, value in (("source", source), ("target", target)):
                box = d.find_element(By.ID, f"row-{index}-{name}")
                box.clear()
                box.send_keys(value)
            Select(d.find_element(By.ID, f"row-{index}-transform")).select_by_value(transform)
        fill(0, "name", "name", "trim")
        fill(1, "a..b", "email")
        self.click("form.mapping-form button[type=submit]")
        self.wait_for(".error-summary")
        error = d.find_element(By.ID, "row-1-error").text
        self.expect("a..b" in error or "path" in error, f"the refusal is shown beside row 2: {error}")
        self.expect(d.find_element(By.ID, "row-1-source").get_attribute("aria-invalid") == "true", "row 2's path is marked invalid")
        self.expect(d.find_element(By.ID, "row-0-source").get_attribute("aria-invalid") is None, "row 1 is not marked")
        self.expect(d.find_element(By.ID, "row-0-source").get_attribute("value") == "name", "what was entered is kept")
        self.check_page("sync-mappings-refused")
        fill(1, "email", "email", "lower")
        self.click("form.mapping-form button[type=submit]")
        self.wait_url("notice=saved")
        self.expect(d.find_element(By.ID, "row-1-source").get_attribute("value") == "email"
                    and Select(d.find_element(By.ID, "row-1-transform")).first_selected_option.get_attribute("value") == "lower",
                    "the saved rows come back from the API")
        self.check_page("sync-mappings-saved")

        # Xero by OAuth: declined in the popup first.
        self.sandbox_put("/_admin/xero/oauth", {"deny_next": 1})
        self.go("/integrations/xero/connect")
        self.check_page("connect-xero")
        opener = d.current_window_handle
        self.click("#oauth-start")
        self.wait.until(lambda dr: "declined" in dr.find_element(By.ID, "oauth-status").text)
        self.wait.until(lambda dr: len(dr.window_handles) == 1)  # the popup closed itself
        d.switch_to.window(opener)
        self.check_page("connect-xero-declined")

        # Approved in a popup: the opener re-reads the connection from the server.
        self.sandbox_put("/_admin/xero/oauth", {})
        self.go("/integrations/xero/connect")
        self.click("#oauth-start")
        self.wait_url("/connections/")
        d.switch_to.window(opener)
        self.check_page("connection-xero")
        self.expect("Demo Company" in self.text(), "Xero connected to Demo Company")
        # Stripe's job is not shown under the Xero connection.
        xero_path = d.current_url.split("?")[0].replace(self.front, "")
        self.go(xero_path + "/sync/jobs/" + stripe_job.rsplit("/", 1)[-1])
        self.expect("Not found" in self.text(), f"another connection's job is not found here: {self.text()[:200]}")
        d.get_log("browser")  # the 404 asked for, so the next page's check does not count it
        # No editor for an entity the provider does not have.
        for page in ("mappings", "settings"):
            self.go(xero_path + "/sync/nope/" + page)
            self.expect("Not found" in self.text(), f"no {page} editor for an entity Xero lacks: {self.text()[:200]}")
            d.get_log("browser")

        # A popup closed before it finished is never success.
        self.go("/integrations/xero/connect")
        d.execute_script("window.open = () => ({ closed: true })")
        self.click("#oauth-start")
        self.wait.until(lambda dr: "closed before" in dr.find_element(By.ID, "oauth-status").text)
        self.check_page("connect-xero-closed")

        # Popup blocked: the same flow in the full page (reconnects Xero in place).
        self.go("/integrations/xero/connect")
        d.execute_script("window.open = () => null")
        self.click("#oauth-start")
        self.wait_url("/integrations/oauth/result")
        self.wait_for("#oauth-result")
        self.check_page("oauth-result-full-page")
        self.expect("Connected" in self.text(), "the full-page flow ends connected")

        # Slack: installed by OAuth, then the channel and the events to announce, picked from Slack's own listing.
        self.go("/integrations/slack/connect")
        self.click("#oauth-start")
        self.wait_url("/connections/")
        d.switch_to.window(opener)
        slack_path = d.current_url.split("?")[0].replace(self.front, "") + "/slack"
        self.click(f"a[href='{slack_path}']")
        self.wait_for("select#channel")
        self.check_page("slack-notifications")
        boxes = {b.get_attribute("value"): b.is_selected() for b in d.find_elements(By.CSS_SELECTOR, "input[name=event_types]")}
        self.expect(boxes.get("sync.failed") and boxes.get("connection.reauth_required") and not boxes.get("invoice.paid", False),
                    f"the events that need a person are chosen by default: {[k for k, v in boxes.items() if v]}")
        channel = Select(d.find_element(By.ID, "channel"))
        self.expect(len(channel.options) > 2, f"the picker lists the workspace's channels: {[o.text for o in channel.options]}")
        channel.select_by_index(1)
        chosen = channel.first_selected_option.get_attribute("value")
        # No event chosen: connection-service refuses, and the page says so beside the form.
        for box in d.find_elements(By.CSS_SELECTOR, "input[name=event_types]:checked"):
            box.click()
        self.click("form[action$='/slack'] button[type=submit]")
        self.wait_for(".error-summary")
        self.expect("event" in d.find_element(By.CSS_SELECTOR, ".error-summary").text.lower(), "saving without an event is refused")
        self.check_page("slack-notifications-refused")
        Select(d.find_element(By.ID, "channel")).select_by_value(chosen)
        d.find_element(By.CSS_SELECTOR, "input[name=event_types][value='sync.failed']").click()
        self.click("form[action$='/slack'] button[type=submit]")
        self.wait_url("notice=saved")
        self.expect(chosen in self.text() and "sync.failed" in self.text(), f"the saved channel and events show: {self.text()[:300]}")
        self.check_page("slack-notifications-saved")

        # Plaid through Plaid Link: the sandbox serves Link's script at the CDN's path; the page's
        # CSP allows that script and its iframe. Closing Link connects nothing; picking a bank does.
        self.go("/integrations/plaid/connect")
        self.wait.until(lambda dr: dr.find_element(By.ID, "plaid-link-open").is_enabled())
        self.check_page("connect-plaid")
        self.click("#plaid-link-open")
        self.wait.until(EC.frame_to_be_available_and_switch_to_it((By.ID, "plaid-link-iframe")))
        self.wait.until(lambda dr: "Select your bank" in dr.find_element(By.TAG_NAME, "body").text)
        d.switch_to.default_content()
        self.shot("plaid-link-picker")  # the provider's own page in its iframe: axe cannot reach into it
        d.switch_to.frame(d.find_element(By.ID, "plaid-link-iframe"))
        d.find_element(By.CSS_SELECTOR, "button.exit").click()
        d.switch_to.default_content()
        self.wait.until(lambda dr: "closed Plaid Link" in dr.find_element(By.ID, "plaid-status").text)
        self.expect(not d.find_elements(By.ID, "plaid-link-iframe"), "Link's iframe is gone after exit")
        self.check_page("connect-plaid-exited")
        self.click("#plaid-link-open")
        self.wait.until(EC.frame_to_be_available_and_switch_to_it((By.ID, "plaid-link-iframe")))
        self.wait.until(lambda dr: "First Platypus Bank" in dr.find_element(By.TAG_NAME, "body").text)
        d.find_element(By.XPATH, "//button[normalize-space()='First Platypus Bank']").click()
        d.switch_to.default_content()
        self.wait_url("notice=connected")
        self.check_page("connection-plaid")
        self.expect("Connected" in self.text() and "First Platypus Bank" in self.text(),
                    f"Plaid connected to First Platypus Bank through Link: {self.text()[:300]}")

        # A phone's width: the catalog still works.
        d.set_window_size(390, 844)
        self.go("/integrations")
        self.check_page("catalog-phone", width=390)

        # Webhooks: an endpoint at the sandbox's inbox, its secret once, a test event delivered.
        self.go("/integrations/webhooks")
        self.check_page("webhooks")
        d.find_element(By.ID, "url").send_keys(f"{self.sandbox}/_inbox/console")
        d.find_element(By.ID, "description").send_keys("Console walk")
        self.click("form[action='/integrations/webhooks'] button[type=submit]")
        self.wait_for("#secret-value")
        first_secret = d.find_element(By.ID, "secret-value").text
        self.expect(first_secret.startswith("whsec_"), "the new endpoint's secret is shown once")
        self.check_page("webhook-created")
        # The secret came in the answer to the POST; the endpoint's own page is where its forms point.
        endpoint = self.front + d.find_element(By.CSS_SELECTOR, "form[action$='/test']").get_attribute("action").replace(self.front, "")[:-len("/test")]
        self.click("form[action$='/test'] button")
        self.wait_url("notice=test_sent")
        self.expect("whsec_" not in d.page_source, "the secret is not shown again")
        self.reload_until("Delivered")
        self.expect("Delivered" in self.text(), "the test event was delivered")
        self.check_page("webhook-deliveries")
        # The endpoints list says how many of the last day's deliveries arrived (webhook-service's figure).
        self.go("/integrations/webhooks")
        row = d.find_element(By.XPATH, f"//main//tbody/tr[td/a[@href='{endpoint.replace(self.front, '')}']]").text
        self.expect("100 % (1 of 1)" in row, f"the endpoint's success rate shows: {row}")
        self.check_page("webhooks-success-rate")
        d.back()
        d.find_element(By.CSS_SELECTOR, "main tbody tr a").click()
        self.wait_for("main h1")
        self.check_page("delivery")
        self.expect(re.search(r"✔ 2\d\d", self.text()) is not None, f"the attempt shows the inbox's 2xx: {self.text()[-300:]}")
        # The attempt's headers, behind a <details> that needs no script: what was sent, signature
        # included (never the secret), and what the inbox answered.
        self.click("details.headers summary")
        headers = d.find_element(By.CSS_SELECTOR, "details.headers").text
        self.expect("webhook-signature" in headers and "v1," in headers and "webhook-id" in headers,
                    f"the attempt shows the request headers it sent: {headers[:400]}")
        received = headers.split("Received", 1)[-1].lower()
        self.expect("No response." not in headers, f"the attempt shows the response headers: {received[:300]}")
        self.expect("whsec_" not in d.page_source, "no secret on the delivery page")
        self.check_page("delivery-headers")
        self.click("form[action$='/redeliver'] button")
        self.wait_url("notice=redelivered")

        # Filters stay in the URL.
        self.go(endpoint.replace(self.front, "").split("?")[0] + "?status=failed")
        self.expect("No deliveries match" in self.text(), "the failed filter shows none")
        self.check_page("webhook-filtered")

        # Recovering failed deliveries counts them first; with none failed, nothing is offered to send.
        # A time that is not one comes back as typed, to correct.
        self.go(endpoint.replace(self.front, "").split("?")[0])
        since = d.find_element(By.ID, "since")
        default_since = since.get_attribute("value")
        since.clear()
        since.send_keys("2026-12-0X")
        self.click("#recover form button[type=submit]")
        self.wait_url("recover_since=")
        self.expect("Give the time as" in self.text() and d.find_element(By.ID, "since").get_attribute("value") == "2026-12-0X",
                    f"a bad recovery time is refused and kept as typed: {self.text()[-300:]}")
        since = d.find_element(By.ID, "since")
        since.clear()
        since.send_keys(default_since)
        self.click("#recover form button[type=submit]")
        self.wait_url("recover_since=")
        self.expect("No failed deliveries since" in self.text() and not d.find_elements(By.CSS_SELECTOR, "#recover button.danger"),
                    f"recovery counts first, and offers nothing to send for none: {self.text()[-400:]}")
        self.check_page("recover-nothing")

        # Disabled by hand behind the confirmation: recovery waits for it; enabled again at once.
        self.confirm("form[action$='/disable'] button", "webhook-disable-confirm")
        self.wait_url("notice=disabled")
        self.expect("Disabled: it is sent nothing" in self.text() and "Enable it again first" in self.text()
                    and not d.find_elements(By.CSS_SELECTOR, "form[action$='/test'] button"),
                    f"the endpoint is disabled by hand, and offers no test event: {self.text()[:600]}")
        self.check_page("webhook-disabled-by-hand")
        self.click("form[action$='/enable'] button")
        self.wait_url("notice=enabled")
        self.expect("Disabled" not in self.text() and d.find_elements(By.CSS_SELECTOR, "form[action$='/disable'] button"),
                    f"the endpoint is enabled again: {self.text()[:400]}")

        # An endpoint answering 410 Gone is disabled at its first delivery. Enabled again, its
        # failed delivery is counted, then sent again.
        self.go("/integrations/webhooks")
        d.find_element(By.ID, "url").send_keys(f"{self.sandbox}/_inbox/gone?status=410")
        self.click("form[action='/integrations/webhooks'] button[type=submit]")
        self.wait_for("#secret-value")
        self.click("form[action$='/test'] button")
        self.wait_url("notice=test_sent")
        self.reload_until("Disabled")
        self.expect("Disabled" in self.text() and "410 Gone" in self.text() and "Enable it again first" in self.text(),
                    f"the gone endpoint is disabled, and recovery waits for it to be enabled: {self.text()[:600]}")
        self.check_page("webhook-disabled")
        self.click("form[action$='/enable'] button")
        self.wait_url("notice=enabled")
        self.expect("Disabled" not in self.text() and "Enabled" in self.text(), f"the endpoint is enabled again: {self.text()[:400]}")
        self.click("#recover form button[type=submit]")
        self.wait_url("recover_since=")
        # The test's delivery alone: the notice of its own disabling goes to the other endpoint.
        self.expect(re.search(r"\b1 failed delivery since", self.text()) is not None,
                    f"recovery counts the failed deliveries: {self.text()[-400:]}")
        self.check_page("recover-confirm")
        self.click("#recover form button.danger")
        self.wait_url("notice=recovered")
        self.check_page("recovered")

        # Inbound provider events.
        self.go("/integrations/webhooks/inbound")
        self.check_page("inbound")

        # Rotate the secret through the confirmation dialog.
        self.go(endpoint.replace(self.front, "").split("?")[0])
        self.confirm("form[action$='/rotate'] button", "rotate-confirm")
        self.wait_for("#secret-value")
        second = d.find_element(By.ID, "secret-value").text
        self.expect(second.startswith("whsec_") and second != first_secret, "rotation shows a new secret")
        self.check_page("webhook-rotated")

        # Zapier: a key for the Zapier app, shown once, listed by prefix and last four, then revoked
        # behind the confirmation.
        self.go("/integrations/zapier")
        self.expect("No API keys yet" in self.text(), "the Zapier page explains what a key is for when there is none")
        self.check_page("zapier-empty")
        d.find_element(By.ID, "organization_name").send_keys("Acme Books Ltd")
        d.find_element(By.ID, "key-name").send_keys("Zapier production")
        self.click("form[action='/integrations/zapier'] button[type=submit]")
        self.wait_for("#key-value")
        api_key = d.find_element(By.ID, "key-value").text
        self.expect(re.fullmatch(r"hzk_[0-9a-f]{64}", api_key) is not None, f"the new Zapier key is shown: {api_key[:8]}")
        self.expect("it will not be shown again" in self.text(), "the new key says it is shown once")
        self.check_page("zapier-key-created")
        self.go("/integrations/zapier")
        self.expect(api_key not in d.page_source and api_key[4:24] not in d.page_source, "the Zapier key is not shown again")
        self.expect(f"{api_key[:8]}…{api_key[-4:]}" in self.text(), "the Zapier list shows the key's prefix and last four")
        self.confirm("form[action$='/revoke'] button", "zapier-revoke-confirm")
        self.wait_url("notice=revoked")
        self.expect("Key revoked" in self.text() and "Revoked" in self.text(), f"the key is marked revoked: {self.text()[:400]}")
        self.check_page("zapier-revoked")

        # Disconnect Stripe behind the confirmation.
        d.get(stripe_url)
        self.confirm("#disconnect button[type=submit]", "disconnect-confirm")
        self.wait_url("notice=disconnected")
        self.check_page("catalog-after-disconnect")
        self.expect("Disconnected" in self.text(), "the catalog confirms the disconnection")

        # Sign out: the session ends and pages send you to sign in.
        self.click("form.signout button")
        self.wait_url("/sign-in")
        self.check_page("signed-out")
        self.go("/integrations")
        self.expect("/sign-in" in d.current_url, "signed out, the console asks to sign in again")

    def close(self):
        self.driver.quit()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--front", required=True)
    parser.add_argument("--sandbox", required=True)
    parser.add_argument("--link", required=True)
    parser.add_argument("--screenshots", required=True)
    parser.add_argument("--chromium", default="/usr/bin/chromium")
    parser.add_argument("--driver", default="/usr/bin/chromedriver")
    args = parser.parse_args()
    walk = Walk(args)
    try:
        walk.run()
    except Exception as error:  # a step that could not run at all: report where
        walk.failures.append(f"the walk stopped at {walk.driver.current_url}: {type(error).__name__}: {error}")
        walk.driver.save_screenshot(os.path.join(walk.shots, "zz-stopped.png"))
    finally:
        walk.close()
    for failure in walk.failures:
        print(f"    FAIL {failure}")
    print(f"console: {walk.checked} pages checked (CSP, axe, screenshot in {walk.shots}), {len(walk.failures)} failures")
    return 1 if walk.failures else 0


if __name__ == "__main__":
    sys.exit(main())
