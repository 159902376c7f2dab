/* Pendopo, staple-food prices: the enumerator's entry page on a poor connection.
   Saving puts the typed prices in a queue on the device (localStorage, so a reload or a
   closed tab loses nothing) and sends the queue to the API whenever the connection allows:
   at once, when the browser comes back online, on the next page load and every 30 seconds.
   Each price carries the idempotency key the server issued with the page, so a batch that is
   sent twice (the answer was lost on the way back) is saved once. Without this script the
   form posts as an ordinary form. All words come from the page (#price-texts). */
(function () {
  "use strict";
  var form = document.getElementById("price-form");
  var textsNode = document.getElementById("price-texts");
  if (!form || !textsNode || !window.fetch || !window.localStorage || !window.JSON) return;
  var texts = JSON.parse(textsNode.textContent);
  var status = document.getElementById("price-status");
  var QUEUE = "pendopo.prices.queue";
  var sending = false;

  function fill(template, values) {
    return template.replace(/%\((\w+)\)s/g, function (_, name) { return values[name]; });
  }
  function say(message, kind) {
    status.textContent = message;
    status.setAttribute("data-kind", kind);
    status.hidden = !message;
  }
  function load() {
    try { return JSON.parse(window.localStorage.getItem(QUEUE)) || []; } catch (error) { return []; }
  }
  function store(batches) {
    if (batches.length) window.localStorage.setItem(QUEUE, JSON.stringify(batches));
    else window.localStorage.removeItem(QUEUE);
  }
  function newKey() {
    if (window.crypto && window.crypto.randomUUID) return window.crypto.randomUUID();
    var bytes = window.crypto.getRandomValues(new Uint8Array(16));
    bytes[6] = (bytes[6] & 15) | 64;
    bytes[8] = (bytes[8] & 63) | 128;
    var hex = Array.prototype.map.call(bytes, function (b) { return (b + 256).toString(16).slice(1); }).join("");
    return [hex.slice(0, 8), hex.slice(8, 12), hex.slice(12, 16), hex.slice(16, 20), hex.slice(20)].join("-");
  }
  function csrfToken() {
    var match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    if (match) return decodeURIComponent(match[1]);
    var input = form.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }
  function rupiah(value) {
    // The page's notation, as the server writes it (pendopo/lib/money.py): Rp 13.500, or Rp 13,500 in English.
    var english = (document.documentElement.lang || "id").indexOf("en") === 0;
    return "Rp " + new Intl.NumberFormat(english ? "en-US" : "id-ID").format(Number(value));
  }
  function fieldOf(code) {
    return form.querySelector('input[data-commodity="' + CSS.escape(code) + '"]');
  }
  function noteOf(input) {
    return input.closest("li").querySelector(".was");
  }
  function thisPage(batch) {
    return batch.market === form.getAttribute("data-market") && batch.date === form.getAttribute("data-day");
  }
  function count(batches) {
    return batches.reduce(function (n, batch) { return n + batch.prices.length; }, 0);
  }

  function showQueued() {
    var batches = load();
    batches.filter(thisPage).forEach(function (batch) {
      batch.prices.forEach(function (price) {
        var input = fieldOf(price.commodity);
        if (input) noteOf(input).textContent = fill(texts.waiting, { price: price.price });
      });
    });
    if (batches.length) say(fill(texts.queued, { count: count(batches) }), "queued");
  }

  function enqueue() {
    var prices = [];
    form.querySelectorAll("input[data-commodity]").forEach(function (input) {
      var typed = input.value.trim();
      if (!typed) return;
      var key = form.querySelector('input[name="key_' + input.getAttribute("data-pk") + '"]');
      prices.push({ commodity: input.getAttribute("data-commodity"), price: typed, key: key.value });
      // The field is empty again and gets a new key: typing a correction later is a new entry.
      input.value = "";
      input.removeAttribute("aria-invalid");
      key.value = newKey();
    });
    if (!prices.length) return false;
    var batches = load();
    batches.push({
      api: form.getAttribute("data-api"),
      market: form.getAttribute("data-market"),
      date: form.getAttribute("data-day"),
      offline: !navigator.onLine,
      prices: prices,
    });
    store(batches);
    return true;
  }

  function drop(batch) {
    var first = batch.prices[0].key;
    store(load().filter(function (other) { return other.prices[0].key !== first; }));
  }

  function showSaved(batch, saved) {
    if (!thisPage(batch)) return;
    saved.forEach(function (entry) {
      var input = fieldOf(entry.commodity);
      if (input) noteOf(input).textContent = fill(texts.saved, { price: rupiah(entry.price), status: texts.statuses[entry.status] || entry.status });
    });
  }

  function showRefused(batch, body) {
    // Put the refused prices back in their fields with the server's message beside each.
    var messages = {};
    (body.errors || []).forEach(function (error) {
      var code = (error.field || "").split(".")[1];
      if (code) messages[code] = error.message;
    });
    batch.prices.forEach(function (price) {
      var input = thisPage(batch) ? fieldOf(price.commodity) : null;
      if (!input) return;
      input.value = price.price;
      if (messages[price.commodity]) {
        input.setAttribute("aria-invalid", "true");
        noteOf(input).textContent = messages[price.commodity];
      }
    });
  }

  function flush() {
    if (sending) return Promise.resolve();
    var batches = load();
    if (!batches.length) return Promise.resolve();
    sending = true;
    say(texts.sending, "sending");
    var received = 0;
    var flagged = 0;
    var outcome = "sent";

    function next() {
      var batch = load()[0];
      if (!batch) return Promise.resolve();
      return fetch(batch.api, {
        method: "POST",
        credentials: "same-origin",
        headers: { "Content-Type": "application/json", "X-CSRFToken": csrfToken(), Accept: "application/json" },
        body: JSON.stringify({ market: batch.market, date: batch.date, offline: batch.offline, prices: batch.prices }),
      }).then(function (response) {
        if (response.status === 200 || response.status === 201) {
          return response.json().then(function (saved) {
            drop(batch);
            received += saved.length;
            flagged += saved.filter(function (entry) { return entry.status === "flagged"; }).length;
            showSaved(batch, saved);
            return next();
          });
        }
        if (response.status === 400 || response.status === 422) {
          return response.json().catch(function () { return {}; }).then(function (body) {
            drop(batch);
            showRefused(batch, body);
            outcome = "refused";
            return next();
          });
        }
        outcome = "later"; // logged out, no longer assigned, or the server is down: keep the queue
      }, function () {
        outcome = "queued"; // no connection: keep the queue
      });
    }

    return next().then(function () {
      sending = false;
      var left = load();
      if (outcome === "queued") say(fill(texts.queued, { count: count(left) }), "queued");
      else if (outcome === "later") say(texts.later, "error");
      else if (outcome === "refused") say(texts.refused, "error");
      else {
        var message = fill(texts.sent, { count: received });
        if (flagged) message += " " + fill(texts.flagged, { count: flagged });
        say(message, "sent");
      }
    });
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    if (!enqueue() && !load().length) {
      say(texts.empty, "error");
      return;
    }
    showQueued();
    flush();
  });
  window.addEventListener("online", flush);
  window.setInterval(function () { if (navigator.onLine) flush(); }, 30000);

  if ("serviceWorker" in navigator && form.getAttribute("data-worker")) {
    navigator.serviceWorker.register(form.getAttribute("data-worker"), { scope: form.getAttribute("data-scope") }).catch(function () {});
  }
  showQueued();
  if (navigator.onLine) flush();
})();
