/* The event page's player: a turn's time plays the recording from there, the turn being
   spoken is marked (and followed until the reader scrolls), `p` plays the focused turn.
   Without this script the page still works: times are links that open the page with the
   player at that moment (a media fragment), and YouTube/Vimeo open on their own sites.
   YouTube and Vimeo are reached only after the reader presses play: their iframe is
   created then, and driven through postMessage, so no third-party script is loaded. */
(function () {
  "use strict";
  var root = document.querySelector("[data-player]");
  if (!root) { return; }

  var turns = Array.prototype.slice.call(document.querySelectorAll("article.turn[data-start]"));
  var byTime = turns.map(function (turn) { return { el: turn, start: parseFloat(turn.dataset.start) }; })
    .sort(function (a, b) { return a.start - b.start; });
  var follow = root.querySelector("[data-follow]");
  var speaking = null;
  var speakingParagraph = null;
  /* A seek lands a little before the time asked for (players snap to a frame or packet):
     a turn counts as begun this much early, so a click marks the turn clicked. */
  var EARLY = 0.3;

  root.querySelectorAll(".player-follow, .player-keys").forEach(function (el) { el.hidden = !turns.length; });

  /* ---- players: seek(seconds, play) and onTime(callback) ---- */
  function htmlPlayer(media) {
    function whenReady(fn) {
      if (media.readyState >= 1) { fn(); } else { media.addEventListener("loadedmetadata", fn, { once: true }); }
    }
    return {
      seek: function (seconds, play) {
        whenReady(function () {
          media.currentTime = seconds;
          if (play) { var p = media.play(); if (p && p.catch) { p.catch(function () {}); } }
        });
      },
      pause: function () { media.pause(); },
      onTime: function (callback) {
        ["timeupdate", "seeked"].forEach(function (name) {
          media.addEventListener(name, function () { callback(media.currentTime, !media.paused); });
        });
      },
      ready: whenReady
    };
  }

  function embedPlayer(facade) {
    var provider = facade.dataset.provider;
    var frame = null;
    var frameClipped = false; /* the frame was opened on the clip's URL, which stops at its end */
    var listeners = [];
    var origin = provider === "youtube" ? "https://www.youtube-nocookie.com" : "https://player.vimeo.com";

    function post(message) {
      if (frame && frame.contentWindow) {
        frame.contentWindow.postMessage(provider === "youtube" ? JSON.stringify(message) : message, origin);
      }
    }
    function seekInFrame(seconds) {
      if (provider === "youtube") {
        post({ event: "command", func: "seekTo", args: [seconds, true] });
        post({ event: "command", func: "playVideo", args: [] });
      } else {
        post({ method: "setCurrentTime", value: seconds });
        post({ method: "play" });
      }
    }
    /* The clip's own URL (start and, for YouTube, end: see embed_at in transcripts/media/embed.py)
       when the frame opens on the clip; otherwise the plain URL at `seconds`. */
    function srcFor(seconds, clipped) {
      var whole = Math.floor(seconds || 0);
      var src = clipped && facade.dataset.clip ? facade.dataset.clip
        : facade.dataset.embed + (provider === "youtube" ? "&start=" + whole : "#t=" + whole + "s");
      var hash = src.indexOf("#");
      var head = hash < 0 ? src : src.slice(0, hash);
      head += "&autoplay=1";
      if (provider === "youtube") { head += "&origin=" + encodeURIComponent(window.location.origin); }
      return head + (hash < 0 ? "" : src.slice(hash));
    }
    function load(seconds, clipped) {
      var src = srcFor(seconds, clipped);
      frameClipped = Boolean(clipped && facade.dataset.clip);
      frame = document.createElement("iframe");
      frame.src = src;
      frame.title = "Video player";
      frame.allow = "autoplay; encrypted-media; picture-in-picture; fullscreen";
      frame.allowFullscreen = true;
      frame.referrerPolicy = "strict-origin-when-cross-origin";
      frame.addEventListener("load", function () {
        if (provider === "youtube") {
          post({ event: "listening", id: "verbatim", channel: "widget" });
        } else {
          post({ method: "addEventListener", value: "timeupdate" });
        }
      });
      facade.replaceChildren(frame);
      facade.classList.remove("player-facade");
    }
    window.addEventListener("message", function (event) {
      if (event.origin !== origin) { return; }
      var data = event.data;
      if (typeof data === "string") { try { data = JSON.parse(data); } catch (e) { return; } }
      var seconds = null;
      if (data && data.event === "infoDelivery" && data.info && typeof data.info.currentTime === "number") {
        seconds = data.info.currentTime;
      } else if (data && data.event === "timeupdate" && data.data) {
        seconds = data.data.seconds;
      } else if (data && data.event === "ready" && provider === "vimeo") {
        post({ method: "addEventListener", value: "timeupdate" });
      }
      if (typeof seconds === "number") { listeners.forEach(function (fn) { fn(seconds, true); }); }
    });
    var button = facade.querySelector("[data-load]");
    if (button) {
      button.addEventListener("click", function (event) {
        event.preventDefault();
        load(parseFloat(root.dataset.start || "0"), true);
      });
    }
    return {
      /* Leaving the clip reopens the frame without its end, so the rest of the recording plays. */
      seek: function (seconds) { if (frame && !frameClipped) { seekInFrame(seconds); } else { load(seconds, false); } },
      pause: function () {
        post(provider === "youtube" ? { event: "command", func: "pauseVideo", args: [] } : { method: "pause" });
      },
      onTime: function (callback) { listeners.push(callback); },
      ready: function (fn) { fn(); }
    };
  }

  var media = root.querySelector("audio, video");
  var facade = root.querySelector("[data-embed]");
  var player = media ? htmlPlayer(media) : (facade ? embedPlayer(facade) : null);
  if (!player) { return; }

  /* ---- the turn being spoken ---- */
  function turnAt(seconds) {
    var lo = 0, hi = byTime.length - 1, found = null;
    while (lo <= hi) {
      var mid = (lo + hi) >> 1;
      if (byTime[mid].start <= seconds + EARLY) { found = byTime[mid].el; lo = mid + 1; } else { hi = mid - 1; }
    }
    return found;
  }

  function paragraphAt(turn, seconds) {
    var best = null;
    turn.querySelectorAll("p[data-start]").forEach(function (p) {
      if (parseFloat(p.dataset.start) <= seconds + EARLY) { best = p; }
    });
    return best;
  }

  function mark(seconds, playing) {
    var turn = turnAt(seconds);
    var changed = turn !== speaking;
    if (changed) {
      if (speaking) { speaking.classList.remove("is-speaking"); speaking.removeAttribute("aria-current"); }
      speaking = turn;
      if (turn) { turn.classList.add("is-speaking"); turn.setAttribute("aria-current", "true"); }
    }
    var paragraph = turn ? paragraphAt(turn, seconds) : null;
    if (paragraph !== speakingParagraph) {
      if (speakingParagraph) { speakingParagraph.classList.remove("is-speaking"); }
      speakingParagraph = paragraph;
      if (paragraph) { paragraph.classList.add("is-speaking"); }
    }
    if (changed && turn && playing && follow && follow.checked) {
      turn.scrollIntoView({ block: "center", behavior: "smooth" });
    }
  }
  player.onTime(mark);

  /* Following stops as soon as the reader scrolls themselves; ticking the box resumes it. */
  function stopFollowing() { if (follow && follow.checked && speaking) { follow.checked = false; } }
  window.addEventListener("wheel", stopFollowing, { passive: true });
  window.addEventListener("touchmove", stopFollowing, { passive: true });
  document.addEventListener("keydown", function (event) {
    if (["PageDown", "PageUp", "ArrowDown", "ArrowUp", "Home", "End", " "].indexOf(event.key) >= 0 &&
        !(event.target.closest && event.target.closest("input, textarea, select, audio, video"))) {
      stopFollowing();
    }
  });
  if (follow) {
    follow.addEventListener("change", function () {
      if (follow.checked && speaking) { speaking.scrollIntoView({ block: "center", behavior: "smooth" }); }
    });
  }

  /* A quote's clip: the recording stops at its end, once (Vimeo has no end parameter, and a
     file's media fragment is only a hint to some browsers). Playing a turn leaves the clip. */
  var clipStart = parseFloat(root.dataset.start || "");
  var clipEnd = parseFloat(root.dataset.end || "");
  var inClip = clipEnd > clipStart;
  player.onTime(function (seconds) {
    if (inClip && seconds >= clipEnd) { inClip = false; player.pause(); }
  });

  /* Leaving the clip: a file whose media fragment names an end (#t=start,end) would stop
     there again, so it is reopened without one (the seek waits for it to load). */
  function leaveClip() {
    inClip = false;
    var src = media ? media.getAttribute("src") || "" : "";
    if (/#t=[^#]*,/.test(src)) { media.src = src.replace(/#t=[^#]*$/, ""); }
  }

  function playFrom(seconds, turn) {
    leaveClip();
    player.seek(seconds, true);
    mark(seconds, false);
    if (turn && window.history && window.history.replaceState) {
      var url = new URL(window.location.href);
      url.searchParams.set("t", String(Math.floor(seconds)));
      url.hash = turn.id;
      window.history.replaceState(null, "", url.toString());
    }
  }

  /* A turn's time: play from there (the link is the no-JavaScript way, and what to share). */
  document.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest("a.turn-time[data-seek]");
    if (!link || event.button !== 0 || event.ctrlKey || event.metaKey || event.shiftKey || event.altKey) { return; }
    event.preventDefault();
    playFrom(parseFloat(link.dataset.seek), link.closest("article.turn"));
  });

  /* `p` plays the focused turn (j / k move the focus, see verbatim.js). */
  document.addEventListener("keydown", function (event) {
    if (event.key !== "p" || event.defaultPrevented || event.altKey || event.ctrlKey || event.metaKey) { return; }
    if (event.target.closest && event.target.closest("input, textarea, select, [contenteditable]")) { return; }
    var active = document.activeElement && document.activeElement.closest
      ? document.activeElement.closest("article.turn[data-start]") : null;
    if (!active) { return; }
    event.preventDefault();
    playFrom(parseFloat(active.dataset.start), active);
  });

  /* Opened at a time (?t=, or a quote link): the player waits there, the turn is marked. */
  if (root.dataset.start) {
    var start = parseFloat(root.dataset.start);
    if (media) { player.seek(start, false); }
    mark(start, false);
    if (speaking && !window.location.hash) { speaking.scrollIntoView({ block: "center" }); }
  }
})();
