export interface ChartPoint {
  readonly label: string;
  readonly mflops: number;
  readonly top1: number;
}

const escapeXml = (text: string): string =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** An SVG scatter of top-1 accuracy against MFLOPs, with axes, ticks and point labels. */
export function accuracyChartSvg(points: readonly ChartPoint[], title: string): string {
  const width = 640;
  const height = 420;
  const margin = { left: 70, right: 30, top: 40, bottom: 60 };
  const xs = points.map((point) => point.mflops);
  const ys = points.map((point) => point.top1 * 100);
  const pad = (low: number, high: number): [number, number] => {
    const span = Math.max(high - low, 1e-6);
    return [low - span * 0.1, high + span * 0.1];
  };
  const [xMin, xMax] = pad(Math.min(...xs), Math.max(...xs));
  const [yMin, yMax] = pad(Math.min(...ys), Math.max(...ys));
  const plotWidth = width - margin.left - margin.right;
  const plotHeight = height - margin.top - margin.bottom;
  const toX = (value: number) => margin.left + ((value - xMin) / (xMax - xMin)) * plotWidth;
  const toY = (value: number) =>
    margin.top + plotHeight - ((value - yMin) / (yMax - yMin)) * plotHeight;
  const ticks = (low: number, high: number) =>
    Array.from({ length: 5 }, (_, i) => low + ((high - low) * i) / 4);
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="12">`,
    `<rect width="${width}" height="${height}" fill="white"/>`,
    `<text x="${width / 2}" y="22" text-anchor="middle" font-size="15">${escapeXml(title)}</text>`,
    `<line x1="${margin.left}" y1="${margin.top + plotHeight}" x2="${margin.left + plotWidth}" y2="${margin.top + plotHeight}" stroke="black"/>`,
    `<line x1="${margin.left}" y1="${margin.top}" x2="${margin.left}" y2="${margin.top + plotHeight}" stroke="black"/>`,
    `<text x="${margin.left + plotWidth / 2}" y="${height - 15}" text-anchor="middle">MFLOPs</text>`,
    `<text x="18" y="${margin.top + plotHeight / 2}" text-anchor="middle" transform="rotate(-90 18 ${margin.top + plotHeight / 2})">top-1 (%)</text>`,
  ];
  for (const tick of ticks(xMin, xMax)) {
    parts.push(
      `<line x1="${toX(tick)}" y1="${margin.top + plotHeight}" x2="${toX(tick)}" y2="${margin.top + plotHeight + 5}" stroke="black"/>`,
    );
    parts.push(
      `<text x="${toX(tick)}" y="${margin.top + plotHeight + 20}" text-anchor="middle">${tick.toFixed(2)}</text>`,
    );
  }
  for (const tick of ticks(yMin, yMax)) {
    parts.push(
      `<line x1="${margin.left - 5}" y1="${toY(tick)}" x2="${margin.left}" y2="${toY(tick)}" stroke="black"/>`,
    );
    parts.push(
      `<line x1="${margin.left}" y1="${toY(tick)}" x2="${margin.left + plotWidth}" y2="${toY(tick)}" stroke="#eee"/>`,
    );
    parts.push(
      `<text x="${margin.left - 8}" y="${toY(tick) + 4}" text-anchor="end">${tick.toFixed(1)}</text>`,
    );
  }
  for (const point of points) {
    const x = toX(point.mflops);
    const y = toY(point.top1 * 100);
    parts.push(`<circle cx="${x}" cy="${y}" r="5" fill="#1f77b4"/>`);
    parts.push(`<text x="${x + 8}" y="${y - 6}">${escapeXml(point.label)}</text>`);
  }
  parts.push('</svg>');
  return parts.join('\n');
}
