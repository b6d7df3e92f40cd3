// Scores the content detector against a labelled CSV (columns: text, labels, optional target):
// per-category precision, recall, F1 and a confusion table, and target accuracy for hate.
// Usage: npm run eval:detect -- FILE.csv [--threshold category=0.6 ...] [--show category:fp|fn]
// The last line printed is one JSON object with the figures.
import { readFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import { z } from 'zod';
import { assessContent, CHARACTERISTICS, DETECT_CATEGORIES, type DetectCategory } from '../core/detect';

const rowSchema = z.object({
  text: z.string(),
  labels: z.string().default(''),
  target: z.string().optional(),
});

interface Counts {
  tp: number;
  fp: number;
  fn: number;
  tn: number;
}

function usage(message: string): never {
  console.error(
    `${message}\nUsage: npm run eval:detect -- FILE.csv [--threshold threat=0.6] [--show threat:fp]`,
  );
  process.exit(2);
}

function parseArgs(argv: string[]) {
  let file: string | undefined;
  const thresholds: Partial<Record<DetectCategory, number>> = {};
  const show: { category: DetectCategory; kind: 'fp' | 'fn' }[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--threshold') {
      const [k, v] = (argv[++i] ?? '').split('=');
      if (
        !k ||
        !(DETECT_CATEGORIES as readonly string[]).includes(k) ||
        v === undefined ||
        Number.isNaN(Number(v))
      )
        usage(`--threshold expects category=number, e.g. threat=0.6`);
      thresholds[k as DetectCategory] = Number(v);
    } else if (a === '--show') {
      const [k, kind] = (argv[++i] ?? '').split(':');
      if (!k || !(DETECT_CATEGORIES as readonly string[]).includes(k) || (kind !== 'fp' && kind !== 'fn'))
        usage(`--show expects category:fp or category:fn, e.g. threat:fn`);
      show.push({ category: k as DetectCategory, kind });
    } else if (!file) file = a;
    else usage(`Unexpected argument "${a}".`);
  }
  if (!file) usage('Give the CSV file to score.');
  return { file, thresholds, show };
}

function ratio(a: number, b: number): number {
  return b === 0 ? 0 : Math.round((a / b) * 1000) / 1000;
}

function main(): void {
  const { file, thresholds, show } = parseArgs(process.argv.slice(2));
  let raw: unknown[];
  try {
    raw = parse(readFileSync(file, 'utf8'), {
      columns: true,
      skip_empty_lines: true,
      relax_column_count: true,
    });
  } catch (e) {
    usage(`Could not read ${file}: ${(e as Error).message}`);
  }
  const rows = raw.map((r, i) => {
    const parsed = rowSchema.safeParse(r);
    if (!parsed.success)
      usage(`Row ${i + 2} of ${file}: needs a "text" column (${parsed.error.issues[0]?.message}).`);
    return parsed.data;
  });

  const labelled = new Set<DetectCategory>();
  const gold = rows.map((r, i) => {
    const set = new Set<DetectCategory>();
    for (const l of r.labels
      .split(';')
      .map((s) => s.trim())
      .filter(Boolean)) {
      if (!(DETECT_CATEGORIES as readonly string[]).includes(l)) usage(`Row ${i + 2}: unknown label "${l}".`);
      set.add(l as DetectCategory);
      labelled.add(l as DetectCategory);
    }
    return set;
  });

  const counts = new Map<DetectCategory, Counts>(
    DETECT_CATEGORIES.map((c) => [c, { tp: 0, fp: 0, fn: 0, tn: 0 }]),
  );
  let targetRows = 0;
  let targetCorrect = 0;
  const examples: string[] = [];
  rows.forEach((row, i) => {
    const a = assessContent(row.text, { thresholds });
    const predicted = new Set(a.flags.map((f) => f.category));
    for (const c of DETECT_CATEGORIES) {
      const k = counts.get(c)!;
      const g = gold[i]!.has(c);
      const p = predicted.has(c);
      if (g && p) k.tp++;
      else if (p) k.fp++;
      else if (g) k.fn++;
      else k.tn++;
      for (const s of show) {
        if (s.category !== c) continue;
        if ((s.kind === 'fp' && p && !g) || (s.kind === 'fn' && g && !p)) {
          const f = a.flags.find((x) => x.category === c);
          examples.push(
            `${c}:${s.kind} row ${i + 2}${f ? ` (${f.score} ${f.rules.join(',')})` : ''}: ${row.text.slice(0, 160).replace(/\s+/g, ' ')}`,
          );
        }
      }
    }
    const hate = a.flags.find((f) => f.category === 'hate');
    const wanted = (row.target ?? '')
      .split(';')
      .map((s) => s.trim())
      .filter((s) => (CHARACTERISTICS as readonly string[]).includes(s));
    if (gold[i]!.has('hate') && hate?.target && wanted.length > 0) {
      targetRows++;
      if (wanted.includes(hate.target)) targetCorrect++;
    }
  });

  for (const e of examples) console.log(e);
  console.log(`${rows.length} rows from ${file}`);
  console.log(
    `Labelled categories: ${[...labelled].join(', ') || 'none'}. Figures for the others only count`,
  );
  console.log('false positives against unlabelled rows: read them as "flags raised", not as precision.\n');
  console.log('category   precision  recall   F1      TP    FP    FN    TN');
  const result: Record<string, unknown> = { n: rows.length };
  for (const c of DETECT_CATEGORIES) {
    const k = counts.get(c)!;
    const precision = ratio(k.tp, k.tp + k.fp);
    const recall = ratio(k.tp, k.tp + k.fn);
    const f1 =
      precision + recall === 0
        ? 0
        : Math.round(((2 * precision * recall) / (precision + recall)) * 1000) / 1000;
    const scored = labelled.has(c);
    console.log(
      `${c.padEnd(10)} ${(scored ? precision.toFixed(3) : '  -  ').padEnd(10)} ${(scored ? recall.toFixed(3) : '  -  ').padEnd(8)} ${(scored ? f1.toFixed(3) : '  -  ').padEnd(7)} ${String(k.tp).padStart(4)}  ${String(k.fp).padStart(4)}  ${String(k.fn).padStart(4)}  ${String(k.tn).padStart(4)}${scored ? '' : '   (not labelled in this file)'}`,
    );
    result[c] = scored ? { precision, recall, f1, ...k } : { labelled: false, flagged: k.tp + k.fp };
  }
  const targetAccuracy = ratio(targetCorrect, targetRows);
  console.log(
    `\nhate target accuracy: ${targetCorrect}/${targetRows} = ${targetAccuracy.toFixed(3)} (rows labelled and flagged hate with a target)`,
  );
  result.hateTargetAccuracy = targetAccuracy;
  console.log(JSON.stringify(result));
}

main();
