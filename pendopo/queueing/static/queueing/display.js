// The display board: polls its feed every second, shows the calls, and announces each call once.
// Speech: the browser's speech synthesis with an Indonesian (id-ID) voice when there is one,
// otherwise the clips shipped with Pendopo, played one after the other. No network is needed
// beyond Pendopo itself. The id of the last announced call is kept in localStorage, so a reload
// does not announce a call again; a recall is a new call event and is announced again.
(function () {
  "use strict";
  var body = document.body;
  var feedUrl = body.dataset.feed;
  var audioBase = body.dataset.audio;
  var storageKey = body.dataset.storage;
  var counterWord = body.dataset.counterWord || "Loket";
  var spoken = [];
  window.pendopoQueue = { spoken: spoken };
  var last = null;
  try { last = window.localStorage.getItem(storageKey); } catch (e) { last = null; }
  var chain = Promise.resolve();
  var delay = 1000;

  function remember(id) {
    last = String(id);
    try { window.localStorage.setItem(storageKey, last); } catch (e) { /* private mode: remembered for this page only */ }
  }

  function indonesianVoice() {
    if (!("speechSynthesis" in window)) { return null; }
    var voices = window.speechSynthesis.getVoices() || [];
    for (var i = 0; i < voices.length; i++) {
      var lang = (voices[i].lang || "").toLowerCase().replace("_", "-");
      if (lang === "id-id" || lang === "id") { return voices[i]; }
    }
    return null;
  }

  function playClip(name) {
    return new Promise(function (done) {
      var finished = false;
      function end() { if (!finished) { finished = true; done(); } }
      var clip = new Audio(audioBase + name + ".wav");
      clip.onended = end;
      clip.onerror = end;
      var playing = clip.play();
      if (playing && playing.catch) { playing.catch(end); }
      window.setTimeout(end, 4000);
    });
  }

  function speak(text, voice) {
    return new Promise(function (done) {
      var utterance = new SpeechSynthesisUtterance(text);
      utterance.lang = "id-ID";
      utterance.voice = voice;
      utterance.rate = 0.9;
      utterance.onend = done;
      utterance.onerror = done;
      window.speechSynthesis.speak(utterance);
      window.setTimeout(done, 12000);
    });
  }

  function announce(call) {
    document.getElementById("board-call-number").textContent = call.number;
    document.getElementById("board-call-counter").textContent = call.counter ? counterWord + " " + call.counter : "";
    var said = document.getElementById("board-spoken");
    said.textContent = call.text;
    var voice = indonesianVoice();
    var steps;
    if (voice) {
      said.dataset.mode = "speech";
      said.dataset.clips = "";
      steps = playClip("chime").then(function () { return speak(call.text, voice); });
    } else {
      said.dataset.mode = "clips";
      said.dataset.clips = call.clips.join(" ");
      steps = call.clips.reduce(function (previous, name) {
        return previous.then(function () { return playClip(name); });
      }, Promise.resolve());
    }
    spoken.push({ id: call.id, text: call.text, clips: voice ? [] : call.clips, recall: call.recall });
    return steps;
  }

  function fill(list, rows, cells) {
    while (list.firstChild) { list.removeChild(list.firstChild); }
    rows.forEach(function (row) {
      var line = document.createElement(cells ? "tr" : "li");
      (cells ? cells(row) : [row]).forEach(function (text) {
        var cell = document.createElement(cells ? "td" : "span");
        cell.textContent = text;
        line.appendChild(cell);
      });
      list.appendChild(line);
    });
  }

  function offline(isOffline) {
    document.getElementById("board-offline").hidden = !isOffline;
  }

  function poll() {
    var url = feedUrl + (last !== null ? "?after=" + encodeURIComponent(last) : "");
    fetch(url, { cache: "no-store", credentials: "same-origin" })
      .then(function (response) {
        if (!response.ok) { throw new Error(String(response.status)); }
        return response.json();
      })
      .then(function (data) {
        offline(false);
        if (last === null) { remember(data.cursor); }
        data.calls.forEach(function (call) {
          if (Number(call.id) <= Number(last)) { return; }
          remember(call.id);  // before speaking: a reload mid-announcement does not repeat it
          chain = chain.then(function () { return announce(call); });
        });
        fill(document.getElementById("board-serving"), data.serving, function (row) { return [row.counter_name, row.number]; });
        fill(document.getElementById("board-next"), data.next);
        delay = 1000;
      })
      .catch(function () {
        offline(true);
        delay = Math.min(delay * 2, 5000);
      })
      .then(function () { window.setTimeout(poll, delay); });
  }

  // The board's clock in the region's time zone (the TV's own zone may be anything).
  var clockFormat = null;
  try {
    clockFormat = new Intl.DateTimeFormat("id-ID", { hour: "2-digit", minute: "2-digit", timeZone: body.dataset.timeZone });
  } catch (e) { clockFormat = null; }
  function tick() {
    if (clockFormat) { document.getElementById("board-clock").textContent = clockFormat.format(new Date()); }
  }
  tick();
  window.setInterval(tick, 10000);

  document.addEventListener("click", function () {
    document.getElementById("board-sound-hint").hidden = true;
  }, { once: true });
  poll();
})();
