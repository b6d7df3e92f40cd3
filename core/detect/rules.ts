// Loads data/rules.json into compiled rules. Checked with zod and compiled once when the module
// loads: a rule with an unknown tag or a bad step stops start-up with the rule's id in the message.
import { z } from 'zod';
import { compileSteps, RuleIndex, type CompiledSteps } from './patterns';
import { isTagName, tagsOf, type TagName, type TagSet } from './tags';
import { CHARACTERISTICS, DETECT_CATEGORIES, type Characteristic, type DetectCategory } from './types';
import rulesData from './data/rules.json';

const tagNames = z.array(z.string().refine(isTagName, 'unknown tag'));
const category = z.enum(DETECT_CATEGORIES);

const schema = z.object({
  about: z.string(),
  untag: z.array(
    z.object({
      id: z.string(),
      steps: z.string(),
      at: z.string(),
      clear: tagNames,
      add: tagNames.optional(),
    }),
  ),
  suppress: z.array(
    z.object({
      id: z.string(),
      steps: z.string(),
      categories: z.array(category),
      factor: z.number().min(0).max(1),
      scope: z.enum(['clause', 'following', 'message']),
      after: z.boolean().optional(),
    }),
  ),
  flag: z.array(
    z.object({
      id: z.string(),
      category,
      score: z.number().min(0).max(1),
      reason: z.string(),
      steps: z.string(),
      serious: z.boolean().optional(),
      requires: z.string().optional(),
      minSev: z.number().min(0).max(1).optional(),
      negatable: z.boolean().optional(),
      characteristic: z.enum(CHARACTERISTICS).optional(),
      also: z.record(category, z.number().min(0).max(1)).optional(),
    }),
  ),
});

export interface UntagRule {
  id: string;
  steps: CompiledSteps;
  at: string;
  clear: TagSet;
  add: TagSet;
}

export interface SuppressRule {
  id: string;
  steps: CompiledSteps;
  categories: DetectCategory[];
  factor: number;
  scope: 'clause' | 'following' | 'message';
  /** Only words from the suppressing words onwards ("…said I will kill you"), not before them. */
  after?: boolean;
}

export interface FlagRule {
  id: string;
  category: DetectCategory;
  score: number;
  reason: string;
  steps: CompiledSteps;
  serious: boolean;
  requires?: TagSet;
  minSev: number;
  negatable: boolean;
  characteristic?: Characteristic;
  also: [DetectCategory, number][];
}

export interface Rules {
  untag: UntagRule[];
  suppress: SuppressRule[];
  flag: FlagRule[];
  untagIndex: RuleIndex;
  suppressIndex: RuleIndex;
  flagIndex: RuleIndex;
}

function loadRules(): Rules {
  const r = parseRules();
  return {
    ...r,
    untagIndex: new RuleIndex(r.untag.map((x) => x.steps)),
    suppressIndex: new RuleIndex(r.suppress.map((x) => x.steps)),
    flagIndex: new RuleIndex(r.flag.map((x) => x.steps)),
  };
}

function parseRules(): Omit<Rules, 'untagIndex' | 'suppressIndex' | 'flagIndex'> {
  const parsed = schema.safeParse(rulesData);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(
      `core/detect/data/rules.json: ${issue?.path.join('.') ?? ''} ${issue?.message ?? 'is invalid'}`,
    );
  }
  const d = parsed.data;
  const where = (id: string): string => `core/detect/data/rules.json rule ${id}`;
  const ids = new Set<string>();
  const unique = (id: string): string => {
    if (ids.has(id)) throw new Error(`${where(id)}: duplicate id`);
    ids.add(id);
    return id;
  };
  return {
    untag: d.untag.map((r) => {
      const steps = compileSteps(r.steps, where(r.id));
      if (!steps.labels.has(r.at)) throw new Error(`${where(r.id)}: no step labelled @${r.at}`);
      return {
        id: unique(r.id),
        steps,
        at: r.at,
        clear: tagsOf(r.clear as TagName[]),
        add: tagsOf((r.add ?? []) as TagName[]),
      };
    }),
    suppress: d.suppress.map((r) => ({ ...r, id: unique(r.id), steps: compileSteps(r.steps, where(r.id)) })),
    flag: d.flag.map((r) => {
      const rule: FlagRule = {
        id: unique(r.id),
        category: r.category,
        score: r.score,
        reason: r.reason,
        steps: compileSteps(r.steps, where(r.id)),
        serious: r.serious ?? false,
        minSev: r.minSev ?? 0,
        negatable: r.negatable ?? true,
        also: Object.entries(r.also ?? {}) as [DetectCategory, number][],
      };
      if (r.requires) {
        const names = r.requires.split('|');
        for (const n of names)
          if (!isTagName(n)) throw new Error(`${where(r.id)}: requires unknown tag ${n}`);
        rule.requires = tagsOf(names as TagName[]);
      }
      if (r.characteristic) rule.characteristic = r.characteristic;
      return rule;
    }),
  };
}

export const RULES: Rules = loadRules();
