import type { DoctorResult } from './doctor.js';

const MARK = { ok: 'ok', warn: 'WARN', missing: 'MISSING' } as const;

/** Renders the doctor's results as a plain-text table followed by the commands that fix them. */
export function formatDoctorTable(results: readonly DoctorResult[]): string {
  const rows = results.map((r) => [r.name, r.required ? 'required' : 'optional', MARK[r.status], r.detail]);
  const header = ['check', 'need', 'status', 'found'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => (row[i] ?? '').length)));
  const line = (cells: readonly string[]): string =>
    cells
      .map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i] ?? 0)))
      .join('  ')
      .trimEnd();
  const out = [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)];
  const fixes = results.filter((r) => r.status !== 'ok' && r.fix !== undefined);
  if (fixes.length > 0) {
    out.push('', 'To fix:');
    for (const r of fixes)
      out.push(`  ${r.name} (${r.required ? 'required' : 'optional'}, for ${r.usedBy}): ${r.fix ?? ''}`);
  }
  return `${out.join('\n')}\n`;
}
