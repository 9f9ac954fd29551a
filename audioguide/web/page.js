(function () {
  "use strict";
  var $ = function (id) { return document.getElementById(id); };
  // The guide opened (its detail from the server), the build it is watching, and the engines warm.
  var guide = null, watching = null, polling = null, cardsPolling = null, warm = {}, cards = {};
  // The last voice list asked for: an earlier one answering late (the engine, then the language, changed) is not shown.
  var voicesAsked = 0;
  var STATUSES = ["add-status", "guides-status", "parts-status", "lexicon-status", "voice-status", "build-status"];

  function text(tag, content, className) {
    var element = document.createElement(tag);
    element.textContent = content;
    if (className) { element.className = className; }
    return element;
  }
  function button(label, className, hidden) {
    var element = text("button", label, className || "secondary");
    element.type = "button";
    if (hidden) { element.appendChild(text("span", " " + hidden, "visually-hidden")); }
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
      if (response.status === 204) { return null; }
      return raw ? response.blob() : response.json();
    });
  }
  function sentence(message) { return message.charAt(0).toUpperCase() + message.slice(1) + (/[.!?]$/.test(message) ? "" : "."); }

  // One status line beside the controls that caused it; the next action clears every other one,
  // and an error takes the focus, so it is seen and heard where the person is.
  function show(region, message, isError) {
    STATUSES.forEach(function (id) { if (id !== region) { clear(id); } });
    document.querySelectorAll(".inline-status").forEach(function (line) { if (line !== region) { line.textContent = ""; line.classList.remove("error"); } });
    var element = typeof region === "string" ? $(region) : region;
    element.textContent = message;
    element.classList.toggle("error", !!isError);
    if (isError) { element.focus(); }
  }
  function clear(id) { $(id).textContent = ""; $(id).classList.remove("error"); }
  function failed(region, prefix) {
    return function (error) { show(region, (prefix ? prefix + ": " : "") + sentence(error.message), true); };
  }

  // --- adding documents -------------------------------------------------------------------------
  function added(guideData, what) {
    $("file").value = "";
    var message = guideData.existing
      ? "This document was added already, as “" + guideData.title + "” on " + new Date(guideData.added * 1000).toLocaleDateString() + ": it is opened below."
      : "Added “" + guideData.title + "”: " + guideData.chapters + " part" + (guideData.chapters === 1 ? "" : "s") + ".";
    show("add-status", message);
    listGuides();
    open(guideData.id);
  }
  $("upload-form").addEventListener("submit", function (event) {
    event.preventDefault();
    var file = $("file").files[0];
    if (!file) { show("add-status", "Choose a document first.", true); return; }
    var form = new FormData();
    form.append("file", file);
    show("add-status", "Reading " + file.name + "…");
    call("POST", "/api/guides", form).then(added, function (error) {
      // The server names the file as it was added: said once, not twice.
      var message = error.message.indexOf(file.name + ": ") === 0 ? error.message.slice(file.name.length + 2) : error.message;
      show("add-status", "Could not add " + file.name + ": " + sentence(message).replace(/^./, function (c) { return c.toLowerCase(); }), true);
    });
  });
  $("paste-form").addEventListener("submit", function (event) {
    event.preventDefault();
    var body = {text: $("paste-text").value, name: $("paste-name").value || "guide"};
    show("add-status", "Reading the text…");
    call("POST", "/api/guides", body).then(added, failed("add-status", "Could not add the text"));
  });

  // --- the guides, as cards ---------------------------------------------------------------------
  function builtLine(built) {
    if (!built) { return "Not built yet."; }
    var s = built.settings;
    return "Last build: " + clock(built.seconds) + " long, read by " + engineLabel(s.engine) + " " + voiceName(s.voice) + ", " + s.rate + " words a minute, " + s.format.toUpperCase() + ".";
  }
  function voiceName(voice) { return String(voice || "").split("/").pop(); }
  function engineLabel(name) {
    var option = $("engine").querySelector("option[value='" + name + "']");
    return option ? option.dataset.short : name;
  }
  function progressLine(job) {
    var left = job.seconds_left !== null && job.seconds_left !== undefined ? (job.seconds_left > 0 ? ", about " + clock(job.seconds_left) + " left" : ", almost done") : "";
    if (job.state === "running") { return job.phase + (job.total ? " (" + job.done + " of " + partCount(job.total) + " ready" + left + ")" : left) + "."; }
    if (job.state === "queued") { return job.phase + "."; }
    if (job.state === "done") { return job.total === 1 ? "Built: its one part." : "Built: all " + job.total + " parts."; }
    if (job.state === "stopped") { return "Stopped: the last package is as it was."; }
    if (job.state === "interrupted") { return "Interrupted: the workbench stopped during this build. The last package is as it was."; }
    return "The build failed: " + sentence(job.error || "no reason given");
  }
  function partCount(count) { return count === 1 ? "1 part" : count + " parts"; }
  function underWay(job) { return !!job && (job.state === "queued" || job.state === "running"); }

  function makeCard(data) {
    var card = document.createElement("li");
    card.className = "card";
    var heading = text("h3", data.title);
    var meta = text("p", "", "meta");
    var built = text("p", "", "meta");
    var state = document.createElement("div");
    state.className = "card-build";
    var bar = document.createElement("progress");
    bar.max = 1; bar.value = 0;
    bar.setAttribute("aria-label", "Build progress of " + data.title);
    var line = text("p", "");
    var stop = button("Stop the build", "secondary", "of " + data.title);
    var again = button("Build again", "secondary", data.title);
    state.appendChild(bar); state.appendChild(line); state.appendChild(stop); state.appendChild(again);
    var actions = document.createElement("div");
    actions.className = "buttons";
    var openButton = button("Open", "secondary", data.title);
    var player = text("a", "Play");
    player.className = "button-link";
    player.appendChild(text("span", " " + data.title, "visually-hidden"));
    var remove = button("Delete", "secondary danger", data.title);
    actions.appendChild(openButton); actions.appendChild(player); actions.appendChild(remove);
    var confirm = document.createElement("div");
    confirm.className = "confirm";
    confirm.hidden = true;
    var question = text("p", "Delete “" + data.title + "” from the workbench? Its document, parts and settings are removed.");
    question.tabIndex = -1;
    var keepPackage = document.createElement("input");
    keepPackage.type = "checkbox";
    keepPackage.id = "delete-package-" + data.id;
    var packageLabel = text("label", "Also delete its built audio package");
    packageLabel.htmlFor = keepPackage.id;
    packageLabel.className = "inline";
    var yes = button("Delete it", "danger");
    var no = button("Keep it");
    var choice = document.createElement("div");
    choice.className = "buttons";
    choice.appendChild(yes); choice.appendChild(no);
    var check = document.createElement("p");
    check.appendChild(keepPackage); check.appendChild(packageLabel);
    confirm.appendChild(question); confirm.appendChild(check); confirm.appendChild(choice);
    var status = text("p", "", "status inline-status");
    status.setAttribute("role", "status");
    status.tabIndex = -1;
    [heading, meta, built, state, actions, confirm, status].forEach(function (part) { card.appendChild(part); });

    openButton.addEventListener("click", function () { open(data.id); });
    remove.addEventListener("click", function () {
      STATUSES.forEach(clear);
      confirm.hidden = false;
      keepPackage.checked = false;
      question.focus();
    });
    no.addEventListener("click", function () { confirm.hidden = true; remove.focus(); });
    yes.addEventListener("click", function () {
      var withPackage = keepPackage.checked;
      call("DELETE", "/api/guides/" + data.id + (withPackage ? "?package=1" : "")).then(function () {
        if (guide && guide.id === data.id) { closeGuide(); }
        listGuides().then(function () {
          show("guides-status", "Deleted “" + data.title + "”" + (withPackage ? " and its audio package." : "; its audio package is kept."));
          $("guides-status").focus();
        });
      }, failed(status));
    });
    stop.addEventListener("click", function () { stopBuild(card.job, status); });
    again.addEventListener("click", function () {
      show(status, "Starting the build again with its last settings…");
      call("POST", "/api/guides/" + data.id + "/build", {}).then(function (started) {
        show(status, "Build started.");
        listGuides();
        if (guide && guide.id === data.id) { watch(started.job); }
      }, failed(status));
    });
    card.update = function (fresh) {
      card.job = fresh.build;
      card.lang = fresh.language;
      heading.textContent = fresh.title;
      meta.textContent = "Added " + new Date(fresh.added * 1000).toLocaleString() + " · " + fresh.words + " words, " + fresh.chapters + " part" + (fresh.chapters === 1 ? "" : "s") + ".";
      built.textContent = builtLine(fresh.built);
      player.hidden = !fresh.built;
      if (fresh.built) { player.href = fresh.built.player; }
      var job = fresh.build, shown = !!job && job.state !== "done";
      state.hidden = !shown;
      if (shown) {
        bar.hidden = !underWay(job);
        bar.max = Math.max(1, job.total);
        bar.value = job.done;
        line.textContent = progressLine(job);
        stop.hidden = !underWay(job);
        again.hidden = underWay(job);
      }
    };
    return card;
  }

  function listGuides() {
    return call("GET", "/api/guides").then(function (guides) {
      var list = $("guides"), seen = {};
      $("guides").hidden = guides.length === 0;
      $("no-guides").hidden = guides.length > 0;
      guides.forEach(function (data, index) {
        seen[data.id] = true;
        var card = cards[data.id] || (cards[data.id] = makeCard(data));
        card.update(data);
        if (list.children[index] !== card) { list.insertBefore(card, list.children[index] || null); }
      });
      Object.keys(cards).forEach(function (id) { if (!seen[id]) { cards[id].remove(); delete cards[id]; } });
      // Builds under way are followed on their cards, whether or not their guide is open.
      clearTimeout(cardsPolling);
      if (guides.some(function (data) { return underWay(data.build); })) { cardsPolling = setTimeout(listGuides, 1000); }
      return guides;
    }, failed("guides-status", "Could not list the guides"));
  }

  // --- an opened guide ----------------------------------------------------------------------------
  function open(id) {
    return Promise.all([call("GET", "/api/guides/" + id), call("GET", "/api/guides/" + id + "/proof")]).then(function (results) {
      guide = results[0];
      ["guide", "sound"].forEach(function (section) { $(section).hidden = false; });
      $("guide-title").textContent = guide.title;
      $("guide-title").lang = guide.language;
      showParts(guide);
      showProof(results[1]);
      showSettings(guide);
      showResults(guide);
      $("progress").value = 0;
      $("progress-text").textContent = guide.build ? progressLine(guide.build) : "";
      if (underWay(guide.build)) { watch(guide.build.job); } else { setBuilding(false); }
      $("guide-heading").focus();
    }, failed("guides-status", "Could not open the guide"));
  }
  function closeGuide() {
    guide = null;
    clearTimeout(polling);
    ["guide", "sound"].forEach(function (section) { $(section).hidden = true; });
  }
  function refreshProof() {
    if (!guide) { return Promise.resolve(); }
    return call("GET", "/api/guides/" + guide.id + "/proof").then(showProof);
  }

  function showParts(data) {
    var list = $("parts");
    list.textContent = "";
    data.parts.forEach(function (part) {
      var item = document.createElement("li");
      item.className = part.left_out ? "part left-out" : "part";
      var title = part.new_title || part.title;
      item.appendChild(text("span", "Part " + part.number + ": " + title, "part-title"));
      var about = part.left_out ? "Left out of the audio" : part.words + " words, about " + clock(part.estimated_seconds);
      if (part.new_title) { about += "; in the document: “" + part.title + "”"; }
      item.appendChild(text("span", " — " + about + ".", "meta"));
      var actions = document.createElement("div");
      actions.className = "buttons";
      var rename = button("Rename", "secondary", "part " + part.number + ", " + title);
      rename.dataset.part = "rename-" + part.number;
      var leave = button(part.left_out ? "Put back" : "Leave out", "secondary", "part " + part.number + ", " + title);
      leave.dataset.part = "leave-" + part.number;
      actions.appendChild(rename); actions.appendChild(leave);
      item.appendChild(actions);
      var form = document.createElement("form");
      form.className = "rename";
      form.hidden = true;
      var label = text("label", "New title for part " + part.number);
      var input = document.createElement("input");
      input.type = "text";
      input.id = "rename-" + part.number;
      input.value = title;
      label.htmlFor = input.id;
      var save = text("button", "Save the title");
      save.type = "submit";
      var cancel = button("Cancel");
      var formButtons = document.createElement("div");
      formButtons.className = "buttons";
      formButtons.appendChild(save); formButtons.appendChild(cancel);
      form.appendChild(label); form.appendChild(input); form.appendChild(formButtons);
      item.appendChild(form);
      list.appendChild(item);
      rename.addEventListener("click", function () { form.hidden = false; input.focus(); input.select(); });
      cancel.addEventListener("click", function () { form.hidden = true; rename.focus(); });
      form.addEventListener("submit", function (event) {
        event.preventDefault();
        editPart(part, input.value, part.left_out, "rename-" + part.number,
                 input.value.trim() && input.value.trim() !== part.title ? "Part " + part.number + " is now called “" + input.value.trim() + "”." : "Part " + part.number + " has its title from the document again.");
      });
      leave.addEventListener("click", function () {
        editPart(part, part.new_title, !part.left_out, "leave-" + part.number,
                 part.left_out ? "“" + title + "” is back in the audio." : "“" + title + "” is left out of the audio; the proof still lists it.");
      });
    });
  }
  function editPart(part, title, leftOut, focusKey, done) {
    STATUSES.forEach(clear);
    call("POST", "/api/guides/" + guide.id + "/parts/" + part.number, {title: title || "", left_out: leftOut}).then(function (detail) {
      guide = detail;
      showParts(detail);
      var again = $("parts").querySelector("[data-part='" + focusKey + "']");
      if (again) { again.focus(); }
      show("parts-status", done + " The next build uses it.");
      return refreshProof();
    }, failed("parts-status", "Could not change the part"));
  }

  // --- the proof ----------------------------------------------------------------------------------
  function marked(utterance, seen) {
    // Each change is marked the first time in a part; a lexicon's phonemes show as the word itself.
    var container = document.createDocumentFragment(), spoken = utterance.spoken, position = 0;
    utterance.changes.forEach(function (change) {
      var found = spoken.indexOf(change.spoken, position);
      if (found < 0) { return; }
      container.appendChild(document.createTextNode(spoken.slice(position, found)));
      var phonemes = change.spoken.indexOf("[[") === 0, key = change.original + "\u0000" + change.spoken;
      var shown = phonemes ? change.original : change.spoken;
      if (seen[key]) {
        container.appendChild(document.createTextNode(shown));
      } else {
        seen[key] = true;
        var mark = text("mark", shown);
        mark.title = "On the page: " + change.original;
        container.appendChild(mark);
        container.appendChild(text("span", phonemes ? " (as the lexicon says it)" : " (page: " + change.original + ")", phonemes ? "note" : "visually-hidden"));
      }
      position = found + change.spoken.length;
    });
    container.appendChild(document.createTextNode(spoken.slice(position)));
    return container;
  }
  function plainSpoken(utterance) {
    // The announcement is audioguide's own words: shown as said, with no change marked.
    var spoken = utterance.spoken;
    utterance.changes.forEach(function (change) {
      if (change.spoken.indexOf("[[") === 0) { spoken = spoken.replace(change.spoken, change.original); }
    });
    return spoken;
  }

  function showProof(rows) {
    var box = $("proof");
    box.textContent = "";
    rows.forEach(function (row) {
      var part = document.createElement("section");
      part.className = "proof-part";
      if (row.left_out) {
        part.classList.add("left-out");
        part.appendChild(text("h4", "Left out: " + row.title));
        part.appendChild(text("p", "Part " + row.number + " of the document is not in the audio. Put it back under Parts to hear it."));
        box.appendChild(part);
        return;
      }
      part.appendChild(text("h4", "Part " + row.number + ": " + row.title));
      var seen = {}, block = null, list = null, lastBlock = null, announcement = [];
      row.utterances.forEach(function (utterance) {
        if (utterance.kind === "announcement") { announcement.push(plainSpoken(utterance)); return; }
        if (utterance.block !== lastBlock) {
          lastBlock = utterance.block;
          if (utterance.kind === "item") {
            if (!list) { list = document.createElement("ul"); part.appendChild(list); }
            block = document.createElement("li");
            list.appendChild(block);
          } else {
            list = null;
            block = document.createElement(utterance.kind === "heading" ? "h5" : "p");
            part.appendChild(block);
          }
        } else {
          block.appendChild(document.createTextNode(" "));
        }
        block.appendChild(marked(utterance, seen));
      });
      if (announcement.length) {
        part.insertBefore(text("p", "Announced first: " + announcement.join(" "), "announcement"), part.children[1] || null);
      }
      if (row.flags.length) {
        part.appendChild(text("p", "Check " + (row.flags.length === 1 ? "this" : "these") + ":", "flags-heading"));
        var flags = document.createElement("ul");
        flags.className = "flags";
        var status = text("p", "", "status inline-status");
        status.setAttribute("role", "status");
        status.tabIndex = -1;
        row.flags.forEach(function (flag) {
          var item = document.createElement("li");
          item.appendChild(text("span", "“" + flag.text + "”: " + flag.reason, "flag"));
          var actions = document.createElement("div");
          actions.className = "buttons";
          if (/^[^\s]+$/.test(flag.text)) {
            var fix = button("Fix this word", "secondary", flag.text);
            fix.addEventListener("click", function () { fixWord(flag.text); });
            actions.appendChild(fix);
          }
          if (flag.sentence) {
            var hear = button("Hear the sentence", "secondary", "with " + flag.text);
            hear.addEventListener("click", function () { speak(flag.sentence, status, "the sentence", guideVoice()); });
            actions.appendChild(hear);
          }
          item.appendChild(actions);
          flags.appendChild(item);
        });
        part.appendChild(flags);
        part.appendChild(status);
      }
      box.appendChild(part);
    });
  }

  // --- words: hear, fix, the clinic lexicon ---------------------------------------------------------
  function guideVoice() {
    // The voice the guide is set to be read with: what "Hear it" should sound like.
    return {engine: $("engine").value || null, voice: $("voice").value || null, language: guide ? guideLanguage() : null,
            rate: $("rate").value || null, preset: $("preset").value};
  }
  function guideLanguage() {
    // The language chosen, else the one told from its text (also when each part is read in its own).
    var chosen = $("language").value;
    return chosen && chosen !== "auto" ? chosen : guide.language;
  }
  function engineInUse(settings) { return settings.engine || (guide ? guide.usual.engine : "espeak"); }
  function speak(words, region, what, settings) {
    var engine = engineInUse(settings);
    show(region, warm[engine] ? "Saying " + what + "…" : "Preparing the voice (the first time takes a few seconds), then saying " + what + "…");
    var body = {text: words};
    Object.keys(settings).forEach(function (key) { if (settings[key]) { body[key] = settings[key]; } });
    return call("POST", "/api/say", body, true).then(function (blob) {
      warm[engine] = true;
      var audio = $("say-audio");
      audio.hidden = false;
      audio.src = URL.createObjectURL(blob);
      audio.play().catch(function () {});
      show(region, "Playing " + what + ".");
    }, failed(region, "Could not say " + what));
  }
  function fixWord(word) {
    $("word").value = word;
    var known = (fixWord.entries || []).filter(function (entry) { return entry.word === word; })[0];
    $("sounds-like").value = known ? known.sounds_like : "";
    $("sounds-like").focus();
    show("lexicon-status", "Type how “" + word + "” sounds in plain letters, then choose Hear it.");
  }
  $("hear").addEventListener("click", function () {
    var words = $("sounds-like").value || $("word").value;
    if (!words) { show("lexicon-status", "Type the word first.", true); $("word").focus(); return; }
    speak(words, "lexicon-status", "“" + words + "”", guideVoice());
  });
  $("lexicon-form").addEventListener("submit", function (event) {
    event.preventDefault();
    var word = $("word").value.trim();
    call("POST", "/api/lexicon", {word: word, sounds_like: $("sounds-like").value}).then(function () {
      show("lexicon-status", "Added “" + word + "” to the clinic lexicon." + (guide ? " The proof above is updated." : ""));
      listWords();
      return refreshProof();
    }, failed("lexicon-status", "Could not add the word"));
  });
  function listWords() {
    return call("GET", "/api/lexicon").then(function (entries) {
      fixWord.entries = entries;
      var list = $("lexicon");
      list.textContent = "";
      list.hidden = entries.length === 0;
      $("no-words").hidden = entries.length > 0;
      entries.forEach(function (entry) {
        var item = document.createElement("li");
        item.appendChild(text("strong", entry.word));
        item.appendChild(text("span", " sounds like “" + entry.sounds_like + "”"));
        var actions = document.createElement("div");
        actions.className = "buttons";
        var hear = button("Hear", "secondary", entry.word);
        var change = button("Change", "secondary", entry.word);
        var remove = button("Remove", "secondary danger", entry.word);
        actions.appendChild(hear); actions.appendChild(change); actions.appendChild(remove);
        item.appendChild(actions);
        list.appendChild(item);
        // The word as a guide will say it: through the lexicon, as every build is.
        hear.addEventListener("click", function () { speak(entry.word, "lexicon-status", "“" + entry.word + "”", guideVoice()); });
        change.addEventListener("click", function () { fixWord(entry.word); });
        remove.addEventListener("click", function () {
          call("DELETE", "/api/lexicon/" + encodeURIComponent(entry.word)).then(function () {
            show("lexicon-status", "Removed “" + entry.word + "” from the clinic lexicon." + (guide ? " The proof above is updated." : ""));
            $("lexicon-status").focus();
            listWords();
            return refreshProof();
          }, failed("lexicon-status", "Could not remove the word"));
        });
      });
    }, failed("lexicon-status", "Could not list the clinic lexicon"));
  }

  // --- settings and voices ----------------------------------------------------------------------------
  function showSettings(data) {
    var kept = data.settings || {}, reads = data.reads_with;
    choose($("language"), kept.language || "");
    $("engine").value = kept.engine || "";
    $("rate").value = kept.rate || "";
    $("preset").value = kept.preset || "standard";
    $("format").value = kept.format || "mp3";
    // The books as its settings resolve them: the server alone knows what is made when nothing was asked.
    $("epub").checked = reads.epub;
    $("daisy").checked = reads.daisy;
    $("reads-with").textContent = (Object.keys(kept).length ? "Kept from its last build: read by " : "Read by ") +
      reads.engine_label + " " + voiceName(reads.voice) + ", " + reads.rate + " words a minute, " + reads.preset + " preset, " + reads.format.toUpperCase() + ".";
    var notes = $("notes");
    notes.textContent = "";
    data.notes.forEach(function (note) { notes.appendChild(text("li", sentence(note))); });
    return loadVoices(kept.voice || "");
  }
  function loadVoices(chosen) {
    if (!guide) { return Promise.resolve(); }
    var engine = $("engine").value || guide.usual.engine, usual = engine === guide.usual.engine && !$("engine").value ? guide.usual.voice : null;
    var language = guideLanguage().split("-")[0], asked = ++voicesAsked;
    prepareVoice(engine);
    return call("GET", "/api/voices?engine=" + encodeURIComponent(engine) + "&language=" + encodeURIComponent(language)).then(function (voices) {
      if (asked !== voicesAsked) { return; }
      var select = $("voice");
      select.textContent = "";
      var first = text("option", "The usual voice for the guide's language" + (usual ? " (" + voiceName(usual) + ")" : ""));
      first.value = "";
      select.appendChild(first);
      voices.forEach(function (voice) {
        var option = text("option", voice.name + " (" + voice.languages.join(", ") + ")");
        option.value = voice.id;
        option.voice = voice;
        select.appendChild(option);
      });
      choose(select, chosen, voiceName(chosen));
      describeVoice();
    }, failed("voice-status", "Could not list the voices"));
  }
  function prepareVoice(engine) {
    // The engine that would read this guide loads while the proof is read, not when "Hear it" is
    // pressed; what fails here fails again, and is shown, when a voice is asked for.
    if (warm[engine]) { return; }
    call("POST", "/api/engines/" + encodeURIComponent(engine) + "/warm", {}).then(function (answer) {
      warm[engine] = warm[engine] || answer.warm;
    }, function () {});
  }
  function choose(select, value, label) {
    // A value kept from a build the list does not offer (given through the API) is shown, not lost.
    if (value && !Array.prototype.some.call(select.options, function (option) { return option.value === value; })) {
      var other = text("option", label || value);
      other.value = value;
      select.appendChild(other);
    }
    select.value = value;
  }
  function describeVoice() {
    var option = $("voice").selectedOptions[0], voice = option && option.voice;
    $("voice-about").textContent = voice
      ? voice.id + " · " + voice.languages.join(", ") + (voice.sample_rate ? " · " + voice.sample_rate + " Hz" : "") + (voice.licence ? " · " + voice.licence : "")
      : "";
  }
  $("engine").addEventListener("change", function () { loadVoices(""); });
  $("language").addEventListener("change", function () { loadVoices(""); });
  $("voice").addEventListener("change", describeVoice);
  $("hear-voice").addEventListener("click", function () {
    // A sample of the guide itself: its title and its first sentence.
    var first = document.querySelector("#proof .proof-part:not(.left-out) p:not(.announcement)");
    var sample = guide.title + ". " + (first ? first.textContent.split(/(?<=[.!?])\s/)[0] : "");
    speak(sample, "voice-status", "a sample", guideVoice());
  });

  // --- building -----------------------------------------------------------------------------------
  function setBuilding(building) {
    $("build").disabled = building;
    $("stop").hidden = !building;
  }
  $("build-form").addEventListener("submit", function (event) {
    event.preventDefault();
    var settings = {engine: $("engine").value, voice: $("voice").value, rate: $("rate").value, preset: $("preset").value, format: $("format").value,
                    language: $("language").value, epub: $("epub").checked, daisy: $("daisy").checked};
    STATUSES.forEach(clear);
    // Focus goes to the progress before the button is disabled: it never falls to the page's start.
    $("build-progress").focus();
    setBuilding(true);
    $("progress-text").textContent = "Starting the build.";
    call("POST", "/api/guides/" + guide.id + "/build", settings).then(function (data) {
      watch(data.job);
      listGuides();
    }, function (error) { setBuilding(false); $("progress-text").textContent = ""; failed("build-status", "Could not start the build")(error); });
  });
  $("stop").addEventListener("click", function () { stopBuild({job: watching}, "build-status"); });
  function stopBuild(job, region) {
    if (!job) { return; }
    show(region, "Stopping the build…");
    call("POST", "/api/jobs/" + job.job + "/stop").then(function () { listGuides(); }, failed(region, "Could not stop the build"));
  }

  function watch(job) {
    clearTimeout(polling);
    watching = job;
    setBuilding(true);
    var lastPhase = null;
    function tick() {
      call("GET", "/api/jobs/" + job).then(function (state) {
        if (watching !== job) { return; }
        var bar = $("progress");
        bar.max = Math.max(1, state.total);
        bar.value = state.done;
        var line = progressLine(state);
        $("progress-text").textContent = line;
        if (underWay(state)) {
          // Screen readers hear each phase once, not every second of the time left.
          if (state.phase !== lastPhase) { lastPhase = state.phase; $("build-status").textContent = state.phase + "."; }
          polling = setTimeout(tick, 700);
          return;
        }
        setBuilding(false);
        show("build-status", line, state.state === "failed");
        listGuides().then(function (guides) {
          var fresh = guides && guide && guides.filter(function (g) { return g.id === guide.id; })[0];
          if (fresh) { showResults(fresh); }
        });
      }, function (error) { setBuilding(false); failed("build-status")(error); });
    }
    tick();
  }

  function showResults(data) {
    var box = $("results");
    box.textContent = "";
    if (!data.built) { box.textContent = "Not built yet."; return; }
    var list = document.createElement("ul");
    list.className = "downloads";
    function offer(link, about) {
      var item = document.createElement("li");
      item.appendChild(link);
      if (about) { item.appendChild(text("span", ": " + about, "hint")); }
      list.appendChild(item);
    }
    function download(label, name, about) {
      var link = text("a", label);
      link.href = "/api/guides/" + data.id + "/" + name;
      link.setAttribute("download", "");
      offer(link, about);
    }
    var player = text("a", "Listen in the player");
    player.href = data.built.player;
    offer(player);
    download("Download the ZIP for a USB stick", "bundle.zip");
    if (data.built.books.indexOf("epub") >= 0) {
      download("Talking book (EPUB)", "book.epub", "for reading apps such as Thorium, Apple Books or EasyReader, in large print, each sentence lit up as it is read");
    }
    if (data.built.books.indexOf("daisy") >= 0) {
      download("DAISY book (ZIP)", "daisy.zip", "for talking-book players such as the Victor Reader Stream: copy its daisy folder, renamed after the guide, onto the player's card or a USB stick");
    }
    box.appendChild(list);
  }

  // The engines and formats come from the server, which knows what is installed.
  call("GET", "/api/choices").then(function (choices) {
    choices.engines.forEach(function (engine) {
      warm[engine.name] = engine.warm;
      if (!engine.installed) { return; }
      var option = text("option", engine.label);
      option.value = engine.name;
      option.dataset.short = engine.label.split(" (")[0];
      $("engine").appendChild(option);
    });
    choices.formats.forEach(function (format) {
      var option = text("option", format.label);
      option.value = format.value;
      $("format").appendChild(option);
    });
    listGuides();
  }, failed("guides-status", "Could not reach the workbench"));
  listWords();
})();
