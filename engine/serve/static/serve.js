// Kaohe workbench: small enhancements of server-rendered pages. Every page works without them.
"use strict";

function editor() {
  const area = document.getElementById("text");
  const gutter = document.querySelector(".editor .gutter");
  if (!area || !gutter) return;
  const bad = new Set((gutter.parentElement.dataset.errors || "").split(" ").filter(Boolean).map(Number));
  const draw = () => {
    const count = area.value.split("\n").length;
    gutter.replaceChildren();
    for (let n = 1; n <= count; n++) {
      const span = document.createElement("span");
      span.textContent = String(n);
      if (bad.has(n)) span.className = "bad";
      gutter.append(span, "\n");
    }
    gutter.scrollTop = area.scrollTop;
  };
  area.addEventListener("input", draw);
  area.addEventListener("scroll", () => { gutter.scrollTop = area.scrollTop; });
  draw();
  const jump = (line) => {
    const lines = area.value.split("\n");
    let start = 0;
    for (let i = 0; i < line - 1 && i < lines.length; i++) start += lines[i].length + 1;
    area.focus();
    area.setSelectionRange(start, start + (lines[line - 1] || "").length);
    const height = area.scrollHeight / Math.max(lines.length, 1);
    area.scrollTop = Math.max(0, (line - 5) * height);
  };
  document.querySelectorAll("a.jump").forEach((link) => link.addEventListener("click", (event) => {
    event.preventDefault();
    jump(Number(link.dataset.line));
  }));
  const first = document.querySelector("a.jump");
  if (first) jump(Number(first.dataset.line));
}

function sortable() {
  document.querySelectorAll("table.sortable").forEach((table) => {
    table.querySelectorAll("th[data-sort]").forEach((th, column) => th.addEventListener("click", () => {
      const body = table.tBodies[0];
      const up = !th.classList.contains("asc");
      table.querySelectorAll("th").forEach((h) => h.classList.remove("asc", "desc"));
      th.classList.add(up ? "asc" : "desc");
      const key = (row) => row.cells[column] ? row.cells[column].textContent.trim() : "";
      const numeric = th.dataset.sort === "num";
      const rows = Array.from(body.rows);
      rows.sort((a, b) => {
        let x = key(a), y = key(b);
        if (numeric) {
          const p = x === "" ? Infinity : Number(x), q = y === "" ? Infinity : Number(y);
          return up ? p - q : q - p;
        }
        return up ? x.localeCompare(y, "zh") : y.localeCompare(x, "zh");
      });
      body.append(...rows);
    }));
  });
}

function filters() {
  const table = document.getElementById("results");
  if (!table) return;
  const group = document.getElementById("group-filter");
  const find = document.getElementById("find");
  const apply = () => {
    const g = group ? group.value : "";
    const f = find ? find.value.trim() : "";
    Array.from(table.tBodies[0].rows).forEach((row) => {
      row.hidden = (g && row.dataset.group !== g) || (f && !row.textContent.includes(f));
    });
  };
  if (group) group.addEventListener("change", apply);
  if (find) find.addEventListener("input", apply);
}

function dropZone() {
  const drop = document.getElementById("drop");
  const input = document.getElementById("files");
  const chosen = document.getElementById("chosen");
  if (!drop || !input) return;
  const show = () => { chosen.textContent = Array.from(input.files).map((f) => f.name).join("、"); };
  input.addEventListener("change", show);
  ["dragenter", "dragover"].forEach((name) => drop.addEventListener(name, (e) => { e.preventDefault(); drop.classList.add("over"); }));
  ["dragleave", "drop"].forEach((name) => drop.addEventListener(name, (e) => { e.preventDefault(); drop.classList.remove("over"); }));
  drop.addEventListener("drop", (e) => { input.files = e.dataTransfer.files; show(); });
}

function busy() {
  document.querySelectorAll("form.busy-on-submit").forEach((form) => form.addEventListener("submit", () => {
    document.getElementById("busy").hidden = false;
  }));
}

// Linked weights: changing one field of a group (part weights, or weight params) sets the
// last other field of the group so that the group still sums to 1; then the diff is asked for.
function weights() {
  const form = document.getElementById("whatif");
  if (!form) return;
  const scale = 1e6;
  const all = Array.from(form.querySelectorAll("input.weight, input.param"));
  all.forEach((field) => field.addEventListener("change", () => {
    const group = field.dataset.linked;
    const fields = group ? all.filter((f) => f.dataset.linked === group) : [];
    if (fields.length > 1 && field.value.trim() !== "" && Number.isFinite(Number(field.value))) {
      const others = fields.filter((f) => f !== field);
      const fixed = others.slice(0, -1).reduce((s, f) => s + Math.round(Number(f.value) * scale), 0);
      const rest = scale - Math.round(Number(field.value) * scale) - fixed;
      others[others.length - 1].value = String(rest / scale);
    }
    const action = document.getElementById("try");
    if (action) action.click();
  }));
}

document.addEventListener("DOMContentLoaded", () => { editor(); sortable(); filters(); dropZone(); busy(); weights(); });
