// A spec handed to the page in the URL: #spec=<encodeURIComponent(JSON)>. (The compact share codec
// is a later addition; this plain form is what tests and hand-made links use.) Bad fields fall back
// to their defaults and the user is told which.
import { formatIssues, parseSpec, type ExperimentSpec } from '../core/spec';

export interface HashSpec {
  spec: ExperimentSpec;
  /** For the user when the link's spec was not taken as it is. */
  message?: string;
}

export function specFromHash(hash: string, defaults: ExperimentSpec): HashSpec | undefined {
  const params = new URLSearchParams(hash.replace(/^#/, ''));
  const text = params.get('spec');
  if (text === null) return undefined;
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return {
      spec: structuredClone(defaults),
      message: 'The spec in the link is not valid JSON; the default experiment is shown instead.',
    };
  }
  const { spec, issues } = parseSpec(raw, defaults);
  if (issues.length === 0) return { spec };
  return { spec, message: `Some settings in the link were invalid and took their defaults:\n${formatIssues(issues)}` };
}
