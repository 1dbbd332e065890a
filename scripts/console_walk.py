"""Walks the web console in a real browser as a person would, against a stack from scripts/up.

Signs in with the one-time link, connects Stripe (a wrong key first, refused with Stripe's
message), connects Xero by OAuth (declined in a popup, then approved with the popup blocked so
the full-page flow runs), starts a sync and watches it finish without a reload, opens records,
creates a webhook endpoint and sees a delivery and its attempt, rotates the secret, disconnects,
signs out. Every page is checked for Content-Security-Policy violations (the browser's log) and
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

from axe_selenium_python import Axe
from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import Select, WebDriverWait


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
        results = axe.run()
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

    def expect(self, condition, message):
        if not condition:
            self.failures.append(message)
            print(f"    FAIL {message}", flush=True)

    def text(self):
        return self.driver.find_element(By.TAG_NAME, "main").text

    def click(self, selector):
        self.driver.find_element(By.CSS_SELECTOR, selector).click()

    def go(self, path):
        self.driver.get(self.front + path)

    def wait_for(self, css):
        return self.wait.until(EC.presence_of_element_located((By.CSS_SELECTOR, css)))

    def wait_url(self, fragment):
        self.wait.until(lambda d: fragment in d.current_url)

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

        # Sync customers and watch the job finish without a reload.
        self.go(stripe_url.replace(self.front, "") + "/sync")
        self.check_page("sync")
        self.click("form[action$='/sync'] input[value='customers'] ~ button")
        self.wait_url("/sync/jobs/")
        d.execute_script("window.__sameDocument = 'yes'")
        self.wait.until(lambda dr: dr.find_element(By.ID, "job").get_attribute("data-finished") == "true")
        same = d.execute_script("return window.__sameDocument || 'reloaded'")
        self.expect(same == "yes", "the job page updated without a reload")
        self.expect("completed" in self.text(), f"the job completed: {self.text()[:200]}")
        self.expect(d.find_element(By.CSS_SELECTOR, "[data-field='created']").text == "25", "25 customers created")
        self.expect(not d.find_elements(By.ID, "job-cancel"), "a finished job offers no cancel")
        self.check_page("sync-job")


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
        deadline = time.time() + 60
        while time.time() < deadline and "Delivered" not in self.text():
            time.sleep(1)
            d.refresh()
        self.expect("Delivered" in self.text(), "the test event was delivered")
        self.check_page("webhook-deliveries")
        d.find_element(By.CSS_SELECTOR, "main tbody tr a").click()
        self.wait_for("main h1")
        self.check_page("delivery")
        self.expect(re.search(r"✔ 2\d\d", self.text()) is not None, f"the attempt shows the inbox's 2xx: {self.text()[-300:]}")
        self.click("form[action$='/redeliver'] button")
        self.wait_url("notice=redelivered")

        # Filters stay in the URL.
        self.go(endpoint.replace(self.front, "").split("?")[0] + "?status=failed")
        self.expect("No deliveries match" in self.text(), "the failed filter shows none")
        self.check_page("webhook-filtered")

        # Recovering failed deliveries says how many first.
        self.go(endpoint.replace(self.front, "").split("?")[0])
        self.click("#recover form button[type=submit]")
        self.wait_url("recover_since=")
        self.expect("0 failed deliveries since" in self.text(), f"recovery counts first: {self.text()[-400:]}")
        self.check_page("recover-confirm")
        self.click("#recover form button[type=submit]")
        self.wait_url("notice=recovered")

        # Inbound provider events.
        self.go("/integrations/webhooks/inbound")
        self.check_page("inbound")

        # Rotate the secret through the confirmation dialog.
        self.go(endpoint.replace(self.front, "").split("?")[0])
        self.click("form[action$='/rotate'] button")
        self.wait.until(lambda dr: dr.find_element(By.ID, "confirm-dialog").get_attribute("open") is not None)
        self.check_page("rotate-confirm")
        self.click("#confirm-dialog button[value=ok]")
        self.wait_for("#secret-value")
        second = d.find_element(By.ID, "secret-value").text
        self.expect(second.startswith("whsec_") and second != first_secret, "rotation shows a new secret")
        self.check_page("webhook-rotated")

        # Disconnect Stripe behind the confirmation.
        d.get(stripe_url)
        self.click("#disconnect button[type=submit]")
        self.wait.until(lambda dr: dr.find_element(By.ID, "confirm-dialog").get_attribute("open") is not None)
        self.check_page("disconnect-confirm")
        self.click("#confirm-dialog button[value=ok]")
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
