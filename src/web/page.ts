/**
 * The workshop page: markup and style. Its words are filled in by the client
 * (src/web/client.ts) from src/report/i18n.ts, in Chinese or English; the
 * controls are built from /api/config. Everything is served by the local
 * server: ECharts' browser build and the page's modules, no external URL.
 */
const CSS = `
:root { --ink: #1f2933; --muted: #616e7c; --line: #d9dee3; --bg: #f5f6f8; --accent: #c0392b; --accent-dark: #922b21; --ok: #1e8449; --bad: #b03a2e; --card: #fff; }
* { box-sizing: border-box; }
html, body { margin: 0; padding: 0; }
body { font-family: "Helvetica Neue", Arial, "Noto Sans CJK SC", "Source Han Sans SC", "PingFang SC", "Microsoft YaHei", sans-serif; color: var(--ink); background: var(--bg); font-size: 14px; line-height: 1.4; }
header.top { display: flex; justify-content: space-between; align-items: center; gap: 16px; padding: 12px 20px; background: linear-gradient(90deg, #7b241c, #c0392b); color: #fff; }
header.top h1 { font-size: 21px; margin: 0; letter-spacing: .02em; }
header.top p { margin: 2px 0 0; opacity: .9; font-size: 13px; }
header.top button { background: rgba(255,255,255,.15); color: #fff; border: 1px solid rgba(255,255,255,.6); border-radius: 4px; padding: 6px 14px; cursor: pointer; font-size: 14px; }
#banner, #notice { margin: 10px 20px 0; padding: 10px 14px; border-radius: 4px; white-space: pre-wrap; }
#banner { background: #fdecea; border: 1px solid #e6a29b; color: #7b241c; }
#notice { background: #fff8e1; border: 1px solid #f0d78c; color: #6b4f00; }
#banner button, #notice button { float: right; background: none; border: none; font-size: 16px; cursor: pointer; color: inherit; }
.layout { display: grid; grid-template-columns: 380px 1fr; gap: 16px; padding: 14px 20px 40px; align-items: start; }
aside { position: sticky; top: 10px; max-height: calc(100vh - 20px); overflow-y: auto; padding-right: 4px; }
.box { background: var(--card); border: 1px solid var(--line); border-radius: 6px; padding: 10px 12px; margin-bottom: 12px; }
.box h2 { font-size: 15px; margin: 0 0 8px; }
fieldset { border: 1px solid var(--line); border-radius: 6px; background: var(--card); margin: 0 0 12px; padding: 6px 12px 10px; }
legend { font-weight: bold; padding: 0 6px; color: var(--accent-dark); }
fieldset .note { color: var(--muted); font-size: 11.5px; margin: 0 0 6px; }
.lever { padding: 6px 0; border-top: 1px dashed #eceff1; }
.lever:first-of-type { border-top: none; }
.lever label.name { display: block; font-weight: 600; font-size: 13px; }
.lever .meta { color: var(--muted); font-size: 11px; }
.lever .row { display: flex; align-items: center; gap: 8px; margin-top: 3px; }
.lever input[type=range] { flex: 1; min-width: 0; accent-color: var(--accent); }
.lever input[type=number] { width: 78px; }
.lever .arr { display: grid; grid-template-columns: repeat(6, 1fr); gap: 4px; margin-top: 3px; }
.lever .arr.n3 { grid-template-columns: repeat(3, 1fr); }
.lever .arr label { font-size: 10.5px; color: var(--muted); display: flex; flex-direction: column; }
.lever .arr input { width: 100%; }
.lever.invalid input, .setting.invalid input { border-color: var(--bad); background: #fdecea; }
.lever .err, .setting .err { color: var(--bad); font-size: 11.5px; display: block; }
input, select, button { font: inherit; }
input[type=number], select { padding: 3px 5px; border: 1px solid #b8c2cc; border-radius: 3px; background: #fff; }
.settings { display: grid; grid-template-columns: 1fr 1fr; gap: 6px 10px; }
.setting.wide { grid-column: 1 / -1; }
.setting.wide label { font-weight: 600; }
#numbers caption { caption-side: bottom; text-align: left; font-size: 12px; padding-top: 4px; }
.setting label { display: block; font-size: 12px; color: var(--muted); }
.setting input { width: 100%; }
.buttons { display: flex; flex-wrap: wrap; gap: 6px; margin-top: 8px; }
button.small { padding: 3px 10px; border: 1px solid #b8c2cc; background: #fff; border-radius: 3px; cursor: pointer; font-size: 12.5px; }
button.small:hover { background: #f0f2f4; }
.runbar { display: flex; align-items: center; gap: 14px; background: var(--card); border: 1px solid var(--line); border-radius: 6px; padding: 10px 12px; margin-bottom: 12px; position: sticky; top: 0; z-index: 5; }
button.primary { background: var(--accent); color: #fff; border: none; border-radius: 4px; padding: 9px 26px; font-size: 16px; font-weight: bold; cursor: pointer; }
button.primary:hover { background: var(--accent-dark); }
#status { flex: 1; color: var(--muted); }
#status.running { color: #1a5276; }
#status.failed { color: var(--bad); font-weight: bold; }
#progress { width: 220px; height: 10px; }
table.numbers { border-collapse: collapse; width: 100%; }
table.numbers th, table.numbers td { border-bottom: 1px solid #eceff1; padding: 5px 8px; text-align: right; }
table.numbers th:first-child, table.numbers td:first-child { text-align: left; }
table.numbers td .ci { color: var(--muted); font-size: 11px; display: block; }
table.numbers td.good { color: var(--ok); font-weight: bold; }
table.numbers td.bad { color: var(--bad); font-weight: bold; }
.chart-grid { display: grid; grid-template-columns: repeat(auto-fill, minmax(360px, 1fr)); gap: 10px; }
.chart-grid.two { grid-template-columns: repeat(auto-fill, minmax(640px, 1fr)); }
.card { border: 1px solid var(--line); border-radius: 4px; padding: 4px; position: relative; background: #fff; }
.card .dl { position: absolute; top: 4px; right: 6px; z-index: 2; display: flex; gap: 3px; }
.card .dl button { font-size: 10.5px; padding: 1px 6px; border: 1px solid #ccd3da; background: #fff; border-radius: 3px; cursor: pointer; color: var(--muted); }
.chart { width: 100%; height: 270px; }
.chart.tall { height: 400px; }
.chart.map { height: 560px; }
.mapbar { display: flex; flex-wrap: wrap; align-items: center; gap: 10px; margin-bottom: 6px; }
.mapbar input[type=range] { flex: 1; min-width: 160px; accent-color: var(--accent); }
#map-year { font-weight: bold; min-width: 3.5em; }
.muted { color: var(--muted); }
footer { color: var(--muted); font-size: 12px; padding: 0 20px 20px; }
@media (max-width: 900px) { .layout { grid-template-columns: 1fr; } aside { position: static; max-height: none; } }
`;

export function pageHtml(): string {
  return `<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>CadreFlow</title>
<style>${CSS}</style>
<script src="/assets/echarts.min.js"></script>
<script type="module" src="/assets/web/client.js"></script>
</head>
<body>
<header class="top">
  <div><h1 data-i18n="title">CadreFlow</h1><p data-i18n="subtitle"></p></div>
  <div><button id="lang-switch" type="button">English</button></div>
</header>
<div id="banner" role="alert" hidden></div>
<div id="notice" role="status" hidden></div>
<div class="layout">
  <aside id="controls">
    <div class="box">
      <h2 data-i18n="presets"></h2>
      <div class="buttons"><select id="preset"></select><button id="load-preset" class="small" type="button" data-i18n="loadPreset"></button></div>
      <p id="preset-description" class="muted" style="font-size:12px;margin:6px 0 0"></p>
    </div>
    <div class="box">
      <h2 data-i18n="settings"></h2>
      <div class="settings" id="settings"></div>
      <div class="buttons"><button id="quick" class="small" type="button" data-i18n="quick"></button><button id="standard" class="small" type="button" data-i18n="full"></button></div>
    </div>
    <div id="levers"></div>
    <div class="box">
      <div class="buttons">
        <button id="reset" class="small" type="button" data-i18n="reset"></button>
        <button id="save-policy" class="small" type="button" data-i18n="savePolicy"></button>
        <button id="load-policy" class="small" type="button" data-i18n="loadPolicy"></button>
        <input id="policy-file" type="file" accept=".json,application/json" hidden>
      </div>
    </div>
  </aside>
  <main id="results">
    <div class="runbar">
      <button id="run" class="primary" type="button" data-i18n="run"></button>
      <div id="status" aria-live="polite"></div>
      <progress id="progress" max="1" value="0"></progress>
    </div>
    <section class="box" id="numbers-box">
      <h2><span data-i18n="headline"></span> · <span data-i18n="atYear"></span> <span id="numbers-year">–</span></h2>
      <table class="numbers" id="numbers"></table>
    </section>
    <section class="box">
      <h2 data-i18n="charts"></h2>
      <div id="charts" class="chart-grid"></div>
    </section>
    <section class="box">
      <h2 data-i18n="flows"></h2>
      <div class="mapbar"><label><span data-i18n="mapArm"></span> <select id="flow-arm"></select></label><span class="muted" id="flow-note"></span></div>
      <div class="chart-grid two" id="flows"></div>
    </section>
    <section class="box">
      <h2 data-i18n="map"></h2>
      <div class="mapbar">
        <label><span data-i18n="mapMetric"></span> <select id="map-metric"></select></label>
        <label><span data-i18n="mapArm"></span> <select id="map-arm"></select></label>
        <button id="play" class="small" type="button" data-i18n="play"></button>
        <input id="year-slider" type="range" min="0" max="0" value="0" step="1">
        <span id="map-year">–</span>
      </div>
      <div id="map-card"></div>
    </section>
    <section class="box">
      <div class="buttons">
        <button id="download-csv" class="small" type="button" data-i18n="downloadCsv"></button>
        <button id="download-summary" class="small" type="button" data-i18n="downloadSummary"></button>
      </div>
    </section>
  </main>
</div>
<footer id="footer"></footer>
<noscript>This page needs JavaScript. 本页面需要启用 JavaScript。</noscript>
</body>
</html>
`;
}
