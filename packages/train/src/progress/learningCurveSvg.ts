/** One named series of (step, value) points. */
export interface CurveSeries {
  readonly name: string;
  readonly points: readonly (readonly [number, number])[];
}

const COLORS = ['#1f77b4', '#d62728', '#2ca02c', '#ff7f0e', '#9467bd', '#8c564b'];

/**
 * A small line chart as SVG: one panel per series (each with its own y range), steps on x. Written
 * by hand because the run only needs a static picture and a plotting library would pull in a
 * browser stack.
 */
export function learningCurveSvg(title: string, series: readonly CurveSeries[]): string {
  const width = 640;
  const panelHeight = 160;
  const margin = { left: 64, right: 16, top: 28, bottom: 28 };
  const shown = series.filter((s) => s.points.some(([, v]) => Number.isFinite(v)));
  const height = margin.top + Math.max(1, shown.length) * (panelHeight + margin.bottom) + 8;
  const parts = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="11">`,
    `<rect width="100%" height="100%" fill="white"/>`,
    `<text x="${margin.left}" y="18" font-size="14" font-weight="bold">${escapeXml(title)}</text>`,
  ];
  shown.forEach((s, i) => {
    const pts = s.points.filter(([, v]) => Number.isFinite(v));
    const top = margin.top + i * (panelHeight + margin.bottom);
    const plotW = width - margin.left - margin.right;
    const xs = pts.map(([x]) => x);
    const ys = pts.map(([, y]) => y);
    const [x0, x1] = range(xs);
    const [y0, y1] = range(ys);
    const px = (x: number): number => margin.left + ((x - x0) / (x1 - x0)) * plotW;
    const py = (y: number): number => top + panelHeight - ((y - y0) / (y1 - y0)) * panelHeight;
    const color = COLORS[i % COLORS.length] ?? '#000';
    parts.push(
      `<rect x="${margin.left}" y="${top}" width="${plotW}" height="${panelHeight}" fill="none" stroke="#ccc"/>`,
      `<text x="${margin.left + 4}" y="${top + 12}" fill="${color}">${escapeXml(s.name)}</text>`,
      `<text x="${margin.left - 4}" y="${top + 10}" text-anchor="end">${fmt(y1)}</text>`,
      `<text x="${margin.left - 4}" y="${top + panelHeight}" text-anchor="end">${fmt(y0)}</text>`,
      `<text x="${margin.left}" y="${top + panelHeight + 14}">${fmt(x0)}</text>`,
      `<text x="${width - margin.right}" y="${top + panelHeight + 14}" text-anchor="end">${fmt(x1)}</text>`,
      `<polyline fill="none" stroke="${color}" stroke-width="1.5" points="${pts.map(([x, y]) => `${px(x).toFixed(1)},${py(y).toFixed(1)}`).join(' ')}"/>`,
    );
  });
  parts.push('</svg>');
  return `${parts.join('\n')}\n`;
}

function range(values: readonly number[]): [number, number] {
  let lo = Math.min(...values);
  let hi = Math.max(...values);
  if (!(hi > lo)) {
    lo -= 0.5;
    hi += 0.5;
  }
  return [lo, hi];
}

function fmt(v: number): string {
  return Math.abs(v) >= 1000 || Number.isInteger(v) ? v.toFixed(0) : v.toPrecision(3);
}

function escapeXml(text: string): string {
  return text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');
}
