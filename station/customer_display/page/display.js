// The customer display's only script: listens to the station's server-sent events and shows
// the screen they describe. No framework; the words come from the station, in both languages.
"use strict";

(() => {
  const PICTURES = ["arrow", "eye", "smile", "look", "fingerprint", "phone", "check", "cross"];
  const ARROWS = { turn_left: "left", turn_right: "right", look_up: "up" };
  const CHALLENGE_PICTURES = { blink: "eye", smile: "smile" };
  const SCREEN_PICTURES = {
    place_finger: "fingerprint",
    enter_code: "phone",
    success: "check",
    failure: "cross",
  };
  const URGENT_S = 2; // the countdown turns red for the last seconds
  const REOPEN_MS = 2000; // after the browser gave up on the stream (e.g. an HTTP error)

  const body = document.body;
  const byId = (id) => document.getElementById(id);
  let countdownTimer = null;

  function setLanguageBlock(lang, text) {
    byId(`title-${lang}`).textContent = text.title[lang];
    const lines = byId(`lines-${lang}`);
    lines.replaceChildren(
      ...text.lines.map((line) => {
        const paragraph = document.createElement("p");
        paragraph.textContent = line[lang];
        return paragraph;
      }),
    );
    const note = byId(`note-${lang}`);
    note.hidden = !(text.note && text.note[lang]);
    note.textContent = text.note ? text.note[lang] : "";
  }

  function pictureFor(update) {
    if (update.screen === "face") {
      if (update.challenge === null) return "look";
      if (ARROWS[update.challenge]) return "arrow";
      return CHALLENGE_PICTURES[update.challenge] || "look";
    }
    return SCREEN_PICTURES[update.screen] || null;
  }

  function showPicture(update) {
    const chosen = pictureFor(update);
    // SVG elements have no `hidden` property: set the attribute itself.
    for (const name of PICTURES) byId(name).toggleAttribute("hidden", name !== chosen);
    const arrow = byId("arrow");
    arrow.classList.remove("dir-left", "dir-right", "dir-up");
    const direction = ARROWS[update.challenge];
    if (chosen === "arrow") arrow.classList.add(`dir-${direction}`);
    arrow.dataset.direction = chosen === "arrow" ? direction : "";
  }

  function startCountdown(update) {
    clearInterval(countdownTimer);
    countdownTimer = null;
    const box = byId("countdown");
    const total = update.challenge_deadline_s;
    body.dataset.urgent = "false";
    if (update.screen !== "face" || update.challenge === null || !(total > 0)) {
      box.hidden = true;
      return;
    }
    const left = update.challenge_remaining_s ?? total;
    const endsAt = performance.now() + left * 1000;
    const tick = () => {
      const remaining = Math.max(endsAt - performance.now(), 0) / 1000;
      byId("countdown-seconds").textContent = String(Math.ceil(remaining));
      byId("countdown-bar").style.width = `${(100 * remaining) / total}%`;
      body.dataset.urgent = String(remaining <= URGENT_S);
      if (remaining <= 0) {
        clearInterval(countdownTimer);
        countdownTimer = null;
      }
    };
    box.hidden = false;
    tick();
    countdownTimer = setInterval(tick, 100);
  }

  function showScreen(update, eventId) {
    setLanguageBlock("ar", update.text);
    setLanguageBlock("en", update.text);
    showPicture(update);
    startCountdown(update);
    const version = byId("consent-version");
    version.hidden = !update.consent_version;
    version.textContent = update.consent_version ? `Consent ${update.consent_version}` : "";
    body.dataset.screen = update.screen;
    body.dataset.challenge = update.challenge ?? "";
    body.dataset.eventId = eventId;
  }

  function setConnected(connected) {
    body.dataset.connected = String(connected);
    byId("offline").hidden = connected;
  }

  function connect() {
    // EventSource reconnects by itself after a dropped stream and sends Last-Event-ID; the
    // station answers with whatever of the current screen this page has not seen.
    const source = new EventSource("events");
    source.addEventListener("open", () => setConnected(true));
    source.addEventListener("screen", (event) => {
      showScreen(JSON.parse(event.data), event.lastEventId);
    });
    source.addEventListener("error", () => {
      setConnected(false);
      if (source.readyState === EventSource.CLOSED) {
        setTimeout(connect, REOPEN_MS);
      }
    });
  }

  connect();
})();
