// The experiment of a command-line argument: a spec file, or a share link (the page's "Copy link").
import { DEFAULT_SPEC, type ExperimentSpec } from '../../src/core/spec';
import { readShareLink } from '../../src/state/shareLink';
import { readSpecFile } from './readSpecFile';

const looksLikeUrl = (source: string) => /^[a-z][a-z0-9+.-]*:\/\//i.test(source) || source.startsWith('#');

/** The spec of a spec file or of a share link; a link that is damaged in any way is refused with the reason. */
export function specFromSource(source: string): ExperimentSpec {
  if (!looksLikeUrl(source)) return readSpecFile(source);
  const hashAt = source.indexOf('#');
  if (hashAt < 0)
    throw new Error(`the URL ${source} holds no experiment: a share link ends in #x=... (use the page's "Copy link")`);
  const link = readShareLink(source.slice(hashAt), DEFAULT_SPEC);
  if (!link.found) throw new Error(`the URL holds no experiment: its hash has no x= (or spec=) part`);
  if (link.message) throw new Error(`bad share URL: ${link.message}`);
  return link.spec;
}
