import type { PrismaClient } from '../generated/prisma/client.ts';
import { emptyAnswers, type Answers } from '../journey/steps.ts';

export interface DraftRecord {
  id: string;
  answers: Answers;
  submittedCaseId: string | null;
}

/** What a change to a draft can do besides its answers, inside the same transaction. */
export interface DraftWork {
  saveUpload(file: { fileName: string; mediaType: string; data: Uint8Array<ArrayBuffer> }): Promise<string>;
}

/** How many used one-time keys a draft keeps: more than the posts that add something to one form (50 incidents and their removals). */
const keptKeys = 200;

/** Applications in progress: answers kept as JSON so a refresh, back or a later visit loses nothing. */
export function draftRepository(prisma: PrismaClient) {
  const toRecord = (row: { id: string; answers: unknown; submittedCaseId: string | null }): DraftRecord => ({
    id: row.id,
    answers: { ...emptyAnswers(), ...(row.answers as Partial<Answers>) },
    submittedCaseId: row.submittedCaseId,
  });

  return {
    async create(answers: Answers): Promise<DraftRecord> {
      const row = await prisma.draft.create({ data: { answers: answers as object } });
      return toRecord(row);
    },

    async find(id: string): Promise<DraftRecord | null> {
      const row = await prisma.draft.findUnique({ where: { id } });
      return row ? toRecord(row) : null;
    },

    async saveAnswers(id: string, answers: Answers): Promise<void> {
      await prisma.draft.update({ where: { id }, data: { answers: answers as object } });
    },

    /**
     * Changes the answers once per one-time key: in one transaction with the draft row locked (so
     * two instances handling the same post take turns), a key already in the answers changes
     * nothing; otherwise `change` computes the new answers from the stored ones, and the key is kept
     * with them. A null key always changes. Returns null when there is no such draft.
     */
    async changeOnce(
      id: string,
      key: string | null,
      change: (answers: Answers, work: DraftWork) => Promise<Answers> | Answers,
    ): Promise<{ applied: boolean; answers: Answers } | null> {
      return prisma.$transaction(async (tx) => {
        const locked = await tx.$queryRaw<Array<{ id: string }>>`SELECT "id" FROM "draft" WHERE "id" = ${id}::uuid FOR UPDATE`;
        if (locked.length === 0) return null;
        const row = await tx.draft.findUniqueOrThrow({ where: { id } });
        const current = toRecord(row).answers;
        const used = current.usedKeys ?? [];
        if (key && used.includes(key)) return { applied: false, answers: current };
        const work: DraftWork = {
          async saveUpload(file) {
            const upload = await tx.upload.create({
              data: { draftId: id, fileName: file.fileName, mediaType: file.mediaType, size: file.data.byteLength, data: file.data },
              select: { id: true },
            });
            return upload.id;
          },
        };
        const changed = await change(current, work);
        const answers: Answers = key ? { ...changed, usedKeys: [...used, key].slice(-keptKeys) } : changed;
        await tx.draft.update({ where: { id }, data: { answers: answers as object } });
        return { applied: true, answers };
      });
    },

    async setResumeToken(id: string, tokenHash: string, expiresAt: Date): Promise<void> {
      await prisma.draft.update({ where: { id }, data: { resumeTokenHash: tokenHash, resumeExpiresAt: expiresAt } });
    },

    async findByResumeToken(tokenHash: string, now: Date): Promise<DraftRecord | null> {
      const row = await prisma.draft.findUnique({ where: { resumeTokenHash: tokenHash } });
      if (!row || row.submittedCaseId || !row.resumeExpiresAt || row.resumeExpiresAt <= now) return null;
      return toRecord(row);
    },
  };
}

export type DraftRepository = ReturnType<typeof draftRepository>;
