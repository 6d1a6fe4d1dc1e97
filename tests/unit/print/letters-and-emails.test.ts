import { describe, expect, it } from 'vitest';
import { southDerbyshire } from '../../../src/council.ts';
import { letterNames, type LetterName } from '../../../src/services/case-letters.ts';
import { renderTemplate } from '../../../src/views.ts';

/**
 * Each letter and its email share their words: the printed letter and the HTML email include the
 * same body partial (views/letters/_<name>-body.ejs), and the plain-text email must say the same
 * sentences in the same order. Rendered here for every variant a letter has.
 */

const council = southDerbyshire;
const common = {
  council,
  pcc: council.pcc,
  reference: 'ASB-2026-7KQ3XM',
  // An apostrophe and a "<": escaped in HTML, written as is in text; the sentences must still match.
  name: "Siobhán O'Brien <Jr>",
  onBehalfOf: null as string | null,
  spocName: 'Officer Person' as string | null,
  letterDate: 'Monday 7 December 2026',
  address: ['12 Civic Way', 'Swadlincote', 'DE11 0AH'],
};
const recommendations = [
  { action: 'Install a noise monitor', agency: council.partnerAgencies[2] ?? '', dueOn: 'Friday 8 January 2027' },
  { action: 'Visit the neighbours together', agency: council.partnerAgencies[0] ?? '', dueOn: 'Monday 14 December 2026' },
];

interface Variant {
  letter: LetterName;
  email: string;
  label: string;
  data: Record<string, unknown>;
}

const reason = 'Three related incidents were reported in the last six months.\n\nThe police confirmed two of them.';
const variants: Variant[] = [
  { letter: 'acknowledgement', email: 'case-acknowledgement', label: 'acknowledgement', data: { decisionDue: 'Monday 21 December 2026' } },
  {
    letter: 'acknowledgement',
    email: 'case-acknowledgement',
    label: 'acknowledgement on behalf',
    data: { decisionDue: 'Monday 21 December 2026', onBehalfOf: 'Alex Example' },
  },
  ...(['met', 'not-met', 'rejected'] as const).map((outcome) => ({
    letter: 'decision' as const,
    email: 'decision',
    label: `decision ${outcome}`,
    data: {
      outcome,
      reason,
      ground: outcome === 'rejected' ? 'Malicious' : null,
      reviewDue: 'Monday 11 January 2027',
      appealBy: 'Tuesday 5 January 2027',
    },
  })),
  ...(['in-person', 'online', 'not-attending'] as const).map((attendance, index) => ({
    letter: 'invitation' as const,
    email: 'review-invitation',
    label: `invitation ${attendance}`,
    data: {
      date: 'Monday 14 December 2026',
      time: '2:30pm',
      attendance,
      chair: index === 0 ? 'Pat Chair' : null,
      rescheduled: index === 1,
    },
  })),
  {
    letter: 'outcome',
    email: 'outcome',
    label: 'outcome with an action plan',
    data: { heldOn: 'Friday 11 December 2026', summary: reason, recommendations, appealBy: 'Tuesday 5 January 2027' },
  },
  {
    letter: 'outcome',
    email: 'outcome',
    label: 'outcome without recommendations',
    data: { heldOn: null, summary: 'No further action.', recommendations: [], appealBy: 'Tuesday 5 January 2027', spocName: null },
  },
  ...(['outcome', 'threshold-decision'] as const).map((about) => ({
    letter: 'appeal-acknowledgement' as const,
    email: 'appeal-acknowledgement',
    label: `appeal acknowledgement (${about})`,
    data: { about, receivedOn: 'Monday 7 December 2026', onBehalfOf: about === 'outcome' ? 'Alex Example' : null },
  })),
  { letter: 'closure', email: 'closure', label: 'closure', data: { reason: 'The action plan is complete.' } },
];

const entities: Record<string, string> = { '&amp;': '&', '&lt;': '<', '&gt;': '>', '&quot;': '"', '&#34;': '"', '&#39;': "'" };

/** Splits lines into sentences (a full stop, question or exclamation mark, then a space). */
function sentences(lines: string[]): string[] {
  return lines
    .map((line) => line.replace(/\s+/g, ' ').trim())
    .filter(Boolean)
    .flatMap((line) => line.split(/(?<=[.!?])\s+/));
}

/** What a reader of the HTML reads, block by block, without the letter head and the action plan table. */
function htmlSentences(html: string): string[] {
  const text = html
    .replace(/<div class="app-letter__head[\s\S]*?<\/div>/, '')
    .replace(/<table[\s\S]*?<\/table>/g, '')
    .replace(/<(br|\/?(p|h\d|li|ul|ol|div|body|html))\b[^>]*>/gi, '\n')
    .replace(/<[^>]+>/g, '')
    .replace(/&(amp|lt|gt|quot|#34|#39);/g, (entity) => entities[entity] ?? entity);
  return sentences(text.split('\n'));
}

/** The plain-text email, a list item's "- " dropped, the action plan's lines left out. */
function textSentences(text: string, plan: typeof recommendations): string[] {
  const lines = text.split('\n').filter((line) => !plan.some((item) => line.includes(item.action)));
  return sentences(lines.map((line) => line.replace(/^\s*- /, '')));
}

async function render(variant: Variant) {
  const data = { ...common, ...variant.data };
  return {
    letter: await renderTemplate(`letters/${variant.letter}`, data),
    html: await renderTemplate(`emails/${variant.email}.html`, data),
    text: await renderTemplate(`emails/${variant.email}.text`, data),
  };
}

describe('letters and their emails', () => {
  it('covers every letter that has an email', () => {
    expect([...new Set(variants.map((v) => v.letter))].sort()).toEqual([...letterNames].sort());
  });

  it.each(variants)('$label: the letter, the HTML email and the text email say the same sentences', async (variant) => {
    const { letter, html, text } = await render(variant);
    const fromLetter = htmlSentences(letter);
    expect(fromLetter.length).toBeGreaterThan(5);
    expect(fromLetter).toContain("Dear Siobhán O'Brien <Jr>,");
    expect(fromLetter).toContain('Please quote it if you contact us.');
    expect(htmlSentences(html)).toEqual(fromLetter);
    const plan = (variant.data.recommendations as typeof recommendations | undefined) ?? [];
    expect(textSentences(text, plan)).toEqual(fromLetter);
  });

  it('prints the letter head above the words: the address, the date and the reference', async () => {
    const variant = variants.find((v) => v.letter === 'decision');
    if (!variant) throw new Error('No decision variant');
    const { letter, html } = await render(variant);
    expect(letter).toContain('12 Civic Way<br>Swadlincote<br>DE11 0AH');
    expect(letter).toContain('Our reference: ASB-2026-7KQ3XM');
    expect(html).not.toContain('Our reference:');
  });

  it('gives every recommendation of the action plan, with who and by when, in the letter and both emails', async () => {
    const variant = variants.find((v) => v.label === 'outcome with an action plan');
    if (!variant) throw new Error('No outcome variant');
    const { letter, html, text } = await render(variant);
    for (const item of recommendations) {
      const row = `<td class="govuk-table__cell">${item.action}</td><td class="govuk-table__cell">${item.agency.replace(/'/g, '&#39;')}</td><td class="govuk-table__cell">${item.dueOn}</td>`;
      expect(letter).toContain(row);
      expect(html).toContain(row);
      expect(text).toContain(`- ${item.action} (who will do it: ${item.agency}; by when: ${item.dueOn})`);
    }
  });

  it('notices when the text email drifts from the letter', () => {
    const letter = htmlSentences('<p class="govuk-body">We will decide by Monday.</p><p class="govuk-body">Yours sincerely,</p>');
    expect(textSentences('We will decide by Tuesday.\n\nYours sincerely,', [])).not.toEqual(letter);
    expect(textSentences('We will decide by Monday.\n\nYours sincerely,', [])).toEqual(letter);
  });
});
