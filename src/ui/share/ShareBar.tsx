// The experiment's link, with a Copy button. The link always holds the whole spec; once every run
// has ended it also holds the results when they are small enough (shareLink.ts), else the page
// says to share the results file instead.
import { useEffect, useMemo, useRef, useState } from 'react';
import { resultsFromState } from '../../state/resultsFile';
import { selectActive, selectSpec } from '../../state/selectors';
import { shareLinkHash } from '../../state/shareLink';
import { useLab } from '../labContext';

export function ShareBar() {
  const spec = useLab(selectSpec);
  const trainedSpec = useLab((s) => s.trainedSpec);
  // Runs are read only once training has ended: no re-render per progress message.
  const runs = useLab((s) => (selectActive(s) ? undefined : s.runs));
  const runOrder = useLab((s) => s.runOrder);
  const input = useRef<HTMLInputElement>(null);
  const [copied, setCopied] = useState<string>();
  // Results go in only for the experiment the form shows, once it has ended.
  const sameSpec = trainedSpec !== undefined && JSON.stringify(trainedSpec) === JSON.stringify(spec);
  const results = useMemo(
    () => (sameSpec && runs && runOrder.length > 0 ? resultsFromState({ trainedSpec, runs, runOrder }) : undefined),
    [sameSpec, trainedSpec, runs, runOrder],
  );
  // Keyed on the results, not on what they come from: pressing Train changes the trained spec but
  // not the link, and deflating it again would lengthen the click's task. The link with results
  // (10-30 ms of JSON and deflate) is made in a task of its own after the render, not inside the
  // flush that ended the last run; the spec's link stands until then.
  const specLink = useMemo(() => shareLinkHash(spec, undefined), [spec]);
  const [resultsLink, setResultsLink] = useState<{ for: [unknown, unknown]; link: ReturnType<typeof shareLinkHash> }>();
  useEffect(() => {
    if (!results) return;
    const t = setTimeout(() => setResultsLink({ for: [spec, results], link: shareLinkHash(spec, results) }), 0);
    return () => clearTimeout(t);
  }, [spec, results]);
  const { hash, withResults } =
    results && resultsLink?.for[0] === spec && resultsLink.for[1] === results ? resultsLink.link : specLink;
  const hadResults = results !== undefined;
  const url = `${location.origin}${location.pathname}${hash}`;

  async function copy() {
    try {
      await navigator.clipboard.writeText(url);
      setCopied('Copied');
    } catch {
      // No clipboard permission (an http page, an old browser): select the text for Ctrl+C.
      input.current?.focus();
      input.current?.select();
      setCopied(document.execCommand?.('copy') ? 'Copied' : 'Selected: press Ctrl+C');
    }
    setTimeout(() => setCopied(undefined), 2500);
  }

  return (
    <div className="share-bar" aria-label="share link">
      <button type="button" onClick={() => void copy()}>
        Copy link
      </button>
      <input
        ref={input}
        readOnly
        value={url}
        aria-label="link to this experiment"
        onFocus={(e) => e.target.select()}
        data-with-results={withResults ? 'yes' : 'no'}
      />
      <span className="share-note" role="status">
        {copied ??
          (withResults
            ? 'with the results'
            : hadResults
              ? 'results too big for a link: share the results file'
              : 'the experiment; results once it has ended')}
      </span>
    </div>
  );
}
