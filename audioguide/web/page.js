(function () {
  "use strict";
  var $ = function (id) { return document.getElementById(id); };
  var current = null, polling = null;

  function say(text) { $("status").textContent = text; }
  function fail(text) { $("alert").textContent = text; }
  function text(tag, content, className) {
    var element = document.createElement(tag);
    element.textContent = content;
    if (className) { element.className = className; }
    return element;
  }
  function clock(seconds) {
    seconds = Math.round(seconds || 0);
    var m = Math.floor(seconds / 60), s = seconds % 60;
    return m + ":" + (s < 10 ? "0" : "") + s;
  }
  function call(method, url, body, raw) {
    var options = {method: method, headers: {}};
    if (body instanceof FormData) { options.body = body; }
    else if (body !== undefined) { options.body = JSON.stringify(body); options.headers["content-type"] = "application/json"; }
    return fetch(url, options).then(function (response) {
      if (!response.ok) {
        return response.json().then(function (data) { throw new Error(data.error || response.statusText); },
                                    function () { throw new Error(response.statusText); });
      }
      return raw ? response.blob() : response.json();
    });
  }
  function added(guide) {
    fail("");
    say("Added " + guide.title + ": " + guide.chapters + " parts.");
    listGuides();
    open(guide.id);
  }

  $("upload-form").addEventListener("submit", function (event) {
    event.preventDefault();
    var file = $("file").files[0];
    if (!file) { fail("Choose a document first."); $("file").focus(); return; }
    var form = new FormData();
    form.append("file", file);
    say("Reading " + file.name + "…");
    call("POST", "/api/guides", form).then(added, function (error) { fail(error.message); });
  });
  $("paste-form").addEventListener("submit", function (event) {
    event.preventDefault();
    var body = {text: $("paste-text").value, name: $("paste-name").value || "guide"};
    call("POST", "/api/guides", body).then(added, function (error) { fail(error.message); });
  });

  function listGuides() {
    return call("GET", "/api/guides").then(function (guides) {
      var body = $("guides").querySelector("tbody");
      body.textContent = "";
      $("guides").hidden = guides.length === 0;
      $("no-guides").hidden = guides.length > 0;
      guides.forEach(function (guide) {
        var row = document.createElement("tr");
        row.appendChild(text("td", guide.title));
        row.appendChild(text("td", new Date(guide.added * 1000).toLocaleString()));
        row.appendChild(text("td", guide.words + " words, " + guide.chapters + " parts"));
        var built = guide.built;
        row.appendChild(text("td", built ? clock(built.seconds) + ", " + built.settings.engine + ", " + built.settings.rate + " words a minute, " + built.settings.format : "not built"));
        var actions = document.createElement("td");
        var openButton = text("button", "Open " + guide.title, "secondary");
        openButton.type = "button";
        openButton.addEventListener("click", function () { open(guide.id); });
        actions.appendChild(openButton);
        if (built) {
          var player = text("a", "Play " + guide.title);
          player.href = built.player;
          actions.appendChild(document.createElement("br"));
          actions.appendChild(player);
        }
        row.appendChild(actions);
        body.appendChild(row);
        if (guide.job && (!current || current === guide.id)) { current = guide.id; watch(guide.job); }
      });
      return guides;
    }, function (error) { fail(error.message); });
  }

  function open(id) {
    current = id;
    $("guide").hidden = false;
    Promise.all([call("GET", "/api/guides/" + id + "/chapters"), call("GET", "/api/guides"), call("GET", "/api/guides/" + id + "/proof")])
      .then(function (results) {
        var chapters = results[0], guide = results[1].filter(function (g) { return g.id === id; })[0], proof = results[2];
        $("guide-title").textContent = guide.title;
        var list = $("chapters");
        list.textContent = "";
        chapters.forEach(function (chapter) {
          list.appendChild(text("li", chapter.title + ": " + chapter.words + " words, about " + clock(chapter.estimated_seconds)));
        });
        showProof(proof);
        showResults(guide);
        if (guide.job) { watch(guide.job); }
        $("guide-heading").focus();
      }, function (error) { fail(error.message); });
  }

  function showProof(rows) {
    var box = $("proof");
    box.textContent = "";
    rows.forEach(function (row) {
      box.appendChild(text("h4", "Part " + row.number + ": " + row.title));
      var spoken = row.spoken, paragraph = document.createElement("p"), position = 0;
      row.changes.forEach(function (change) {
        var found = spoken.indexOf(change.spoken, position);
        if (found < 0) { return; }
        paragraph.appendChild(document.createTextNode(spoken.slice(position, found)));
        // A lexicon's phonemes mean nothing to a reader: the word is shown, marked as the lexicon's.
        var phonemes = change.spoken.indexOf("[[") === 0;
        var marked = text("mark", phonemes ? change.original + " (as the lexicon says it)" : change.spoken);
        marked.title = "On the page: " + change.original;
        paragraph.appendChild(marked);
        paragraph.appendChild(text("span", " (page: " + change.original + ")", "visually-hidden"));
        position = found + change.spoken.length;
      });
      paragraph.appendChild(document.createTextNode(spoken.slice(position)));
      box.appendChild(paragraph);
      if (row.flags.length) {
        var flags = document.createElement("ul");
        row.flags.forEach(function (flag) { flags.appendChild(text("li", "Check “" + flag.text + "”: " + flag.reason, "flag")); });
        box.appendChild(flags);
      }
    });
  }

  $("hear").addEventListener("click", function () {
    var word = $("sounds-like").value || $("word").value;
    if (!word) { fail("Type the word first."); $("word").focus(); return; }
    say("Saying " + word + "…");
    call("POST", "/api/say", {text: word, engine: $("engine").value || null}, true).then(function (blob) {
      var audio = $("say-audio");
      audio.hidden = false;
      audio.src = URL.createObjectURL(blob);
      audio.play().catch(function () {});
      say("Playing " + word + ".");
    }, function (error) { fail(error.message); });
  });
  $("lexicon-form").addEventListener("submit", function (event) {
    event.preventDefault();
    call("POST", "/api/lexicon", {word: $("word").value, sounds_like: $("sounds-like").value}).then(function () {
      fail("");
      say("Added " + $("word").value + " to the clinic lexicon. The proof below is updated.");
      return call("GET", "/api/guides/" + current + "/proof").then(showProof);
    }, function (error) { fail(error.message); });
  });

  $("build-form").addEventListener("submit", function (event) {
    event.preventDefault();
    var settings = {engine: $("engine").value, voice: $("voice").value, rate: $("rate").value, preset: $("preset").value, format: $("format").value};
    call("POST", "/api/guides/" + current + "/build", settings).then(function (data) {
      fail("");
      say("Build started.");
      watch(data.job);
    }, function (error) { fail(error.message); });
  });

  function watch(job) {
    if (polling) { clearTimeout(polling); }
    $("build").disabled = true;
    function tick() {
      call("GET", "/api/jobs/" + job).then(function (state) {
        var bar = $("progress");
        bar.max = Math.max(1, state.total);
        bar.value = state.done;
        var left = state.seconds_left ? ", about " + clock(state.seconds_left) + " left" : "";
        var line = state.state === "queued" ? "Waiting to start." :
          state.state === "running" ? state.done + " of " + state.total + " parts done" + left + "." :
          state.state === "done" ? "Built: all " + state.total + " parts." : "The build failed: " + state.error;
        $("progress-text").textContent = line;
        if (state.state === "queued" || state.state === "running") {
          if (state.done !== watch.lastDone) { say(line); watch.lastDone = state.done; }
          polling = setTimeout(tick, 700);
          return;
        }
        $("build").disabled = false;
        if (state.state === "failed") { fail(line); } else { say(line); }
        listGuides().then(function (guides) {
          var guide = guides.filter(function (g) { return g.id === current; })[0];
          if (guide) { showResults(guide); }
        });
      }, function (error) { $("build").disabled = false; fail(error.message); });
    }
    tick();
  }

  function showResults(guide) {
    var box = $("results");
    box.textContent = "";
    if (!guide.built) { box.textContent = "Not built yet."; return; }
    var player = text("a", "Listen in the player");
    player.href = guide.built.player;
    var zip = text("a", "Download the ZIP for a USB stick");
    zip.href = "/api/guides/" + guide.id + "/bundle.zip";
    zip.setAttribute("download", "");
    box.appendChild(player);
    box.appendChild(document.createTextNode(" · "));
    box.appendChild(zip);
  }

  // The engines and formats come from the server, which knows what is installed.
  call("GET", "/api/choices").then(function (choices) {
    choices.engines.forEach(function (engine) {
      if (!engine.installed) { return; }
      var option = text("option", engine.label);
      option.value = engine.name;
      $("engine").appendChild(option);
    });
    choices.formats.forEach(function (format) {
      var option = text("option", format.label);
      option.value = format.value;
      $("format").appendChild(option);
    });
  }, function (error) { fail(error.message); });
  listGuides();
})();
