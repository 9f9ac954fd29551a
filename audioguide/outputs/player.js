(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("guide-data").textContent);
  var tracks = data.tracks, words = data.words;
  var $ = function (id) { return document.getElementById(id); };
  var audio = $("audio"), playButton = $("play"), status = $("status"), captionBox = $("captions");
  var position = $("position"), timeText = $("time"), nowTitle = $("now-title");
  var storageKey = "audioguide:" + data.slug;
  var current = 0, cues = [], lastCue = -1, saveTick = 0;

  document.documentElement.className = "js";
  $("player").hidden = false;

  // One of the guide's language's phrases, its {fields} filled in.
  function say(key, fields) {
    return words[key].replace(/\{(\w+)\}/g, function (all, name) { return fields[name]; });
  }
  function clock(seconds) {
    seconds = Math.max(0, Math.round(seconds || 0));
    var h = Math.floor(seconds / 3600), m = Math.floor(seconds % 3600 / 60), s = seconds % 60;
    var mm = (h && m < 10 ? "0" : "") + m, ss = (s < 10 ? "0" : "") + s;
    return (h ? h + ":" : "") + mm + ":" + ss;
  }
  function spokenClock(seconds) {
    seconds = Math.max(0, Math.round(seconds || 0));
    var m = Math.floor(seconds / 60), s = seconds % 60;
    var minutes = m === 1 ? say("minute_one", {}) : say("minute_many", {n: m});
    return (m ? minutes + " " : "") + (s === 1 ? say("second_one", {}) : say("second_many", {n: s}));
  }
  function parseTime(text) {
    var parts = text.trim().split(":").map(parseFloat);
    return parts.reduce(function (total, part) { return total * 60 + part; }, 0);
  }
  function parseVtt(text) {
    var found = [];
    text.replace(/\r/g, "").split(/\n\n+/).forEach(function (block) {
      var lines = block.split("\n");
      for (var i = 0; i < lines.length; i++) {
        var times = lines[i].split(" --> ");
        if (times.length === 2) {
          // Caption text goes on the page as text, never as markup: only VTT's escapes are undone.
          var text = lines.slice(i + 1).join("\n").replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&amp;/g, "&");
          found.push({start: parseTime(times[0]), end: parseTime(times[1]), text: text});
          break;
        }
      }
    });
    return found;
  }
  function announce(text) { status.textContent = text; }
  function partName(index) { return say("part_name", {number: index + 1, total: tracks.length, title: tracks[index].title}); }

  function load(index, startAt, play) {
    current = Math.max(0, Math.min(tracks.length - 1, index));
    var track = tracks[current];
    audio.src = track.file;
    audio.playbackRate = parseFloat($("speed").value);
    cues = parseVtt(track.vtt);
    lastCue = -1;
    showCaption(null);
    nowTitle.textContent = partName(current);
    document.querySelectorAll(".chapter button").forEach(function (button, i) {
      button.setAttribute("aria-current", i === current ? "true" : "false");
    });
    position.max = String(Math.round(track.seconds));
    position.value = String(startAt || 0);
    updateTime();
    var begin = function () {
      if (startAt) { audio.currentTime = startAt; }
      if (play) { audio.play().catch(function () {}); }
    };
    if (audio.readyState >= 1) { begin(); } else { audio.addEventListener("loadedmetadata", begin, {once: true}); }
    $("previous").disabled = current === 0;
    $("next").disabled = current === tracks.length - 1;
  }
  function showCaption(cue) {
    captionBox.textContent = cue ? cue.text : "";
  }
  function updateCaption() {
    var t = audio.currentTime, index = -1;
    for (var i = 0; i < cues.length; i++) { if (cues[i].start <= t && t < cues[i].end + 0.3) { index = i; } }
    if (index !== lastCue) { lastCue = index; showCaption(index >= 0 ? cues[index] : null); }
  }
  function updateTime() {
    var total = tracks[current].seconds;
    timeText.textContent = say("time_of", {time: clock(audio.currentTime), total: clock(total)});
    position.setAttribute("aria-valuetext", spokenClock(audio.currentTime) + " of " + spokenClock(total));
  }
  function save() {
    try {
      localStorage.setItem(storageKey, JSON.stringify({track: current, time: audio.currentTime}));
    } catch (e) { /* private browsing: resuming is a convenience, never a failure */ }
  }
  function togglePlay() { if (audio.paused) { audio.play().catch(function () {}); } else { audio.pause(); } }
  function skip(seconds) {
    var target = audio.currentTime + seconds;
    if (target < 0 && current > 0 && seconds < 0 && audio.currentTime < 2) { load(current - 1, 0, !audio.paused); return; }
    audio.currentTime = Math.max(0, Math.min(target, (audio.duration || tracks[current].seconds) - 0.1));
    announce(say("into_part", {time: spokenClock(audio.currentTime), title: tracks[current].title}));
  }
  function go(index) {
    if (index < 0 || index >= tracks.length) { return; }
    load(index, 0, true);
    announce(say("now_playing", {part: partName(index)}));
  }

  audio.addEventListener("play", function () { playButton.textContent = say("pause", {}); playButton.setAttribute("aria-label", say("pause", {})); });
  audio.addEventListener("pause", function () { playButton.textContent = say("play", {}); playButton.setAttribute("aria-label", say("play", {})); save(); });
  audio.addEventListener("timeupdate", function () {
    updateCaption();
    updateTime();
    if (document.activeElement !== position) { position.value = String(Math.floor(audio.currentTime)); }
    if (++saveTick % 8 === 0) { save(); }
  });
  audio.addEventListener("ended", function () {
    if (current < tracks.length - 1) { go(current + 1); }
    else { announce(say("end_of_guide", {})); try { localStorage.removeItem(storageKey); } catch (e) {} }
  });
  playButton.addEventListener("click", togglePlay);
  // Closing the tab or the browser must not lose the listener's place.
  window.addEventListener("pagehide", save);
  $("back").addEventListener("click", function () { skip(-data.skip); });
  $("forward").addEventListener("click", function () { skip(data.skip); });
  $("previous").addEventListener("click", function () { go(current - 1); });
  $("next").addEventListener("click", function () { go(current + 1); });
  $("speed").addEventListener("change", function () {
    audio.playbackRate = parseFloat(this.value);
    announce(say("speed_times", {speed: this.value}));
  });
  position.addEventListener("input", function () { audio.currentTime = parseFloat(position.value); updateTime(); });
  $("caption-toggle").addEventListener("click", function () {
    var showing = this.getAttribute("aria-pressed") !== "true";
    this.setAttribute("aria-pressed", showing ? "true" : "false");
    captionBox.hidden = !showing;
    announce(say(showing ? "captions_shown" : "captions_hidden", {}));
  });
  document.querySelectorAll(".chapter").forEach(function (item, index) {
    var button = document.createElement("button");
    button.type = "button";
    button.className = "secondary";
    button.textContent = say("part_button", {number: index + 1, title: tracks[index].title, length: clock(tracks[index].seconds)});
    button.addEventListener("click", function () { go(index); });
    item.insertBefore(button, item.firstChild);
  });
  document.addEventListener("keydown", function (event) {
    var target = event.target, tag = target.tagName;
    if (event.altKey || event.ctrlKey || event.metaKey || tag === "SELECT" || tag === "INPUT" || tag === "TEXTAREA") { return; }
    var onButton = tag === "BUTTON" || tag === "A" || tag === "AUDIO";
    var key = event.key;
    if ((key === " " || key === "Spacebar") && !onButton) { togglePlay(); }
    else if (key === "k" || key === "K") { togglePlay(); }
    else if (key === "ArrowLeft" || key === "j" || key === "J") { skip(-data.skip); }
    else if (key === "ArrowRight" || key === "l" || key === "L") { skip(data.skip); }
    else if (key === "n" || key === "N" || key === "PageDown") { go(current + 1); }
    else if (key === "p" || key === "P" || key === "PageUp") { go(current - 1); }
    else if (key === "c" || key === "C") { $("caption-toggle").click(); }
    else if (key === "+" || key === "=" || key === "-") {
      var speed = $("speed"), index = speed.selectedIndex + (key === "-" ? -1 : 1);
      if (index >= 0 && index < speed.options.length) { speed.selectedIndex = index; speed.dispatchEvent(new Event("change")); }
    }
    else { return; }
    event.preventDefault();
  });

  var saved = null;
  try { saved = JSON.parse(localStorage.getItem(storageKey) || "null"); } catch (e) { saved = null; }
  if (saved && saved.track >= 0 && saved.track < tracks.length && saved.time > 1) {
    load(saved.track, saved.time, false);
    announce(say("ready_to_resume", {part: partName(saved.track), time: spokenClock(saved.time)}));
  } else {
    load(0, 0, false);
  }
})();
