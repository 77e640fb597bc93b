/**
 * The workshop page and the trainer's view: markup and style. Their words are
 * filled in by the clients (src/web/client.ts with src/web/client/, src/web/room.ts) from
 * src/report/i18n.ts, in Chinese or English; the controls are built from
 * /api/config. One column below 900 px (Run and the headline numbers first,
 * then the levers, then the charts); a presentation mode with larger text. Everything is served by the local
 * server: ECharts' browser build and the page's modules, no external URL.
 */
const CSS = `
:root { --ink: #1f2933; --muted: #616e7c; --line: #d9dee3; --bg: #f5f6f8; --accent: #c0392b; --accent-dark: #922b21; --ok: #1e8449; --bad: #b03a2e; --card: #fff; }
* { box-sizing: border-box; }
html, body { margin: 0; padding: 0; }
body { font-family: "Helvetica Neue", Arial, "Noto Sans CJK SC", "Source Han Sans SC", "PingFang SC", "Microsoft YaHei", sans-serif; color: var(--ink); background: var(--bg); font-size: 14px; line-height: 1.4; }
header.top { display: flex; flex-wrap: wrap; justify-content: space-between; align-items: center; gap: 10px 16px; padding: 12px 20px; background: linear-gradient(90deg, #7b241c, #c0392b); color: #fff; }
header.top h1 { font-size: 21px; margin: 0; letter-spacing: .02em; }
header.top p { margin: 2px 0 0; opacity: .9; font-size: 13px; }
header.top a.head-link { color: #fff; border: 1px solid rgba(255,255,255,.6); border-radius: 4px; padding: 6px 14px; font-size: 14px; text-decoration: none; background: rgba(255,255,255,.15); }
header.top button { background: rgba(255,255,255,.15); color: #fff; border: 1px solid rgba(255,255,255,.6); border-radius: 4px; padding: 6px 14px; cursor: pointer; font-size: 14px; }
#banner, #notice { margin: 10px 20px 0; padding: 10px 14px; border-radius: 4px; white-space: pre-wrap; }
#banner { background: #fdecea; border: 1px solid #e6a29b; color: #7b241c; }
#notice { background: #fff8e1; border: 1px solid #f0d78c; color: #6b4f00; }
#banner button, #notice button { float: right; background: none; border: none; font-size: 16px; cursor: pointer; color: inherit; }
.layout { display: grid; grid-template-columns: minmax(300px, 370px) minmax(0, 1fr); grid-template-areas: "aside top" "aside results"; gap: 0 16px; padding: 14px 20px 40px; align-items: start; }
#top { grid-area: top; min-width: 0; }
#results { grid-area: results; min-width: 0; }
aside { grid-area: aside; position: sticky; top: 10px; max-height: calc(100vh - 20px); overflow-y: auto; padding-right: 4px; min-width: 0; }
.skip { position: absolute; left: 8px; top: -60px; background: #fff; color: var(--accent-dark); padding: 8px 14px; border: 2px solid var(--accent); border-radius: 4px; z-index: 20; font-weight: bold; }
.skip:focus { top: 8px; }
.head-buttons { display: flex; flex-wrap: wrap; gap: 6px; }
details.group { border: 1px solid var(--line); border-radius: 6px; background: var(--card); margin: 0 0 10px; padding: 0 12px; }
details.group > summary { cursor: pointer; font-weight: bold; color: var(--accent-dark); padding: 8px 0; list-style-position: inside; }
details.group[open] > summary { border-bottom: 1px solid #eceff1; margin-bottom: 6px; }
details.group .count { font-weight: normal; color: var(--accent); font-size: 12px; margin-left: 6px; }
.lever.changed { border-left: 4px solid var(--accent); padding-left: 8px; margin-left: -12px; background: #fdf2f1; }
.lever .namebar { display: flex; align-items: baseline; gap: 6px; }
.lever .mark { display: none; font-size: 11px; color: #fff; background: var(--accent); border-radius: 3px; padding: 0 5px; font-weight: normal; }
.lever.changed .mark { display: inline-block; }
#size { font-size: 12px; color: var(--muted); flex-basis: 100%; }
#size.over { color: var(--bad); font-weight: bold; }
#size.slow { color: #8a5a00; }
.sr-only { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
details.alt { margin: 2px 4px 4px; font-size: 12px; }
details.alt summary { cursor: pointer; color: var(--muted); }
details.alt table { border-collapse: collapse; margin-top: 4px; width: 100%; }
details.alt th, details.alt td { border-bottom: 1px solid #eceff1; padding: 2px 6px; text-align: right; }
details.alt th:first-child, details.alt td:first-child { text-align: left; }
.alt-wrap { max-height: 320px; overflow: auto; }
dialog { border: 1px solid var(--line); border-radius: 8px; max-width: min(560px, calc(100vw - 24px)); padding: 16px 18px; }
dialog img { width: min(280px, 70vw); height: auto; display: block; margin: 8px auto; image-rendering: pixelated; }
dialog ul { padding-left: 18px; word-break: break-all; }
.share-link { word-break: break-all; font-size: 12px; }
body.present { font-size: 18px; }
body.present aside { display: none; }
body.present .layout { grid-template-columns: minmax(0, 1fr); grid-template-areas: "top" "results"; }
body.present .box h2 { font-size: 20px; }
body.present table.numbers th, body.present table.numbers td { font-size: 18px; }
body.present table.numbers td .ci, body.present #size, body.present details.alt, body.present .card .dl button, body.present #numbers caption, body.present .muted, body.present footer { font-size: 14px; }
body.present .chart { height: 380px; }
body.present .chart.tall { height: 480px; }
body.present .chart-grid { grid-template-columns: repeat(auto-fill, minmax(min(560px, 100%), 1fr)); }
.box { background: var(--card); border: 1px solid var(--line); border-radius: 6px; padding: 10px 12px; margin-bottom: 12px; }
.box h2 { font-size: 15px; margin: 0 0 8px; }
fieldset { border: 1px solid var(--line); border-radius: 6px; background: var(--card); margin: 0 0 12px; padding: 6px 12px 10px; }
legend { font-weight: bold; padding: 0 6px; color: var(--accent-dark); }
fieldset .note, details.group .note { color: var(--muted); font-size: 11.5px; margin: 0 0 6px; }
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
.lever .arr input { width: 100%; min-width: 0; }
.lever.invalid input, .setting.invalid input { border-color: var(--bad); background: #fdecea; }
.lever .err, .setting .err { color: var(--bad); font-size: 11.5px; display: block; }
input, select, button { font: inherit; }
input[type=number], select { padding: 3px 5px; border: 1px solid #b8c2cc; border-radius: 3px; background: #fff; }
.settings { display: grid; grid-template-columns: minmax(0, 1fr) minmax(0, 1fr); gap: 6px 10px; }
.setting.wide { grid-column: 1 / -1; }
.setting.wide label { font-weight: 600; }
#numbers caption { caption-side: bottom; text-align: left; font-size: 12px; padding-top: 4px; }
.setting label { display: block; font-size: 12px; color: var(--muted); }
.setting input { width: 100%; }
.buttons { display: flex; flex-wrap: wrap; gap: 6px; margin-top: 8px; }
button.small { padding: 3px 10px; border: 1px solid #b8c2cc; background: #fff; border-radius: 3px; cursor: pointer; font-size: 12.5px; }
button.small:hover { background: #f0f2f4; }
.runbar { display: flex; flex-wrap: wrap; align-items: center; gap: 6px 14px; background: var(--card); border: 1px solid var(--line); border-radius: 6px; padding: 10px 12px; margin-bottom: 12px; position: sticky; top: 0; z-index: 5; }
button.primary { background: var(--accent); color: #fff; border: none; border-radius: 4px; padding: 9px 26px; font-size: 16px; font-weight: bold; cursor: pointer; }
button.primary:hover { background: var(--accent-dark); }
#status { flex: 1 1 160px; color: var(--muted); min-width: 0; }
#status.running { color: #1a5276; }
#status.failed { color: var(--bad); font-weight: bold; }
#progress { width: 180px; max-width: 100%; height: 10px; }
table.numbers { border-collapse: collapse; width: 100%; }
table.numbers th { font-size: 12.5px; }
table.numbers th, table.numbers td { border-bottom: 1px solid #eceff1; padding: 5px 6px; text-align: right; overflow-wrap: anywhere; }
table.numbers th:first-child, table.numbers td:first-child { text-align: left; }
table.numbers td .ci { color: var(--muted); font-size: 11px; display: block; }
table.numbers td.good { color: var(--ok); font-weight: bold; }
table.numbers td.bad { color: var(--bad); font-weight: bold; }
.chart-grid { display: grid; grid-template-columns: repeat(auto-fill, minmax(min(360px, 100%), 1fr)); gap: 10px; }
.chart-grid.two { grid-template-columns: repeat(auto-fill, minmax(min(560px, 100%), 1fr)); }
.card { border: 1px solid var(--line); border-radius: 4px; padding: 4px; position: relative; background: #fff; min-width: 0; }
.card .dl-bar { display: flex; justify-content: flex-end; gap: 3px; }
.card .dl { display: flex; gap: 3px; }
.card .dl button { font-size: 10.5px; padding: 1px 6px; border: 1px solid #ccd3da; background: #fff; border-radius: 3px; cursor: pointer; color: var(--muted); }
.chart { width: 100%; height: 270px; }
.chart.tall { height: 400px; }
.chart.map { height: 560px; }
@media (max-width: 600px) { .chart.map { height: 420px; } .chart.tall { height: 360px; } header.top h1 { font-size: 18px; } header.top { padding: 10px 10px; } header.top p { font-size: 12px; } header.top button, header.top a.head-link { padding: 4px 9px; font-size: 13px; } .layout { padding: 10px 8px 30px; } #banner, #notice { margin: 8px 8px 0; } }
.mapbar { display: flex; flex-wrap: wrap; align-items: center; gap: 10px; margin-bottom: 6px; }
.mapbar input[type=range] { flex: 1 1 140px; min-width: 0; accent-color: var(--accent); }
#map-year { font-weight: bold; min-width: 3.5em; }
.muted { color: var(--muted); }
footer { color: var(--muted); font-size: 12px; padding: 0 20px 20px; }
@media (max-width: 900px) {
  .layout { grid-template-columns: minmax(0, 1fr); grid-template-areas: "top" "aside" "results"; }
  aside { position: static; max-height: none; overflow: visible; padding-right: 0; }
}
`;

/** The start of both pages, up to </head>: the shared style (with `css` added) and the page's scripts. */
function head(css: string, scripts: string): string {
  return `<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>CadreFlow</title>
<style>${CSS}${css}</style>
${scripts}
</head>`;
}

export function pageHtml(): string {
  return `${head('', '<script src="/assets/echarts.min.js"></script>\n<script type="module" src="/assets/web/client.js"></script>')}
<body>
<a class="skip" href="#run" id="skip" data-i18n="skipToRun"></a>
<header class="top">
  <div><h1 data-i18n="title">CadreFlow</h1><p data-i18n="subtitle"></p></div>
  <div class="head-buttons">
    <button id="join" type="button" data-i18n="join"></button>
    <a id="room-link" class="head-link" href="/room" target="_blank" rel="noopener" data-i18n="roomView"></a>
    <button id="present" type="button" aria-pressed="false" data-i18n="present"></button>
    <button id="lang-switch" type="button">English</button>
  </div>
</header>
<div id="banner" role="alert" hidden></div>
<div id="notice" role="status" hidden></div>
<div class="layout">
  <section id="top" aria-label="run">
    <div class="runbar">
      <button id="run" class="primary" type="button" data-i18n="run"></button>
      <div id="status" aria-live="polite"></div>
      <progress id="progress" max="1" value="0"></progress>
      <div id="size" aria-live="polite"></div>
    </div>
    <section class="box" id="numbers-box">
      <h2><span data-i18n="headline"></span> · <span data-i18n="atYear"></span> <span id="numbers-year">–</span></h2>
      <table class="numbers" id="numbers"></table>
      <p class="muted" id="numbers-note" style="font-size:12px;margin:6px 0 0"></p>
    </section>
  </section>
  <aside id="controls">
    <div class="box">
      <h2 data-i18n="presets"></h2>
      <div class="buttons"><select id="preset" aria-labelledby="preset-label"></select><span id="preset-label" class="sr-only" data-i18n="presets"></span><button id="load-preset" class="small" type="button" data-i18n="loadPreset"></button></div>
      <p id="preset-description" class="muted" style="font-size:12px;margin:6px 0 0"></p>
    </div>
    <div class="box">
      <h2 data-i18n="settings"></h2>
      <div class="settings" id="settings"></div>
      <div class="buttons"><button id="quick" class="small" type="button" data-i18n="quick"></button><button id="standard" class="small" type="button" data-i18n="full"></button></div>
      <div class="setting wide" style="margin-top:8px"><label for="participant-name" data-i18n="yourName"></label><input id="participant-name" type="text" maxlength="40" autocomplete="nickname"></div>
    </div>
    <div id="levers"></div>
    <div class="box">
      <div class="buttons">
        <button id="reset" class="small" type="button" data-i18n="reset"></button>
        <button id="save-policy" class="small" type="button" data-i18n="savePolicy"></button>
        <button id="load-policy" class="small" type="button" data-i18n="loadPolicy"></button>
        <button id="download-scenario" class="small" type="button" data-i18n="downloadScenario"></button>
        <button id="copy-link" class="small" type="button" data-i18n="copyLink"></button>
        <input id="policy-file" type="file" accept=".json,application/json" hidden>
      </div>
    </div>
  </aside>
  <main id="results">
    <section class="box">
      <h2 data-i18n="charts"></h2>
      <p class="muted" id="charts-note" style="font-size:12px;margin:0 0 6px"></p>
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
        <label for="year-slider" class="sr-only" id="year-slider-label" data-i18n="yearShown"></label>
        <input id="year-slider" type="range" min="0" max="0" value="0" step="1">
        <span id="map-year">–</span>
      </div>
      <div id="map-card"></div>
      <p class="muted" id="map-note" style="font-size:12px;margin:4px 0 0"></p>
    </section>
    <section class="box">
      <div class="buttons">
        <button id="download-csv" class="small" type="button" data-i18n="downloadCsv"></button>
        <button id="download-summary" class="small" type="button" data-i18n="downloadSummary"></button>
      </div>
    </section>
  </main>
</div>
<dialog id="join-dialog" aria-labelledby="join-title">
  <h2 id="join-title" data-i18n="joinTitle"></h2>
  <p data-i18n="joinText"></p>
  <ul id="join-urls"></ul>
  <p id="join-local" class="muted" data-i18n="joinLocalOnly" hidden></p>
  <img id="join-qr" alt="">
  <p class="muted" data-i18n="shareText"></p>
  <p class="share-link" id="share-link"></p>
  <div class="buttons"><button id="join-close" class="small" type="button" data-i18n="close"></button></div>
</dialog>
<footer id="footer"></footer>
<noscript>This page needs JavaScript. 本页面需要启用 JavaScript。</noscript>
</body>
</html>
`;
}

/** The trainer's view: every participant's latest run side by side (src/web/room.ts fills it from /api/room). */
const ROOM_CSS = `
.room { padding: 14px 20px 40px; }
.room table { border-collapse: collapse; width: 100%; background: #fff; }
.room th, .room td { border: 1px solid var(--line); padding: 6px 8px; vertical-align: top; text-align: left; overflow-wrap: anywhere; }
.room td.num { text-align: right; white-space: nowrap; }
.room tbody th, .room td.state { white-space: nowrap; overflow-wrap: normal; }
.room thead th { overflow-wrap: normal; }
.room td.good { color: var(--ok); font-weight: bold; }
.room td.bad { color: var(--bad); font-weight: bold; }
.room .ci { display: block; color: var(--muted); font-size: 12px; font-weight: normal; }
.room ul { margin: 0; padding-left: 16px; }
.room .wrap { overflow-x: auto; }

`;

export function roomHtml(): string {
  return `${head(ROOM_CSS, '<script type="module" src="/assets/web/room.js"></script>')}
<body>
<header class="top">
  <div><h1 data-i18n="roomTitle">CadreFlow</h1><p data-i18n="roomSubtitle"></p></div>
  <div class="head-buttons"><button id="present" type="button" aria-pressed="false" data-i18n="present"></button><button id="lang-switch" type="button">English</button></div>
</header>
<div id="banner" role="alert" hidden></div>
<div class="room">
  <p id="room-status" class="muted" aria-live="polite"></p>
  <div class="wrap"><table id="room"></table></div>
</div>
</body>
</html>
`;
}
