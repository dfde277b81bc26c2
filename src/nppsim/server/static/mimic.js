// The mimic diagram: an SVG drawn from the topology the server describes
// (nppsim.server.topology), with live values bound to recorded columns.
"use strict";

const Units = (() => {
  // SI column unit -> unit shown to people (and the conversion)
  const TABLE = {
    W: ["MW", (v) => v / 1e6],
    Pa: ["MPa", (v) => v / 1e6],
    K: ["°C", (v) => v - 273.15],
    J: ["GJ", (v) => v / 1e9],
    "ppm/s": ["ppm/min", (v) => v * 60],
    "rad/s": ["rpm", (v) => (v * 60) / (2 * Math.PI)],
  };
  function display(name, unit) {
    if (name.startsWith("reactivity")) return ["pcm", (v) => v * 1e5];
    if (unit === "1" && /power_relative|power_setpoint|_frac$|rod_demand|valve/.test(name))
      return ["%", (v) => v * 100];
    if (TABLE[unit]) return TABLE[unit];
    return [unit === "1" ? "" : unit, (v) => v];
  }
  function fmt(v, digits) {
    if (v === null || v === undefined || !isFinite(v)) return "—";
    const a = Math.abs(v);
    const d = digits !== undefined ? digits : a >= 1000 ? 0 : a >= 100 ? 1 : a >= 10 ? 2 : 3;
    return v.toFixed(d);
  }
  return { display, fmt };
})();

const Mimic = (() => {
  const NS = "http://www.w3.org/2000/svg";
  let bindings = [];

  function el(tag, attrs, parent, text) {
    const e = document.createElementNS(NS, tag);
    for (const [k, v] of Object.entries(attrs || {})) e.setAttribute(k, v);
    if (text !== undefined) e.textContent = text;
    if (parent) parent.appendChild(e);
    return e;
  }

  // a live value: "label value unit" bound to a column
  function value(parent, x, y, col, label, opts) {
    if (!col) return null;
    const o = opts || {};
    const g = el("g", { class: "val", transform: `translate(${x},${y})` }, parent);
    if (label) el("text", { class: "lbl", x: 0, y: 0, "text-anchor": o.anchor || "start" }, g, label);
    const t = el(
      "text",
      { class: "num", x: 0, y: label ? 15 : 0, "text-anchor": o.anchor || "start", "data-col": col },
      g,
      "—"
    );
    bindings.push({ kind: "text", el: t, col, digits: o.digits });
    return t;
  }

  function drawCore(svg, topo) {
    const r = topo.reactor;
    el("text", { x: 20, y: 28, class: "title" }, svg, `${topo.title} — core model`);
    // vessel
    el("rect", { x: 400, y: 60, width: 170, height: 330, rx: 60, class: "vessel" }, svg);
    const core = el("rect", { x: 425, y: 180, width: 120, height: 170, class: "core", id: "m-core" }, svg);
    bindings.push({ kind: "core", el: core, col: r.bind.power });
    // rod banks: the inserted length drawn from the top of the core
    const banks = r.banks || [];
    banks.forEach((b, i) => {
      const x = 435 + (i * 100) / Math.max(1, banks.length - 1 || 1);
      el("line", { x1: x, y1: 70, x2: x, y2: 180, class: "drive" }, svg);
      const rod = el("rect", { x: x - 5, y: 180, width: 10, height: 0, class: b.regulating ? "rod reg" : "rod" }, svg);
      el("text", { x, y: 66, "text-anchor": "middle", class: "lbl small" }, svg, b.name);
      if (b.bind.position) bindings.push({ kind: "rod", el: rod, col: b.bind.position, top: 180, len: 170 });
      value(svg, x, 400 + 16 * (i % 2), b.bind.position, i === 0 ? "" : "", { anchor: "middle", digits: 0 });
    });
    // boundary: inlet and outlet
    el("path", { d: "M 60 330 H 400", class: "pipe cold" }, svg);
    el("path", { d: "M 570 120 H 900", class: "pipe hot" }, svg);
    el("path", { d: "M 385 322 l 15 8 l -15 8 z", class: "arrow cold" }, svg);
    el("path", { d: "M 885 112 l 15 8 l -15 8 z", class: "arrow hot" }, svg);
    const b = (topo.boundary && topo.boundary.bind) || {};
    el("text", { x: 60, y: 310, class: "lbl" }, svg, "Inlet (boundary condition)");
    value(svg, 60, 355, b.t_in, "temperature");
    value(svg, 180, 355, b.flow, "flow");
    value(svg, 280, 355, b.pressure, "pressure");
    el("text", { x: 620, y: 100, class: "lbl" }, svg, "Outlet");
    value(svg, 620, 145, b.t_out, "temperature");
    const rb = r.bind;
    value(svg, 620, 210, rb.power, "power", { digits: 2 });
    value(svg, 740, 210, rb.power_w, "thermal");
    value(svg, 860, 210, rb.setpoint, "setpoint", { digits: 1 });
    value(svg, 620, 260, rb.reactivity, "reactivity", { digits: 1 });
    value(svg, 740, 260, rb.boron, "boron", { digits: 1 });
    value(svg, 860, 260, rb.fuel_max, "fuel max");
    return 460;
  }

  function drawPlant(svg, topo) {
    const loops = topo.loops || [];
    const n = Math.max(1, loops.length);
    const lane = 92;
    const top = 70;
    const H = top + n * lane + 150;
    el("text", { x: 20, y: H - 12, class: "title" }, svg, `${topo.title} — plant`);
    // reactor
    const ry0 = top - 10, ry1 = top + n * lane - 20;
    el("rect", { x: 40, y: ry0, width: 110, height: ry1 - ry0, rx: 40, class: "vessel" }, svg);
    const core = el("rect", { x: 60, y: ry0 + (ry1 - ry0) * 0.45, width: 70, height: (ry1 - ry0) * 0.4, class: "core" }, svg);
    bindings.push({ kind: "core", el: core, col: topo.reactor.bind.power });
    el("text", { x: 95, y: ry0 + 20, "text-anchor": "middle", class: "lbl" }, svg, "Reactor");
    value(svg, 95, ry0 + 45, topo.reactor.bind.power, "power", { anchor: "middle", digits: 1 });
    const lb = topo.bind_loops || {};
    value(svg, 95, ry1 + 25, lb.t_hot || topo.reactor.bind.t_out, "T hot", { anchor: "middle" });
    value(svg, 95, ry1 + 60, lb.t_cold || topo.reactor.bind.t_in, "T cold", { anchor: "middle" });
    // loops
    const xSG = 360, wSG = 150;
    loops.forEach((lp, i) => {
      const y = top + i * lane + 20;
      el("path", { d: `M 150 ${y - 14} H ${xSG}`, class: "pipe hot" }, svg);
      el("path", { d: `M ${xSG} ${y + 14} H 150`, class: "pipe cold" }, svg);
      // pump on the cold leg
      const pump = el("circle", { cx: 260, cy: y + 14, r: 13, class: "pump" }, svg);
      el("path", { d: `M 254 ${y + 7} l 14 7 l -14 7 z`, class: "pump-arrow" }, svg);
      el("text", { x: 260, y: y + 44, "text-anchor": "middle", class: "lbl small" }, svg, `RCP-${lp.index}`);
      if (lp.pump.bind.speed)
        bindings.push({ kind: "pump", el: pump, col: lp.pump.bind.speed, rated: lp.pump.rated_speed });
      value(svg, 300, y + 44, lp.pump.bind.speed, "", { digits: 0 });
      value(svg, 175, y - 22, lp.bind.flow, "", { digits: 0 });
      // steam generator (horizontal: a lying capsule; others standing)
      const sg = lp.steam_generator;
      const horizontal = sg.type === "horizontal";
      el("rect", {
        x: xSG, y: y - 30, width: wSG, height: 60, rx: horizontal ? 30 : 10, class: "sg",
      }, svg);
      el("text", { x: xSG + wSG / 2, y: y - 12, "text-anchor": "middle", class: "lbl small" }, svg, `SG-${lp.index} (${sg.type})`);
      value(svg, xSG + 18, y + 8, sg.bind.level, "level", { digits: 2 });
      value(svg, xSG + 80, y + 8, sg.bind.pressure, "p", { digits: 2 });
      // steam line to the header, feed line from the feed pumps
      el("path", { d: `M ${xSG + wSG} ${y - 12} H 600`, class: "pipe steam" }, svg);
      el("path", { d: `M 640 ${y + 16} H ${xSG + wSG}`, class: "pipe feed" }, svg);
    });
    // pressurizer on its loop's hot leg
    if (topo.pressurizer) {
      const pz = topo.pressurizer;
      const k = Math.max(0, Math.min(n - 1, (pz.loop || 1) - 1));
      const yk = top + k * lane + 20 - 14;
      const x = 205;
      el("path", { d: `M ${x} ${yk} V ${top - 40}`, class: "pipe hot thin" }, svg);
      const g = el("g", { transform: `translate(${x - 22},${top - 66})` }, svg);
      el("rect", { x: 0, y: -0, width: 44, height: 30, rx: 12, class: "pzr" }, g);
      const lvl = el("rect", { x: 3, y: 15, width: 38, height: 12, class: "pzr-level" }, g);
      if (pz.bind.level) bindings.push({ kind: "level", el: lvl, col: pz.bind.level, max: pz.height || 12, y0: 3, h: 24 });
      el("text", { x: 52, y: 8, class: "lbl small" }, g, `Pressurizer (loop ${pz.loop})`);
      value(g, 52, 24, pz.bind.pressure, "", { digits: 2 });
      value(g, 140, 24, pz.bind.level, "", { digits: 2 });
    }
    // steam header, dumps, turbine, generator
    if (topo.steam) {
      const y0 = top - 10, y1 = top + (n - 1) * lane + 20;
      el("path", { d: `M 600 ${y0} V ${y1}`, class: "pipe steam header" }, svg);
      value(svg, 610, y0 - 8, topo.steam.bind.header_pressure, "header", { digits: 2 });
      const ym = (y0 + y1) / 2;
      el("path", { d: `M 600 ${ym} H 760`, class: "pipe steam" }, svg);
      const valve = (x, y, spec, label, vertical) => {
        if (!spec) return;
        const v = el("path", {
          d: vertical
            ? `M ${x - 8} ${y - 10} L ${x + 8} ${y + 10} L ${x + 8} ${y - 10} L ${x - 8} ${y + 10} Z`
            : `M ${x - 10} ${y - 8} L ${x + 10} ${y + 8} L ${x - 10} ${y + 8} L ${x + 10} ${y - 8} Z`,
          class: "valve",
        }, svg);
        el("text", { x: x + 14, y: y + 4, class: "lbl small" }, svg, label);
        if (spec.bind.flow) bindings.push({ kind: "valve", el: v, col: spec.bind.flow, capacity: spec.capacity });
        value(svg, x + 14, y + 20, spec.bind.flow, "", { digits: 0 });
      };
      // BRU-A to the atmosphere (up), BRU-K to the condenser (down)
      el("path", { d: `M 680 ${ym} V ${y0 - 20}`, class: "pipe steam thin" }, svg);
      valve(680, y0 + 10, topo.steam.bru_a, "BRU-A → atmosphere", true);
      el("path", { d: `M 700 ${ym} V ${y1 + 70}`, class: "pipe steam thin" }, svg);
      valve(700, y1 + 30, topo.steam.bru_k, "BRU-K → condenser", true);
      valve(560, y0 - 25, topo.steam.safety_valves, "SG safety valves", false);
      if (topo.steam.bind.break_flow) value(svg, 430, H - 20, topo.steam.bind.break_flow, "break flow", { digits: 0 });
      if (topo.turbine) {
        el("path", { d: `M 760 ${ym - 25} L 850 ${ym - 45} L 850 ${ym + 45} L 760 ${ym + 25} Z`, class: "turbine" }, svg);
        el("text", { x: 805, y: ym + 62, "text-anchor": "middle", class: "lbl" }, svg, "Turbine");
        value(svg, 770, ym + 80, topo.turbine.bind.valve, "valve", { digits: 1 });
        value(svg, 840, ym + 80, topo.turbine.bind.flow, "steam", { digits: 0 });
      }
      if (topo.generator) {
        el("path", { d: `M 850 ${ym} H 900`, class: "shaft" }, svg);
        el("circle", { cx: 930, cy: ym, r: 30, class: "generator" }, svg);
        el("text", { x: 930, y: ym + 6, "text-anchor": "middle", class: "gen" }, svg, "G");
        value(svg, 930, ym + 50, topo.generator.bind.power, "electric", { anchor: "middle" });
      }
      // condenser and feed pumps
      const yc = y1 + 70;
      el("rect", { x: 660, y: yc, width: 150, height: 36, rx: 6, class: "condenser" }, svg);
      el("text", { x: 735, y: yc + 22, "text-anchor": "middle", class: "lbl" }, svg, "Condenser");
      if (topo.feedwater) {
        el("path", { d: `M 660 ${yc + 18} H 640 V ${top + 36}`, class: "pipe feed" }, svg);
        for (let i = 0; i < topo.feedwater.pumps; i++)
          el("circle", { cx: 640, cy: yc - 10 - i * 26, r: 9, class: "pump on" }, svg);
        el("text", { x: 520, y: yc + 30, class: "lbl small" }, svg, `${topo.feedwater.pumps} feed pumps`);
        value(svg, 520, yc + 45, topo.feedwater.bind.flow, "", { digits: 0 });
      }
    }
    return H;
  }

  function draw(container, topo) {
    bindings = [];
    container.innerHTML = "";
    const svg = el("svg", { class: "mimic", id: "mimic-svg", "data-kind": topo.kind, "data-loops": (topo.loops || []).length });
    container.appendChild(svg);
    const h = topo.kind === "plant" ? drawPlant(svg, topo) : drawCore(svg, topo);
    svg.setAttribute("viewBox", `0 0 1000 ${h}`);
    return svg;
  }

  function update(values, columnsInfo) {
    for (const b of bindings) {
      const v = values[b.col];
      if (b.kind === "text") {
        const [unit, f] = Units.display(b.col, columnsInfo[b.col] || "");
        b.el.textContent = v === null || v === undefined ? "—" : `${Units.fmt(f(v), b.digits)} ${unit}`;
      } else if (b.kind === "rod" && v !== null && v !== undefined) {
        b.el.setAttribute("height", Math.max(0, Math.min(1, 1 - v)) * b.len);
      } else if (b.kind === "core" && v !== null && v !== undefined) {
        b.el.style.fillOpacity = String(0.2 + 0.8 * Math.max(0, Math.min(1.2, v)));
      } else if (b.kind === "pump") {
        const f = b.rated > 0 && v !== null && v !== undefined ? v / b.rated : 0;
        const state = f > 0.9 ? "on" : f > 0.03 ? "coast" : "off";
        b.el.setAttribute("class", `pump ${state}`);
        b.el.setAttribute("data-state", state);
      } else if (b.kind === "valve") {
        const open = v !== null && v !== undefined && v > Math.max(0.5, 1e-3 * (b.capacity || 0));
        b.el.setAttribute("class", open ? "valve open" : "valve");
        b.el.setAttribute("data-state", open ? "open" : "closed");
      } else if (b.kind === "level" && v !== null && v !== undefined) {
        const f = Math.max(0, Math.min(1, v / b.max));
        b.el.setAttribute("y", b.y0 + b.h * (1 - f));
        b.el.setAttribute("height", b.h * f);
      }
    }
  }

  return { draw, update };
})();
