// The viewer pages (/reserve, /live): countdowns, the reservation button and coupon claims.
// The buyer's JWT comes from the platform's login gateway, which opens the page with
// #buyer_token=<JWT>; it is kept in sessionStorage (never sent in a URL to our server) and
// goes to the JSON API as a bearer token. Every word shown is in the page (Babel); this
// file only fills in numbers.
"use strict";
(function () {
  var KEY = "liveroom_buyer_token";

  function takeTokenFromHash() {
    var m = /(?:^#|&)buyer_token=([^&]+)/.exec(window.location.hash);
    if (m) {
      try { window.sessionStorage.setItem(KEY, decodeURIComponent(m[1])); } catch (e) { /* private mode: kept for this page only */ }
      window.__liveroomBuyer = decodeURIComponent(m[1]);
      history.replaceState(null, "", window.location.pathname + window.location.search);
    }
  }

  function buyerToken() {
    if (window.__liveroomBuyer) { return window.__liveroomBuyer; }
    try { return window.sessionStorage.getItem(KEY); } catch (e) { return null; }
  }

  function words(name) {
    var box = document.getElementById("buyer");
    return box ? box.dataset[name] || "" : "";
  }

  function say(note, text, ok) {
    if (!note) { return; }
    note.textContent = text;
    note.classList.toggle("ok", !!ok);
    note.classList.toggle("error", !ok);
  }

  // refusals a viewer can act on have their own words; the rest is "try again"
  var REFUSALS = {limit_exceeded: "limit", coupon_exhausted: "gone",
                  coupon_code_required: "needCode", coupon_code_mismatch: "needCode"};

  function post(url, body, note, onDone, onFail) {
    var token = buyerToken();
    if (!token) { say(note, words("noToken"), false); onFail(); return; }
    fetch(url, {method: "POST", headers: {"Authorization": "Bearer " + token,
                                          "Content-Type": "application/json"},
                body: JSON.stringify(body)})
      .then(function (r) { return r.json().then(function (j) { return {status: r.status, body: j}; }); })
      .then(function (res) {
        if (res.status === 401) { say(note, words("expired"), false); onFail(); return; }
        if (res.status >= 400) {
          say(note, words(REFUSALS[res.body.code] || "failed"), false);
          onFail();
          return;
        }
        onDone(res.body);
      })
      .catch(function () { say(note, words("failed"), false); onFail(); });
  }

  function two(n) { return (n < 10 ? "0" : "") + n; }

  function tick() {
    var now = Date.now();
    document.querySelectorAll(".countdown[data-until]").forEach(function (el) {
      var left = Math.floor((Date.parse(el.dataset.until) - now) / 1000);
      if (isNaN(left)) { return; }
      if (left <= 0) { el.textContent = el.dataset.done; return; }
      var d = Math.floor(left / 86400), h = Math.floor(left % 86400 / 3600);
      var m = Math.floor(left % 3600 / 60), s = left % 60;
      el.textContent = (d ? d + " " + el.dataset.day + " " : "") + two(h) + ":" + two(m) + ":" + two(s);
    });
  }

  function reserveButton() {
    var btn = document.getElementById("reserve");
    if (!btn) { return; }
    var note = document.getElementById("reserve-note");
    btn.addEventListener("click", function () {
      var body = btn.dataset.link ? {link_code: btn.dataset.link} : {};
      btn.disabled = true;
      post("/api/v1/sessions/" + btn.dataset.sid + "/reservations", body, note, function (out) {
        var text = out.created ? btn.dataset.done : btn.dataset.again;
        say(note, text.replace("{rank}", out.rank), true);
      }, function () { btn.disabled = false; });
    });
  }

  // claim buttons sit in the shelf, which htmx redraws: one listener on the document
  document.addEventListener("click", function (ev) {
    var btn = ev.target.closest ? ev.target.closest(".v-claim") : null;
    if (!btn) { return; }
    var note = btn.parentElement.querySelector(".v-note");
    var body = btn.dataset.code ? {code: btn.dataset.code} : {};
    btn.disabled = true;
    post("/api/v1/coupons/" + btn.dataset.coupon + "/claim", body, note, function () {
      say(note, btn.dataset.done, true);
    }, function () { btn.disabled = false; });
  });

  window.addEventListener("hashchange", takeTokenFromHash);  // the gateway may only set the fragment
  document.addEventListener("DOMContentLoaded", function () {
    takeTokenFromHash();
    reserveButton();
    tick();
    window.setInterval(tick, 1000);
    // a pushed shelf brings its countdowns as dates: count them at once, not a second later
    document.body.addEventListener("htmx:sseMessage", tick);
  });
}());
