// patchlit's stepper: turns each run's data block (<script type="application/json"
// class="patchlit-steps">, written by src/report/stepper-page.ts) into a panel that shows
// the run one step at a time: each hart's pc, the instruction it ran with its bytes and
// the stores they came from, the registers the step changed, and memory as it left it.
// Prev/Next buttons, or ←/→ (Home/End) while the stepper has focus. The page works
// without it: the run's table is there either way. Loaded from disk; fetches nothing.
(function () {
  'use strict';

  var STYLE = [
    '.stepper { border: 1px solid var(--line, #d1d9e0); border-radius: 6px; padding: .6rem 1rem; margin: 1rem 0; }',
    '.stepper:focus-within { outline: 2px solid #0969da; outline-offset: 2px; }',
    '.stepper-bar { display: flex; gap: .6rem; align-items: center; }',
    '.stepper-bar button { font: inherit; padding: .2em .8em; border: 1px solid var(--line, #d1d9e0); border-radius: 6px; background: var(--bg-alt, #f6f8fa); cursor: pointer; }',
    '.stepper-bar button[aria-disabled="true"] { opacity: .45; cursor: default; }',
    '.stepper-count { font-weight: 600; }',
    '.stepper-what { margin: .5rem 0; }',
    '.stepper table { display: table; margin: .5rem 0; }',
    '.stepper tr.moved td, .stepper tr.moved th, .stepper tr.changed td { background: #fff8c5; }',
    '.stepper .note { color: #cf222e; }',
    '.stepper ul { margin: 0; padding-left: 1.1em; }',
    'tr.stepper-current td { background: #fff8c5 !important; }',
  ].join('\n');

  function el(tag, className, children) {
    var e = document.createElement(tag);
    if (className) e.className = className;
    (children || []).forEach(function (c) {
      if (c === null || c === undefined) return;
      e.appendChild(typeof c === 'string' ? document.createTextNode(c) : c);
    });
    return e;
  }

  function code(text) {
    return el('code', '', [text]);
  }

  /** objdump's way of writing an address: "ffffffff8001f844 <func+0x4>". */
  function where(hex, at) {
    var bare = hex.replace(/^0x/, '');
    return code(bare === at.replace(/^0x/, '') ? bare : bare + ' <' + at + '>');
  }

  function table(className, head, rows) {
    var thead = el('thead', '', [el('tr', '', head.map(function (h) { return el('th', '', [h]); }))]);
    return el('table', className, [thead, el('tbody', '', rows)]);
  }

  function list(items) {
    if (!items.length) return '';
    if (items.length === 1) return el('span', '', items[0]);
    return el('ul', '', items.map(function (i) { return el('li', '', i); }));
  }

  function hartRow(h, run, n) {
    var f = h.fetched ? run.steps[h.fetched - 1].fetch : undefined;
    var name = el('th', '', [h.name, h.moved ? ' (this step)' : '']);
    name.scope = 'row';
    var insn = f ? [code(f.insn), f.at !== h.at || h.fetched !== n ? ' at ' + f.at : '', h.fetched !== n ? ' (step ' + h.fetched + ')' : ''] : ['none yet'];
    if (f && f.note) insn.push(el('div', 'note', [f.note]));
    // Bytes from one store: that store; from several (a torn fetch): which came from which.
    var parts = !f ? [] : f.parts.length === 1 ? [[f.parts[0].from]] : f.parts.map(function (p) { return [code(p.bytes), ' (' + p.at + ') from ' + p.from]; });
    var regs = h.changed.map(function (r) { return [code(r.reg + ' = ' + r.value), r.points ? ' (' + r.points + ')' : '']; });
    var state = h.state ? el('div', '', [h.state]) : null;
    var row = el('tr', h.moved ? 'moved' : '', [
      name,
      el('td', '', [where(h.pc, h.at), state]),
      el('td', '', insn),
      el('td', '', [f ? code(f.bytes) : '']),
      el('td', '', [list(parts)]),
      el('td', '', [list(regs)]),
    ]);
    return row;
  }

  function memoryRow(m) {
    return el('tr', m.changed ? 'changed' : '', [
      el('td', '', [where(m.addr, m.at)]),
      el('td', '', [code(m.value), m.insn ? ' (' : '', m.insn ? code(m.insn) : '', m.insn ? ')' : '']),
      el('td', '', [m.by + (m.changed ? ' (this step)' : '')]),
    ]);
  }

  function render(panel, run, n) {
    var step = run.steps[n - 1];
    var total = run.steps.length;
    var children = [
      el('p', 'stepper-count', ['step ' + n + ' of ' + total + (step.loops ? ' (in the loop that repeats forever)' : '')]),
      el('p', 'stepper-what', [el('strong', '', [step.actor]), ': ' + step.text]),
    ];
    if (step.patchers.length) {
      children.push(list(step.patchers.map(function (p) { return [el('strong', '', [p.name]), ': ' + p.progress + (p.moved ? ' (this step)' : '')]; })));
    }
    children.push(table('stepper-harts', ['Hart', 'pc', 'Last instruction', 'Bytes', 'From', 'Registers changed'], step.harts.map(function (h) { return hartRow(h, run, n); })));
    children.push(step.memory.length
      ? table('stepper-memory', ['Written', 'Memory holds', 'By'], step.memory.map(memoryRow))
      : el('p', '', ['No store has reached memory yet.']));
    panel.replaceChildren.apply(panel, children);
  }

  /** The run's table, just above its data: its row for step n is marked while the stepper shows it. */
  function markRow(tableEl, n) {
    if (!tableEl || tableEl.tagName !== 'TABLE') return;
    tableEl.querySelectorAll('tbody tr').forEach(function (tr) {
      var first = tr.firstElementChild;
      tr.classList.toggle('stepper-current', !!first && first.textContent.trim() === String(n));
    });
  }

  function stepper(data) {
    var run = JSON.parse(data.textContent);
    if (!run.steps.length) return;
    var n = 1;
    var prev = el('button', 'stepper-prev', ['← Prev']);
    var next = el('button', 'stepper-next', ['Next →']);
    prev.type = next.type = 'button';
    prev.setAttribute('aria-label', 'Previous step');
    next.setAttribute('aria-label', 'Next step');
    var panel = el('div', 'stepper-panel');
    panel.setAttribute('aria-live', 'polite');
    var box = el('section', 'stepper', [el('div', 'stepper-bar', [prev, next, el('span', '', ['or ← and → keys'])]), panel]);
    box.tabIndex = 0;
    box.setAttribute('aria-label', 'Step through this run');
    var above = data.previousElementSibling;
    function go(to) {
      n = Math.min(Math.max(to, 1), run.steps.length);
      prev.setAttribute('aria-disabled', String(n === 1));
      next.setAttribute('aria-disabled', String(n === run.steps.length));
      render(panel, run, n);
      markRow(above, n);
    }
    prev.addEventListener('click', function () { go(n - 1); });
    next.addEventListener('click', function () { go(n + 1); });
    box.addEventListener('keydown', function (e) {
      var keys = { ArrowLeft: n - 1, ArrowRight: n + 1, Home: 1, End: run.steps.length };
      if (!Object.prototype.hasOwnProperty.call(keys, e.key) || e.altKey || e.ctrlKey || e.metaKey) return;
      var to = keys[e.key];
      e.preventDefault();
      go(to);
    });
    data.after(box);
    go(1);
  }

  var blocks = document.querySelectorAll('script.patchlit-steps');
  if (!blocks.length) return;
  document.head.appendChild(el('style', '', [STYLE]));
  blocks.forEach(function (b) {
    try {
      stepper(b);
    } catch (e) {
      console.error('patchlit stepper: ' + e);
    }
  });
})();
