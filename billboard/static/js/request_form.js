// The request form, enhanced: tick every face at once, add rows, and see what the rules say
// about the sites and dates while filling in. Without this script the form works the same;
// the server checks everything again when the request is sent.
(function () {
  "use strict";
  var form = document.getElementById("request-form");
  var script = document.getElementById("request-form-script");
  if (!form || !script || !window.fetch) { return; }
  var results = document.getElementById("check-results");
  var faceList = document.getElementById("face-list");
  var rowsBody = document.querySelector("#item-rows tbody");
  var csrf = document.querySelector('meta[name="csrf-token"]');
  var texts = script.dataset;
  var timer = null;
  var latest = 0;

  function makeButton(text, onClick) {
    var button = document.createElement("button");
    button.type = "button";
    button.textContent = text;
    button.addEventListener("click", onClick);
    return button;
  }

  function faceBoxes() {
    return Array.prototype.slice.call(faceList.querySelectorAll('input[name="faces"]'));
  }

  function itemRows() {
    return Array.prototype.slice.call(rowsBody.querySelectorAll("tr.item-row"));
  }

  // --- Many faces at once -------------------------------------------------------------------
  function tickAll(on) {
    faceBoxes().forEach(function (box) { box.checked = on; });
    schedule();
  }
  var bulk = document.createElement("p");
  bulk.className = "bulk-actions";
  bulk.appendChild(makeButton(texts.selectAll, function () { tickAll(true); }));
  bulk.appendChild(makeButton(texts.clear, function () { tickAll(false); }));
  faceList.parentNode.insertBefore(bulk, faceList);

  // --- More rows than the server rendered ---------------------------------------------------
  var addRow = makeButton(texts.addRow, function () {
    var rows = itemRows();
    var index = rows.length;
    var copy = rows[rows.length - 1].cloneNode(true);
    copy.classList.remove("has-problem");
    copy.querySelectorAll(".errors").forEach(function (error) { error.remove(); });
    copy.querySelectorAll("select, input").forEach(function (field) {
      field.name = field.name.replace(/^rows-\d+-/, "rows-" + index + "-");
      field.id = field.name;
      field.value = "";
    });
    rowsBody.appendChild(copy);
    copy.querySelector("select").focus();
    addRow.hidden = index + 1 >= Number(texts.maxRows);
  });
  var addRowLine = document.createElement("p");
  addRowLine.className = "bulk-actions";
  addRowLine.appendChild(addRow);
  rowsBody.closest(".table-wrap").after(addRowLine);

  // --- Live check -----------------------------------------------------------------------------
  function item(value, start, end, element) {
    var parts = value.split("/");
    return { site: parts[0], face: parts[1] || "", start: start, end: end, element: element };
  }

  function wantedItems() {
    var items = [];
    var start = form.elements.start.value;
    var end = form.elements.end.value;
    if (start && end) {
      faceBoxes().forEach(function (box) {
        if (box.checked) { items.push(item(box.value, start, end, box.closest("label"))); }
      });
    }
    itemRows().forEach(function (row) {
      var fields = row.querySelectorAll("select, input");
      if (fields[0].value && fields[1].value && fields[2].value) {
        items.push(item(fields[0].value, fields[1].value, fields[2].value, row));
      }
    });
    return items;
  }

  function line(text, className) {
    var li = document.createElement("li");
    li.textContent = text;
    if (className) { li.className = className; }
    return li;
  }

  function show(heading, lines) {
    results.replaceChildren();
    var title = document.createElement("p");
    title.textContent = heading;
    results.appendChild(title);
    if (lines.length) {
      var list = document.createElement("ul");
      lines.forEach(function (li) { list.appendChild(li); });
      results.appendChild(list);
    }
    results.hidden = false;
  }

  // What the check says about one item, also shown right under that item (a ticked face or a
  // row), so that on a phone the answer is next to the question, not at the end of the form.
  function showAtItem(element, messages) {
    var note = document.createElement(element.tagName === "TR" ? "tr" : "span");
    note.className = "item-check";
    var holder = note;
    if (element.tagName === "TR") {
      holder = document.createElement("td");
      holder.colSpan = 3;
      note.appendChild(holder);
    }
    holder.textContent = messages.join(" ");
    element.after(note);
  }

  // Send the rest: untick the taken faces (or empty their rows) and send what is left.
  function sendRestButton(items, checks) {
    var taken = checks.filter(function (check) { return check.taken; }).length;
    return makeButton(texts.sendRest.replace("{n}", taken), function () {
      checks.forEach(function (check, i) {
        if (!check.taken) { return; }
        var element = items[i].element;
        if (element.tagName === "TR") {
          element.querySelectorAll("select, input").forEach(function (field) { field.value = ""; });
        } else {
          element.querySelector('input[name="faces"]').checked = false;
        }
      });
      window.clearTimeout(timer);
      form.requestSubmit();
    });
  }

  function render(items, data) {
    var checks = data.items;
    var lines = data.problems.map(function (problem) { return line(problem, "problem"); });
    checks.forEach(function (check, i) {
      lines.push(line(check.line, check.ok ? "ok" : "problem"));
      if (!check.ok) {
        items[i].element.classList.add("has-problem");
        showAtItem(items[i].element, [check.line]);
      }
    });
    show(texts.heading, lines);
    // Worth offering only when what is left would pass: some faces taken, the rest fine.
    var rest = checks.filter(function (check) { return !check.taken; });
    if (!data.problems.length && rest.length && rest.length < checks.length &&
        rest.every(function (check) { return check.ok; })) {
      var offer = document.createElement("p");
      offer.className = "send-rest";
      offer.appendChild(sendRestButton(items, checks));
      results.appendChild(offer);
    }
  }

  function check() {
    var items = wantedItems();
    document.querySelectorAll(".has-problem").forEach(function (element) {
      element.classList.remove("has-problem");
    });
    document.querySelectorAll(".item-check").forEach(function (note) { note.remove(); });
    if (!items.length) { results.hidden = true; return; }
    var mine = ++latest;
    show(texts.checking, []);
    fetch(form.dataset.checkUrl, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrf ? csrf.content : "" },
      body: JSON.stringify({
        category: form.elements.category.value,
        election: form.elements.election.value ? Number(form.elements.election.value) : null,
        items: items.map(function (i) {
          return { site: i.site, face: i.face, start: i.start, end: i.end };
        })
      })
    }).then(function (response) {
      if (!response.ok) { throw new Error(String(response.status)); }
      return response.json();
    }).then(function (data) {
      if (mine === latest) { render(items, data); }
    }).catch(function () {
      if (mine === latest) { show(texts.failed, []); }
    });
  }

  function schedule() {
    window.clearTimeout(timer);
    timer = window.setTimeout(check, 400);
  }

  form.addEventListener("change", function (event) {
    if (event.target.type !== "file") { schedule(); }
  });
  schedule();
}());
