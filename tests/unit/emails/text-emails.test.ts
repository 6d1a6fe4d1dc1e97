import { describe, expect, it } from 'vitest';
import { southDerbyshire } from '../../../src/council.ts';
import { renderTemplate } from '../../../src/views.ts';

describe('plain-text emails', () => {
  it('show names as written (no HTML escaping in a text body), and the HTML body escapes them', async () => {
    const data = { name: "Siobhán O'Brien <b>", onBehalfOf: null, reference: 'ASB-2026-7KQ3XM', receivedOn: 'Wednesday 25 November 2026', dueDate: 'Wednesday 2 December 2026', council: southDerbyshire };
    const text = await renderTemplate('emails/acknowledgement.text', data);
    expect(text).toContain("Dear Siobhán O'Brien <b>,");
    const html = await renderTemplate('emails/acknowledgement.html', data);
    expect(html).toContain('Dear Siobhán O&#39;Brien &lt;b&gt;,');
  });
});
