// Progressive enhancement only: every form works without this file. It adds confirmation
// dialogs, copy buttons, live sync progress, and the OAuth popup with its distinct outcomes.
document.documentElement.classList.add("js");

// Confirmations in a native <dialog>; the form then carries confirmed=yes.
for (const form of document.querySelectorAll("form[data-confirm]")) {
  form.addEventListener("submit", (event) => {
    if (form.dataset.confirmed === "yes") return;
    const dialog = document.getElementById("confirm-dialog");
    if (!dialog || typeof dialog.showModal !== "function") return;
    event.preventDefault();
    dialog.querySelector("#confirm-text").textContent = form.dataset.confirm;
    dialog.addEventListener("close", () => {
      if (dialog.returnValue !== "ok") return;
      form.dataset.confirmed = "yes";
      const input = document.createElement("input");
      input.type = "hidden";
      input.name = "confirmed";
      input.value = "yes";
      form.append(input);
      form.submit();
    }, { once: true });
    dialog.showModal();
  });
}

// Copy buttons: data-copy names the element whose text is copied.
for (const button of document.querySelectorAll("button[data-copy]")) {
  button.addEventListener("click", async () => {
    const text = document.getElementById(button.dataset.copy)?.textContent ?? "";
    try {
      await navigator.clipboard.writeText(text);
      button.textContent = "Copied";
    } catch {
      button.textContent = "Select and copy";
    }
  });
}

// A running sync job: poll the console's small JSON endpoint until the job finishes.
const job = document.getElementById("job");
if (job && job.dataset.finished !== "true") {
  const status = document.getElementById("job-status-text");
  const progress = document.getElementById("job-progress");
  const show = (name, value) => {
    const cell = job.querySelector(`[data-field="${name}"]`);
    if (cell && value !== undefined && value !== null) cell.textContent = String(value);
  };
  const poll = async () => {
    try {
      const response = await fetch(`/console-api/jobs/${encodeURIComponent(job.dataset.job)}`, { headers: { Accept: "application/json" } });
      if (response.ok) {
        const data = await response.json();
        show("pages", data.pages);
        show("records_seen", data.records_seen);
        for (const key of ["created", "updated", "deleted", "errors"]) show(key, data.counts?.[key]);
        show("rate_limit_waits", data.rate_limit_waits);
        show("rate_limited_total", data.rate_limited_total);
        // The page already says "waiting for <provider>'s rate limit until"; only the time changes.
        const waiting = document.getElementById("job-waiting");
        if (waiting) {
          waiting.hidden = !data.waiting_until;
          const until = document.getElementById("job-waiting-until");
          if (data.waiting_until) {
            until.dateTime = data.waiting_until;
            until.textContent = data.waiting_until_clock;
          }
        }
        status.replaceChildren("Status: ", Object.assign(document.createElement("strong"), { textContent: data.status }));
        if (data.finished) {
          job.dataset.finished = "true";
          progress.max = 1;
          progress.value = 1;
          document.getElementById("job-cancel")?.remove();
          return;
        }
      }
    } catch {
      // a missed poll is retried on the next tick
    }
    setTimeout(poll, 1000);
  };
  setTimeout(poll, 500);
}

// OAuth: the popup reports back over BroadcastChannel (and postMessage when it still has its
// opener); the opener accepts only its own attempt, then asks the server what really happened.
const start = document.getElementById("oauth-start");
if (start) {
  const statusBox = document.getElementById("oauth-status");
  const say = (text, link) => {
    statusBox.replaceChildren(text);
    if (link) {
      const a = Object.assign(document.createElement("a"), { href: link.href, textContent: link.text });
      statusBox.append(" ", a);
    }
  };
  start.addEventListener("click", (event) => {
    event.preventDefault();
    const attempt = crypto.randomUUID();
    const url = `${start.getAttribute("href")}?attempt=${attempt}`;
    // Opened synchronously in the click handler: after an await the browser would block it.
    const popup = window.open(url, "hub-oauth", "popup,width=560,height=720");
    if (!popup) {
      // Without an attempt id the result page knows it is not a popup and stays.
      say("The popup was blocked, so the authorization continues in this window.");
      window.location.assign(start.getAttribute("href"));
      return;
    }
    say(`Waiting for you to approve in the ${start.textContent.replace("Connect with ", "")} window…`);
    let settled = false;
    const channel = "BroadcastChannel" in window ? new BroadcastChannel("hub-oauth") : null;
    const accept = (data) => {
      if (settled || !data || data.type !== "hub-oauth" || data.attempt !== attempt) return;
      settled = true;
      channel?.close();
      if (data.outcome === "approved") {
        say("Connected. Opening the connection…");
        window.location.assign(`/connections/${encodeURIComponent(data.connection)}?notice=connected`);
      } else if (data.outcome === "denied") {
        say("You declined the authorization. Nothing was connected.", { href: start.getAttribute("href").replace("/oauth/start", "/connect"), text: "Try again" });
      } else {
        say("The provider reported an error; nothing was connected.", { href: start.getAttribute("href").replace("/oauth/start", "/connect"), text: "Try again" });
      }
    };
    channel?.addEventListener("message", (message) => accept(message.data));
    window.addEventListener("message", (message) => {
      if (message.origin === window.location.origin) accept(message.data);
    });
    const watch = setInterval(() => {
      if (settled) return clearInterval(watch);
      if (popup.closed) {
        clearInterval(watch);
        // Give a result sent just before closing a moment to arrive; closing is never success.
        setTimeout(() => {
          if (settled) return;
          settled = true;
          channel?.close();
          say("The window was closed before the authorization finished. Nothing was connected.", { href: window.location.pathname, text: "Check again or retry" });
        }, 800);
      }
    }, 400);
  });
}

// The OAuth result page, when it is the popup (only a popup carries an attempt id; the window
// name does not survive the trip through the provider): tell the opener, then close.
const result = document.getElementById("oauth-result");
if (result && result.dataset.attempt) {
  const message = {
    type: "hub-oauth",
    outcome: result.dataset.outcome,
    provider: result.dataset.provider,
    attempt: result.dataset.attempt,
    connection: result.dataset.connection,
  };
  if ("BroadcastChannel" in window) {
    const channel = new BroadcastChannel("hub-oauth");
    channel.postMessage(message);
    channel.close();
  }
  if (window.opener) window.opener.postMessage(message, window.location.origin);
  setTimeout(() => window.close(), 300);
}

// Plaid Link: the page names Link's script (Plaid's CDN or the sandbox's copy, allowed by this
// page's CSP) and a link token; Link hands back a public token that the same-origin form posts.
const plaidButton = document.getElementById("plaid-link-open");
if (plaidButton) {
  const plaidStatus = document.getElementById("plaid-status");
  const loader = document.createElement("script");
  loader.src = plaidButton.dataset.script;
  loader.addEventListener("load", () => {
    const handler = window.Plaid.create({
      token: plaidButton.dataset.linkToken,
      onSuccess: (publicToken, metadata) => {
        plaidStatus.textContent = `Linked ${metadata?.institution?.name ?? "your bank"}. Finishing the connection…`;
        document.getElementById("plaid-public-token").value = publicToken;
        document.getElementById("plaid-link-finish").submit();
      },
      onExit: (error) => {
        plaidStatus.textContent = error
          ? `Plaid Link stopped with an error (${error.error_code}). Nothing was connected.`
          : "You closed Plaid Link. Nothing was connected.";
        plaidButton.focus();
      },
    });
    plaidButton.disabled = false;
    plaidButton.addEventListener("click", () => handler.open());
  });
  loader.addEventListener("error", () => {
    plaidStatus.textContent = "Plaid Link could not be loaded. Try again later.";
  });
  document.head.append(loader);
}
