/* Sorting and filtering for the incident table, and the choice of how the charts are split. Both live
   in the URL fragment (#severity=SEV1&category=monitoring&q=dns&sort=date&dir=asc&split=team), so a
   view can be linked. */
(function () {
  "use strict";
  var table = document.getElementById("incident-table");
  var form = document.getElementById("filters");
  var counter = document.getElementById("filter-count");
  if (!table || !form) { return; }
  var body = table.tBodies[0];
  var rows = Array.prototype.slice.call(body.rows);
  rows.forEach(function (row, index) { row.dataset.order = String(index); });
  var headers = Array.prototype.slice.call(table.tHead.rows[0].cells);
  var dimensions = Array.prototype.slice.call(form.querySelectorAll("select[data-dimension]"));
  var names = ["q", "severity", "status", "category", "problems"].concat(
    dimensions.map(function (select) { return select.name; }));
  var sortState = { key: null, dir: "descending" };
  var split = document.getElementById("split-by");

  function value(name) { return form.elements[name].value; }

  function matches(row) {
    var q = value("q").trim().toLowerCase();
    if (q && row.dataset.search.indexOf(q) === -1) { return false; }
    if (value("severity") && row.dataset.severity !== value("severity")) { return false; }
    if (value("status") && row.dataset.status !== value("status")) { return false; }
    var category = value("category");
    if (category && (" " + row.dataset.categories + " ").indexOf(" " + category + " ") === -1) { return false; }
    for (var i = 0; i < dimensions.length; i += 1) {
      var wanted = dimensions[i].value;
      var held = row.getAttribute("data-dim-" + dimensions[i].dataset.dimension) || "";
      if (wanted && held.split("|").indexOf(wanted) === -1) { return false; }
    }
    var problems = value("problems");
    var worst = row.dataset.problems;
    if (problems === "any" && worst === "none") { return false; }
    if (problems === "error" && worst !== "error") { return false; }
    if (problems === "none" && worst !== "none") { return false; }
    return true;
  }

  function applyFilters() {
    var shown = 0;
    rows.forEach(function (row) {
      var visible = matches(row);
      row.hidden = !visible;
      if (visible) { shown += 1; }
    });
    counter.textContent = "Showing " + shown + " of " + rows.length + " incidents.";
  }

  function cellValue(row, index, type) {
    var cell = row.cells[index];
    var raw = cell.hasAttribute("data-sort") ? cell.getAttribute("data-sort") : cell.textContent.trim();
    if (raw === "") { return null; }
    return type === "number" ? Number(raw) : raw.toLowerCase();
  }

  function sortBy(key, dir) {
    var index = headers.findIndex(function (th) { return th.dataset.key === key; });
    if (index < 0) { return; }
    var type = headers[index].dataset.type;
    var sign = dir === "ascending" ? 1 : -1;
    var sorted = rows.slice().sort(function (a, b) {
      var x = cellValue(a, index, type);
      var y = cellValue(b, index, type);
      if (x === null || y === null) {
        if (x === y) { return Number(a.dataset.order) - Number(b.dataset.order); }
        return x === null ? 1 : -1;  /* unknown values last, whichever the direction */
      }
      if (x < y) { return -sign; }
      if (x > y) { return sign; }
      return Number(a.dataset.order) - Number(b.dataset.order);
    });
    var fragment = document.createDocumentFragment();
    sorted.forEach(function (row) { fragment.appendChild(row); });
    body.appendChild(fragment);
    headers.forEach(function (th) {
      if (th.dataset.key === key) { th.setAttribute("aria-sort", dir); } else { th.removeAttribute("aria-sort"); }
    });
    sortState = { key: key, dir: dir };
  }

  function readFragment() {
    var params = new URLSearchParams(window.location.hash.replace(/^#/, ""));
    names.forEach(function (name) {
      var control = form.elements[name];
      var wanted = params.get(name) || "";
      if (control.tagName === "SELECT" && wanted &&
          !Array.prototype.some.call(control.options, function (o) { return o.value === wanted; })) {
        wanted = "";
      }
      control.value = wanted;
    });
    var key = params.get("sort");
    if (key) { sortBy(key, params.get("dir") === "asc" ? "ascending" : "descending"); }
    if (split) {
      var chosen = params.get("split") || split.options[0].value;
      var known = Array.prototype.some.call(split.options, function (o) { return o.value === chosen; });
      split.value = known ? chosen : split.options[0].value;
      showSplit();
    }
  }

  function writeFragment() {
    var params = new URLSearchParams();
    names.forEach(function (name) { if (value(name)) { params.set(name, value(name)); } });
    if (sortState.key) {
      params.set("sort", sortState.key);
      params.set("dir", sortState.dir === "ascending" ? "asc" : "desc");
    }
    if (split && split.selectedIndex > 0) { params.set("split", split.value); }
    var fragment = params.toString();
    try {
      window.history.replaceState(null, "", fragment ? "#" + fragment : window.location.pathname + window.location.search);
    } catch (error) {
      /* Some browsers refuse history changes on file:// pages; the filters still work. */
    }
  }

  headers.forEach(function (th) {
    var button = th.querySelector("button");
    if (!button) { return; }
    button.addEventListener("click", function () {
      var dir = th.getAttribute("aria-sort") === "descending" ? "ascending" : "descending";
      if (!th.hasAttribute("aria-sort") && th.dataset.type === "text") { dir = "ascending"; }
      sortBy(th.dataset.key, dir);
      writeFragment();
    });
  });
  form.addEventListener("input", function () { applyFilters(); writeFragment(); });
  form.addEventListener("change", function () { applyFilters(); writeFragment(); });
  form.addEventListener("submit", function (event) { event.preventDefault(); });
  form.addEventListener("reset", function () {
    window.setTimeout(function () { applyFilters(); writeFragment(); }, 0);
  });
  window.addEventListener("hashchange", function () {
    var before = split ? split.value : null;
    readFragment();
    applyFilters();
    if (!split || split.value === before) { document.getElementById("incidents").scrollIntoView(); }
  });

  /* One split of the charts at a time, by severity or the dimension chosen; without the script all
     are shown. */
  function showSplit() {
    Array.prototype.forEach.call(document.querySelectorAll("[data-split]"), function (figure) {
      figure.hidden = figure.dataset.split !== split.value;
    });
  }
  if (split) {
    split.addEventListener("change", function () { showSplit(); writeFragment(); });
    split.parentNode.hidden = false;
    showSplit();
  }

  form.hidden = false;
  var initial = headers.find(function (th) { return th.hasAttribute("aria-sort"); });
  if (initial) { sortState = { key: initial.dataset.key, dir: initial.getAttribute("aria-sort") }; }
  readFragment();
  applyFilters();
}());
