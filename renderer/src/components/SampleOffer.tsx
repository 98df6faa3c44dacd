import { useState } from 'react';
import { useApp } from '../store/index.js';

/** First launch with an empty workspace: offer a sample project so a newcomer sees Orchard working. */
export function SampleOffer() {
  const offer = useApp((s) => s.workspace?.offerSample === true && s.projects.length === 0 && !s.sampleDismissed);
  const create = useApp((s) => s.createSampleProject);
  const dismiss = useApp((s) => s.dismissSample);
  const [busy, setBusy] = useState(false);
  if (!offer) return null;
  return (
    <section className="sample-offer" aria-labelledby="sample-title">
      <h2 id="sample-title">New to Orchard?</h2>
      <p>
        Open a sample project built from the Statlog German Credit data (1,000 loan applicants, 21 columns, credit
        risk good or bad), to see Orchard at work before you bring your own data.
      </p>
      <div className="row-actions">
        <button
          className="primary"
          disabled={busy}
          onClick={async () => {
            setBusy(true);
            await create();
            setBusy(false);
          }}
        >
          {busy ? 'Creating…' : 'Open the sample project'}
        </button>
        <button onClick={dismiss}>Not now</button>
      </div>
    </section>
  );
}
