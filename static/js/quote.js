/* Select words in a turn: a small toolbar offers "Link to this quote" and "Cite".
   A selection that starts or ends inside a word is widened to the whole word. The link is
   a short server URL (/q/<turn id>/<key>/, the key made of the passage's first and last
   words as transcripts/quotes.py:quote_key makes it) that opens the event with the passage
   marked, plus a #quote:~:text= fragment for browsers that scroll to text themselves. */
(function () {
  "use strict";
  var transcript = document.querySelector("[data-quote-base]");
  if (!transcript || !window.getSelection) { return; }
  var base = transcript.getAttribute("data-quote-base"); /* "/q/TURN/" */
  var CONTEXT = 40;
  var current = null;

  var bar = document.createElement("div");
  bar.className = "quote-toolbar";
  bar.hidden = true;
  bar.setAttribute("role", "group");
  bar.setAttribute("aria-label", "Quote the selected words");
  bar.innerHTML =
    '<button type="button" class="button" data-action="link">Link to this quote</button> ' +
    '<a class="button secondary" data-action="cite" href="#">Cite</a>' +
    '<div class="quote-output" hidden>' +
    '<label>Quote link <input type="text" class="quote-url" readonly></label>' +
    '<p class="quote-status" aria-live="polite"></p></div>' +
    '<p class="quote-keys" hidden><kbd>↓</kbd> <kbd>↑</kbd> choose a sentence · <kbd>Enter</kbd> makes the link · ' +
    '<kbd>Esc</kbd> closes</p>';
  var output = bar.querySelector(".quote-output");
  var urlField = bar.querySelector(".quote-url");
  var status = bar.querySelector(".quote-status");
  var citeLink = bar.querySelector("[data-action=cite]");
  var keysHint = bar.querySelector(".quote-keys");

  function squash(text) { return text.replace(/\s+/g, " "); }

  /* A range's text with a space between paragraphs, as the server compares it
     (Range.toString() runs paragraphs together). */
  function textOf(range) {
    var fragment = range.cloneContents();
    var paragraphs = fragment.querySelectorAll("p");
    if (!paragraphs.length) { return fragment.textContent; }
    return Array.prototype.map.call(paragraphs, function (p) { return p.textContent; }).join(" ");
  }

  var WORD_CHAR = /[\p{L}\p{N}_\u2019']/u;
  var KEY_WORDS = 4;

  function isWord(ch) { return ch !== undefined && ch !== "" && WORD_CHAR.test(ch); }

  /* Widen the range so it neither starts nor ends in the middle of a word
     (a drag from "ely" to "co" quotes "Extremely" to "countries"). */
  function snapToWords(range) {
    var start = range.startContainer, end = range.endContainer;
    var from = range.startOffset, to = range.endOffset;
    if (start.nodeType === 3 && isWord(start.data[from - 1]) && isWord(start.data[from])) {
      while (from > 0 && isWord(start.data[from - 1])) { from--; }
      range.setStart(start, from);
    }
    if (end.nodeType === 3 && isWord(end.data[to - 1]) && isWord(end.data[to])) {
      while (to < end.data.length && isWord(end.data[to])) { to++; }
      range.setEnd(end, to);
    }
    return range;
  }

  /* The short key of a passage: the same rule as quote_key on the server. */
  function quoteKey(text) {
    var words = (text.replace(/[\u2019\u2018\u02bc]/g, "'").toLowerCase().match(/[\p{L}\p{N}_]+/gu)) || [];
    if (words.length <= 2 * KEY_WORDS) { return words.join("-"); }
    var gap = words.length - 2 * KEY_WORDS;
    return words.slice(0, KEY_WORDS).join("-") + "~" + gap + "~" + words.slice(-KEY_WORDS).join("-");
  }

  function bodyOf(node) {
    var element = node.nodeType === 1 ? node : node.parentElement;
    return element ? element.closest(".turn-body") : null;
  }

  /* The selection as a quote, when it lies inside one turn. */
  function selectedQuote() {
    var selection = window.getSelection();
    if (!selection || selection.isCollapsed || !selection.rangeCount) { return null; }
    var range = selection.getRangeAt(0);
    var body = bodyOf(range.startContainer);
    if (!body || body !== bodyOf(range.endContainer)) { return null; }
    var snapped = snapToWords(range.cloneRange());
    if (snapped.toString() !== range.toString()) {
      selection.removeAllRanges();
      selection.addRange(snapped); /* the reader sees the words that will be quoted */
      range = snapped;
    }
    var text = squash(selection.toString()).trim();
    if (!text) { return null; }
    var before = document.createRange();
    before.selectNodeContents(body);
    before.setEnd(range.startContainer, range.startOffset);
    var after = document.createRange();
    after.selectNodeContents(body);
    after.setStart(range.endContainer, range.endOffset);
    return {
      turn: body.closest("article.turn"),
      text: text,
      prefix: squash(textOf(before)).slice(-CONTEXT).trimStart(),
      suffix: squash(textOf(after)).slice(0, CONTEXT).trimEnd(),
      rect: range.getBoundingClientRect()
    };
  }

  function params(quote) {
    var query = new URLSearchParams({ text: quote.text });
    if (quote.prefix.trim()) { query.set("prefix", quote.prefix); }
    if (quote.suffix.trim()) { query.set("suffix", quote.suffix); }
    clipOf(quote.turn).forEach(function (pair) { query.set(pair[0], pair[1]); });
    return query.toString();
  }

  /* The quoted turn's clip, when the page has a recording and the turn a time: from its
     start to where the next timed turn starts (the server keeps a link's span inside the
     turn, see transcripts/reader/clips.py), so the link plays just that. */
  function clipOf(turn) {
    if (!turn || !turn.dataset.start || !document.querySelector("[data-player]")) { return []; }
    var start = parseFloat(turn.dataset.start);
    var pairs = [["t", String(start)]];
    var turns = Array.prototype.slice.call(document.querySelectorAll("article.turn[data-start]"));
    var next = turns[turns.indexOf(turn) + 1];
    if (next && parseFloat(next.dataset.start) > start) { pairs.push(["end", String(parseFloat(next.dataset.start))]); }
    return pairs;
  }

  function directiveEncode(text) {
    return encodeURIComponent(text).replace(/-/g, "%2D");
  }

  /* #quote:~:text=… — long passages as "start,end" so the fragment stays short. */
  function textFragment(text) {
    var words = text.split(" ");
    if (words.length <= 12) { return "#quote:~:text=" + directiveEncode(text); }
    return "#quote:~:text=" + directiveEncode(words.slice(0, 5).join(" ")) + "," + directiveEncode(words.slice(-5).join(" "));
  }

  /* /q/<turn id>/<key>/ — short, and it still finds the words after a correction. */
  function pathFor(quote) {
    var turnPath = base.replace("TURN", encodeURIComponent(quote.turn.getAttribute("data-turn")));
    var key = quoteKey(quote.text);
    if (!key) { return turnPath + "?" + params(quote); }
    var clip = new URLSearchParams(clipOf(quote.turn)).toString();
    return turnPath + encodeURIComponent(key) + "/" + (clip ? "?" + clip : "");
  }

  function citePath(quote) {
    var path = pathFor(quote);
    return path.indexOf("?") < 0 ? path + "cite/" : path.replace("?", "cite/?");
  }

  function quoteUrl(quote) {
    return new URL(pathFor(quote), window.location.href).href + textFragment(quote.text);
  }

  function show(quote) {
    current = quote;
    quote.turn.appendChild(bar);
    var box = quote.turn.getBoundingClientRect();
    bar.style.top = Math.round(quote.rect.bottom - box.top + 8) + "px";
    bar.style.left = Math.round(Math.max(0, Math.min(quote.rect.left - box.left, box.width - 260))) + "px";
    citeLink.href = citePath(quote);
    output.hidden = true;
    status.textContent = "";
    bar.hidden = false;
  }

  function hide() {
    bar.hidden = true;
    current = null;
    keyed = null;
    keysHint.hidden = true;
  }

  function update(event) {
    if (bar.contains(event.target)) { return; }
    window.setTimeout(function () {
      var quote = selectedQuote();
      if (quote) { show(quote); } else if (!bar.contains(document.activeElement)) { hide(); }
    }, 0);
  }

  function makeLink() {
    if (!current) { return; }
    var url = quoteUrl(current);
    urlField.value = url;
    output.hidden = false;
    urlField.focus();
    urlField.select();
    window.Verbatim.copyText(url).then(function (ok) {
      status.textContent = ok ? "Copied to the clipboard." : "Copy the link above.";
    });
  }
  bar.querySelector("[data-action=link]").addEventListener("click", makeLink);

  /* Quoting by keyboard: with a turn focused, q selects the whole turn and shows the
     toolbar; ↓ and ↑ step through its sentences (↑ past the first is the whole turn again);
     Enter makes the link for what is selected, as the button does; Esc closes. */
  var keyed = null; /* {turn, sentences, index}: -1 is the whole turn */

  /* The sentences of a turn as Ranges over its text (stage directions included, as the
     server quotes them): text nodes walked in order, split after . ! or ? and closing marks. */
  function sentencesOf(turn) {
    var ranges = [];
    turn.querySelectorAll(".turn-body p").forEach(function (paragraph) {
      var walker = document.createTreeWalker(paragraph, NodeFilter.SHOW_TEXT);
      var nodes = [], text = "";
      for (var node = walker.nextNode(); node; node = walker.nextNode()) {
        nodes.push({ node: node, start: text.length });
        text += node.data;
      }
      function at(offset) {
        for (var i = nodes.length - 1; i >= 0; i--) {
          if (nodes[i].start <= offset) { return { node: nodes[i].node, offset: offset - nodes[i].start }; }
        }
        return null;
      }
      var pattern = /[^.!?]+(?:[.!?]+["\u201d\u2019)\]]*|$)/g, match;
      while ((match = pattern.exec(text)) !== null) {
        var start = match.index + (match[0].length - match[0].trimStart().length);
        var end = match.index + match[0].trimEnd().length;
        if (end <= start) { continue; }
        var from = at(start), to = at(end);
        var range = document.createRange();
        range.setStart(from.node, from.offset);
        range.setEnd(to.node, to.offset);
        ranges.push(range);
      }
    });
    return ranges;
  }

  function selectKeyed() {
    var range;
    if (keyed.index < 0) {
      range = document.createRange();
      range.selectNodeContents(keyed.turn.querySelector(".turn-body"));
    } else {
      range = keyed.sentences[keyed.index];
    }
    var selection = window.getSelection();
    selection.removeAllRanges();
    selection.addRange(range);
    var quote = selectedQuote();
    if (!quote) { return; }
    var kept = keyed;
    show(quote);
    keyed = kept;
    keysHint.hidden = false;
    var sentence = keyed.turn.getBoundingClientRect();
    if (quote.rect.bottom > window.innerHeight || quote.rect.top < 0 || sentence.top > window.innerHeight) {
      quote.turn.scrollIntoView({ block: "nearest" });
    }
  }

  document.addEventListener("keydown", function (event) {
    if (event.defaultPrevented || event.altKey || event.ctrlKey || event.metaKey) { return; }
    var active = document.activeElement;
    var onTurn = active && active.matches && active.matches("article.turn");
    if (onTurn && event.key === "q") {
      event.preventDefault();
      keyed = { turn: active, sentences: sentencesOf(active), index: -1 };
      selectKeyed();
      return;
    }
    if (!keyed || !onTurn || active !== keyed.turn) { return; }
    if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      event.preventDefault();
      var step = event.key === "ArrowDown" ? 1 : -1;
      keyed.index = Math.max(-1, Math.min(keyed.sentences.length - 1, keyed.index + step));
      selectKeyed();
    } else if (event.key === "Enter") {
      event.preventDefault();
      makeLink();
    }
  });

  /* Esc in the toolbar closes it and gives the focus back to the turn it quoted. */
  bar.addEventListener("keydown", function (event) {
    if (event.key !== "Escape") { return; }
    var turn = current && current.turn;
    window.getSelection().removeAllRanges();
    hide();
    if (turn) { turn.focus(); }
  });

  document.addEventListener("mouseup", update);
  document.addEventListener("keyup", function (event) {
    if (event.key === "Escape") {
      if (keyed && document.activeElement === keyed.turn) { window.getSelection().removeAllRanges(); }
      hide();
      return;
    }
    if (keyed) { return; } /* the keyboard quote keeps its own selection and toolbar */
    update(event);
  });
  document.addEventListener("touchend", update);
  document.addEventListener("mousedown", function (event) {
    if (!bar.hidden && !bar.contains(event.target)) { hide(); }
  });
})();
