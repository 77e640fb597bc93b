/**
 * Static SVG from a chart specification (src/report/charts.ts), rendered in
 * Node by ECharts' server-side SVG renderer, for the report and for papers.
 */
import * as echarts from 'echarts';
import type { EChartsOption } from 'echarts';

export function renderSvg(option: EChartsOption, width: number, height: number): string {
  const chart = echarts.init(null, null, { renderer: 'svg', ssr: true, width, height });
  try {
    chart.setOption({ ...option, animation: false, backgroundColor: '#fff' });
    return chart.renderToSVGString();
  } finally {
    chart.dispose();
  }
}

/**
 * The same SVG for inlining in an HTML page: namespace declarations dropped
 * (HTML parses inline SVG without them, and the report carries no URL), and
 * ids and classes prefixed so that several charts in one page cannot collide.
 */
export function inlineSvg(svg: string, prefix: string): string {
  return svg
    .replace(/\s+xmlns(:\w+)?="[^"]*"/g, '')
    .replace(/\bzr(\d+)-/g, `${prefix}-zr$1-`)
    .replace(/<svg /, `<svg role="img" `);
}
